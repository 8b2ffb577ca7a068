import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

/** An Update as the history shows it: accepted (with its request), then completed or failed. */
export interface HistoryUpdate {
  updateId: string;
  /** The Update's wire name, e.g. `signCase`, `reportWhistle`. */
  name: string;
  acceptedEventId: number;
  acceptedAt: string;
  completedEventId?: number;
  /** The failure message when the Update's handler failed. */
  failure?: string;
  /** The client identity that sent it (the API process), as Temporal recorded it. */
  identity?: string;
  /** Who the request says acted (`actor` of a case or whistle action); Temporal took it from the client. */
  actor?: { userId?: string; role?: string; unitId?: string };
  /** The action's type (`sign`, `report`, …). */
  actionType?: string;
}

/** A history event an auditor should see besides Updates: start and end, signals, timers, failures, children. */
export interface HistoryNote {
  eventId: number;
  at: string;
  /** The event type in Temporal's words, e.g. `TimerFired`. */
  eventType: string;
  /** Our short name: `workflow-started`, `signal`, `timer-fired`, `activity-failed`, `child-started`, … */
  action: string;
  detail: Record<string, unknown>;
  identity?: string;
}

/** What one workflow's history tells the timeline. */
export interface HistorySummary {
  workflowId: string;
  updates: Map<string, HistoryUpdate>;
  /** `<caseNo>/<stream>/<seq>` → the `appendCaseEvents` activity that carried the domain event (scheduled event). */
  appendedBy: Map<string, { eventId: number; at: string }>;
  notes: HistoryNote[];
  /** Workflow ids of the children the workflow started (whistle rounds). */
  children: string[];
}

const toNumber = (value: unknown): number => Number(String(value ?? 0));

function timeOf(event: HistoryEvent): string {
  const seconds = toNumber(event.eventTime?.seconds);
  const nanos = event.eventTime?.nanos ?? 0;
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();
}

/** `EVENT_TYPE_WORKFLOW_EXECUTION_STARTED` → `WorkflowExecutionStarted`. */
export function eventTypeName(event: HistoryEvent): string {
  const raw = temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? `EventType${String(event.eventType)}`;
  return raw
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_match, _sep, letter: string) => letter.toUpperCase());
}

/** The first argument of an Update or activity, decoded with the default converter; undefined if it cannot be. */
function firstArg(payloads: Payloads): unknown {
  const payload = payloads?.payloads?.[0];
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined;
  }
}

const failureMessage = (failure: temporal.api.failure.v1.IFailure | null | undefined): string | undefined =>
  failure ? (failure.message ?? 'failed') : undefined;

/**
 * Reads a case or whistle-round workflow's history: its Updates (by Update id, with the request's actor and action),
 * which `appendCaseEvents` activity carried each domain event, and the events worth a line of their own (started,
 * signals, timers fired, activity and workflow-task failures, children, the end). Pure.
 */
export function summarizeHistory(workflowId: string, events: readonly HistoryEvent[]): HistorySummary {
  const summary: HistorySummary = { workflowId, updates: new Map(), appendedBy: new Map(), notes: [], children: [] };
  const activityTypes = new Map<number, string>();
  const note = (event: HistoryEvent, action: string, detail: Record<string, unknown>, identity?: string | null) =>
    summary.notes.push({
      eventId: toNumber(event.eventId),
      at: timeOf(event),
      eventType: eventTypeName(event),
      action,
      detail,
      ...(identity ? { identity } : {}),
    });

  for (const event of events) {
    const eventId = toNumber(event.eventId);
    const started = event.workflowExecutionStartedEventAttributes;
    if (started) {
      note(
        event,
        'workflow-started',
        {
          workflowType: started.workflowType?.name,
          taskQueue: started.taskQueue?.name,
          ...(started.parentWorkflowExecution?.workflowId
            ? { parent: started.parentWorkflowExecution.workflowId }
            : {}),
        },
        started.identity,
      );
      continue;
    }
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      const request = accepted.acceptedRequest;
      const updateId = request?.meta?.updateId ?? accepted.protocolInstanceId ?? '';
      const arg = firstArg(request?.input?.args) as { actor?: HistoryUpdate['actor']; action?: { type?: string } };
      summary.updates.set(updateId, {
        updateId,
        name: request?.input?.name ?? '',
        acceptedEventId: eventId,
        acceptedAt: timeOf(event),
        ...(request?.meta?.identity ? { identity: request.meta.identity } : {}),
        ...(arg?.actor ? { actor: arg.actor } : {}),
        ...(arg?.action?.type ? { actionType: arg.action.type } : {}),
      });
      continue;
    }
    const completed = event.workflowExecutionUpdateCompletedEventAttributes;
    if (completed) {
      const update = summary.updates.get(completed.meta?.updateId ?? '');
      if (update) {
        update.completedEventId = eventId;
        const failure = failureMessage(completed.outcome?.failure);
        if (failure) update.failure = failure;
      }
      continue;
    }
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? '';
      activityTypes.set(eventId, type);
      if (type === 'appendCaseEvents') {
        const input = firstArg(scheduled.input) as
          | { caseNo?: string; stream?: string; firstSeq?: number; events?: unknown[] }
          | undefined;
        if (input?.caseNo && typeof input.firstSeq === 'number' && Array.isArray(input.events)) {
          for (let i = 0; i < input.events.length; i += 1) {
            const ref = `${input.caseNo}/${input.stream ?? 'case'}/${input.firstSeq + i}`;
            summary.appendedBy.set(ref, { eventId, at: timeOf(event) });
          }
        }
      }
      continue;
    }
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal) {
      note(event, 'signal', { signalName: signal.signalName }, signal.identity);
      continue;
    }
    const timer = event.timerFiredEventAttributes;
    if (timer) {
      note(event, 'timer-fired', { timerId: timer.timerId, startedEventId: toNumber(timer.startedEventId) });
      continue;
    }
    const failed = event.activityTaskFailedEventAttributes;
    if (failed) {
      note(event, 'activity-failed', {
        activityType: activityTypes.get(toNumber(failed.scheduledEventId)),
        message: failureMessage(failed.failure),
      });
      continue;
    }
    const timedOut = event.activityTaskTimedOutEventAttributes;
    if (timedOut) {
      note(event, 'activity-timed-out', { activityType: activityTypes.get(toNumber(timedOut.scheduledEventId)) });
      continue;
    }
    const taskFailed = event.workflowTaskFailedEventAttributes;
    if (taskFailed) {
      note(event, 'workflow-task-failed', { message: failureMessage(taskFailed.failure) }, taskFailed.identity);
      continue;
    }
    const child = event.childWorkflowExecutionStartedEventAttributes;
    if (child) {
      const id = child.workflowExecution?.workflowId ?? '';
      summary.children.push(id);
      note(event, 'child-started', { workflowId: id, workflowType: child.workflowType?.name });
      continue;
    }
    const childEnded =
      (event.childWorkflowExecutionCompletedEventAttributes && 'child-completed') ||
      (event.childWorkflowExecutionFailedEventAttributes && 'child-failed') ||
      (event.childWorkflowExecutionTerminatedEventAttributes && 'child-terminated') ||
      (event.childWorkflowExecutionTimedOutEventAttributes && 'child-timed-out') ||
      (event.childWorkflowExecutionCanceledEventAttributes && 'child-canceled');
    if (childEnded) {
      const attributes =
        event.childWorkflowExecutionCompletedEventAttributes ??
        event.childWorkflowExecutionFailedEventAttributes ??
        event.childWorkflowExecutionTerminatedEventAttributes ??
        event.childWorkflowExecutionTimedOutEventAttributes ??
        event.childWorkflowExecutionCanceledEventAttributes;
      note(event, childEnded, { workflowId: attributes?.workflowExecution?.workflowId });
      continue;
    }
    const terminated = event.workflowExecutionTerminatedEventAttributes;
    if (terminated) {
      note(event, 'workflow-terminated', { reason: terminated.reason }, terminated.identity);
      continue;
    }
    const ended =
      (event.workflowExecutionCompletedEventAttributes && 'workflow-completed') ||
      (event.workflowExecutionFailedEventAttributes && 'workflow-failed') ||
      (event.workflowExecutionTimedOutEventAttributes && 'workflow-timed-out') ||
      (event.workflowExecutionCanceledEventAttributes && 'workflow-canceled') ||
      (event.workflowExecutionContinuedAsNewEventAttributes && 'workflow-continued-as-new');
    if (ended) {
      const failure = failureMessage(event.workflowExecutionFailedEventAttributes?.failure);
      note(event, ended, failure ? { message: failure } : {});
    }
  }
  return summary;
}
