import type { LifecycleEvent } from '../../../domain/src/lifecycle/lifecycle.types';
import { AuditEntry, SYSTEM_ACTOR } from './audit.types';

/** A batch of a case's domain events as `appendCaseEvents` receives it. */
export interface CaseEventBatch {
  caseNo: string;
  /** `case`, or `whistle-<n>` for whistle round n. */
  stream: string;
  firstSeq: number;
  events: readonly LifecycleEvent[];
}

/** `<caseNo>/<stream>/<seq>`: the domain event an audit entry mirrors (unique in the log). */
export function caseEventRef(caseNo: string, stream: string, seq: number): string {
  return `${caseNo}/${stream}/${seq}`;
}

type Change = { after?: Record<string, unknown>; reason?: string };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * What each case-stream event changed, as `after` (state fields the writer pairs with their previous values, and
 * the facts of the action) and the reason, instruction or note given. Events not listed keep their detail as `after`
 * and a `reason` member as the reason.
 */
const CASE_CHANGES: Record<string, (detail: Record<string, unknown>) => Change> = {
  dispatched: (d) => ({
    after: {
      phase: 'awaiting-sign',
      leadUnitId: d.leadUnitId,
      responsibleUnitId: d.leadUnitId,
      escalationLevel: 'none',
      coUnitIds: d.coUnitIds,
      copyUnitIds: d.copyUnitIds,
      ...(d.arbitrated ? { arbitrated: true } : {}),
    },
  }),
  signed: () => ({ after: { phase: 'handling' } }),
  returned: (d) => ({ after: { phase: 'awaiting-dispatch', returnedBy: d.unitId }, reason: text(d.reason) }),
  'redispatch-decided': (d) => ({ after: { arbitrated: d.arbitrated }, reason: text(d.reason) }),
  contacted: (d) => ({ after: { contacted: true }, reason: text(d.note) }),
  'extension-requested': (d) => ({ after: { extensionPending: d.workingDays }, reason: text(d.reason) }),
  'extension-approved': (d) => ({
    after: { extensionPending: null, extensionWorkingDays: d.workingDays, citizenNotified: d.citizenNotified },
    reason: text(d.reason),
  }),
  'extension-refused': (d) => ({
    after: { extensionPending: null, citizenNotified: d.citizenNotified },
    reason: text(d.reason),
  }),
  replied: (d) => ({ after: { phase: 'in-review', replyResult: d.result } }),
  'reply-accepted': (d) => ({ after: { phase: 'awaiting-callback' }, reason: text(d.reason) }),
  'reply-sent-back': (d) => ({ after: { phase: 'handling' }, reason: text(d.reason) }),
  'callback-unreached': (d) => ({ after: { callbackAttempt: d.attempt } }),
  'called-back': (d) => ({ after: { solved: d.solved, satisfaction: d.satisfaction } }),
  rehandling: (d) => ({ after: { phase: 'handling', escalationLevel: 'none', rehandling: d.round } }),
  'accountability-escalated': (d) => ({
    after: d.accountabilityUnitId
      ? { phase: 'accountability', accountability: d.to, responsibleUnitId: d.accountabilityUnitId }
      : { accountability: d.to },
  }),
  'accountability-decided': (d) => ({ after: { responsible: d.responsible }, reason: text(d.decision) }),
  'audit-called-back': (d) => ({
    after: { auditSolved: d.solved, auditSatisfaction: d.satisfaction, contradicts: d.contradicts },
    reason: text(d.note),
  }),
  'audit-flagged': (d) => ({ after: { auditFlagged: true, flagEffect: d.effect } }),
  escalated: (d) => ({
    after: {
      escalationLevel: d.level,
      responsibleUnitId: d.unitId ?? null,
      ...(d.supervision ? { supervision: d.supervision } : {}),
    },
    reason: text(d.reason),
  }),
  suspended: (d) => ({ after: { suspended: true, stoppedDeadlines: d.stopped }, reason: text(d.reason) }),
  resumed: (d) => ({ after: { suspended: false }, reason: text(d.reason) }),
  coordinated: (d) => ({
    after: d.reassignedTo
      ? { phase: 'awaiting-sign', leadUnitId: d.reassignedTo, committeeLevel: d.level }
      : { committeeLevel: d.level },
    reason: text(d.instruction),
  }),
  whistled: (d) => ({
    after: { whistleRound: d.round, departmentIds: d.departmentIds, grade: d.grade },
    reason: text(d.reason),
  }),
  overdue: (d) => ({ after: { overdue: true, deadline: d.kind, due: d.due, unitId: d.unitId } }),
  'supervision-raised': (d) => ({ after: { supervision: d.level, unitId: d.unitId } }),
  'rules-migrated': (d) => ({
    after: { rulesVersion: d.toVersion, recomputed: d.recomputed },
    reason: text(d.reason),
  }),
  'repeat-contact': (d) => ({ after: { ...d } }),
  closed: (d) => ({ after: { phase: 'closed', outcome: d.outcome, flagged: d.flagged } }),
};

const REASON_MEMBERS = ['reason', 'instruction', 'note', 'comment'] as const;

/** An event's detail as `after`, with its reason-like member (reason, instruction, note or comment) as the reason. */
function detailChange(detail: Record<string, unknown>): Change {
  const member = REASON_MEMBERS.find((name) => text(detail[name]) !== undefined);
  if (!member) return { after: { ...detail } };
  const after = { ...detail };
  delete after[member];
  return { after, reason: detail[member] as string };
}

/**
 * One audit entry per domain event of the batch: the actor of a human event (user, role, unit), `system` otherwise;
 * the action (the event type; `whistle-round.<type>` for a whistle round's events, whose subject is the round);
 * before → after where the event carries a change; the reason; `<caseNo>/<stream>/<seq>` as event reference and
 * the Temporal Update id when the event has one. Pure.
 */
export function auditEntriesOfCaseEvents(batch: CaseEventBatch): AuditEntry[] {
  const whistle = /^whistle-(\d+)$/.exec(batch.stream);
  return batch.events.map((event, i) => {
    const detail = event.detail ?? {};
    const change = whistle ? detailChange(detail) : (CASE_CHANGES[event.type]?.(detail) ?? detailChange(detail));
    const actor = event.actor
      ? { userId: event.actor.userId, role: event.actor.role, unitId: event.actor.unitId ?? null }
      : SYSTEM_ACTOR;
    return {
      at: event.at,
      actor,
      action: whistle ? `whistle-round.${event.type}` : event.type,
      subject: whistle
        ? { kind: 'whistle-round', id: `${batch.caseNo}/${whistle[1]}` }
        : { kind: 'case', id: batch.caseNo },
      caseNo: batch.caseNo,
      ...(change.after ? { after: change.after } : {}),
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      source: 'case-event',
      eventRef: caseEventRef(batch.caseNo, batch.stream, batch.firstSeq + i),
      ...(event.updateId ? { updateId: event.updateId } : {}),
    };
  });
}
