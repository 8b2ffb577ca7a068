import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PostgresCalendarSource } from '../../libs/persistence/src/calendar/calendar-source';
import { createLifecycleActivities } from '../../activities/lifecycle.activities';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { dataSourceOptions } from '../../libs/persistence/src';
import { bearer, TEST_AUTH, tokenFor } from '../support/auth';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';
import { seedDemoData } from '../../libs/persistence/src/seed/demo-city.seed';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/**
 * The versioned calendar over HTTP and in the deadline activity: a local day off added through the API moves the
 * deadlines laid across it, every deadline names the version that produced it, and past versions stay readable.
 * Runs on a database of its own: a new calendar version would change every other file's deadlines.
 */
describe('calendar versions', () => {
  const base = '/api/v1/calendars/current';
  // Monday 2026-11-23 10:00 China time: 7 working days end on Wednesday 2026-12-02 at 18:00 (10:00 UTC).
  const monday = '2026-11-23T10:00:00+08:00';
  const dueWithout = '2026-12-02T10:00:00.000Z';
  const dueWith = '2026-12-03T10:00:00.000Z';
  let scratch: ScratchDatabase;
  let app: INestApplication;
  let dataSource: DataSource;
  let pg: Client;
  const tokens: Record<'designer' | 'admin' | 'operator' | 'handler' | 'auditor', string> = {
    designer: '',
    admin: '',
    operator: '',
    handler: '',
    auditor: '',
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase('it_calendar');
    // The demo city and its users (users are seeded only into a database whose stored tree has their units).
    await seedDemoData(scratch.url);
    const temporal = {
      address: requiredTestEnv(TEST_ENV.temporalAddress),
      namespace: 'default',
      taskQueue: `it-calendar-${randomUUID()}`,
    };
    app = await createApiApp({
      databaseUrl: scratch.url,
      temporal,
      logger: pino({ level: 'silent' }),
      auth: TEST_AUTH,
    });
    await app.init();
    tokens.designer = await tokenFor(app, 'designer');
    tokens.admin = await tokenFor(app, 'admin');
    tokens.operator = await tokenFor(app, 'operator');
    tokens.handler = await tokenFor(app, 'handler.s-hubin');
    tokens.auditor = await tokenFor(app, 'auditor');
    dataSource = await new DataSource(dataSourceOptions(scratch.url)).initialize();
    pg = new Client({ connectionString: scratch.url });
    await pg.connect();
  });

  afterAll(async () => {
    await app?.close();
    await pg?.end();
    await dataSource?.destroy();
    await scratch?.drop();
  });

  const as = (role: keyof typeof tokens) => {
    const http = request(app.getHttpServer());
    return {
      get: (path: string) => http.get(`${base}${path}`).set(bearer(tokens[role])),
      post: (path: string) => http.post(`${base}${path}`).set(bearer(tokens[role])),
      delete: (path: string) => http.delete(`${base}${path}`).set(bearer(tokens[role])),
    };
  };
  const deadlineQuery = (from: string, duration: string) =>
    `from=${encodeURIComponent(from)}&duration=${encodeURIComponent(duration)}`;
  const versionCount = async () =>
    (await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM calendars`)).rows[0].n;

  it('should start at version 1: the national data, no local days, the covered range', async () => {
    const current = await as('operator').get('').expect(200);
    expect(current.body).toMatchObject({
      id: 'cn-mainland+provisional-2027+provisional-2028',
      version: 1,
      createdBy: 'system',
      coversFrom: '2025-01-01',
      coversTo: '2028-12-31',
      utcOffsetMinutes: 480,
      weekend: [6, 7],
      localDays: [],
    });
    // Each activity asks the source; while the version stands, it answers the same cached calendar.
    const source = new PostgresCalendarSource(dataSource);
    expect(await source.current()).toBe(await source.current());
  });

  it('should move a deadline across a local day off, in the API and in stampDeadline, naming the new version', async () => {
    const activities = createLifecycleActivities({ dataSource, calendar: new PostgresCalendarSource(dataSource) });
    const stamp = () =>
      activities.stampDeadline({ kind: 'handle', duration: '7WD', from: monday, reminderFraction: 0.8 });
    const before = await stamp();
    expect(before).toMatchObject({
      due: dueWithout,
      calendarId: 'cn-mainland+provisional-2027+provisional-2028',
      calendarVersion: 1,
    });
    const answer = await as('handler')
      .get(`/deadline?${deadlineQuery(monday, '7WD')}&reminderFraction=0.8`)
      .expect(200);
    expect(answer.body).toEqual({
      due: dueWithout,
      calendarId: before.calendarId,
      calendarVersion: 1,
      appliedDays: [],
      reminderAt: before.reminderAt,
    });

    const added = await as('designer')
      .post('/days')
      .send({ date: '2026-11-25', working: false, name: '市运会放假', reason: '市政府通知：市运会期间放假一天' })
      .expect(201);
    expect(added.body).toMatchObject({
      version: 2,
      createdBy: expect.any(String),
      reason: '市政府通知：市运会期间放假一天',
      localDays: [{ date: '2026-11-25', working: false, name: '市运会放假', addedIn: 2 }],
    });
    const designerId = (await pg.query(`SELECT id::text FROM users WHERE username = 'designer'`)).rows[0].id;
    expect(added.body.createdBy).toBe(designerId);

    // The same activities object: the source notices the new version without a restart.
    const after = await stamp();
    expect(after).toMatchObject({ due: dueWith, calendarVersion: 2, appliedDays: ['2026-11-25'] });
    const moved = await as('operator')
      .get(`/deadline?${deadlineQuery(monday, '7WD')}`)
      .expect(200);
    expect(moved.body).toEqual({
      due: dueWith,
      calendarId: after.calendarId,
      calendarVersion: 2,
      appliedDays: ['2026-11-25'],
    });
    // Natural time ignores the calendar's days; working hours skip the day off.
    const natural = await as('operator')
      .get(`/deadline?${deadlineQuery('2026-11-24T17:00:00Z', 'PT2H')}`)
      .expect(200);
    expect(natural.body).toMatchObject({ due: '2026-11-24T19:00:00.000Z', appliedDays: [] });
    const hours = await as('operator')
      .get(`/deadline?${deadlineQuery('2026-11-24T17:00:00+08:00', '4WH')}`)
      .expect(200);
    expect(hours.body).toMatchObject({ due: '2026-11-26T04:00:00.000Z', appliedDays: ['2026-11-25'] });
  });

  it('should keep every earlier version readable and computable after a removal', async () => {
    const removed = await as('admin')
      .delete(`/days/2026-11-25?reason=${encodeURIComponent('通知撤回')}`)
      .expect(200);
    expect(removed.body).toMatchObject({ version: 3, reason: '通知撤回', localDays: [] });

    const v1 = await as('auditor').get('/versions/1').expect(200);
    expect(v1.body).toMatchObject({ version: 1, createdBy: 'system', localDays: [] });
    const v2 = await as('auditor').get('/versions/2').expect(200);
    expect(v2.body).toMatchObject({ version: 2, localDays: [{ date: '2026-11-25', addedIn: 2 }] });
    const old = await as('operator')
      .get(`/versions/2/deadline?${deadlineQuery(monday, '7WD')}`)
      .expect(200);
    expect(old.body).toMatchObject({ due: dueWith, calendarVersion: 2 });
    const first = await as('operator')
      .get(`/versions/1/deadline?${deadlineQuery(monday, '7WD')}`)
      .expect(200);
    expect(first.body).toMatchObject({ due: dueWithout, calendarVersion: 1 });
    const now = await as('operator')
      .get(`/deadline?${deadlineQuery(monday, '7WD')}`)
      .expect(200);
    expect(now.body).toMatchObject({ due: dueWithout, calendarVersion: 3, appliedDays: [] });
  });

  it.each<[string, string, { field: string; rule: string }]>([
    ['a malformed instant', `?from=yesterday&duration=7WD`, { field: 'from', rule: 'isInstant' }],
    [
      'an instant without a time zone',
      `?${deadlineQuery('2026-11-23T10:00:00', '7WD')}`,
      { field: 'from', rule: 'isInstant' },
    ],
    ['a duration in words', `?${deadlineQuery(monday, '7 days')}`, { field: 'duration', rule: 'isDuration' }],
    ['a fractional working day', `?${deadlineQuery(monday, '1.5WD')}`, { field: 'duration', rule: 'isDuration' }],
    ['a missing duration', `?from=${encodeURIComponent(monday)}`, { field: 'duration', rule: 'isDuration' }],
    [
      'a reminder past 1',
      `?${deadlineQuery(monday, '7WD')}&reminderFraction=1.5`,
      { field: 'reminderFraction', rule: 'max' },
    ],
    [
      'a deadline past the covered range',
      `?${deadlineQuery('2028-12-30T10:00:00Z', '7WD')}`,
      { field: 'from', rule: 'out-of-range' },
    ],
  ])('should answer 400 for %s, naming the field and the rule', async (_what, query, problem) => {
    const response = await as('operator').get(`/deadline${query}`).expect(400);
    expect(response.body).toMatchObject({
      error: 'ValidationFailed',
      details: expect.arrayContaining([expect.objectContaining(problem)]),
    });
  });

  it('should accept an unencoded + in the instant (it arrives as a space)', async () => {
    const response = await as('operator').get(`/deadline?from=2026-11-23T10:00:00+08:00&duration=7WD`).expect(200);
    expect(response.body.due).toBe(dueWithout);
  });

  it.each<[string, Record<string, unknown>, { field: string; rule: string }]>([
    ['a date that does not exist', { date: '2026-02-30' }, { field: 'date', rule: 'isLocalDate' }],
    ['a date outside the covered range', { date: '2030-01-02' }, { field: 'date', rule: 'out-of-range' }],
    ['a day off on a Sunday', { date: '2026-11-29' }, { field: 'working', rule: 'no-effect' }],
    ['a day off on a national holiday', { date: '2026-10-01' }, { field: 'working', rule: 'no-effect' }],
    ['a blank reason', { reason: '  ' }, { field: 'reason', rule: 'matches' }],
    ['a working flag as text', { working: 'no' }, { field: 'working', rule: 'isBoolean' }],
    ['an unknown field', { source: 'local' }, { field: 'source', rule: 'whitelistValidation' }],
  ])('should refuse %s with 400 and make no version', async (_what, change, problem) => {
    const versions = await versionCount();
    const body = { date: '2026-12-04', working: false, name: '本地休息日', reason: '测试', ...change };
    const response = await as('designer').post('/days').send(body).expect(400);
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining(problem)]));
    expect(await versionCount()).toBe(versions);
  });

  it('should refuse a date that is already a local day, and a removal of a date that is not one', async () => {
    const day = { date: '2026-12-07', working: false, name: '本地休息日', reason: '测试重复' };
    await as('designer').post('/days').send(day).expect(201);
    const versions = await versionCount();
    const duplicate = await as('designer').post('/days').send(day).expect(400);
    expect(duplicate.body.details[0]).toMatchObject({ field: 'date', rule: 'duplicate-day' });
    const missing = await as('designer').delete('/days/2026-12-08?reason=x').expect(404);
    expect(missing.body.message).toContain('2026-12-08');
    await as('designer').delete('/days/2026-13-01?reason=x').expect(400);
    await as('designer').delete('/days/2026-12-07').expect(400); // no reason
    expect(await versionCount()).toBe(versions);
  });

  it('should answer 404 for a version that does not exist and 400 for one that is not a number', async () => {
    await as('operator').get('/versions/999').expect(404);
    const bad = await as('operator').get('/versions/first').expect(400);
    expect(bad.body.details[0]).toMatchObject({ field: 'version', rule: 'format' });
  });

  it('should let only designers and admins change the calendar, and nobody anonymous read it', async () => {
    const versions = await versionCount();
    const day = { date: '2026-12-09', working: false, name: '本地休息日', reason: '越权' };
    await as('operator').post('/days').send(day).expect(403);
    await as('handler').delete('/days/2026-12-07?reason=x').expect(403);
    await request(app.getHttpServer()).get(base).expect(401);
    expect(await versionCount()).toBe(versions);
  });

  it('should give concurrent changes distinct consecutive versions', async () => {
    const latest = (await as('operator').get('').expect(200)).body.version as number;
    const days = ['2026-12-14', '2026-12-15', '2026-12-16'];
    const answers = await Promise.all(
      days.map((date) => as('designer').post('/days').send({ date, working: false, name: '并发', reason: '并发测试' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(answers.map((answer) => answer.body.version as number).sort()).toEqual([latest + 1, latest + 2, latest + 3]);
    const current = await as('operator').get('').expect(200);
    expect(current.body.localDays.map((day: { date: string }) => day.date)).toEqual(expect.arrayContaining(days));
  });

  it('should refuse in the database to change or delete a past version or add a day to one', async () => {
    await expect(pg.query(`UPDATE calendars SET reason = 'rewritten' WHERE version = 1`)).rejects.toMatchObject({
      code: '23001',
    });
    await expect(pg.query(`DELETE FROM calendar_days`)).rejects.toMatchObject({ code: '23001' });
    await expect(pg.query(`UPDATE calendar_days SET name = 'rewritten'`)).rejects.toMatchObject({ code: '23001' });
    await expect(
      pg.query(`INSERT INTO calendar_days (calendar_id, day, working, name, added_in)
                VALUES ('cn-mainland', '2026-12-21', false, 'backdated', 1)`),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      pg.query(
        `INSERT INTO calendars (calendar_id, version, created_by, reason) VALUES ('cn-mainland', 99, 'x', 'gap')`,
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
