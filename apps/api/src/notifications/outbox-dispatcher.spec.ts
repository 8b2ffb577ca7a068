import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { OUTBOX_CHANNEL } from '../../../../libs/domain/src/lifecycle/notifications';
import { NotificationSender, OutboxNotification } from './notification-sender';
import { NOTIFICATION_DEFAULTS, NotificationSettings } from './notification.settings';
import { OutboxDispatcher } from './outbox-dispatcher';
import type { PgListener } from './pg-listener';

const row = (id: string, attempts = 0) => ({
  id,
  event_key: `C1/case/${id}/assigned/s-1`,
  kind: 'assigned',
  case_no: 'C1',
  unit_id: 's-1',
  payload: { event: 'dispatched', at: '2026-11-23T01:00:00.000Z', stream: 'case', seq: Number(id), role: 'lead' },
  attempts,
  created_at: new Date('2026-11-23T01:00:00.000Z'),
});

/**
 * A database that hands out `due` rows once to the first claim (as SKIP LOCKED would), records every statement,
 * and a listener whose outbox NOTIFY the test can play.
 */
function harness(due: ReturnType<typeof row>[], overrides: Partial<NotificationSettings> = {}) {
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  let pending = [...due];
  const manager = {
    query: async (sql: string, params: unknown[] = []) => {
      statements.push({ sql, params });
      if (!sql.includes('FOR UPDATE SKIP LOCKED')) return [];
      const claimed = pending.slice(0, params[1] as number);
      pending = pending.slice(claimed.length);
      return claimed;
    },
  };
  const dataSource = { transaction: jest.fn(async (work: (m: typeof manager) => unknown) => work(manager)) };
  let wake: () => void = () => undefined;
  const listener = {
    listen: (channel: string, handler: () => void) => {
      if (channel === OUTBOX_CHANNEL) wake = handler;
    },
    onReconnect: () => undefined,
  } as unknown as PgListener;
  const sent: OutboxNotification[] = [];
  const failing = new Set<string>();
  const sender: NotificationSender = {
    send: async (notification) => {
      sent.push(notification);
      if (failing.has(notification.id)) throw new Error('gateway unavailable');
    },
  };
  const settings: NotificationSettings = {
    ...NOTIFICATION_DEFAULTS,
    pollIntervalMs: 0,
    databaseUrl: 'postgres://x',
    ...overrides,
  };
  const dispatcher = new OutboxDispatcher(dataSource as unknown as DataSource, sender, settings, listener);
  return { dispatcher, statements, dataSource, sent, failing, wake: () => wake() };
}

describe('OutboxDispatcher', () => {
  // The warnings on failed sends are expected here.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('should mark a sent row delivered and announce it to its unit, and retry a failed one with backoff', async () => {
    const { dispatcher, statements, sent, failing } = harness([row('1'), row('2', 2)], { retryBaseMs: 1000 });
    failing.add('2');
    const now = new Date('2030-01-01T00:00:00.000Z');
    expect(await dispatcher.poll(now)).toEqual({ delivered: 1, failed: 1 });
    expect(sent.map((n) => [n.id, n.attempt])).toEqual([
      ['1', 1],
      ['2', 3],
    ]);
    const updates = statements.filter((s) => !s.sql.includes('FOR UPDATE SKIP LOCKED'));
    expect(updates[0]).toMatchObject({ sql: expect.stringContaining('delivered_at = now()'), params: ['1'] });
    expect(updates[1].sql).toContain('pg_notify');
    expect(JSON.parse(updates[1].params[1] as string)).toMatchObject({
      unitId: 's-1',
      reason: 'notification',
      kind: 'assigned',
      caseNo: 'C1',
    });
    // Third failure: 1 s doubled twice.
    expect(updates[2]).toMatchObject({
      sql: expect.stringContaining('next_attempt_at'),
      params: ['2', 3, 'gateway unavailable', now.toISOString(), 4000],
    });
  });

  it('should count a send that never settles as failed', async () => {
    const { dispatcher, statements } = harness([row('1')], { sendTimeoutMs: 20 });
    (dispatcher as unknown as { sender: NotificationSender }).sender = {
      send: () => new Promise<void>(() => undefined),
    };
    expect(await dispatcher.poll()).toEqual({ delivered: 0, failed: 1 });
    expect(statements.at(-1)?.params[2]).toMatch(/did not answer within 20 ms/);
  });

  it('should claim batch after batch until a short one', async () => {
    const { dispatcher, dataSource } = harness([row('1'), row('2'), row('3'), row('4'), row('5')], { batchSize: 2 });
    expect(await dispatcher.poll()).toEqual({ delivered: 5, failed: 0 });
    expect(dataSource.transaction).toHaveBeenCalledTimes(3);
  });

  it('should poll at once when new rows are signalled, not only at its interval', async () => {
    const { dispatcher, dataSource, wake } = harness([], { pollIntervalMs: 60_000 });
    dispatcher.onApplicationBootstrap();
    await waitUntil(() => dataSource.transaction.mock.calls.length === 1);
    wake();
    await waitUntil(() => dataSource.transaction.mock.calls.length === 2);
    await dispatcher.onModuleDestroy();
    wake();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(dataSource.transaction).toHaveBeenCalledTimes(2);
  });

  it('should not poll on its own when the interval is 0', async () => {
    const { dispatcher, dataSource, wake } = harness([]);
    dispatcher.onApplicationBootstrap();
    wake();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(dataSource.transaction).not.toHaveBeenCalled();
    await dispatcher.onModuleDestroy();
  });
});

async function waitUntil(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition never met');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
