import type { CaseResponse } from '../api/views';

/** The stages every case passes through, in order (the workflow's `stage`). */
export const STAGES = [
  'intake',
  'awaiting-dispatch',
  'awaiting-sign',
  'handling',
  'in-review',
  'awaiting-callback',
  'closed',
] as const;

/**
 * The stages this case's picture shows: {@link STAGES}, with `accountability` (dissatisfied after the last
 * re-handling, before the accountability body) between the call-back and the close once the case has entered it.
 */
export function caseStages(view: CaseResponse): string[] {
  const reached =
    (view.workflow.state?.stage ?? view.case?.stage) === 'accountability' ||
    (view.workflow.state?.stages ?? []).some((entry) => entry.stage === 'accountability');
  if (!reached) return [...STAGES];
  const stages: string[] = [...STAGES];
  stages.splice(stages.indexOf('closed'), 0, 'accountability');
  return stages;
}

/** The escalation ladder's levels, lowest first; `none` is the lead unit handling the case itself. */
export const LADDER = ['none', 'community', 'street', 'district', 'city'] as const;

export interface Deadline {
  kind: string;
  due: string;
}

/** The case's running deadlines, soonest first (the record's, falling back on the live workflow state's). */
export function deadlines(view: CaseResponse): Deadline[] {
  const source = view.case?.deadlines ?? view.workflow.state?.lifecycle?.deadlines ?? {};
  return Object.entries(source)
    .map(([kind, value]) => ({ kind, due: typeof value === 'string' ? value : value?.due }))
    .filter((deadline): deadline is Deadline => typeof deadline.due === 'string')
    .sort((a, b) => a.due.localeCompare(b.due));
}

/** The next deadline not yet passed, else the latest passed one (the one the case is late on). */
export function nextDeadline(view: CaseResponse, now: Date): Deadline | undefined {
  const all = deadlines(view);
  return all.find((deadline) => new Date(deadline.due) >= now) ?? all[all.length - 1];
}

/** When each stage was entered (the last time, for stages entered again after a send-back). */
export function stageTimes(view: CaseResponse): Map<string, string> {
  const times = new Map<string, string>();
  for (const entry of view.workflow.state?.stages ?? []) times.set(entry.stage, entry.at);
  return times;
}

/** The ladder rungs of the case's pinned rules: each level's committee, from the case's dispatch plan. */
export function ladder(view: CaseResponse): { level: string; unitId: string | undefined }[] {
  const units = view.workflow.state?.lifecycle?.plan?.ladderUnits ?? {};
  const lead = view.case?.leadUnitId ?? undefined;
  const levels = ['none', ...Object.keys(units)];
  if (!levels.includes('city')) levels.push('city');
  return levels.map((level) => ({ level, unitId: level === 'none' ? lead : units[level] }));
}
