import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { OpenScoreRunInput, ScoreActivities, ScoreRunSummary } from '../../activities/scores.activities';
import { previousMonth } from '../../libs/domain/src/scores/month';
import { monthlyScores } from '../../workflows';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { workflowCode } from '../support/workflow-bundle';

/** The score activities as mocks: what the workflow asked for, and a computation that may fail. */
function mockActivities(compute: (runId: string) => ScoreRunSummary) {
  const calls: { opened: OpenScoreRunInput[]; computed: string[]; failed: { runId: string; error: string }[] } = {
    opened: [],
    computed: [],
    failed: [],
  };
  const summary = (input: OpenScoreRunInput): ScoreRunSummary => ({
    runId: `run-${calls.opened.length}`,
    workflowId: input.workflowId,
    month: input.month,
    trigger: input.trigger,
    status: 'running',
  });
  const activities: Pick<ScoreActivities, 'openScoreRun' | 'computeScoreRun' | 'failScoreRun'> = {
    async openScoreRun(input) {
      calls.opened.push(input);
      return summary(input);
    },
    async computeScoreRun({ runId }) {
      calls.computed.push(runId);
      return compute(runId);
    },
    async failScoreRun(input) {
      calls.failed.push(input);
      return { runId: input.runId, workflowId: 'w', month: '2026-10', trigger: 'on-demand', status: 'failed' };
    },
  };
  return { activities, calls };
}

describe('monthlyScores (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  async function run(
    input: Parameters<typeof monthlyScores>[0],
    compute: (runId: string) => ScoreRunSummary,
    workflowId: string,
  ) {
    const mock = mockActivities(compute);
    const taskQueue = `wf-scores-${workflowId}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      activities: mock.activities,
    });
    const outcome: { result?: ScoreRunSummary; error?: unknown } = await worker.runUntil(
      env.client.workflow.execute(monthlyScores, { workflowId, taskQueue, args: [input] }).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
    );
    return { ...outcome, calls: mock.calls };
  }

  const completed = (runId: string): ScoreRunSummary => ({
    runId,
    workflowId: 'x',
    month: '2026-10',
    trigger: 'on-demand',
    status: 'completed',
    cases: 41,
    units: 7,
    definitions: [
      { scope: 'city', definition: 'beijing@1' },
      { scope: 'd-xishan', definition: 'suyu@1' },
    ],
  });

  it('should open, compute and return a run of the month asked for, with the definition version of each scope', async () => {
    const { result, calls } = await run(
      { month: '2026-10', trigger: 'on-demand', requestedBy: 'u-auditor' },
      completed,
      'scores-asked',
    );
    expect(calls.opened).toEqual([
      { workflowId: 'scores-asked', month: '2026-10', trigger: 'on-demand', requestedBy: 'u-auditor' },
    ]);
    expect(calls.computed).toEqual(['run-1']);
    expect(result).toMatchObject({ runId: 'run-1', status: 'completed', cases: 41 });
    // The run says which published versions it scored with: the city's, and each district's own.
    expect(result?.definitions).toEqual([
      { scope: 'city', definition: 'beijing@1' },
      { scope: 'd-xishan', definition: 'suyu@1' },
    ]);
  });

  it('should score the month before the workflow started when no month is given (the schedule)', async () => {
    const startedAround = new Date(await env.currentTimeMs());
    const { calls } = await run({ trigger: 'schedule' }, completed, 'scores-scheduled');
    expect(calls.opened).toEqual([
      expect.objectContaining({ month: previousMonth(startedAround), trigger: 'schedule' }),
    ]);
  });

  it('should mark the run failed with the reason and fail when it cannot be computed', async () => {
    const { error, calls } = await run(
      { month: '2026-10', trigger: 'on-demand' },
      () => {
        throw ApplicationFailure.nonRetryable('invalid scoring policy: minSample must be a whole number ≥ 0', 'Score');
      },
      'scores-failing',
    );
    expect(calls.failed).toEqual([
      { runId: 'run-1', error: 'invalid scoring policy: minSample must be a whole number ≥ 0' },
    ]);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toMatchObject({
      type: 'ScoreRunFailed',
      message: expect.stringContaining('score run run-1 of 2026-10 failed: invalid scoring policy'),
    });
  });

  it('should refuse a month that is not YYYY-MM before opening a run', async () => {
    const { error, calls } = await run({ month: '2026-13', trigger: 'on-demand' }, completed, 'scores-bad-month');
    expect((error as WorkflowFailedError).cause).toMatchObject({ type: 'InvalidMonth' });
    expect(calls.opened).toEqual([]);
  });
});
