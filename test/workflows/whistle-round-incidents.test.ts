import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import {
  AppendCaseEventsInput,
  createLifecycleActivities,
  RaiseIncidentInput,
} from '../../activities/lifecycle.activities';
import type { Actor, LifecycleEvent, OpenTask } from '../../libs/domain/src/lifecycle';
import { BEIJING_LIFECYCLE_RULES } from '../../libs/domain/src/lifecycle/presets';
import { whistleRound } from '../../workflows';
import { MIRROR_REJECTED, resolveIncidentSignal, retryIncidentsSignal } from '../../workflows/complaint-case/messages';
import {
  reportWhistleUpdate,
  WhistleRoundInput,
  whistleRoundQuery,
  whistleRoundWorkflowId,
} from '../../workflows/whistle-round/messages';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { workflowCode } from '../support/workflow-bundle';

const actor = (unitId: string, unitKind: Actor['unitKind']): Actor => ({
  userId: `u-${unitId}-1`,
  role: 'handler',
  unitId,
  unitKind,
});
const whistler = actor('s-hubin', 'street');
const [URBAN, HOUSING] = ['dept-donghu-urban-management', 'dept-donghu-housing'];
const DAY = 24 * 3600_000;

/**
 * A whistle round's mirror write PostgreSQL refuses for its content (a poison pill in a department's note) must not
 * wedge the round: it raises an incident for the round's workflow, keeps answering, and writes the refused events
 * once retried after a fix.
 */
describe('whistle-round incidents (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let poisonAccepted = false;
  const appended = new Map<string, Map<number, LifecycleEvent>>();
  const incidents: RaiseIncidentInput[] = [];
  const settled: string[] = [];
  const tasks = new Map<string, OpenTask[]>();
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
    const real = createLifecycleActivities({ dataSource: {} as DataSource });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'wf-whistle-incidents',
      ...workflowCode(),
      activities: {
        stampDeadline: real.stampDeadline,
        // Stands in for PostgreSQL refusing the poisoned note until "the fix" is deployed.
        appendCaseEvents: async (input: AppendCaseEventsInput) => {
          const poisoned = input.events.some((event) => JSON.stringify(event.detail ?? {}).includes('POISON'));
          if (poisoned && !poisonAccepted) {
            throw ApplicationFailure.nonRetryable('invalid byte sequence for encoding "UTF8": 0x00', MIRROR_REJECTED);
          }
          const key = `${input.caseNo}/${input.stream ?? 'case'}`;
          const stream = appended.get(key) ?? new Map<number, LifecycleEvent>();
          input.events.forEach((event, i) => stream.set(input.firstSeq + i, event));
          appended.set(key, stream);
        },
        syncWhistleTasks: async (input: { caseNo: string; round: number; tasks: OpenTask[] }) =>
          void tasks.set(`${input.caseNo}/${input.round}`, input.tasks),
        raiseIncident: async (input: RaiseIncidentInput) => void incidents.push(input),
        settleIncident: async ({ key }: { caseNo: string; key: string }) => void settled.push(key),
      },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  const waitFor = async (ready: () => boolean | Promise<boolean>, what: string) => {
    for (let i = 0; i < 200; i++) {
      if (await ready()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`never happened: ${what}`);
  };

  it('should raise an incident for a refused mirror write, go on answering, and write it once retried', async () => {
    const caseNo = '20261123890001';
    const input: WhistleRoundInput = {
      caseNo,
      round: 1,
      whistler,
      departmentIds: [URBAN, HOUSING],
      grade: 'blue',
      reason: '占道经营，需城管、住建到场',
      rules: BEIJING_LIFECYCLE_RULES.whistle,
      reminderFraction: BEIJING_LIFECYCLE_RULES.reminderFraction,
      resultDue: new Date((await env.currentTimeMs()) + 7 * DAY).toISOString(),
      escalationUnitId: 'cc-d-donghu',
    };
    const handle = await env.client.workflow.start(whistleRound, {
      workflowId: whistleRoundWorkflowId(caseNo, 1),
      taskQueue: 'wf-whistle-incidents',
      args: [input],
    });
    await waitFor(async () => {
      const state = await handle.query(whistleRoundQuery);
      return state.departments.every((d) => d.reportDeadline);
    }, 'the report deadlines are stamped');
    const report = (departmentId: string, note: string) =>
      handle.executeUpdate(reportWhistleUpdate, {
        args: [{ actor: actor(departmentId, 'department'), action: { type: 'report', note } }],
      });

    // The poisoned report is applied; its mirror write is refused and becomes an incident of the round.
    const poisoned = await report(URBAN, 'POISON');
    expect(poisoned.departments.find((d) => d.departmentId === URBAN)?.reportedAt).toBeDefined();
    expect(incidents).toEqual([
      expect.objectContaining({
        caseNo,
        workflowId: handle.workflowId,
        step: 'appendCaseEvents',
        errorType: MIRROR_REJECTED,
        key: expect.stringMatching(/^appendCaseEvents:whistle-1:\d+$/),
      }),
    ]);
    const types = () => [...(appended.get(`${caseNo}/whistle-1`)?.values() ?? [])].map((event) => event.type);
    const reportsOf = () =>
      [...(appended.get(`${caseNo}/whistle-1`)?.values() ?? [])]
        .filter((event) => event.type === 'reported')
        .map((event) => JSON.stringify(event.detail));
    expect(reportsOf().some((detail) => detail.includes('POISON'))).toBe(false);

    // The round still answers: a query, and the next department's report, which is mirrored.
    expect((await handle.query(whistleRoundQuery)).phase).toBe('open');
    const next = await report(HOUSING, '已派员到场');
    expect(next.departments.every((d) => d.reportedAt)).toBe(true);
    expect(reportsOf().some((detail) => detail.includes('已派员到场'))).toBe(true);
    expect(tasks.get(`${caseNo}/1`)?.map((task) => `${task.step}@${task.unitId}`)).toEqual([
      `whistle-result@${URBAN}`,
      `whistle-result@${HOUSING}`,
    ]);

    // After the fix, a retry writes the refused events (the stream has no gap) and settles the incident.
    poisonAccepted = true;
    await handle.signal(retryIncidentsSignal);
    await waitFor(() => settled.length > 0, 'the incident is settled');
    expect(settled).toEqual([incidents[0].key]);
    expect(reportsOf().some((detail) => detail.includes('POISON'))).toBe(true);
    const seqs = [...(appended.get(`${caseNo}/whistle-1`)?.keys() ?? [])].sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(types().filter((type) => type === 'reported')).toHaveLength(2);

    // A resolve signal for a key the round no longer holds is harmless.
    await handle.signal(resolveIncidentSignal, { key: incidents[0].key });
    expect((await handle.query(whistleRoundQuery)).phase).toBe('open');
    await handle.terminate('test done');
  });
});
