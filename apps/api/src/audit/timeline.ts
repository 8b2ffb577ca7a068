import type { AuditRow } from '../../../../libs/persistence/src/audit';
import type { HistorySummary, HistoryUpdate } from './temporal-history';

/** One line of a case's timeline: an audit entry (with the Temporal event it came from), or a history event. */
export interface TimelineRow {
  /** ISO instant. */
  time: string;
  /** User id (`system` for the engine; null for Temporal events with no actor). */
  actor: string | null;
  role: string | null;
  unit: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** `field: before → after; …` for the fields that changed, or the after values; null when nothing changed. */
  change: string | null;
  reason: string | null;
  /** The Temporal history event: the Update's acceptance for a person's action, else the activity or event itself. */
  temporalEventId: number | null;
  temporalEventType: string | null;
  /** The workflow whose history holds it: `case-<caseNo>` or a whistle round `case-<caseNo>-whistle-<n>`. */
  workflowId: string | null;
  /** `audit-log`: an entry of our audit log; `temporal`: only in Temporal's history. */
  source: 'audit-log' | 'temporal';
  auditId?: string;
  eventRef?: string;
  updateId?: string;
}

/** How far apart (ms) an action without an Update id and a person's Update of the same user may be to be paired. */
const PAIRING_WINDOW_MS = 60_000;

/** The workflow an audit row's event came from, by its reference `<caseNo>/<stream>/<seq>`. */
export function workflowOfRow(row: AuditRow): string | null {
  if (!row.caseNo) return null;
  const stream = row.eventRef?.split('/')[1];
  if (!stream || stream === 'case') return `case-${row.caseNo}`;
  return `case-${row.caseNo}-${stream}`;
}

/** `field: before → after; …` (or `field: after` when there was no value before); null when there is nothing. */
export function describeChange(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): string | null {
  if (!after && !before) return null;
  const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys
    .map((key) => {
      const hadBefore = before !== null && key in before;
      const hasAfter = after !== null && key in after;
      if (hadBefore && hasAfter) return `${key}: ${show(before[key])} → ${show(after[key])}`;
      return hasAfter ? `${key}: ${show(after[key])}` : `${key}: ${show(before?.[key])} → (none)`;
    })
    .join('; ');
}

/**
 * Merges a case's audit entries with the histories Temporal still has of its workflows, in time order:
 * - an entry caused by an Update gets the Update's acceptance event (by Update id; a whistle round's entries, whose
 *   events carry no Update id, by the same user's Update nearest in time);
 * - any other entry gets the `appendCaseEvents` activity that carried its event;
 * - Updates no entry names, and the notable history events (started, signals, timers fired, failures, children,
 *   the end), are rows of their own (`source: temporal`).
 * Pure.
 */
export function buildTimeline(rows: readonly AuditRow[], histories: readonly HistorySummary[]): TimelineRow[] {
  const byWorkflow = new Map(histories.map((history) => [history.workflowId, history]));
  const used = new Set<HistoryUpdate>();
  const timeline: TimelineRow[] = rows.map((row) => {
    const workflowId = workflowOfRow(row);
    const history = workflowId ? byWorkflow.get(workflowId) : undefined;
    const update = history ? updateOf(row, history) : undefined;
    if (update) used.add(update);
    const appended = !update && row.eventRef ? history?.appendedBy.get(row.eventRef) : undefined;
    return {
      time: row.at,
      actor: row.actor.userId,
      role: row.actor.role,
      unit: row.actor.unitId,
      action: row.action,
      before: row.before,
      after: row.after,
      change: describeChange(row.before, row.after),
      reason: row.reason,
      temporalEventId: update?.acceptedEventId ?? appended?.eventId ?? null,
      temporalEventType: update ? 'WorkflowExecutionUpdateAccepted' : appended ? 'ActivityTaskScheduled' : null,
      workflowId,
      source: 'audit-log',
      auditId: row.id,
      ...(row.eventRef ? { eventRef: row.eventRef } : {}),
      ...((row.updateId ?? update?.updateId) ? { updateId: row.updateId ?? update?.updateId } : {}),
    };
  });
  for (const history of histories) {
    for (const update of history.updates.values()) {
      if (used.has(update)) continue;
      timeline.push({
        time: update.acceptedAt,
        actor: update.actor?.userId ?? null,
        role: update.actor?.role ?? null,
        unit: update.actor?.unitId ?? null,
        action: `update:${update.name}`,
        before: null,
        after: update.failure ? { failure: update.failure } : null,
        change: update.failure ? `failure: ${update.failure}` : null,
        reason: null,
        temporalEventId: update.acceptedEventId,
        temporalEventType: 'WorkflowExecutionUpdateAccepted',
        workflowId: history.workflowId,
        source: 'temporal',
        updateId: update.updateId,
      });
    }
    for (const note of history.notes) {
      const detail = Object.keys(note.detail).length ? note.detail : null;
      timeline.push({
        time: note.at,
        actor: note.identity ?? null,
        role: null,
        unit: null,
        action: note.action,
        before: null,
        after: detail,
        change: describeChange(null, detail),
        reason: null,
        temporalEventId: note.eventId,
        temporalEventType: note.eventType,
        workflowId: history.workflowId,
        source: 'temporal',
      });
    }
  }
  return timeline.sort(
    (a, b) =>
      Date.parse(a.time) - Date.parse(b.time) ||
      (a.source === b.source ? 0 : a.source === 'temporal' ? -1 : 1) ||
      Number(a.auditId ?? 0) - Number(b.auditId ?? 0) ||
      (a.temporalEventId ?? 0) - (b.temporalEventId ?? 0),
  );
}

/** The Update that caused an audit row: by Update id, or (a person's row without one) the same user's nearest. */
function updateOf(row: AuditRow, history: HistorySummary): HistoryUpdate | undefined {
  if (row.updateId) return history.updates.get(row.updateId);
  if (row.actor.role === 'system') return undefined;
  let best: { update: HistoryUpdate; distance: number } | undefined;
  for (const update of history.updates.values()) {
    if (update.actor?.userId !== row.actor.userId) continue;
    const distance = Math.abs(Date.parse(update.acceptedAt) - Date.parse(row.at));
    if (distance <= PAIRING_WINDOW_MS && (!best || distance < best.distance)) best = { update, distance };
  }
  return best?.update;
}

/** The timeline's CSV columns, in order. */
export const TIMELINE_CSV_COLUMNS: readonly (keyof TimelineRow | 'before_json' | 'after_json')[] = [
  'time',
  'actor',
  'role',
  'unit',
  'action',
  'change',
  'reason',
  'temporalEventId',
  'temporalEventType',
  'workflowId',
  'source',
  'auditId',
  'eventRef',
  'updateId',
  'before_json',
  'after_json',
];

/** A timeline row as CSV cells, in {@link TIMELINE_CSV_COLUMNS} order. */
export function timelineCsvCells(row: TimelineRow): unknown[] {
  return TIMELINE_CSV_COLUMNS.map((column) => {
    if (column === 'before_json') return row.before ? JSON.stringify(row.before) : null;
    if (column === 'after_json') return row.after ? JSON.stringify(row.after) : null;
    return row[column];
  });
}
