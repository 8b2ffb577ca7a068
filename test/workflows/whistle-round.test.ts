import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WorkflowFailedError, WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AppendCaseEventsInput, createLifecycleActivities } from '../../activities/lifecycle.activities';
import type { Actor, LifecycleEvent, OpenTask } from '../../libs/domain/src/lifecycle';
import { BEIJING_LIFECYCLE_RULES } from '../../libs/domain/src/lifecycle/presets';
import { whistleRound } from '../../workflows';
import { ACTION_REFUSED } from '../../workflows/complaint-case/messages';
import {
  closeWhistleRoundSignal,
  rateWhistledDepartmentUpdate,
  reportWhistleUpdate,
  submitWhistleResultUpdate,
  WhistleRoundInput,
  whistleRoundQuery,
  WhistleRoundState,
  whistleRoundWorkflowId,
} from '../../workflows/whistle-round/messages';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { workflowCode } from '../support/workflow-bundle';

const RECORD = process.env.RECORD_HISTORIES === '1';
const actor = (unitId: string, unitKind: Actor['unitKind'], role: Actor['role'] = 'handler'): Actor => ({
  userId: `u-${unitId}-1`,
  role,
  unitId,
  unitKind,
});
/** 湖滨街道 whistles three departments of 东湖区; a unit that fails to report goes to the district committee. */
const whistler = actor('s-hubin', 'street');
const [URBAN, HOUSING, MARKET] = [
  'dept-donghu-urban-management',
  'dept-donghu-housing',
  'dept-donghu-market-regulation',
];
const dept = (id: string) => actor(id, 'department');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Local (UTC+8) wall-clock hour of an ISO instant. */
const localHour = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).getUTCHours();

describe('whistleRound (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'wf-whistle';
  /** Mirrored events by `<caseNo>/<stream>`, by sequence number; and every append call, in order. */
  const streams = new Map<string, Map<number, LifecycleEvent>>();
  /** The round's open tasks as last mirrored, by `<caseNo>/<round>`. */
  const whistleTasks = new Map<string, OpenTask[]>();
  const appends: AppendCaseEventsInput[] = [];
  let serial = 0;

  // Time skipping is global to a test server: each test gets its own.
  beforeEach(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
    const real = createLifecycleActivities({ dataSource: {} as DataSource });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      activities: {
        stampDeadline: real.stampDeadline,
        appendCaseEvents: async (input: AppendCaseEventsInput) => {
          appends.push(input);
          const key = `${input.caseNo}/${input.stream ?? 'case'}`;
          const stream = streams.get(key) ?? new Map<number, LifecycleEvent>();
          input.events.forEach((event, i) => stream.set(input.firstSeq + i, event));
          streams.set(key, stream);
        },
        syncWhistleTasks: async (input: { caseNo: string; round: number; tasks: OpenTask[] }) =>
          void whistleTasks.set(`${input.caseNo}/${input.round}`, input.tasks),
      },
    });
    running = worker.run();
  });

  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  /** Starts round 1 of a fresh case as its parent would, and waits until every report deadline is stamped. */
  async function startRound(overrides: Partial<WhistleRoundInput> = {}) {
    serial += 1;
    const caseNo = `20261123${String(800000 + serial)}`;
    const input: WhistleRoundInput = {
      caseNo,
      round: 1,
      whistler,
      departmentIds: [URBAN, HOUSING, MARKET],
      grade: 'red',
      reason: '商户占道经营、违建棚架，需城管、住建、市场监管联合执法',
      rules: BEIJING_LIFECYCLE_RULES.whistle,
      reminderFraction: BEIJING_LIFECYCLE_RULES.reminderFraction,
      resultDue: new Date((await env.currentTimeMs()) + 7 * DAY).toISOString(),
      escalationUnitId: 'cc-d-donghu',
      ...overrides,
    };
    const handle = await env.client.workflow.start(whistleRound, {
      workflowId: whistleRoundWorkflowId(caseNo, input.round),
      taskQueue,
      args: [input],
    });
    await until(handle, (state) => state.departments.every((d) => d.reportDeadline));
    return { handle, caseNo };
  }

  /** Polls the round's state until `ready` holds (activities and timers settle in real time). */
  async function until(handle: WorkflowHandle, ready: (state: WhistleRoundState) => boolean) {
    for (let i = 0; i < 100; i++) {
      const state = await handle.query(whistleRoundQuery);
      if (ready(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`round ${handle.workflowId} never reached the expected state`);
  }

  /** The round's mirrored events, checked to be numbered 1, 2, 3 … without gaps in their own stream. */
  function eventsOf(caseNo: string, stream = 'whistle-1'): LifecycleEvent[] {
    const bySeq = streams.get(`${caseNo}/${stream}`) ?? new Map<number, LifecycleEvent>();
    const seqs = [...bySeq.keys()].sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    return seqs.map((seq) => bySeq.get(seq)!);
  }

  const report = (handle: WorkflowHandle, by: Actor) =>
    handle.executeUpdate(reportWhistleUpdate, {
      args: [{ actor: by, action: { type: 'report', note: '已派员到场' } }],
    });
  const submit = (handle: WorkflowHandle, by: Actor, summary = '已完成联合执法') =>
    handle.executeUpdate(submitWhistleResultUpdate, { args: [{ actor: by, action: { type: 'result', summary } }] });
  const rate = (handle: WorkflowHandle, departmentId: string, score: number, by = whistler) =>
    handle.executeUpdate(rateWhistledDepartmentUpdate, {
      args: [{ actor: by, action: { type: 'rate', departmentId, score, comment: `评分 ${score}` } }],
    });
  /** The refusal code of a refused Update. */
  const refusal = async (attempt: Promise<unknown>) => {
    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe(ACTION_REFUSED);
    return cause.message.split(':')[0];
  };

  async function record(handle: WorkflowHandle, name: string) {
    if (!RECORD) return;
    const history = await handle.fetchHistory();
    mkdirSync(join(__dirname, '..', 'histories'), { recursive: true });
    writeFileSync(
      join(__dirname, '..', 'histories', `${name}.json`),
      `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`,
    );
  }

  it('should escalate a department that misses the red 30-minute limit, flag its late report and complete when all are rated', async () => {
    const { handle, caseNo } = await startRound();
    expect(handle.workflowId).toBe(`case-${caseNo}-whistle-1`);
    const opened = await handle.query(whistleRoundQuery);
    for (const { reportDeadline } of opened.departments) {
      expect(reportDeadline).toMatchObject({ kind: 'whistle-report', duration: 'PT30M' });
      expect(Date.parse(reportDeadline!.due) - Date.parse(reportDeadline!.from)).toBe(30 * MINUTE);
      expect(Date.parse(reportDeadline!.reminderAt!) - Date.parse(reportDeadline!.from)).toBe(24 * MINUTE);
    }
    await report(handle, dept(URBAN));
    await report(handle, dept(HOUSING));
    await env.sleep('31 minutes');
    const escalated = await until(handle, (state) => state.departments[2].escalated);
    expect(escalated.departments.map((d) => [d.escalated, d.escalatedTo])).toEqual([
      [false, undefined],
      [false, undefined],
      [true, 'cc-d-donghu'],
    ]);
    // The inbox shows what each department still owes: a result from the two that reported, a report from the third.
    const tasks = () =>
      (whistleTasks.get(`${caseNo}/1`) ?? []).map((t) => `${t.step}@${t.unitId}${t.overdue ? '!' : ''}`);
    expect(tasks()).toEqual([`whistle-result@${URBAN}`, `whistle-result@${HOUSING}`, `whistle-report@${MARKET}!`]);

    await report(handle, dept(MARKET));
    for (const id of [URBAN, HOUSING, MARKET]) await submit(handle, dept(id));
    await rate(handle, URBAN, 5);
    await rate(handle, HOUSING, 4);
    await rate(handle, MARKET, 2);
    const result = await handle.result();
    expect(result).toMatchObject({ caseNo, round: 1, grade: 'red', whistlerUnitId: 's-hubin', outcome: 'completed' });
    expect(result.outstanding).toEqual([]);
    expect(
      result.departments.map((d) => [d.departmentId, d.lateReport, d.escalated, d.rating?.score, d.overdue]),
    ).toEqual([
      [URBAN, false, false, 5, false],
      [HOUSING, false, false, 4, false],
      [MARKET, true, true, 2, false],
    ]);
    for (const d of result.departments) expect(d).toMatchObject({ summary: '已完成联合执法' });

    const events = eventsOf(caseNo);
    const timed = events.filter((e) => ['reminder', 'overdue', 'escalated'].includes(e.type));
    expect(timed.map((e) => [e.type, e.detail.departmentId])).toEqual([
      ['reminder', MARKET],
      ['overdue', MARKET],
      ['escalated', MARKET],
    ]);
    expect(timed[2].detail.committeeId).toBe('cc-d-donghu');
    expect(events.map((e) => e.type)).toEqual([
      'whistled',
      ...Array(3).fill('deadline-set'),
      'reported',
      'reported',
      'reminder',
      'overdue',
      'escalated',
      'reported',
      ...Array(3).fill('result-submitted'),
      ...Array(3).fill('rated'),
      'completed',
    ]);
    expect(events.find((e) => e.type === 'reported' && e.detail.departmentId === MARKET)?.detail.late).toBe(true);
    expect(appends.filter((a) => a.caseNo === caseNo).every((a) => a.stream === 'whistle-1')).toBe(true);
    await record(handle, 'whistle-red-escalated-late-report-completed-tasks');
  });

  it('should escalate the one department that never reports at the close of the next working day, then be closed by its case', async () => {
    // Ten days: more than one working day even across the longest public holiday.
    const resultDue = new Date((await env.currentTimeMs()) + 10 * DAY).toISOString();
    const { handle, caseNo } = await startRound({ grade: 'blue', resultDue });
    for (const id of [URBAN, HOUSING]) {
      await report(handle, dept(id));
      await submit(handle, dept(id), `${id} 已整改`);
    }
    await rate(handle, URBAN, 5);
    await rate(handle, HOUSING, 3);
    const due = (await handle.query(whistleRoundQuery)).departments[2].reportDeadline!.due;
    expect(localHour(due)).toBe(18);
    expect(due < resultDue).toBe(true);
    await env.sleep(Date.parse(resultDue) - (await env.currentTimeMs()) + 60 * MINUTE);
    const state = await until(handle, (s) => s.departments[2].overdue);
    expect(state.phase).toBe('open');
    expect(state.departments[2]).toMatchObject({ escalated: true, escalatedTo: 'cc-d-donghu', overdue: true });
    expect(state.departments.slice(0, 2).map((d) => d.overdue)).toEqual([false, false]);

    await handle.signal(closeWhistleRoundSignal, { reason: '案件已办结，街道收回吹哨' });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'closed', closeReason: '案件已办结，街道收回吹哨' });
    expect(result.outstanding).toEqual([{ departmentId: MARKET, missing: ['report', 'result', 'rating'] }]);
    expect(result.departments[2]).toMatchObject({ escalated: true, overdue: true, lateReport: false });
    expect(result.departments[2].reportedAt).toBeUndefined();

    const events = eventsOf(caseNo);
    const escalation = events.find((e) => e.type === 'escalated')!;
    // The escalation happens when the working-day limit closes (18:00 local), as soon as its timer fires.
    expect(escalation.detail).toEqual({
      departmentId: MARKET,
      committeeId: 'cc-d-donghu',
      reason: 'did not report within 1WD',
    });
    expect(Date.parse(escalation.at) - Date.parse(due)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(escalation.at) - Date.parse(due)).toBeLessThan(MINUTE);
    expect(events.filter((e) => e.type === 'overdue').map((e) => e.detail.kind)).toEqual([
      'whistle-report',
      'whistle-result',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'closed', detail: { reason: '案件已办结，街道收回吹哨' } });
    await record(handle, 'whistle-blue-escalated-closed-early-tasks');
  });

  it('should refuse actions with a reason code and change nothing', async () => {
    const { handle, caseNo } = await startRound();
    const before = await handle.query(whistleRoundQuery);
    const seen = eventsOf(caseNo).length;
    expect(await refusal(report(handle, dept('dept-donghu-water')))).toBe('WrongUnit');
    expect(await refusal(report(handle, actor(URBAN, 'department', 'operator')))).toBe('WrongRole');
    expect(await refusal(submit(handle, dept(URBAN)))).toBe('WrongState');
    expect(await refusal(rate(handle, URBAN, 5))).toBe('WrongState');
    const mismatched = handle.executeUpdate(reportWhistleUpdate, {
      args: [{ actor: dept(URBAN), action: { type: 'result', summary: 'x' } as never }],
    });
    expect(await refusal(mismatched)).toBe('InvalidArgument');
    expect(await handle.query(whistleRoundQuery)).toEqual(before);
    expect(eventsOf(caseNo)).toHaveLength(seen);

    await report(handle, dept(URBAN));
    expect(await refusal(report(handle, dept(URBAN)))).toBe('WrongState');
    expect(await refusal(submit(handle, dept(URBAN), '  '))).toBe('InvalidArgument');
    await submit(handle, dept(URBAN));
    expect(await refusal(rate(handle, URBAN, 6))).toBe('InvalidArgument');
    expect(await refusal(rate(handle, URBAN, 5, actor('s-wenchang', 'street')))).toBe('WrongUnit');
    await rate(handle, URBAN, 5);
    expect(await refusal(rate(handle, URBAN, 4))).toBe('WrongState');
    expect((await handle.query(whistleRoundQuery)).departments[0].rating?.score).toBe(5);
    await handle.terminate('test done');
  });

  it('should fail a round its case should never have opened, with the refusal code', async () => {
    serial += 1;
    const caseNo = `20261123${String(800000 + serial)}`;
    const handle = await env.client.workflow.start(whistleRound, {
      workflowId: whistleRoundWorkflowId(caseNo, 1),
      taskQueue,
      args: [
        {
          caseNo,
          round: 1,
          whistler,
          departmentIds: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'],
          grade: 'blue',
          reason: '超过上限',
          rules: BEIJING_LIFECYCLE_RULES.whistle,
          reminderFraction: 0.8,
          resultDue: new Date((await env.currentTimeMs()) + DAY).toISOString(),
        },
      ],
    });
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause).toMatchObject({ type: ACTION_REFUSED, nonRetryable: true });
    expect(cause.message).toMatch(/^LimitReached: /);
  });
});
