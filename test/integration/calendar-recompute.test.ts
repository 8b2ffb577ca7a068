import { bearer, handlerOf } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

/**
 * A new calendar version moves the deadlines of open cases only when a designer applies it: each affected case's
 * workflow recomputes its running deadlines on the version in force and records who, when and why. On a database of
 * its own: a new calendar version would change every other file's deadlines.
 */
describe('applying a new calendar version to open cases', () => {
  const USERS = { designer: 'designer', auditor: 'auditor', handler: handlerOf('s-hubin') };
  type User = keyof typeof USERS;
  let stack: TestStack<User>;

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-calendar-recompute', scratch: true, seed: true, users: USERS });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const calendar = '/api/v1/calendars/current';
  const as = (user: User) => ({
    get: (path: string) => stack.http().get(path).set(bearer(stack.tokens[user])),
    post: (path: string) => stack.http().post(path).set(bearer(stack.tokens[user])),
  });
  type Entry = { due: string; from: string; duration: string; calendarVersion: number };
  const handleOf = async (caseNo: string): Promise<Entry> => {
    const { rows } = await stack.pg.query<{ deadlines: Record<string, Entry> }>(
      'SELECT deadlines FROM cases WHERE case_no = $1',
      [caseNo],
    );
    const entry = rows[0]?.deadlines?.handle;
    if (!entry) throw new Error(`case ${caseNo} has no handling deadline yet`);
    return entry;
  };

  /** The first Monday–Friday strictly between the start of a deadline and its due day (China time). */
  const workingDayWithin = (entry: Entry): string => {
    const day = new Date(Date.parse(entry.from) + 8 * 3600_000);
    for (let i = 1; i < 30; i++) {
      day.setUTCDate(day.getUTCDate() + 1);
      const date = day.toISOString().slice(0, 10);
      if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6 && date < entry.due.slice(0, 10)) return date;
    }
    throw new Error('no working day within the deadline');
  };

  it("should move an open case's handling deadline by the day a new version takes off, with who and why on record", async () => {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const caseNo = created.body.caseNo as string;
    const before = await eventually(() => handleOf(caseNo));

    // A municipal day off inside the deadline makes version 2; nothing moves until a designer applies it.
    const dayOff = workingDayWithin(before);
    const added = await as('designer')
      .post(`${calendar}/days`)
      .send({ date: dayOff, working: false, name: '市运会放假', reason: '市政府通知' })
      .expect(201);
    const version = added.body.version as number;
    expect((await handleOf(caseNo)).due).toBe(before.due);
    const affected = await as('auditor').get(`${calendar}/versions/${version}/affected-cases`).expect(200);
    expect(affected.body.caseNos).toContain(caseNo);

    // The answer the calendar gives for the same start and duration under the new version.
    const expected = await as('auditor')
      .get(`${calendar}/deadline?from=${encodeURIComponent(before.from)}&duration=${before.duration}`)
      .expect(200);
    expect(expected.body.due).not.toBe(before.due);

    // Applying an old version is refused; applying the current one moves the case.
    await as('designer').post(`${calendar}/versions/1/recompute-open-cases`).send({ reason: '旧版本' }).expect(409);
    const applied = await as('designer')
      .post(`${calendar}/versions/${version}/recompute-open-cases`)
      .send({ reason: '市运会放假，在办工单时限顺延' })
      .expect(201);
    expect(applied.body.cases).toContainEqual({ caseNo, outcome: 'moved' });

    const after = await eventually(async () => {
      const entry = await handleOf(caseNo);
      if (entry.due === before.due) throw new Error('not moved yet');
      return entry;
    });
    expect(after).toMatchObject({ due: expected.body.due, from: before.from, calendarVersion: version });
    const { rows } = await stack.pg.query<{ actor: { userId: string }; detail: { reason: string; moved: unknown[] } }>(
      `SELECT actor, detail FROM case_events WHERE case_no = $1 AND type = 'deadlines-recalendared'`,
      [caseNo],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].detail.reason).toBe('市运会放假，在办工单时限顺延');
    expect(rows[0].detail.moved).toContainEqual(
      expect.objectContaining({ kind: 'handle', before: before.due, after: expected.body.due }),
    );
    const audit = await stack.pg.query(
      `SELECT 1 FROM audit_log WHERE subject_id = $1 AND action LIKE '%recalendared%'`,
      [caseNo],
    );
    expect(audit.rowCount).toBe(1);

    // Applied again, the version moves nothing more.
    const again = await as('auditor').get(`${calendar}/versions/${version}/affected-cases`).expect(200);
    expect(again.body.caseNos).not.toContain(caseNo);
  });

  it('should refuse the move to anyone but a designer or admin, and a blank reason', async () => {
    await as('handler').post(`${calendar}/versions/1/recompute-open-cases`).send({ reason: '顺延' }).expect(403);
    const blank = await as('designer').post(`${calendar}/versions/1/recompute-open-cases`).send({ reason: ' ' });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body)).toContain('reason');
  });
});
