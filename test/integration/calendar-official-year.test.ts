import { PostgresCalendarSource } from '../../libs/persistence/src/calendar/calendar-source';
import { createLifecycleActivities } from '../../activities/lifecycle.activities';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { bearer, handlerOf } from '../support/auth';
import { startTestStack, TestStack } from '../support/test-stack';

/**
 * A year whose official holiday schedule is not published yet is provisional (the statutory holidays only); loading
 * its official schedule through the API makes a new calendar version where the year is official, with its make-up
 * days, moves the deadlines laid across it, is audited, and lists the open cases whose running deadlines it moves.
 * On a database of its own: a new calendar version would change every other file's deadlines.
 */
describe('official holiday schedule of a provisional year', () => {
  const base = '/api/v1/calendars/current';
  const USERS = {
    designer: 'designer',
    admin: 'admin',
    auditor: 'auditor',
    operator: 'operator',
    handler: handlerOf('s-hubin'),
  };
  type User = keyof typeof USERS;
  let stack: TestStack<User>;
  let dataSource: DataSource;

  /**
   * A made-up official schedule for 2027 in the usual shape (the real one is not out yet): New Year's Day Friday to
   * Sunday; Spring Festival Thursday 4 to Friday 12 February with make-up Sunday 31 January and Saturday 20 February;
   * the other statutory holidays as days off.
   */
  const schedule2027 = [
    ...['01', '02', '03'].map((d) => ({ date: `2027-01-${d}`, working: false, name: '元旦' })),
    { date: '2027-01-31', working: true, name: '春节调休上班' },
    ...['04', '05', '06', '07', '08', '09', '10', '11', '12'].map((d) => ({
      date: `2027-02-${d}`,
      working: false,
      name: '春节',
    })),
    { date: '2027-02-20', working: true, name: '春节调休上班' },
    { date: '2027-04-05', working: false, name: '清明节' },
    ...['01', '02', '03'].map((d) => ({ date: `2027-05-${d}`, working: false, name: '劳动节' })),
    { date: '2027-06-09', working: false, name: '端午节' },
    { date: '2027-09-15', working: false, name: '中秋节' },
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
      date: `2027-10-${d}`,
      working: false,
      name: '国庆节',
    })),
  ];
  const reason = '国务院办公厅关于2027年部分节假日安排的通知';
  // Monday 1 February 2027, 10:00 China time. 7 working days: on the provisional year (除夕 5 and 初三 8 February
  // off) Friday 12 February; on the official schedule (4–12 February off) Friday 19 February.
  const monday = '2027-02-01T10:00:00+08:00';
  const dueProvisional = '2027-02-12T10:00:00.000Z';
  const dueOfficial = '2027-02-19T10:00:00.000Z';

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-calendar-year', scratch: true, seed: true, worker: false, users: USERS });
    dataSource = await new DataSource(dataSourceOptions(stack.databaseUrl)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await stack?.stop();
  });

  const as = (user: User) => ({
    get: (path: string) => stack.http().get(`${base}${path}`).set(bearer(stack.tokens[user])),
    put: (path: string) => stack.http().put(`${base}${path}`).set(bearer(stack.tokens[user])),
  });
  const deadline = (from: string, duration: string) =>
    `/deadline?from=${encodeURIComponent(from)}&duration=${encodeURIComponent(duration)}`;
  const count = async (sql: string) => (await stack.pg.query<{ n: number }>(sql)).rows[0].n;
  const versions = () => count(`SELECT count(*)::int AS n FROM calendars`);
  const yearAudits = () => count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'calendar.year-loaded'`);

  /** An open (or closed) case whose running handle deadline was laid on version 1, as stampDeadline laid it. */
  const insertCase = async (caseNo: string, closed: boolean) => {
    const activities = createLifecycleActivities({ dataSource, calendar: new PostgresCalendarSource(dataSource) });
    const handle = await activities.stampDeadline({
      kind: 'handle',
      duration: '7WD',
      from: new Date(monday).toISOString(),
      reminderFraction: 0.8,
    });
    expect(handle).toMatchObject({ due: dueProvisional, calendarVersion: 1 });
    await stack.pg.query(
      `INSERT INTO cases (case_no, workflow_id, kind, category, urgency, channel, status, stage, description,
         community_id, street_id, district_id, rules_version, received_at, phase, lead_unit_id, responsible_unit_id,
         escalation_level, dispatched_at, deadlines, next_deadline, closed_at)
       VALUES ($1, 'case-' || $1, 'complaint', 'noise-nuisance', 'normal', 'hotline', $2, $3, '节前受理的噪声投诉',
         'c-xiyuan', 's-hubin', 'd-donghu', 'beijing@1', $4, $3, 's-hubin', 's-hubin', 'none', $4, $5::jsonb, $6, $7)`,
      [
        caseNo,
        closed ? 'closed' : 'open',
        closed ? 'closed' : 'handling',
        new Date(monday),
        JSON.stringify({ handle }),
        handle.due,
        closed ? new Date(monday) : null,
      ],
    );
  };

  it('should hold 2027 and 2028 as provisional at version 1, with the statutory holidays off', async () => {
    const current = await as('operator').get('').expect(200);
    expect(current.body).toMatchObject({
      id: 'cn-mainland+provisional-2027+provisional-2028',
      version: 1,
      coversTo: '2028-12-31',
      provisionalYears: [2027, 2028],
      officialYears: [],
    });
    // Monday 28 December 2026: 4 working days no longer end on New Year's Day 2027.
    const newYear = await as('operator').get(deadline('2026-12-28T10:00:00+08:00', '4WD')).expect(200);
    expect(newYear.body).toMatchObject({ due: '2027-01-04T10:00:00.000Z', appliedDays: ['2027-01-01'] });
    const spring = await as('operator').get(deadline(monday, '7WD')).expect(200);
    expect(spring.body).toMatchObject({
      due: dueProvisional,
      calendarVersion: 1,
      appliedDays: ['2027-02-05', '2027-02-08'],
    });
  });

  it.each<[string, User, number, Record<string, unknown>, { field: string; rule: string }[]]>([
    ['an operator', 'operator', 2027, {}, []],
    ['a year the national data covers', 'designer', 2026, {}, [{ field: 'year', rule: 'not-provisional' }]],
    ['a year past the provisional ones', 'designer', 2029, {}, [{ field: 'year', rule: 'not-provisional' }]],
    [
      'a schedule that works a statutory holiday and a make-up weekday',
      'designer',
      2027,
      {
        days: [
          ...schedule2027.filter((day) => day.date !== '2027-09-15'),
          { date: '2027-02-17', working: true, name: '春节调休上班' },
        ],
      },
      [
        { field: `days.${schedule2027.length - 1}.working`, rule: 'no-effect' },
        { field: 'days', rule: 'statutory-holiday-missing' },
      ],
    ],
    ['a malformed day', 'designer', 2027, { days: [{ date: '2027-02-30', working: 'no' }] }, []],
    ['no reason', 'designer', 2027, { reason: ' ' }, [{ field: 'reason', rule: 'matches' }]],
  ])('should refuse %s and make no version', async (_what, user, year, change, problems) => {
    const before = [await versions(), await yearAudits()];
    const response = await as(user)
      .put(`/years/${year}`)
      .send({ days: schedule2027, reason, ...change });
    expect(response.status).toBe(user === 'operator' ? 403 : 400);
    if (problems.length > 0) {
      expect(
        response.body.details.map(({ field, rule }: { field: string; rule: string }) => ({ field, rule })),
      ).toEqual(problems);
    }
    if (change.days && problems.length === 0) {
      expect(response.body.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'days.0.date', rule: 'isLocalDate' }),
          expect.objectContaining({ field: 'days.0.working', rule: 'isBoolean' }),
          expect.objectContaining({ field: 'days.0.name', rule: 'isString' }),
        ]),
      );
    }
    expect([await versions(), await yearAudits()]).toEqual(before);
  });

  it('should load the official 2027 schedule as version 2: the year official, its make-up days working, audited', async () => {
    await insertCase('20270201900001', false);
    await insertCase('20270201900002', true);

    const loaded = await as('designer').put('/years/2027').send({ days: schedule2027, reason }).expect(200);
    expect(loaded.body).toMatchObject({
      id: 'cn-mainland+provisional-2028+provisional-2029',
      version: 2,
      reason,
      coversTo: '2029-12-31',
      provisionalYears: [2028, 2029],
      officialYears: [{ year: 2027, addedIn: 2, days: schedule2027 }],
      localDays: [],
    });
    const designerId = (await stack.pg.query(`SELECT id::text FROM users WHERE username = 'designer'`)).rows[0].id;
    expect(loaded.body.createdBy).toBe(designerId);

    // The Spring Festival deadline moves a week; the make-up Saturday is a working day.
    const spring = await as('handler').get(deadline(monday, '7WD')).expect(200);
    expect(spring.body).toMatchObject({ due: dueOfficial, calendarVersion: 2, calendarId: loaded.body.id });
    const makeUp = await as('handler').get(deadline('2027-02-19T10:00:00+08:00', '1WD')).expect(200);
    expect(makeUp.body).toMatchObject({ due: '2027-02-20T10:00:00.000Z', appliedDays: ['2027-02-20'] });
    // Version 1 still answers as it did.
    const old = await as('auditor')
      .get(`/versions/1${deadline(monday, '7WD')}`)
      .expect(200);
    expect(old.body).toMatchObject({ due: dueProvisional, calendarVersion: 1 });
    const v1 = await as('auditor').get('/versions/1').expect(200);
    expect(v1.body).toMatchObject({ provisionalYears: [2027, 2028], officialYears: [] });

    const audit = await stack.pg.query(
      `SELECT actor, subject_kind, subject_id, before, after, reason, source FROM audit_log
       WHERE action = 'calendar.year-loaded'`,
    );
    expect(audit.rows).toEqual([
      {
        actor: expect.objectContaining({ userId: designerId, role: 'designer' }),
        subject_kind: 'calendar',
        subject_id: 'cn-mainland',
        before: { version: 1, year: null },
        after: { version: 2, year: { year: 2027, official: true, addedIn: 2, days: schedule2027 } },
        reason,
        source: 'api',
      },
    ]);
  });

  it('should list the open case whose running deadline version 2 moves, and not the closed one', async () => {
    const affected = await as('auditor').get('/versions/2/affected-cases').expect(200);
    expect(affected.body).toMatchObject({
      calendarId: 'cn-mainland+provisional-2028+provisional-2029',
      version: 2,
      caseNos: ['20270201900001'],
      changed: [
        {
          caseNo: '20270201900001',
          kind: 'handle',
          duration: '7WD',
          calendarVersion: 1,
          due: dueProvisional,
          newCalendarVersion: 2,
          newDue: dueOfficial,
        },
      ],
      unchecked: [],
    });
    // Version 1 moves nothing (no deadline was laid before it); handlers do not see other units' case numbers.
    const first = await as('admin').get('/versions/1/affected-cases').expect(200);
    expect(first.body).toMatchObject({ caseNos: [], changed: [] });
    await as('handler').get('/versions/2/affected-cases').expect(403);
    await as('designer').get('/versions/99/affected-cases').expect(404);
  });

  it('should answer a repeated load with the current version and write nothing', async () => {
    const before = [await versions(), await yearAudits()];
    const again = await as('admin')
      .put('/years/2027')
      .send({ days: [...schedule2027].reverse(), reason })
      .expect(200);
    expect(again.body).toMatchObject({ version: 2 });
    expect([await versions(), await yearAudits()]).toEqual(before);
  });

  it('should take a corrected schedule as a new version, the old one kept in earlier versions and in the audit', async () => {
    const corrected = schedule2027.map((day) =>
      day.date === '2027-02-20' ? { ...day, name: '春节调休上班（更正）' } : day,
    );
    const loaded = await as('designer')
      .put('/years/2027')
      .send({ days: corrected, reason: '更正调休名称' })
      .expect(200);
    expect(loaded.body).toMatchObject({ version: 3, officialYears: [{ year: 2027, addedIn: 3, days: corrected }] });
    const v2 = await as('operator').get('/versions/2').expect(200);
    expect(v2.body.officialYears).toEqual([{ year: 2027, addedIn: 2, days: schedule2027 }]);
    const audit = await stack.pg.query(
      `SELECT before, after FROM audit_log WHERE action = 'calendar.year-loaded' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0]).toEqual({
      before: { version: 2, year: { year: 2027, official: true, addedIn: 2, days: schedule2027 } },
      after: { version: 3, year: { year: 2027, official: true, addedIn: 3, days: corrected } },
    });
  });

  it('should refuse in the database to change or delete a loaded schedule', async () => {
    await expect(stack.pg.query(`DELETE FROM calendar_official_years`)).rejects.toMatchObject({ code: '23001' });
    await expect(stack.pg.query(`UPDATE calendar_official_years SET days = '[]'`)).rejects.toMatchObject({
      code: '23001',
    });
    await expect(
      stack.pg.query(`INSERT INTO calendar_official_years (calendar_id, year, days, added_in)
                      VALUES ('cn-mainland', 2028, '[{"date":"2028-01-01"}]', 1)`),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
