import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { GovernanceActivities } from '../../activities/governance.activities';
import { GovernanceItem } from '../../libs/domain/src/governance/governance-item';
import type { GovernanceAction } from '../../libs/domain/src/governance/governance.types';
import {
  GOVERNANCE_ACTION_REFUSED,
  GOVERNANCE_ACTION_UPDATES,
  GovernanceActionRequest,
  GovernanceItemInput,
  governanceStateQuery,
} from './messages';

const { mirrorGovernanceItem } = proxyActivities<GovernanceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

// The calendar is a pure read of the stored calendar: one marker per deadline, as for cases.
const { stampGovernanceDeadline } = proxyLocalActivities<GovernanceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * One governance item (rectification, problem of the month, proactive), from opening to close: its deadline a durable
 * timer on the working-day calendar with a reminder before it, overdue supervision raised while it stays unreported,
 * and every human action (plan, milestone, report, close) an Update with a validator. Each change is mirrored into
 * `governance_items`; the close records the measured effect.
 */
export async function governanceItem(input: GovernanceItemInput): Promise<GovernanceItem['state']> {
  const now = () => new Date().toISOString();
  const item = new GovernanceItem(input.spec, input.from);
  let version = 0;
  let mirrored: Promise<void> = Promise.resolve();
  /** Mirrors the state as it is now; writes go one at a time, in order. */
  const changed = (): Promise<void> => {
    version += 1;
    const snapshot = {
      itemId: input.spec.itemId,
      version,
      state: JSON.parse(JSON.stringify(item.state)) as GovernanceItem['state'],
    };
    mirrored = mirrored.then(() => mirrorGovernanceItem(snapshot));
    return mirrored;
  };

  setHandler(governanceStateQuery, () => item.state);
  for (const [type, update] of Object.entries(GOVERNANCE_ACTION_UPDATES)) {
    setHandler(
      update as typeof GOVERNANCE_ACTION_UPDATES.submitPlan,
      async (request: GovernanceActionRequest) => {
        item.apply(request.action, request.actor, now());
        await changed();
        return item.state;
      },
      {
        validator: (request: GovernanceActionRequest<GovernanceAction>) => {
          if (!request?.actor || request.action?.type !== type) {
            throw ApplicationFailure.nonRetryable(
              `InvalidArgument: the ${type} update takes { actor, action: { type: '${type}', … } }`,
              GOVERNANCE_ACTION_REFUSED,
            );
          }
          const refusal = item.validate(request.action, request.actor);
          if (refusal) {
            throw ApplicationFailure.nonRetryable(`${refusal.code}: ${refusal.message}`, GOVERNANCE_ACTION_REFUSED);
          }
        },
      },
    );
  }

  const deadline = await stampGovernanceDeadline({
    duration: input.deadline,
    from: input.from,
    reminderFraction: input.reminderFraction,
  });
  item.setDeadline(deadline, now());
  await changed();

  /** When supervision next rises, once overdue. */
  let raiseAt: string | undefined;
  const nextTimer = (): { at: string; fire: () => Promise<void> } | undefined => {
    if (!item.running) return undefined;
    const { state } = item;
    if (!state.reminded && deadline.reminderAt && deadline.reminderAt < deadline.due) {
      return { at: deadline.reminderAt, fire: async () => item.remind(now()) };
    }
    if (!state.overdue) {
      return {
        at: deadline.due,
        fire: async () => {
          item.markOverdue(now());
          raiseAt = await stepFrom(now());
        },
      };
    }
    if (raiseAt && state.supervision !== 'interview') {
      return {
        at: raiseAt,
        fire: async () => {
          if (item.raiseSupervision(now())) raiseAt = await stepFrom(now());
        },
      };
    }
    return undefined;
  };
  const stepFrom = async (from: string): Promise<string> =>
    (await stampGovernanceDeadline({ duration: input.raiseAfter, from, reminderFraction: 0.5 })).due;

  while (item.state.status !== 'closed') {
    const timer = nextTimer();
    const seen = version;
    const acted = timer
      ? await condition(() => version !== seen, Math.max(1, Date.parse(timer.at) - Date.now()))
      : await condition(() => version !== seen);
    if (!acted && timer) {
      await timer.fire();
      await changed();
    }
  }
  await condition(allHandlersFinished);
  await mirrored;
  return item.state;
}
