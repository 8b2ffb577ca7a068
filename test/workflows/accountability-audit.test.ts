import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseProjection } from '../../activities/lifecycle.activities';
import { auditDraw } from '../../libs/domain/src/lifecycle/case-lifecycle';
import type { Actor, LifecycleEvent, Satisfaction } from '../../libs/domain/src/lifecycle';
import { DEMO_CITY } from '../../libs/domain/src/org/demo-city';
import { PRESET_IDS, PresetId, toLifecycleRules } from '../../libs/domain/src/rules';
import { DEMO_PRESETS as PRESETS } from '../../libs/persistence/src/seed/demo-presets';
import { complaintCase } from '../../workflows';
import {
  caseStateQuery,
  contactCitizenUpdate,
  decideAccountabilityUpdate,
  recordAuditCallbackUpdate,
  recordCallbackUpdate,
  replyCaseUpdate,
  reviewReplyUpdate,
  signCaseUpdate,
} from '../../workflows/complaint-case/messages';
import { noiseComplaintInput } from '../support/case-fixtures';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { testCaseActivities } from '../support/workflow-activities';
import { workflowCode } from '../support/workflow-bundle';

type Handle = WorkflowHandle<typeof complaintCase>;

const RECORD = process.env.RECORD_HISTORIES === '1';

/** With RECORD_HISTORIES=1, writes the case's history to test/histories/<name>.json for the replay test. */
async function record(handle: Handle, name: string): Promise<void> {
  if (!RECORD) return;
  const history = await handle.fetchHistory();
  mkdirSync(join(__dirname, '..', 'histories'), { recursive: true });
  writeFileSync(
    join(__dirname, '..', 'histories', `${name}.json`),
    `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`,
  );
}

/**
 * The accountability step and audit call-backs (issue 11) on the engine: a case pinned to a preset's rules, routed by
 * its catalogue on the demo city, whose second dissatisfaction goes to the discipline office (o-discipline-office,
 * found by function above the case's place) and ends in its handler's decision; and `suyu`'s audit call-backs, which
 * keep a closed case's workflow running until the service centre has called the citizen back again.
 */
describe('accountability and audit call-backs (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let events = new Map<string, LifecycleEvent[]>();
  let projections = new Map<string, CaseProjection>();
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue = '';
  let serial = 0;
  const operator: Actor = { userId: 'u-centre', role: 'operator', unitId: 'centre-12345' };
  const office: Actor = { userId: 'u-discipline', role: 'handler', unitId: 'o-discipline-office' };

  beforeEach(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  /** Starts a worker routing by preset `id`'s catalogue and a case pinned to its rules; waits for dispatch. */
  async function startCase(id: PresetId, caseNo?: string): Promise<{ handle: Handle; lead: Actor }> {
    const definition = PRESETS[id];
    taskQueue = `wf-accountability-${id}-${++serial}`;
    const test = testCaseActivities({}, { catalogues: async () => definition.routing });
    events = test.mirror.events;
    projections = test.mirror.projections;
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      activities: test.activities,
    });
    running = worker.run();
    const no = caseNo ?? `20261124${String(860000 + serial)}`;
    const input = noiseComplaintInput(no);
    const handle = await env.client.workflow.start(complaintCase, {
      workflowId: `case-${no}`,
      taskQueue,
      args: [
        {
          ...noiseComplaintInput(no),
          // At a grid: ningbo-dl dispatches to the grid.
          facts: { ...input.facts, place: { ...input.facts.place, gridId: 'g-xiyuan-1' } },
          rulesVersion: `${id}@1`,
          rules: toLifecycleRules(definition),
        },
      ],
    });
    for (let i = 0; i < 300 && (await handle.query(caseStateQuery)).stage !== 'awaiting-sign'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const leadUnitId = (await handle.query(caseStateQuery)).lifecycle!.leadUnitId!;
    const lead: Actor = {
      userId: 'u-lead',
      role: 'handler',
      unitId: leadUnitId,
      unitKind: DEMO_CITY.byId.get(leadUnitId)!.kind,
    };
    await handle.executeUpdate(signCaseUpdate, { args: [{ actor: lead, action: { type: 'sign' } }] });
    await handle.executeUpdate(contactCitizenUpdate, { args: [{ actor: lead, action: { type: 'contact' } }] });
    return { handle, lead };
  }

  /** The lead replies `solved`, the centre accepts and calls the citizen back with this answer. */
  async function replyAndCallBack(handle: Handle, lead: Actor, solved: boolean, satisfaction: Satisfaction) {
    await handle.executeUpdate(replyCaseUpdate, {
      args: [{ actor: lead, action: { type: 'reply', result: 'solved', summary: '已协调商户夜间停业' } }],
    });
    await handle.executeUpdate(reviewReplyUpdate, {
      args: [{ actor: operator, action: { type: 'review', accepted: true } }],
    });
    return handle.executeUpdate(recordCallbackUpdate, {
      args: [{ actor: operator, action: { type: 'callback', reached: true, solved, satisfaction } }],
    });
  }

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((error as WorkflowUpdateFailedError).cause as Error).message.split(':')[0];
  };

  const typesOf = (caseNo: string) => (events.get(caseNo) ?? []).map((event) => event.type);

  /** Case numbers of this test run drawn (or not) for `suyu`'s audit by its fraction. */
  const fraction = PRESETS.suyu.lifecycle.callback.audit!.fraction;
  const serials = Array.from({ length: 100 }, (_, i) => `20261125${String(870000 + i)}`);
  const sampledNo = serials.find((caseNo) => auditDraw(caseNo) < fraction)!;
  const unsampledNo = serials.find((caseNo) => auditDraw(caseNo) >= fraction)!;

  it("suyu: a case dissatisfied twice goes to the discipline office, overdue past its deadline, and closes on its handler's decision", async () => {
    const { handle, lead } = await startCase('suyu');
    const caseNo = handle.workflowId.slice('case-'.length);
    const first = await replyAndCallBack(handle, lead, false, 'dissatisfied');
    expect(first.lifecycle).toMatchObject({ phase: 'handling', rehandles: 1 });
    const second = await replyAndCallBack(handle, lead, false, 'very-dissatisfied');
    expect(second.lifecycle).toMatchObject({
      phase: 'accountability',
      accountability: { unitId: 'o-discipline-office', target: 'discipline-office', role: 'handler' },
    });
    expect(second.lifecycle?.deadlines.accountability?.duration).toBe('10WD');
    const tasks = projections.get(caseNo)?.tasks ?? [];
    expect(tasks).toEqual([
      expect.objectContaining({ step: 'accountability-decision', unitId: 'o-discipline-office', role: 'handler' }),
    ]);

    // Only the office decides; the lead unit may not decide on itself.
    const decide = (actor: Actor, responsible: boolean) =>
      handle.executeUpdate(decideAccountabilityUpdate, {
        args: [
          { actor, action: { type: 'decideAccountability', responsible, decision: '承办单位未按承诺整改，责任成立' } },
        ],
      });
    expect(await refusal(decide(lead, false))).toBe('WrongUnit');

    // 10 working days pass undecided: the office is overdue (and told), the case still before it.
    await env.sleep('20 days');
    const overdue = await handle.query(caseStateQuery);
    expect(overdue.lifecycle).toMatchObject({ phase: 'accountability', overdue: true });
    expect(
      events
        .get(caseNo)
        ?.filter((e) => e.type === 'overdue')
        .at(-1)?.detail,
    ).toMatchObject({
      kind: 'accountability',
      unitId: 'o-discipline-office',
    });

    await decide(office, true);
    const result = await handle.result();
    expect(result.lifecycle).toMatchObject({
      phase: 'closed',
      outcome: 'accountability',
      accountability: { decision: { responsible: true } },
    });
    expect(typesOf(caseNo)).toEqual(
      expect.arrayContaining(['rehandling', 'accountability-escalated', 'accountability-decided', 'closed']),
    );
    const decided = events.get(caseNo)!.find((e) => e.type === 'accountability-decided')!;
    expect(decided.actor).toMatchObject({ unitId: 'o-discipline-office' });
    expect(decided.detail).toMatchObject({ responsible: true, unitId: lead.unitId });
    expect(projections.get(caseNo)?.tasks).toEqual([]);
    await record(handle, 'accountability-suyu-discipline-office-decides');
  });

  it('suyu: an audit call-back that contradicts the reported result flags the closed case, counting the audit answer', async () => {
    const { handle, lead } = await startCase('suyu', sampledNo);
    const closed = await replyAndCallBack(handle, lead, true, 'satisfied');
    expect(closed.lifecycle).toMatchObject({
      phase: 'closed',
      outcome: 'satisfied',
      audit: { status: 'pending', reportedResult: 'solved' },
    });
    expect(closed.lifecycle?.deadlines.audit?.duration).toBe('5WD');
    expect(projections.get(sampledNo)?.tasks).toEqual([
      expect.objectContaining({ step: 'audit-callback', unitId: 'centre-12345', role: 'operator' }),
    ]);
    expect(events.get(sampledNo)?.find((e) => e.type === 'audit-sampled')?.detail).toEqual({
      sampled: true,
      draw: auditDraw(sampledNo),
      fraction,
      sampling: 'case-number-hash',
    });

    await handle.executeUpdate(recordAuditCallbackUpdate, {
      args: [
        {
          actor: operator,
          action: {
            type: 'auditCallback',
            reached: true,
            solved: false,
            satisfaction: 'dissatisfied',
            note: '噪声仍在',
          },
        },
      ],
    });
    const result = await handle.result();
    expect(result.lifecycle?.audit).toMatchObject({ status: 'contradicted', answer: { solved: false } });
    expect(events.get(sampledNo)?.find((e) => e.type === 'audit-flagged')?.detail).toEqual({
      unitId: lead.unitId,
      reportedResult: 'solved',
      effect: 'audit-answer',
      scored: { solved: false, satisfaction: 'dissatisfied' },
    });
    expect(projections.get(sampledNo)?.tasks).toEqual([]);
    await record(handle, 'audit-suyu-contradicted-flagged');
  });

  it('suyu: a case the draw leaves out ends at its close, with the draw on its record', async () => {
    const { handle, lead } = await startCase('suyu', unsampledNo);
    await replyAndCallBack(handle, lead, true, 'very-satisfied');
    expect((await handle.result()).lifecycle?.audit).toBeUndefined();
    expect(events.get(unsampledNo)?.find((e) => e.type === 'audit-sampled')?.detail).toMatchObject({
      sampled: false,
      draw: auditDraw(unsampledNo),
    });
  });

  it('suyu: a sampled case nobody calls back again lapses unflagged at the audit deadline', async () => {
    const caseNo = serials.filter((no) => auditDraw(no) < fraction)[1];
    const { handle, lead } = await startCase('suyu', caseNo);
    await replyAndCallBack(handle, lead, true, 'satisfied');
    await env.sleep('10 days');
    const result = await handle.result();
    expect(result.lifecycle?.audit?.status).toBe('lapsed');
    expect(typesOf(caseNo)).toContain('audit-lapsed');
    expect(typesOf(caseNo)).not.toContain('audit-flagged');
  });

  // One test per preset: each states its accountability rule (and suyu its audit call-backs), and the engine runs it.
  it.each(PRESET_IDS.map((id) => [id]))(
    '%s: the citizen dissatisfied after the last re-handling sends the case to the office its definition names',
    async (id) => {
      const definition = PRESETS[id];
      const { target, deadline } = definition.lifecycle.accountability;
      const { handle, lead } = await startCase(id);
      for (let round = 0; round < definition.lifecycle.rehandle.maxCount; round++) {
        expect((await replyAndCallBack(handle, lead, false, 'dissatisfied')).lifecycle?.phase).toBe('handling');
      }
      const state = (await replyAndCallBack(handle, lead, false, 'dissatisfied')).lifecycle!;
      const body = DEMO_CITY.byId.get(state.accountability!.unitId)!;
      expect([state.phase, body.kind, body.kind === 'office' ? body.function : undefined]).toEqual([
        'accountability',
        'office',
        target,
      ]);
      expect(state.deadlines.accountability?.duration).toBe(deadline);
      // Only suyu audits closed cases (民意访评).
      expect(toLifecycleRules(definition).callback.audit !== undefined).toBe(id === 'suyu');
    },
  );
});
