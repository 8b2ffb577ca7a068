import type { LifecycleEvent } from './lifecycle.types';

/** What a unit is told about; the `outbox.kind` values (a CHECK in the migration). */
export const NOTIFICATION_KINDS = ['assigned', 'reminder', 'overdue', 'escalated', 'returned', 'whistled'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * What a notification carries besides its kind, case and unit: operational facts only. Never citizen personal
 * data, and never the free text of an action (a return's reason, a coordinator's instruction, a whistle's reason),
 * which a handler may have written a name or a phone number into. The console reads the case for the rest.
 */
export interface NotificationPayload {
  /** The domain event it comes from: its type, instant, stream (`case` or `whistle-<n>`) and number in it. */
  event: string;
  at: string;
  stream: string;
  seq: number;
  /** `assigned`: whether the unit leads the case or takes part as a co-unit. */
  role?: 'lead' | 'co';
  /** `reminder` / `overdue`: which deadline (sign, contact, handle, whistle-report, …) and when it falls due. */
  deadline?: string;
  due?: string;
  /**
   * `escalated`: the ladder's level (`accountability` for the accountability body); `overdue` after the first step:
   * the supervision level.
   */
  level?: string;
  /** Whistle rounds: the department concerned (escalated, reminders and overdue results of a round). */
  departmentId?: string;
  /** `returned`: the unit that returned the case. */
  fromUnitId?: string;
  /** `whistled` and whistle-round notifications: the round, and its grade (blue / yellow / red). */
  round?: number;
  grade?: string;
}

/** One notification to enqueue: a row of `outbox`. */
export interface CaseNotification {
  /**
   * `<caseNo>/<stream>/<seq>/<kind>/<unitId>`: unique per event and recipient, so a retried append enqueues nothing
   * twice (`ON CONFLICT (event_key) DO NOTHING`). The unit is part of it because one event may tell several units
   * (a dispatch with co-units, a whistle to three departments).
   */
  eventKey: string;
  kind: NotificationKind;
  caseNo: string;
  unitId: string;
  payload: NotificationPayload;
}

/** A domain event with its place in the case's streams, as `appendCaseEvents` numbers it. */
export interface SequencedEvent {
  caseNo: string;
  /** `case` for the case workflow, `whistle-<n>` for whistle round n. */
  stream: string;
  seq: number;
  event: LifecycleEvent;
}

/**
 * The notifications a domain event causes (zero or more; at most one per kind and unit), from the event alone:
 *
 * | stream | event | notification → unit |
 * | --- | --- | --- |
 * | case | `dispatched` (also after a re-dispatch) | `assigned` → the lead unit, and each co-unit |
 * | case | `coordinated` handing the case over | `assigned` → the unit it is handed to |
 * | case | `rehandling` (citizen dissatisfied) | `assigned` → the lead unit, which handles it again |
 * | case | `reminder` (80 % of a deadline) | `reminder` → the responsible unit |
 * | case | `overdue`, `overdue-reminder`, `supervision-raised` | `overdue` → the responsible unit |
 * | case | `escalated` to a committee | `escalated` → the committee (city supervision has none: nothing) |
 * | case | `accountability-escalated` naming a body | `escalated` (level `accountability`) → the body, e.g. the discipline office |
 * | case | `audit-sampled` (sampled) | `assigned` → the service centre `centreUnitId`, which calls the citizen back again |
 * | case | `returned` | `returned` → the service centre `centreUnitId`, which re-dispatches or arbitrates |
 * | case | `whistled` | `whistled` → each summoned department |
 * | whistle-n | `reminder` | `reminder` → the department (report) or each outstanding department (result) |
 * | whistle-n | `overdue` | `overdue` → the department |
 * | whistle-n | `escalated` (a department did not report) | `escalated` → the district committee |
 *
 * Every other event (including the round's own `whistled`, which the case stream already announced) causes none,
 * and so does an event that names no unit. Copy units (a district supervising a street) are not notified.
 */
export function notificationsOf(source: SequencedEvent, centreUnitId: string): CaseNotification[] {
  const { caseNo, stream, seq, event } = source;
  const detail = event.detail;
  const base: NotificationPayload = { event: event.type, at: event.at, stream, seq };
  const round = whistleRoundOf(stream);
  const out: CaseNotification[] = [];
  const add = (kind: NotificationKind, unitId: unknown, extra: Partial<NotificationPayload> = {}) => {
    if (typeof unitId !== 'string' || unitId === '') return;
    const eventKey = `${caseNo}/${stream}/${seq}/${kind}/${unitId}`;
    if (out.some((n) => n.eventKey === eventKey)) return;
    out.push({ eventKey, kind, caseNo, unitId, payload: { ...base, ...defined(extra) } });
  };
  const deadline = { deadline: text(detail.kind), due: text(detail.due) };

  if (round === undefined) {
    switch (event.type) {
      case 'dispatched':
        add('assigned', detail.leadUnitId, { role: 'lead' });
        for (const unitId of texts(detail.coUnitIds)) add('assigned', unitId, { role: 'co' });
        break;
      case 'coordinated':
        add('assigned', detail.reassignedTo, { role: 'lead', level: text(detail.level) });
        break;
      case 'rehandling':
        add('assigned', detail.unitId, { role: 'lead' });
        break;
      case 'reminder':
        add('reminder', detail.unitId, deadline);
        break;
      case 'overdue':
        add('overdue', detail.unitId, deadline);
        break;
      case 'overdue-reminder':
        add('overdue', detail.unitId);
        break;
      case 'supervision-raised':
        add('overdue', detail.unitId, { level: text(detail.level) });
        break;
      case 'escalated':
        add('escalated', detail.unitId, { level: text(detail.level) });
        break;
      case 'accountability-escalated':
        // Cases pinned before the accountability step name no body: nobody is told, as before.
        add('escalated', detail.accountabilityUnitId, { level: 'accountability' });
        break;
      case 'audit-sampled':
        if (detail.sampled === true) add('assigned', centreUnitId);
        break;
      case 'returned':
        add('returned', centreUnitId, { fromUnitId: text(detail.unitId) });
        break;
      case 'whistled':
        for (const unitId of texts(detail.departmentIds)) {
          add('whistled', unitId, { round: number(detail.round), grade: text(detail.grade) });
        }
        break;
    }
    return out;
  }

  switch (event.type) {
    case 'reminder':
      // The report deadline names its department; the result deadline the departments still owing a result.
      for (const unitId of [detail.departmentId, ...texts(detail.departmentIds)])
        add('reminder', unitId, { ...deadline, round });
      break;
    case 'overdue':
      add('overdue', detail.departmentId, { ...deadline, round });
      break;
    case 'escalated':
      add('escalated', detail.committeeId, { departmentId: text(detail.departmentId), round });
      break;
  }
  return out;
}

/** The round number of a `whistle-<n>` stream; undefined for the case's own stream. */
function whistleRoundOf(stream: string): number | undefined {
  const match = /^whistle-(\d+)$/.exec(stream);
  return match ? Number(match[1]) : undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Drops undefined fields, so payloads compare and serialise without them. */
function defined(extra: Partial<NotificationPayload>): Partial<NotificationPayload> {
  return Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined));
}

/**
 * PostgreSQL NOTIFY channels (wire names shared by the worker and every API instance: never rename).
 * - {@link OUTBOX_CHANNEL}: "the outbox has new rows", sent by `appendCaseEvents` in its transaction; wakes the
 *   dispatchers so delivery does not wait for the next poll. No payload.
 * - {@link INBOX_CHANNEL}: "a unit's inbox changed", one {@link InboxChange} as JSON; every API instance listens and
 *   tells its own `GET /api/v1/me/inbox-events` streams of that unit.
 */
export const OUTBOX_CHANNEL = 'shaosheng_outbox';
export const INBOX_CHANNEL = 'shaosheng_inbox';

/**
 * A change of a unit's inbox, as the inbox-events stream sends it: a notification for the unit was delivered
 * (`notification`, with its kind and case), its tasks changed (`tasks`), or the server may have missed changes and
 * the console should reload (`resync`).
 */
export interface InboxChange {
  unitId: string;
  reason: 'notification' | 'tasks' | 'resync';
  kind?: NotificationKind;
  caseNo?: string;
  at: string;
}
