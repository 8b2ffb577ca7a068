/*
 * The plain Temporal baseline of the lifecycle benchmark: one workflow per case with the same five Updates as a
 * Shaosheng case (sign, contact, reply, review, call-back), each with a validator that refuses an out-of-turn step,
 * and the same number of activities, all no-ops: `activitiesAtStart` when the case starts (Shaosheng's intake and
 * dispatch), then `activitiesPerUpdate` in sequence inside each Update before it answers (Shaosheng's mirror
 * writes). What is left is Temporal's own cost of the same shape of work.
 */
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PlainActivities } from './activities';

export const PLAIN_STEPS = ['sign', 'contact', 'reply', 'review', 'callback'] as const;
export type PlainStep = (typeof PLAIN_STEPS)[number];

/** One Update per step, named like the step. */
export const plainStepUpdates = Object.fromEntries(
  PLAIN_STEPS.map((step) => [step, defineUpdate<number, []>(step)]),
) as Record<PlainStep, ReturnType<typeof defineUpdate<number, []>>>;

export interface PlainCaseInput {
  activitiesAtStart: number;
  /** Activities of each Update, in step order (five numbers). */
  activitiesPerUpdate: number[];
}

const { mirror } = proxyActivities<PlainActivities>({ startToCloseTimeout: '30 seconds' });

export async function plainCase(input: PlainCaseInput): Promise<number> {
  let ready = false;
  let done = 0;
  PLAIN_STEPS.forEach((step, index) => {
    setHandler(
      plainStepUpdates[step],
      async () => {
        await condition(() => ready);
        for (let k = 0; k < (input.activitiesPerUpdate[index] ?? 0); k++) await mirror(step, k);
        done += 1;
        return done;
      },
      {
        validator: () => {
          if (done !== index)
            throw new Error(`WrongState: ${step} needs step ${index + 1}, the case is at ${done + 1}`);
        },
      },
    );
  });
  for (let k = 0; k < input.activitiesAtStart; k++) await mirror('start', k);
  ready = true;
  await condition(() => done === PLAIN_STEPS.length);
  return done;
}
