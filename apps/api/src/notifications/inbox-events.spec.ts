import { MessageEvent } from '@nestjs/common';
import { firstValueFrom, Subscription, take, toArray } from 'rxjs';
import { INBOX_CHANNEL } from '../../../../libs/domain/src/lifecycle/notifications';
import { InboxEvents, parseInboxChange } from './inbox-events';
import { NOTIFICATION_DEFAULTS, NotificationSettings } from './notification.settings';
import type { PgListener } from './pg-listener';

/** A listener that records registrations, so a test can play NOTIFYs and reconnections. */
function fakeListener() {
  const handlers = new Map<string, (payload: string) => void>();
  const reconnects: Array<() => void> = [];
  const listener = {
    listen: (channel: string, handler: (payload: string) => void) => handlers.set(channel, handler),
    onReconnect: (callback: () => void) => reconnects.push(callback),
  } as unknown as PgListener;
  return {
    listener,
    notify: (payload: object | string) =>
      handlers.get(INBOX_CHANNEL)?.(typeof payload === 'string' ? payload : JSON.stringify(payload)),
    reconnect: () => reconnects.forEach((callback) => callback()),
  };
}

const settings = (heartbeatMs = 60_000): NotificationSettings => ({
  ...NOTIFICATION_DEFAULTS,
  heartbeatMs,
  pollIntervalMs: 0,
  databaseUrl: 'postgres://x',
});

describe('InboxEvents', () => {
  const at = '2026-11-23T01:00:00.000Z';
  const subscriptions: Subscription[] = [];
  afterEach(() => subscriptions.splice(0).forEach((subscription) => subscription.unsubscribe()));

  function collect(events: InboxEvents, unitId: string): MessageEvent[] {
    const seen: MessageEvent[] = [];
    subscriptions.push(events.stream(unitId).subscribe((event) => seen.push(event)));
    return seen;
  }

  it("should open with ready, then pass on the unit's own changes only", () => {
    const { listener, notify } = fakeListener();
    const events = new InboxEvents(listener, settings());
    const street = collect(events, 's-1');
    const department = collect(events, 'dept-a');
    notify({ unitId: 's-1', reason: 'notification', kind: 'assigned', caseNo: 'C1', at });
    notify({ unitId: 'dept-b', reason: 'tasks', at });
    expect(street).toEqual([
      { type: 'ready', data: { unitId: 's-1' }, retry: 3000 },
      { type: 'inbox', data: { unitId: 's-1', reason: 'notification', kind: 'assigned', caseNo: 'C1', at } },
    ]);
    expect(department).toEqual([{ type: 'ready', data: { unitId: 'dept-a' }, retry: 3000 }]);
  });

  it('should tell every open stream to reload when the LISTEN connection comes back', () => {
    const { listener, reconnect } = fakeListener();
    const events = new InboxEvents(listener, settings());
    const street = collect(events, 's-1');
    reconnect();
    expect(street.map((event) => [event.type, (event.data as { reason?: string }).reason])).toEqual([
      ['ready', undefined],
      ['inbox', 'resync'],
    ]);
  });

  it('should send heartbeats while idle and complete when the application stops', async () => {
    const { listener } = fakeListener();
    const events = new InboxEvents(listener, settings(10));
    const firstThree = firstValueFrom(events.stream('s-1').pipe(take(3), toArray()));
    expect((await firstThree).map((event) => event.type)).toEqual(['ready', 'heartbeat', 'heartbeat']);
    const all = firstValueFrom(events.stream('s-1').pipe(toArray()));
    events.onModuleDestroy();
    expect((await all).map((event) => event.type)).toEqual(['ready']);
  });

  it('should forget a unit once its last stream closes', () => {
    const { listener, notify } = fakeListener();
    const events = new InboxEvents(listener, settings());
    const seen: unknown[] = [];
    const subscription = events.changes('s-1').subscribe((change) => seen.push(change));
    subscription.unsubscribe();
    notify({ unitId: 's-1', reason: 'tasks', at });
    expect(seen).toEqual([]);
    expect((events as unknown as { units: Map<string, unknown> }).units.size).toBe(0);
  });
});

describe('parseInboxChange', () => {
  it.each<[string, string, unknown]>([
    [
      'a delivered notification',
      '{"unitId":"s-1","reason":"notification","kind":"assigned","caseNo":"C1","at":"2026-11-23T01:00:00.000Z"}',
      { unitId: 's-1', reason: 'notification', kind: 'assigned', caseNo: 'C1', at: '2026-11-23T01:00:00.000Z' },
    ],
    [
      'a task change without a kind',
      '{"unitId":"s-1","reason":"tasks","at":"x"}',
      { unitId: 's-1', reason: 'tasks', at: 'x' },
    ],
    [
      'an unknown kind dropped',
      '{"unitId":"s-1","reason":"tasks","kind":"spam","at":"x"}',
      { unitId: 's-1', reason: 'tasks', at: 'x' },
    ],
    ['no JSON', 'hello', undefined],
    ['no unit', '{"reason":"tasks"}', undefined],
    ['an unknown reason', '{"unitId":"s-1","reason":"gossip"}', undefined],
    ['a JSON scalar', '42', undefined],
  ])('should read %s', (_title, payload, expected) => {
    expect(parseInboxChange(payload)).toEqual(expected);
  });
});
