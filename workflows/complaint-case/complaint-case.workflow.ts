import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities, LifecycleActivities } from '../../activities';
import type { CaseStage, CaseStatus } from '../../libs/domain/src/case/case.types';
import { CaseLifecycle } from '../../libs/domain/src/lifecycle/case-lifecycle';
import type { CaseAction, DeadlineRequest } from '../../libs/domain/src/lifecycle/lifecycle.types';
import { BEIJING_LIFECYCLE_RULES } from '../../libs/domain/src/lifecycle/presets';
import {
  ACTION_REFUSED,
  CASE_ACTION_UPDATES,
  CaseActionRequest,
  CaseSnapshot,
  caseStateQuery,
  ComplaintCaseInput,
} from './messages';
import { caseProjection, caseSearchAttributes } from './projection';

const activities = proxyActivities<CaseActivities & LifecycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** Patch marker of the lifecycle after intake; cases started before it end after intake, as they did. */
const LIFECYCLE_PATCH = 'lifecycle-v1';

/**
 * One citizen request, from intake to close (接诉即办): records the case, dispatches it by the routing catalogue, and
 * enacts the {@link CaseLifecycle} — every human action an Update with a validator, every deadline a durable timer
 * stamped on the working-day calendar — mirroring each change into PostgreSQL.
 */
export async function complaintCase(input: ComplaintCaseInput): Promise<CaseSnapshot> {
  const now = () => new Date().toISOString();
  const lifecycle = new CaseLifecycle(BEIJING_LIFECYCLE_RULES);
  const snapshot: CaseSnapshot = {
    caseNo: input.caseNo,
    status: 'registered',
    stage: 'intake',
    rulesVersion: input.rulesVersion,
    facts: input.facts,
    stages: [{ stage: 'intake', status: 'registered', at: now() }],
  };
  let version = 0;
  let nextSeq = 1;
  let syncing: Promise<void> = Promise.resolve();

  const enter = (stage: CaseStage, status: CaseStatus) => {
    if (snapshot.stage === stage && snapshot.status === status) return;
    snapshot.stage = stage;
    snapshot.status = status;
    snapshot.stages.push({ stage, status, at: now() });
  };

  /** Mirrors the state to PostgreSQL and visibility, one sync at a time so an older projection never wins. */
  const sync = (): Promise<void> => {
    if (snapshot.lifecycle) enter(lifecycle.state.phase, lifecycle.state.phase === 'closed' ? 'closed' : 'open');
    const events = lifecycle.takeEvents();
    const firstSeq = nextSeq;
    nextSeq += events.length;
    const projection = caseProjection(snapshot, lifecycle);
    upsertSearchAttributes(caseSearchAttributes(snapshot, lifecycle));
    syncing = syncing.then(async () => {
      await activities.appendCaseEvents({ caseNo: input.caseNo, firstSeq, events });
      await activities.projectCase(projection);
    });
    return syncing;
  };

  const stamp = async (requests: DeadlineRequest[]) => {
    const { reminderFraction } = BEIJING_LIFECYCLE_RULES;
    for (const request of requests) {
      lifecycle.setDeadline(await activities.stampDeadline({ ...request, reminderFraction }));
    }
  };

  setHandler(caseStateQuery, () => snapshot);
  for (const [type, update] of Object.entries(CASE_ACTION_UPDATES)) {
    setHandler(
      update,
      async (request: CaseActionRequest) => {
        const requests = lifecycle.apply(request.action, request.actor, now());
        await stamp(requests);
        version += 1;
        await sync();
        return snapshot;
      },
      { validator: (request: CaseActionRequest) => validateAction(type, request) },
    );
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

  upsertSearchAttributes(caseSearchAttributes(snapshot));
  await activities.recordCaseIntake({
    caseNo: input.caseNo,
    workflowId: workflowInfo().workflowId,
    rulesVersion: input.rulesVersion,
    status: 'registered',
    stage: 'awaiting-dispatch',
  });
  enter('awaiting-dispatch', 'registered');
  upsertSearchAttributes(caseSearchAttributes(snapshot));
  if (!patched(LIFECYCLE_PATCH)) return snapshot;

  const plan = await activities.planDispatch(input.facts);
  const requests = lifecycle.dispatch(plan, now());
  snapshot.lifecycle = lifecycle.state;
  await stamp(requests);
  await sync();

  while (lifecycle.state.phase !== 'closed') {
    const timer = lifecycle.nextTimer();
    const seen = version;
    const waitMs = timer ? Math.max(1, Date.parse(timer.at) - Date.now()) : undefined;
    const acted = await condition(() => version !== seen || lifecycle.state.phase === 'closed', waitMs);
    if (!acted && timer) {
      await stamp(lifecycle.onTimer(timer, now()));
      version += 1;
      await sync();
    }
  }
  await condition(allHandlersFinished);
  await syncing;
  return snapshot;
}
