import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createGovernanceActivities, MirrorGovernanceInput } from '../../activities/governance.activities';
import type { ScoreRunSummary } from '../../activities/scores.activities';
import type { GovernanceItemState } from '../../libs/domain/src/governance';
import type { Actor } from '../../libs/domain/src/lifecycle/lifecycle.types';
import { governanceAfterScores, governanceItem, monthlyScores } from '../../workflows';
import {
  closeUpdate,
  completeMilestoneUpdate,
  GovernanceItemInput,
  governanceStateQuery,
  reportUpdate,
  submitPlanUpdate,
} from '../../workflows/governance-item/messages';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { workflowCode } from '../support/workflow-bundle';

const handler: Actor = { userId: 'u-h', role: 'handler', unitId: 's-hubin' };
const outsider: Actor = { userId: 'u-o', role: 'handler', unitId: 'dept-housing' };
const operator: Actor = { userId: 'u-op', role: 'operator', unitId: 'centre-demo' };

/** When an item opens: the test server's clock, so its deadline is ahead of it. */
let FROM = new Date().toISOString();

function input(itemId: string, deadline = '10WD'): GovernanceItemInput {
  return {
    spec: {
      itemId,
      kind: 'rectification',
      title: '2026-10 限期整改：湖滨街道',
      ownerUnitIds: ['s-hubin'],
      scope: { categories: [], places: [], month: '2026-10', unitId: 's-hubin' },
    },
    deadline,
    from: FROM,
    reminderFraction: 0.8,
    raiseAfter: '5WD',
  };
}

/** Polls the item's state until `check` holds (the workflow stamps its deadline through a local activity). */
async function waitFor(
  handle: { query: (query: typeof governanceStateQuery) => Promise<GovernanceItemState> },
  check: (state: GovernanceItemState) => boolean,
): Promise<GovernanceItemState> {
  for (let i = 0; i < 100; i++) {
    // Not found yet: a child the test did not start itself may still be starting.
    const state = await handle.query(governanceStateQuery).catch(() => undefined);
    if (state && check(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the item never reached the state');
}

describe('governance items (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  /** A plain client: the time-skipping one lets the clock run while it waits on an Update, past every deadline. */
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const mirrored: MirrorGovernanceInput[] = [];
  const opened: GovernanceItemInput[][] = [];
  const taskQueue = 'wf-governance';
  // The calendar activity is the real one (the national calendar, fixed); the writes are recorded.
  const real = createGovernanceActivities({ dataSource: undefined as never });

  // A server of its own per test: each test's clock and items start afresh.
  beforeEach(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
    client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      activities: {
        stampGovernanceDeadline: real.stampGovernanceDeadline,
        async mirrorGovernanceItem(write: MirrorGovernanceInput) {
          mirrored.push(write);
        },
        async openGovernanceAfterRun({ runId }: { runId: string }) {
          const items = [input(`${runId}-a`), input(`${runId}-b`)];
          opened.push(items);
          return items;
        },
        async openScoreRun() {
          return { runId: 'run-gov', workflowId: 'w', month: '2026-10', trigger: 'on-demand', status: 'running' };
        },
        async computeScoreRun(): Promise<ScoreRunSummary> {
          return { runId: 'run-gov', workflowId: 'w', month: '2026-10', trigger: 'on-demand', status: 'completed' };
        },
        async failScoreRun() {
          throw new Error('not expected');
        },
      },
    });
    running = worker.run();
    FROM = new Date(await env.currentTimeMs()).toISOString();
  });

  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  const lastMirror = (itemId: string): GovernanceItemState =>
    mirrored.filter((write) => write.itemId === itemId).at(-1)!.state;

  it('should take a plan, its milestones and a report from the owner unit, and a close from the centre', async () => {
    const handle = await client.workflow.start(governanceItem, {
      workflowId: 'governance-happy',
      taskQueue,
      args: [input('happy')],
    });
    const plan = {
      type: 'submitPlan' as const,
      plan: '夜间巡查并约谈商户',
      milestones: [{ title: '排查' }, { title: '整治', due: '2026-11-10' }],
    };
    await handle.executeUpdate(submitPlanUpdate, { args: [{ actor: handler, action: plan }] });
    await handle.executeUpdate(completeMilestoneUpdate, {
      args: [{ actor: handler, action: { type: 'completeMilestone', index: 0 } }],
    });
    await handle.executeUpdate(completeMilestoneUpdate, {
      args: [{ actor: handler, action: { type: 'completeMilestone', index: 1, note: '已整治' } }],
    });
    const reported = await handle.executeUpdate(reportUpdate, {
      args: [{ actor: handler, action: { type: 'report', report: '整改完成', outcome: 'resolved' } }],
    });
    expect(reported).toMatchObject({ status: 'reported', outcome: 'resolved' });
    await handle.executeUpdate(closeUpdate, {
      args: [{ actor: operator, action: { type: 'close', note: '验收通过' } }],
    });
    const final = await handle.result();
    expect(final).toMatchObject({ status: 'closed', overdue: false, supervision: 'none' });
    expect(final.deadline).toMatchObject({ duration: '10WD', from: FROM, calendarId: expect.stringMatching(/^cn-/) });
    // Ten working days: at least two weeks of the calendar, closing at 18:00 Asia/Shanghai (10:00 UTC).
    expect(Date.parse(final.deadline!.due) - Date.parse(FROM)).toBeGreaterThanOrEqual(13 * 86_400_000);
    expect(new Date(final.deadline!.due).getUTCHours()).toBe(10);
    expect(lastMirror('happy').status).toBe('closed');
    // Versions only rise: the mirror never gets an older state after a newer one.
    const versions = mirrored.filter((write) => write.itemId === 'happy').map((write) => write.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it("should refuse another unit's handler and a close before the report, changing nothing", async () => {
    const handle = await client.workflow.start(governanceItem, {
      workflowId: 'governance-refused',
      taskQueue,
      args: [input('refused')],
    });
    const plan = { type: 'submitPlan' as const, plan: '整改', milestones: [{ title: '一步' }] };
    await expect(handle.executeUpdate(submitPlanUpdate, { args: [{ actor: outsider, action: plan }] })).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
    const refused = await handle
      .executeUpdate(closeUpdate, { args: [{ actor: operator, action: { type: 'close', note: 'x' } }] })
      .catch((error: WorkflowUpdateFailedError) => error.cause?.message);
    expect(refused).toMatch(/^WrongState: /);
    expect(await handle.query(governanceStateQuery)).toMatchObject({ status: 'open', milestones: [] });
    await handle.terminate('test over');
  });

  it('should start every item a completed score run opens, once, when the run finishes', async () => {
    // Started, not awaited: waiting on a result lets the time-skipping clock run ahead of the items' deadlines.
    await client.workflow.start(monthlyScores, {
      workflowId: 'scores-governance',
      taskQueue,
      args: [{ month: '2026-10', trigger: 'on-demand' }],
    });
    const item = client.workflow.getHandle('governance-run-gov-b');
    expect(await waitFor(item, (state) => state.deadline !== undefined)).toMatchObject({
      kind: 'rectification',
      status: 'open',
      ownerUnitIds: ['s-hubin'],
    });
    const child = await client.workflow.getHandle('governance-after-run-gov').describe();
    expect(child.status.name).toBe('COMPLETED');
    // A second pass over the same items (a later run of the month) starts none again.
    await client.workflow.start(governanceAfterScores, {
      workflowId: 'governance-after-again',
      taskQueue,
      args: [{ runId: 'run-gov' }],
    });
    const again = client.workflow.getHandle('governance-after-again');
    for (let i = 0; i < 100 && (await again.describe()).status.name === 'RUNNING'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await again.describe()).status.name).toBe('COMPLETED');
    expect((await client.workflow.getHandle('governance-run-gov-a').describe()).status.name).toBe('RUNNING');
    expect(opened).toHaveLength(2);
  });

  it('should remind before the deadline, put an unreported item under daily supervision at it, then raise it', async () => {
    const handle = await client.workflow.start(governanceItem, {
      workflowId: 'governance-late',
      taskQueue,
      args: [input('late')],
    });
    const { deadline } = await waitFor(handle, (state) => state.deadline !== undefined);
    // Past the 80 % reminder, before the deadline.
    await env.sleep(Date.parse(deadline!.reminderAt!) - (await env.currentTimeMs()) + 60_000);
    expect(await waitFor(handle, (state) => state.reminded)).toMatchObject({ reminded: true, overdue: false });
    // Past the deadline.
    await env.sleep(Date.parse(deadline!.due) - (await env.currentTimeMs()) + 60_000);
    expect(await waitFor(handle, (state) => state.overdue)).toMatchObject({ overdue: true, supervision: 'daily' });
    // 5 working days later (at most 9 days with a holiday week-end), still unreported: posted supervision (挂牌).
    await env.sleep('9 days');
    const state = await waitFor(handle, (current) => current.supervision !== 'daily');
    expect(state.supervision).toBe('posted');
    expect(state.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['reminded', 'overdue', 'supervision-raised']),
    );
    expect(lastMirror('late').supervision).toBe('posted');
    await handle.terminate('test over');
  });
});
