import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities, LifecycleActivities } from '../../activities';
import { CaseLifecycle } from '../../libs/domain/src/lifecycle/case-lifecycle';
import type { CaseAction, LifecycleRules } from '../../libs/domain/src/lifecycle/lifecycle.types';
import { BEIJING_LIFECYCLE_RULES } from '../../libs/domain/src/lifecycle/presets';
import {
  ACTION_REFUSED,
  CASE_ACTION_UPDATES,
  CaseActionRequest,
  CaseSnapshot,
  caseStateQuery,
  ComplaintCaseInput,
  repeatContactSignal,
  resolveIncidentSignal,
  retryIncidentsSignal,
} from './messages';
import { CaseMirror, localActivities } from './case-mirror';
import { caseSearchAttributes } from './projection';
import { WhistleRounds } from './whistle-rounds';

const activities = proxyActivities<CaseActivities & LifecycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** Patch marker of the lifecycle after intake; cases started before it end after intake, as they did. */
const LIFECYCLE_PATCH = 'lifecycle-v1';
/** Patch marker of intake outcomes, supervision steps, suspension and whistle rounds; older cases run without. */
const LIFECYCLE_V2_PATCH = 'lifecycle-v2';
/**
 * Patch marker of the one-write mirror: intake, routing and the calendar as local activities, one mirror write per
 * change (events, audit, case row, tasks), search attributes upserted only when a value changes. Older cases keep
 * their activities and writes.
 */
const ONE_MIRROR_PATCH = 'case-one-mirror';
/**
 * Patch marker of the accountability step and audit call-backs (`rules.accountability`, `rules.callback.audit`):
 * asked for only when a case's rules carry either (so older histories, whose rules never did, replay untouched).
 * Without it the rules are read without them, as before.
 */
const ACCOUNTABILITY_PATCH = 'accountability-audit';

/**
 * One citizen request, from intake to close (接诉即办): decides the intake outcome, dispatches the case by the
 * routing catalogue, and enacts the {@link CaseLifecycle} — every human action an Update with a validator, every
 * deadline a durable timer stamped on the working-day calendar, each whistle round a child workflow — mirroring each
 * change into PostgreSQL.
 */
export async function complaintCase(input: ComplaintCaseInput): Promise<CaseSnapshot> {
  const now = () => new Date().toISOString();
  const v2 = patched(LIFECYCLE_V2_PATCH);
  const oneWrite = v2 && patched(ONE_MIRROR_PATCH);
  // The one-write mirror reads intake, routing and the calendar through local activities (a marker each).
  const reads = oneWrite ? localActivities : activities;
  const pinned = input.rules ?? BEIJING_LIFECYCLE_RULES;
  let accountable: boolean | undefined;
  /** The rules with the accountability step and audit call-backs only where this case's code runs them. */
  const withSteps = (given: LifecycleRules): LifecycleRules => {
    if (!given?.accountability && !given?.callback?.audit) return given;
    accountable ??= patched(ACCOUNTABILITY_PATCH);
    if (accountable) return given;
    const { audit: _audit, ...callback } = given.callback;
    return { ...given, accountability: undefined, callback };
  };
  let rules: LifecycleRules = withSteps(v2 ? pinned : { ...pinned, supervision: undefined });
  const lifecycle = new CaseLifecycle(rules, undefined, input.caseNo);
  const snapshot: CaseSnapshot = {
    caseNo: input.caseNo,
    status: 'registered',
    stage: 'intake',
    rulesVersion: input.rulesVersion,
    facts: input.facts,
    stages: [{ stage: 'intake', status: 'registered', at: now() }],
  };
  const mirror = new CaseMirror(snapshot, lifecycle, () => rules, oneWrite);
  const changed = (updateId?: string) => mirror.changed(updateId);
  const whistles = new WhistleRounds(input.caseNo, lifecycle, () => rules, changed);

  setHandler(caseStateQuery, () => snapshot);
  for (const [type, update] of Object.entries(CASE_ACTION_UPDATES)) {
    setHandler(
      update,
      async (request: CaseActionRequest) => {
        const action = await withLadder(request);
        const requests = lifecycle.apply(action, request.actor, now());
        if (action.type === 'migrateRules') {
          rules = action.rules;
          snapshot.rulesVersion = action.toVersion;
        }
        await mirror.stamp(requests);
        await mirror.moveClocks();
        await whistles.afterAction(request.actor);
        await changed(currentUpdateInfo()?.id);
        return snapshot;
      },
      { validator: (request: CaseActionRequest) => validateAction(type, request) },
    );
  }
  setHandler(retryIncidentsSignal, () => void mirror.retryFailed());
  setHandler(resolveIncidentSignal, ({ key }) => mirror.dropFailed(key));
  setHandler(repeatContactSignal, (repeat) => {
    lifecycle.recordRepeat(repeat, now());
    void changed();
  });

  /**
   * Actions that need the outside world first: a migration to a version with a ladder resolves that ladder's bodies
   * at the case's place (the planning activity), a move to a new calendar recomputes the running deadlines (the
   * calendar activity). The state is validated again after that wait; a refusal fails the Update, not the case.
   */
  async function withLadder({ action: given, actor }: CaseActionRequest): Promise<CaseAction> {
    const action: CaseAction = given.type === 'migrateRules' ? { ...given, rules: withSteps(given.rules) } : given;
    let resolved: CaseAction;
    if (action.type === 'recalendar') {
      const running = Object.values(lifecycle.state.deadlines).filter((entry) => entry !== undefined);
      const entries = await reads.recalendarDeadlines({
        deadlines: running,
        reminderFraction: rules.reminderFraction,
      });
      resolved = { ...action, entries };
    } else if (action.type === 'migrateRules' && action.rules?.rungs) {
      const plan = await reads.planDispatch(input.facts, action.toVersion, action.rules);
      resolved = {
        ...action,
        rungUnits: plan.rungUnits,
        ...(plan.accountabilityUnitId ? { accountabilityUnitId: plan.accountabilityUnitId } : {}),
      };
    } else {
      return action;
    }
    const refusal = lifecycle.validate(resolved, actor, now());
    if (refusal) throw ApplicationFailure.nonRetryable(`${refusal.code}: ${refusal.message}`, ACTION_REFUSED);
    return resolved;
  }

  function validateAction(type: string, request: CaseActionRequest): void {
    const refuse = (code: string, message: string) => {
      throw ApplicationFailure.nonRetryable(`${code}: ${message}`, ACTION_REFUSED);
    };
    if (!request?.actor || request.action?.type !== (type as CaseAction['type'])) {
      refuse('InvalidArgument', `the ${type} update takes { actor, action: { type: '${type}', … } }`);
    }
    if (!snapshot.lifecycle) refuse('WrongState', `case ${input.caseNo} has not been dispatched yet`);
    const refusal = lifecycle.validate(request.action, request.actor, now());
    if (refusal) refuse(refusal.code, refusal.message);
  }

  // The one-write mirror upserts the search attributes once the case is dispatched (or closed at intake).
  if (!oneWrite) upsertSearchAttributes(caseSearchAttributes(snapshot));
  await reads.recordCaseIntake({
    caseNo: input.caseNo,
    workflowId: workflowInfo().workflowId,
    rulesVersion: input.rulesVersion,
    status: 'registered',
    stage: 'awaiting-dispatch',
    ...(input.linkedTo ? { linkedTo: input.linkedTo } : {}),
  });
  mirror.enter('awaiting-dispatch', 'registered');
  if (!oneWrite) upsertSearchAttributes(caseSearchAttributes(snapshot));
  // A one-write case is past lifecycle-v1 by construction: it skips that marker (and the upsert that comes with it).
  if (!oneWrite && !patched(LIFECYCLE_PATCH)) return snapshot;

  if (v2) {
    const decision = await reads.decideIntake({ facts: input.facts, directions: input.intake });
    if (input.linkedTo) lifecycle.linkTo(input.linkedTo, now());
    if (decision.outcome === 'emergency-diversion') lifecycle.closeAtIntake('emergency-diverted', decision, now());
    if (decision.outcome === 'inadmissible') lifecycle.closeAtIntake('inadmissible', decision, now());
    if (decision.outcome === 'answer-on-the-spot') lifecycle.closeAtIntake('answered-at-intake', decision, now());
  }
  if (lifecycle.state.phase !== 'closed') {
    // Cases pinned to a ladder resolve its bodies at dispatch; older cases keep the fixed ladder's committees.
    const plan = await reads.planDispatch(input.facts, input.rulesVersion, rules);
    await mirror.stamp(lifecycle.dispatch(plan, now()));
  }
  snapshot.lifecycle = lifecycle.state;
  await mirror.sync();

  // A closed case sampled for an audit call-back runs on until the audit is done or lapses.
  while (lifecycle.state.phase !== 'closed' || lifecycle.auditPending()) {
    const timer = lifecycle.nextTimer();
    const seen = mirror.version;
    const acted = timer
      ? await condition(() => mirror.version !== seen, Math.max(1, Date.parse(timer.at) - Date.now()))
      : await condition(() => mirror.version !== seen);
    if (!acted && timer) {
      await mirror.stamp(lifecycle.onTimer(timer, now()));
      await changed();
    }
  }
  await whistles.closeAll('the case is closed');
  await condition(allHandlersFinished);
  await mirror.settled();
  return snapshot;
}
