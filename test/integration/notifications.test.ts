import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { get, IncomingMessage } from 'node:http';
import { Client as PgClient } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createLifecycleActivities } from '../../activities/lifecycle.activities';
import { NotificationSender, OutboxNotification } from '../../apps/api/src/notifications/notification-sender';
import { OutboxDispatcher } from '../../apps/api/src/notifications/outbox-dispatcher';
import { bearer, handlerOf, tokenFor } from '../support/auth';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

/** Records every send; fails those of the cases in `failing`. */
class RecordingSender extends NotificationSender {
  readonly calls: Array<{ notification: OutboxNotification; ok: boolean }> = [];
  readonly failing = new Set<string>();

  async send(notification: OutboxNotification): Promise<void> {
    const ok = !this.failing.has(notification.caseNo);
    this.calls.push({ notification, ok });
    if (!ok) throw new Error('gateway unavailable');
  }

  of(eventKey: string) {
    return this.calls.filter((call) => call.notification.eventKey === eventKey);
  }
}

/** A server-sent events stream read with a raw HTTP request: its status and the events so far. */
interface EventStream {
  response: IncomingMessage;
  events: Array<{ type: string; data: string }>;
  close(): void;
}

/**
 * Notifications against the dev server and PostgreSQL: the worker's `appendCaseEvents` enqueues, the API's
 * dispatcher delivers through a recording sender, at least once, and the unit's inbox-events stream hears of it.
 *
 * This app's dispatcher never polls on its own (the test calls `poll`). Other test files' API instances may run
 * dispatchers on the same database at the same time, so a row under test is first parked at {@link PARKED} (far in
 * the future): only a poll run "as of" that instant claims it.
 */
describe('notifications', () => {
  const PARKED = new Date('2100-01-01T00:00:00.000Z');
  const RETRY_BASE_MS = 60_000;
  const sender = new RecordingSender();
  let stack: TestStack;
  let app: INestApplication;
  let pg: PgClient;
  let baseUrl: string;
  let dispatcher: OutboxDispatcher;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-notifications',
      api: { notifications: { sender, pollIntervalMs: 0, retryBaseMs: RETRY_BASE_MS, heartbeatMs: 200 } },
    });
    ({ app, pg } = stack);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    dispatcher = app.get(OutboxDispatcher);
  });

  afterAll(async () => {
    // Streams still open: stopping the API (first thing `stop` does) must end them, not wait for the clients.
    await stack?.stop();
    for (const stream of streams) stream.close();
  });

  const citizen = { name: '赵先生', phone: '13700002222' };
  const street = `示范市东湖区湖滨路${randomUUID().slice(0, 8)}号`;

  /** Opens a case that the catalogue dispatches to street 湖滨 (s-hubin); its number. */
  async function openCase(): Promise<string> {
    const created = await request(app.getHttpServer())
      .post('/api/v1/cases')
      .send({
        kind: 'complaint',
        category: 'noise-nuisance',
        channel: 'hotline',
        description: '夜间施工噪声扰民',
        address: `${street}-${randomUUID().slice(0, 4)}`,
        citizen,
        place: { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' },
        hasNewFacts: true,
      })
      .expect(201);
    return created.body.caseNo as string;
  }

  interface OutboxRow {
    id: string;
    event_key: string;
    kind: string;
    unit_id: string;
    payload: Record<string, unknown>;
    attempts: number;
    last_error: string | null;
    next_attempt_at: Date;
    delivered_at: Date | null;
  }

  async function outboxRows(caseNo: string): Promise<OutboxRow[]> {
    const result = await pg.query<OutboxRow>(
      `SELECT id, event_key, kind, unit_id, payload, attempts, last_error, next_attempt_at, delivered_at
         FROM outbox WHERE case_no = $1 ORDER BY id`,
      [caseNo],
    );
    return result.rows;
  }

  /** The lead unit's `assigned` row of a newly dispatched case, once the worker wrote it. */
  async function assignedRow(caseNo: string): Promise<OutboxRow> {
    return eventually(async () => {
      const row = (await outboxRows(caseNo)).find((c) => c.kind === 'assigned' && c.unit_id === 's-hubin');
      if (!row) throw new Error(`no assigned notification for ${caseNo} yet`);
      return row;
    });
  }

  /** Puts a row back to pending, due only at {@link PARKED} (whoever delivered it meanwhile). */
  async function park(id: string): Promise<void> {
    await pg.query(
      `UPDATE outbox SET next_attempt_at = $2, delivered_at = NULL, attempts = 0, last_error = NULL WHERE id = $1`,
      [id, PARKED],
    );
  }

  async function row(id: string): Promise<OutboxRow> {
    return (await pg.query<OutboxRow>(`SELECT * FROM outbox WHERE id = $1`, [id])).rows[0];
  }

  const after = (ms: number) => new Date(PARKED.getTime() + ms);

  it('should enqueue an assigned notification for the lead unit when a case is dispatched, without personal data', async () => {
    const caseNo = await openCase();
    const assigned = await assignedRow(caseNo);
    // The catalogue sends noise to the street, with the ecology department as co-unit; the district's copy is not told.
    expect((await outboxRows(caseNo)).map((r) => [r.kind, r.unit_id, r.payload.role, r.attempts])).toEqual([
      ['assigned', 's-hubin', 'lead', 0],
      ['assigned', 'dept-ecology', 'co', 0],
    ]);
    const [, , seq] = assigned.event_key.split('/');
    expect(assigned.event_key).toBe(`${caseNo}/case/${seq}/assigned/s-hubin`);
    const source = await pg.query(`SELECT type FROM case_events WHERE case_no = $1 AND stream = 'case' AND seq = $2`, [
      caseNo,
      Number(seq),
    ]);
    expect(source.rows).toEqual([{ type: 'dispatched' }]);
    expect(assigned.payload).toMatchObject({ event: 'dispatched', stream: 'case', seq: Number(seq), role: 'lead' });
    const everything = JSON.stringify(await outboxRows(caseNo));
    for (const personal of [citizen.name, citizen.phone, street, '夜间施工'])
      expect(everything).not.toContain(personal);
  });

  it('should deliver a due notification through the sender and mark it delivered', async () => {
    const caseNo = await openCase();
    const assigned = await assignedRow(caseNo);
    await park(assigned.id);
    await dispatcher.poll(after(0));
    expect(sender.of(assigned.event_key)).toEqual([
      {
        ok: true,
        notification: expect.objectContaining({
          id: String(assigned.id),
          kind: 'assigned',
          caseNo,
          unitId: 's-hubin',
          attempt: 1,
          payload: expect.objectContaining({ event: 'dispatched', role: 'lead' }),
        }),
      },
    ]);
    expect(await row(assigned.id)).toMatchObject({ attempts: 1, last_error: null, delivered_at: expect.any(Date) });
  });

  it('should keep a notification the sender failed, with attempts and error, and deliver it at a later poll', async () => {
    const caseNo = await openCase();
    const assigned = await assignedRow(caseNo);
    await park(assigned.id);
    sender.failing.add(caseNo);

    await dispatcher.poll(after(0));
    expect(await row(assigned.id)).toMatchObject({
      attempts: 1,
      last_error: 'gateway unavailable',
      delivered_at: null,
      next_attempt_at: after(RETRY_BASE_MS),
    });

    // Not due before its backoff ends, even for a dispatcher that no longer fails.
    sender.failing.delete(caseNo);
    await dispatcher.poll(after(RETRY_BASE_MS - 1_000));
    expect(sender.of(assigned.event_key)).toHaveLength(1);

    await dispatcher.poll(after(RETRY_BASE_MS));
    expect(sender.of(assigned.event_key).map((call) => [call.notification.attempt, call.ok])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(await row(assigned.id)).toMatchObject({
      attempts: 2,
      last_error: 'gateway unavailable',
      delivered_at: expect.any(Date),
    });
  });

  it('should enqueue nothing twice when appendCaseEvents is retried', async () => {
    const caseNo = await openCase();
    await assignedRow(caseNo); // the case row exists (events reference it)
    const activities = createLifecycleActivities({ dataSource: app.get(DataSource) });
    const at = new Date().toISOString();
    // A whistle round's stream this case never uses: a department that did not report, and a result reminder.
    const input = {
      caseNo,
      stream: 'whistle-9',
      firstSeq: 1,
      events: [
        { type: 'escalated', at, detail: { departmentId: 'dept-housing', committeeId: 'cc-d-donghu', reason: 'x' } },
        {
          type: 'reminder',
          at,
          detail: { kind: 'whistle-result', due: at, departmentIds: ['dept-housing', 'dept-ecology'] },
        },
      ],
    };
    await activities.appendCaseEvents(input);
    await activities.appendCaseEvents(input);
    await Promise.all([activities.appendCaseEvents(input), activities.appendCaseEvents(input)]);

    const keys = (await outboxRows(caseNo))
      .map((candidate) => candidate.event_key)
      .filter((key) => key.includes('/whistle-9/'))
      .sort();
    expect(keys).toEqual([
      `${caseNo}/whistle-9/1/escalated/cc-d-donghu`,
      `${caseNo}/whistle-9/2/reminder/dept-ecology`,
      `${caseNo}/whistle-9/2/reminder/dept-housing`,
    ]);
    const events = await pg.query(
      `SELECT count(*)::int AS n FROM case_events WHERE case_no = $1 AND stream = 'whistle-9'`,
      [caseNo],
    );
    expect(events.rows).toEqual([{ n: 2 }]);
  });

  it("should push an event to a handler of the unit when the unit's notification is delivered, and to no one else", async () => {
    const mine = await openStream(await tokenFor(app, handlerOf('s-hubin')));
    const other = await openStream(await tokenFor(app, handlerOf('dept-market-regulation')));
    expect(mine.response.statusCode).toBe(200);
    expect(mine.response.headers['content-type']).toMatch(/^text\/event-stream/);
    await eventually(async () => expect(mine.events[0]).toEqual({ type: 'ready', data: '{"unitId":"s-hubin"}' }));

    const caseNo = await openCase();
    const assigned = await assignedRow(caseNo);
    await park(assigned.id);
    await dispatcher.poll(after(0));

    // The unit's tasks changing (the case's sign task) also pushes an event; the delivered notification pushes its own.
    await eventually(async () =>
      expect(
        mine.events.some(
          (event) => event.type === 'inbox' && event.data.includes(caseNo) && event.data.includes('"reason":"tasks"'),
        ),
      ).toBe(true),
    );
    const pushed = await eventually(async () => {
      const found = mine.events.find(
        (event) =>
          event.type === 'inbox' && event.data.includes(caseNo) && event.data.includes('"reason":"notification"'),
      );
      if (!found) throw new Error(`no inbox event for ${caseNo} yet: ${JSON.stringify(mine.events)}`);
      return found;
    });
    expect(JSON.parse(pushed.data)).toEqual({
      unitId: 's-hubin',
      reason: 'notification',
      kind: 'assigned',
      caseNo,
      at: expect.any(String),
    });
    await eventually(async () => expect(mine.events.some((event) => event.type === 'heartbeat')).toBe(true));
    expect(other.events[0]).toEqual({ type: 'ready', data: '{"unitId":"dept-market-regulation"}' });
    expect(other.events.filter((event) => event.data.includes(caseNo))).toEqual([]);
  });

  it('should refuse the inbox-events stream without a valid token', async () => {
    const anonymous = await request(app.getHttpServer()).get('/api/v1/me/inbox-events').expect(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    await request(app.getHttpServer()).get('/api/v1/me/inbox-events').set(bearer('not-a-token')).expect(401);
  });

  /** Opens `GET /api/v1/me/inbox-events` with a raw HTTP request and parses events as they arrive. */
  function openStream(token: string): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      let opened = false;
      const req = get(`${baseUrl}/api/v1/me/inbox-events`, { headers: bearer(token) }, (response) => {
        opened = true;
        const stream: EventStream = { response, events: [], close: () => req.destroy() };
        streams.push(stream);
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = block.split('\n');
            const type = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
            const data = lines
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice('data: '.length))
              .join('\n');
            if (type) stream.events.push({ type, data });
          }
        });
        response.on('error', () => undefined);
        resolve(stream);
      });
      // Closing the stream at the end destroys the request: an error only before it opened is a failure.
      req.on('error', (error) => {
        if (!opened) reject(error);
      });
    });
  }
});
