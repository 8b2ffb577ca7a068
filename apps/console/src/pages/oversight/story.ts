import type { TFunction } from 'i18next';
import type { CaseResponse } from '../../api/views';
import type { AuditTimelineRow, CaseTimeline } from './views';

/** The Temporal history event a line of the story points at. */
export interface StoryEvent {
  workflowId: string;
  eventId: number;
  eventType: string | null;
}

/** One line of a case's story: when, who did what, what changed and why, under which versions, and its event. */
export interface StoryLine {
  key: string;
  time: string;
  sentence: string;
  change: string | null;
  reason: string | null;
  /** `rules beijing@2`, `calendar cn-mainland v3` stated by this entry. */
  versions: string[];
  event?: StoryEvent;
  fromTemporal: boolean;
}

/** Actions with a name in the story (`oversight.actionNames`); any other is shown as the log names it. */
export const NAMED_ACTIONS = [
  'received',
  'dispatched',
  'signed',
  'returned',
  'redispatch-decided',
  'contacted',
  'replied',
  'reply-accepted',
  'reply-sent-back',
  'callback-unreached',
  'called-back',
  'rehandling',
  'escalated',
  'coordinated',
  'overdue',
  'reminder',
  'overdue-reminder',
  'supervision-raised',
  'accountability-escalated',
  'suspended',
  'resumed',
  'closed',
  'whistled',
  'deadlines-recalendared',
  'rules-migrated',
  'signal',
  'timer-fired',
  'child-started',
  'activity-failed',
  'activity-timed-out',
  'workflow-task-failed',
  'workflow-terminated',
  'deadline-set',
  'repeat-contact',
  'extension-requested',
  'extension-approved',
  'extension-refused',
  'reported',
  'workflow-started',
  'workflow-completed',
  'workflow-failed',
  'workflow-continued-as-new',
  'child-completed',
  'child-failed',
] as const;

/** The key of an action in `oversight.actionNames` (dots and colons are i18next separators). */
export function actionKey(action: string): string {
  return action.replace(/[.:]/g, '_');
}

/**
 * Versions an audit entry states, anywhere in its before/after values: `rulesVersion` strings, and deadlines stamped
 * with `calendarId` + `calendarVersion` (or `calendar: '<id>@<version>'`). Sorted, without repeats.
 */
export function versionsIn(value: unknown, found = { rules: new Set<string>(), calendars: new Set<string>() }) {
  if (Array.isArray(value)) value.forEach((entry) => versionsIn(entry, found));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.rulesVersion === 'string') found.rules.add(record.rulesVersion);
    if (typeof record.calendarId === 'string' && typeof record.calendarVersion === 'number') {
      found.calendars.add(`${record.calendarId} v${record.calendarVersion}`);
    }
    // A deadline's audit entry names its calendar as `<calendarId>@<version>`.
    const named = typeof record.calendar === 'string' ? /^(.+)@(\d+)$/.exec(record.calendar) : null;
    if (named) found.calendars.add(`${named[1]} v${named[2]}`);
    for (const [key, entry] of Object.entries(record)) if (key !== 'rulesVersion') versionsIn(entry, found);
  }
  return found;
}

/** The rules and calendar versions a case ran under: from the case itself and every entry of its timeline. */
export function versionsOfCase(record: CaseResponse | undefined, timeline: CaseTimeline | undefined) {
  const found = versionsIn(record?.case ?? null);
  if (record?.case?.rulesVersion) found.rules.add(record.case.rulesVersion);
  for (const row of timeline?.rows ?? []) versionsIn([row.before, row.after], found);
  return { rules: [...found.rules].sort(), calendars: [...found.calendars].sort() };
}

/** Who acted, in words: the engine, or a person's role, unit and id. */
function who(row: AuditTimelineRow, t: TFunction): string {
  if (row.actor === 'system' || row.role === 'system') return t('roles.system');
  if (!row.actor && !row.role) return t('oversight.story.engine');
  const role = row.role ? t(`roles.${row.role}`, { defaultValue: row.role }) : '';
  const unit = row.unit ? `（${row.unit}）` : '';
  return `${role}${unit} ${row.actor ?? ''}`.trim();
}

/** The case's timeline as sentences, oldest first (the API's order), each with its Temporal event when known. */
export function storyOf(timeline: CaseTimeline, t: TFunction): StoryLine[] {
  return timeline.rows.map((row, index) => {
    const action = t(`oversight.actionNames.${actionKey(row.action)}`, { defaultValue: row.action });
    const found = versionsIn([row.before, row.after]);
    return {
      key: `${index}-${row.auditId ?? row.temporalEventId ?? ''}`,
      time: row.time,
      sentence: t('oversight.story.sentence', { who: who(row, t), action }),
      change: row.change,
      reason: row.reason,
      versions: [
        ...[...found.rules].map((version) => t('oversight.story.rulesTag', { version })),
        ...[...found.calendars].map((version) => t('oversight.story.calendarTag', { version })),
      ],
      ...(row.temporalEventId !== null && row.workflowId
        ? { event: { workflowId: row.workflowId, eventId: row.temporalEventId, eventType: row.temporalEventType } }
        : {}),
      fromTemporal: row.source === 'temporal',
    };
  });
}

/**
 * The Temporal Web UI page of an event's workflow history (the workflow's latest run), with the event id as the
 * fragment the page scrolls to: `<ui>/namespaces/<ns>/workflows/<id>/history#event-<eventId>`.
 */
export function temporalEventLink(timeline: CaseTimeline, event: StoryEvent): string {
  const workflow = timeline.workflows.find((entry) => entry.workflowId === event.workflowId);
  const base =
    workflow?.temporalUiUrl ?? timeline.temporalUiUrl.replace(/[^/]+$/, encodeURIComponent(event.workflowId));
  return `${base}/history#event-${event.eventId}`;
}
