import { addDuration, WorkCalendar } from '../../../../libs/domain/src/calendar';
import type { EscalationLevel } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import type { OrgTree } from '../../../../libs/domain/src/org/org.types';
import { ladderChain, ProcessDefinition } from '../../../../libs/domain/src/rules';
import { DeadlineSet, evaluateRoute, RouteFacts } from '../../../../libs/domain/src/routing';
import type { RecordedScoreFacts } from './what-if-scores';

/*
 * What-if: a process definition run against one recorded case through the same pure functions the workflow uses
 * (`evaluateRoute`, `toLifecycleRules`, `addDuration`), compared with the version the case is pinned to. Nothing is
 * read or written here: the service loads the recorded case and the calendar.
 */

/** A recorded case as the what-if reads it: its facts and the instants it actually went through. */
export interface RecordedCase {
  caseNo: string;
  /** The version label the case is pinned to. */
  rulesVersion: string;
  facts: RouteFacts;
  /** ISO instants from the case projection; absent when the step has not happened. */
  dispatchedAt?: string;
  signedAt?: string;
  contactedAt?: string;
  /** When handling ended: the reply, else the close. Absent while the case is still being handled. */
  resolvedAt?: string;
  /** Each climb of the ladder, oldest first (`escalated` events); `byDeadline` when a deadline passing caused it. */
  escalations: { level: EscalationLevel; at: string; byDeadline: boolean }[];
  /** What the monthly scores read of the case (`what-if-scores.ts`); absent: the case is left out of the scores. */
  scoring?: RecordedScoreFacts;
}

/** Where a case climbs from: the handling stage (its handling deadline) or a committee rung (the rung's deadline). */
/** `handle`, or the id of a ladder rung (on the fixed ladder: community, street, district). */
export type WhatIfStage = 'handle' | (string & {});

/** One deadline laid from the same instant under both definitions. */
export interface DeadlineShift {
  /** `sign`, `contact`, `handle` (from dispatch) or a rung (`community`, `street`, `district`, from its arrival). */
  deadline: 'sign' | 'contact' | WhatIfStage;
  /** The instant the clock started, as recorded. */
  from: string;
  before: { duration: string; due: string };
  after: { duration: string; due: string };
  /** `after.due - before.due` in milliseconds: negative is sooner. */
  shiftMs: number;
}

/**
 * How the draft moves the case's first climb that changes (later climbs follow from it):
 * - `sooner` / `later`: it climbs at another instant (`actual` absent: the case has not climbed yet, its running
 *   deadline moves);
 * - `newly`: it was resolved before the old deadline but would have climbed under the new one.
 */
export interface EscalationChange {
  stage: WhatIfStage;
  verdict: 'sooner' | 'later' | 'newly';
  /** When it actually climbed (or the deadline it is running against). */
  actual: string;
  predicted: string;
  /** How much sooner or later, or (newly) how long before its resolution it would have climbed; milliseconds. */
  byMs: number;
}

/** The routing decision, summarised, or why the definition cannot route the case. */
export type RouteSummary =
  | { mode: string; leadUnitId: string; coUnitIds: string[]; copyUnitIds: string[] }
  | { error: string };

/** Whether the case counts as responded on time (signed and contacted within their limits) in the scores. */
export type ResponseOutcome = 'on-time' | 'late' | 'pending' | 'not-dispatched';

/** What would differ for one case; `differs` is false when nothing does. */
export interface CaseComparison {
  caseNo: string;
  rulesVersion: string;
  differs: boolean;
  routing?: { before: RouteSummary; after: RouteSummary };
  deadlines: DeadlineShift[];
  escalation?: EscalationChange;
  response?: { before: ResponseOutcome; after: ResponseOutcome };
  /** Response outcome under the draft (also when unchanged), for the totals. */
  responseAfter: ResponseOutcome;
  responseBefore: ResponseOutcome;
}

/** What {@link compareCase} needs besides the case. */
export interface WhatIfContext {
  tree: OrgTree;
  calendar: WorkCalendar;
  /** Instants after this have not happened yet (pending deadlines); ISO. */
  now: string;
}

/**
 * Compares one recorded case under `before` (its pinned version) and `after` (the draft): the routing decision; the
 * sign, contact and handling deadlines laid from the actual dispatch instant; each ladder rung's deadline laid from
 * the instant the case actually reached it; the first climb that would move; the response-on-time outcome the scores
 * count. Pure.
 * @throws CalendarError when an instant lies outside the calendar's covered range.
 */
export function compareCase(
  recorded: RecordedCase,
  before: ProcessDefinition,
  after: ProcessDefinition,
  context: WhatIfContext,
): CaseComparison {
  const routeBefore = summariseRoute(before, recorded.facts, context.tree);
  const routeAfter = summariseRoute(after, recorded.facts, context.tree);
  const routingDiffers = JSON.stringify(routeBefore) !== JSON.stringify(routeAfter);
  const limitsBefore = limitsOf(before, recorded.facts);
  const limitsAfter = limitsOf(after, recorded.facts);
  const due = (from: string, duration: string) => addDuration(context.calendar, new Date(from), duration).due;

  const deadlines: DeadlineShift[] = [];
  const shift = (deadline: DeadlineShift['deadline'], from: string, durationBefore: string, durationAfter: string) => {
    const a = due(from, durationBefore);
    const b = due(from, durationAfter);
    const entry: DeadlineShift = {
      deadline,
      from,
      before: { duration: durationBefore, due: a.toISOString() },
      after: { duration: durationAfter, due: b.toISOString() },
      shiftMs: b.getTime() - a.getTime(),
    };
    if (entry.shiftMs !== 0 || durationBefore !== durationAfter) deadlines.push(entry);
    return entry;
  };

  let responseBefore: ResponseOutcome = 'not-dispatched';
  let responseAfter: ResponseOutcome = 'not-dispatched';
  let escalation: EscalationChange | undefined;
  const dispatchedAt = recorded.dispatchedAt;
  if (dispatchedAt && limitsBefore && limitsAfter) {
    const sign = shift('sign', dispatchedAt, limitsBefore.sign, limitsAfter.sign);
    const contact = shift('contact', dispatchedAt, limitsBefore.contact, limitsAfter.contact);
    responseBefore = responseOf(recorded, sign.before.due, contact.before.due, context.now);
    responseAfter = responseOf(recorded, sign.after.due, contact.after.due, context.now);

    const rungDeadline = (definition: ProcessDefinition, id: string): string | undefined =>
      ladderChain(definition.lifecycle.ladder).find((rung) => rung.id === id)?.deadline;
    // Climbs of the current dispatch only: a re-dispatch starts the ladder afresh.
    const climbs = recorded.escalations.filter((climb) => climb.at >= dispatchedAt);
    // The handling stage ends with the first climb, each rung with the next one.
    const stages: { stage: WhatIfStage; from: string; before: string; after: string; exit?: (typeof climbs)[0] }[] = [
      { stage: 'handle', from: dispatchedAt, before: limitsBefore.handle, after: limitsAfter.handle, exit: climbs[0] },
    ];
    climbs.forEach((climb, index) => {
      // A rung is compared by id; a rung either version lacks (or the final rung, which has no deadline) is not.
      const rung = { before: rungDeadline(before, climb.level), after: rungDeadline(after, climb.level) };
      if (rung.before === undefined || rung.after === undefined) return;
      stages.push({
        stage: climb.level,
        from: climb.at,
        before: rung.before,
        after: rung.after,
        exit: climbs[index + 1],
      });
    });
    for (const stage of stages) {
      const entry = shift(stage.stage, stage.from, stage.before, stage.after);
      escalation ??= climbChange(stage.stage, entry, stage.exit, recorded.resolvedAt, context.now);
    }
  }
  const response = responseBefore !== responseAfter ? { before: responseBefore, after: responseAfter } : undefined;
  return {
    caseNo: recorded.caseNo,
    rulesVersion: recorded.rulesVersion,
    differs: routingDiffers || deadlines.length > 0 || response !== undefined,
    ...(routingDiffers ? { routing: { before: routeBefore, after: routeAfter } } : {}),
    deadlines,
    ...(escalation ? { escalation } : {}),
    ...(response ? { response } : {}),
    responseBefore,
    responseAfter,
  };
}

/** How the new deadline of one stage moves the case's climb from it, or undefined when it does not. */
function climbChange(
  stage: WhatIfStage,
  entry: DeadlineShift,
  exit: RecordedCase['escalations'][number] | undefined,
  resolvedAt: string | undefined,
  now: string,
): EscalationChange | undefined {
  const oldDue = Date.parse(entry.before.due);
  const newDue = Date.parse(entry.after.due);
  if (exit) {
    const climbed = Date.parse(exit.at);
    // A climb a deadline caused moves with that deadline; a handler's own escalation only if the deadline comes first.
    const predicted = exit.byDeadline ? climbed + (newDue - oldDue) : Math.min(climbed, newDue);
    if (predicted === climbed) return undefined;
    return {
      stage,
      verdict: predicted < climbed ? 'sooner' : 'later',
      actual: exit.at,
      predicted: new Date(predicted).toISOString(),
      byMs: Math.abs(predicted - climbed),
    };
  }
  const end = resolvedAt ? Date.parse(resolvedAt) : undefined;
  if (end !== undefined && end <= Date.parse(now)) {
    // Resolved without climbing: only a deadline now before the resolution makes it climb.
    if (newDue >= end || oldDue < end) return undefined;
    return { stage, verdict: 'newly', actual: resolvedAt!, predicted: entry.after.due, byMs: end - newDue };
  }
  // Still on this stage: its running deadline moves.
  if (newDue === oldDue) return undefined;
  return {
    stage,
    verdict: newDue < oldDue ? 'sooner' : 'later',
    actual: entry.before.due,
    predicted: entry.after.due,
    byMs: Math.abs(newDue - oldDue),
  };
}

/** Signed and contacted within their limits: on time; either past its limit: late; else still pending. */
function responseOf(recorded: RecordedCase, signDue: string, contactDue: string, now: string): ResponseOutcome {
  const met = (done: string | undefined, due: string): boolean | undefined =>
    done !== undefined ? Date.parse(done) <= Date.parse(due) : Date.parse(now) > Date.parse(due) ? false : undefined;
  const signed = met(recorded.signedAt, signDue);
  const contacted = met(recorded.contactedAt, contactDue);
  if (signed === false || contacted === false) return 'late';
  return signed && contacted ? 'on-time' : 'pending';
}

function summariseRoute(definition: ProcessDefinition, facts: RouteFacts, tree: OrgTree): RouteSummary {
  try {
    const decision = evaluateRoute(definition.routing, tree, facts);
    return {
      mode: decision.mode,
      leadUnitId: decision.leadUnitId,
      coUnitIds: [...decision.coUnitIds],
      copyUnitIds: [...decision.copyUnitIds],
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The category's sign / contact / handle limits for the case's urgency, or undefined when the catalogue lacks it. */
export function limitsOf(definition: ProcessDefinition, facts: RouteFacts): DeadlineSet | undefined {
  const category = definition.routing.categories.find((candidate) => candidate.id === facts.category);
  return category?.deadlines[facts.urgency ?? category.defaultUrgency];
}

/** Totals of a what-if report. */
export interface WhatIfTotals {
  cases: number;
  dispatched: number;
  differing: number;
  routingChanged: number;
  deadlinesChanged: number;
  escalateSooner: number;
  escalateLater: number;
  escalateNewly: number;
  /** Cases that count as responded on time, under the pinned versions and under the draft. */
  responseOnTime: { before: number; after: number };
  /** Cases that could not be compared (see the report's `errors`). */
  errors: number;
}

/** Empty totals, to add comparisons to with {@link addToTotals}. */
export function emptyTotals(): WhatIfTotals {
  return {
    cases: 0,
    dispatched: 0,
    differing: 0,
    routingChanged: 0,
    deadlinesChanged: 0,
    escalateSooner: 0,
    escalateLater: 0,
    escalateNewly: 0,
    responseOnTime: { before: 0, after: 0 },
    errors: 0,
  };
}

/** Counts one comparison into the totals. */
export function addToTotals(totals: WhatIfTotals, comparison: CaseComparison): void {
  totals.cases += 1;
  if (comparison.responseBefore !== 'not-dispatched') totals.dispatched += 1;
  if (comparison.differs) totals.differing += 1;
  if (comparison.routing) totals.routingChanged += 1;
  if (comparison.deadlines.length > 0) totals.deadlinesChanged += 1;
  if (comparison.escalation?.verdict === 'sooner') totals.escalateSooner += 1;
  if (comparison.escalation?.verdict === 'later') totals.escalateLater += 1;
  if (comparison.escalation?.verdict === 'newly') totals.escalateNewly += 1;
  if (comparison.responseBefore === 'on-time') totals.responseOnTime.before += 1;
  if (comparison.responseAfter === 'on-time') totals.responseOnTime.after += 1;
}
