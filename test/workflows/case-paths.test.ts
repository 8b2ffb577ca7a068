import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../../libs/domain/src/lifecycle';
import { complaintCase } from '../../workflows';
import {
  caseStateQuery,
  contactCitizenUpdate,
  ComplaintCaseInput,
  coordinateCaseUpdate,
  decideExtensionUpdate,
  requestExtensionUpdate,
  repeatContactSignal,
  resumeCaseUpdate,
  signCaseUpdate,
  suspendCaseUpdate,
  whistleCaseUpdate,
} from '../../workflows/complaint-case/messages';
import {
  rateWhistledDepartmentUpdate,
  reportWhistleUpdate,
  submitWhistleResultUpdate,
  whistleRoundQuery,
  whistleRoundWorkflowId,
} from '../../workflows/whistle-round/messages';
import { noiseComplaintInput } from '../support/case-fixtures';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { RecordedMirror, testCaseActivities } from '../support/workflow-activities';
import { workflowCode } from '../support/workflow-bundle';

const RECORD = process.env.RECORD_HISTORIES === '1';
const street: Actor = { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin', unitKind: 'street' };
const dept = (unitId: string): Actor => ({ userId: `u-${unitId}`, role: 'handler', unitId, unitKind: 'department' });
const [URBAN, HOUSING, MARKET] = ['dept-urban-management', 'dept-housing', 'dept-market-regulation'];

/** Monday 23 November 2026, 10:00 in Shanghai: the clock of every test's server starts near here. */
describe('complaintCase paths: intake outcomes, suspension, repeats, whistle (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let mirror: RecordedMirror;
  const taskQueue = 'wf-case-paths';
  let serial = 0;

  // Each test skips its own clock, so each gets its own test server.
  beforeEach(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
    const test = testCaseActivities();
    mirror = test.mirror;
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      activities: test.activities,
    });
    running = worker.run();
  });

  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  function newCaseNo(): string {
    serial += 1;
    return `20261123${String(800000 + serial)}`;
  }

  async function start(change: Partial<ComplaintCaseInput> = {}): Promise<WorkflowHandle<typeof complaintCase>> {
    const caseNo = newCaseNo();
    return env.client.workflow.start(complaintCase, {
      workflowId: `case-${caseNo}`,
      taskQueue,
      args: [{ ...noiseComplaintInput(caseNo), ...change }],
    });
  }

  async function until(handle: WorkflowHandle<typeof complaintCase>, stage: string) {
    for (let i = 0; i < 100; i++) {
      if ((await handle.query(caseStateQuery)).stage === stage) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`case never reached ${stage}`);
  }

  const eventsOf = (caseNo: string, stream?: string) =>
    mirror.events.get(stream ? `${caseNo}/${stream}` : caseNo) ?? [];

  async function record(handle: WorkflowHandle, name: string) {
    if (!RECORD) return;
    const history = await handle.fetchHistory();
    mkdirSync(join(__dirname, '..', 'histories'), { recursive: true });
    writeFileSync(
      join(__dirname, '..', 'histories', `${name}.json`),
      `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`,
    );
  }

  it.each([
    ['an emergency diverted to 119', { emergencyType: 'fire' as const }, 'emergency-diverted', { channel: '119' }],
    [
      'an inadmissible matter, telling the channel',
      { inadmissibleReason: 'litigation' as const },
      'inadmissible',
      {
        channel: { code: 'court' },
      },
    ],
  ])('should close %s at intake without dispatching it', async (_title, intake, outcome, detail) => {
    const handle = await start({ intake });
    const snapshot = await handle.result();
    expect(snapshot).toMatchObject({ status: 'closed', stage: 'closed', lifecycle: { phase: 'closed', outcome } });
    expect(snapshot.lifecycle?.timestamps.dispatched).toBeUndefined();
    const events = eventsOf(snapshot.caseNo);
    expect(events.map((event) => event.type)).toEqual([outcome, 'closed']);
    expect(events[0].detail).toMatchObject(detail);
    expect(mirror.projections.get(snapshot.caseNo)).toMatchObject({ phase: 'closed', outcome });
  });

  it('should answer a consultation at intake from the knowledge base when the caller accepts it', async () => {
    const caseNo = newCaseNo();
    const input = noiseComplaintInput(caseNo);
    const handle = await env.client.workflow.start(complaintCase, {
      workflowId: `case-${caseNo}`,
      taskQueue,
      args: [
        {
          ...input,
          facts: { ...input.facts, kind: 'consultation', category: 'garbage-sorting' },
          intake: { callerAcceptsAnswer: true },
        },
      ],
    });
    const snapshot = await handle.result();
    expect(snapshot.lifecycle).toMatchObject({ phase: 'closed', outcome: 'answered-at-intake' });
    const answered = eventsOf(caseNo)[0];
    expect(answered).toMatchObject({ type: 'answered-at-intake', detail: { category: 'garbage-sorting' } });
    expect(String(answered.detail.answer).length).toBeGreaterThan(10);
  });

  it('should stop the handling clock while suspended over a weekend and lay the rest on the calendar on resume', async () => {
    const handle = await start();
    await until(handle, 'awaiting-sign');
    await handle.executeUpdate(signCaseUpdate, { args: [{ actor: street, action: { type: 'sign' } }] });
    await handle.executeUpdate(contactCitizenUpdate, { args: [{ actor: street, action: { type: 'contact' } }] });
    const before = (await handle.query(caseStateQuery)).lifecycle!.deadlines.handle!;
    const suspended = await handle.executeUpdate(suspendCaseUpdate, {
      args: [{ actor: street, action: { type: 'suspend', reason: '等待市民补充材料' } }],
    });
    expect(suspended.lifecycle?.suspension?.paused).toEqual([
      { kind: 'handle', duration: '7WD', remainingMs: expect.any(Number) },
    ]);
    expect(suspended.lifecycle?.deadlines.handle).toBeUndefined();
    await env.sleep('5 days'); // includes a weekend: no working time passes while suspended
    const resumed = await handle.executeUpdate(resumeCaseUpdate, {
      args: [{ actor: street, action: { type: 'resume', reason: '材料已补齐' } }],
    });
    const after = resumed.lifecycle!.deadlines.handle!;
    expect(Date.parse(after.due)).toBeGreaterThan(Date.parse(before.due));
    expect(resumed.lifecycle?.overdue).toBe(false);
    expect(eventsOf(resumed.caseNo).map((event) => event.type)).toEqual(
      expect.arrayContaining(['suspended', 'resumed']),
    );
    await handle.terminate('test done');
  });

  it('should raise priority on repeat contacts and put the case under daily supervision at five', async () => {
    const handle = await start();
    await until(handle, 'awaiting-sign');
    await handle.signal(repeatContactSignal, { repeatCount: 1, priority: 'elevated', matchedBy: 'radius' });
    await handle.signal(repeatContactSignal, {
      repeatCount: 5,
      priority: 'high',
      supervision: 'daily',
      matchedBy: 'address',
      caseNo: '20261123000042',
    });
    const caseNo = (await handle.query(caseStateQuery)).caseNo;
    const repeatEvents = () => eventsOf(caseNo).filter((e) => e.type === 'repeat-contact');
    for (let i = 0; i < 50 && repeatEvents().length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const state = (await handle.query(caseStateQuery)).lifecycle!;
    expect(state).toMatchObject({ repeatCount: 5, priority: 'high', supervision: 'daily' });
    expect(mirror.projections.get(caseNo)).toMatchObject({ repeatCount: 5, priority: 'high', supervision: 'daily' });
    const repeats = repeatEvents();
    expect(repeats.map((event) => event.detail.linkedCaseNo)).toEqual([undefined, '20261123000042']);
    await handle.terminate('test done');
  });

  it('should whistle three departments, escalate the one that never reports and record the rated round', async () => {
    const handle = await start();
    const caseNo = (await handle.query(caseStateQuery)).caseNo;
    await until(handle, 'awaiting-sign');
    await handle.executeUpdate(signCaseUpdate, { args: [{ actor: street, action: { type: 'sign' } }] });
    await handle.executeUpdate(contactCitizenUpdate, { args: [{ actor: street, action: { type: 'contact' } }] });
    const whistled = await handle.executeUpdate(whistleCaseUpdate, {
      args: [
        {
          actor: street,
          action: {
            type: 'whistle',
            departmentIds: [URBAN, HOUSING, MARKET],
            grade: 'blue',
            reason: '噪声源涉及违建与无照经营',
          },
        },
      ],
    });
    expect(whistled.lifecycle?.whistleRounds).toMatchObject([{ round: 1, status: 'open', grade: 'blue' }]);
    const round = env.client.workflow.getHandle(whistleRoundWorkflowId(caseNo, 1));
    for (let i = 0; i < 50; i++) {
      try {
        await round.query(whistleRoundQuery);
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    for (const id of [URBAN, HOUSING]) {
      await round.executeUpdate(reportWhistleUpdate, { args: [{ actor: dept(id), action: { type: 'report' } }] });
      await round.executeUpdate(submitWhistleResultUpdate, {
        args: [{ actor: dept(id), action: { type: 'result', summary: `${id} 已处置` } }],
      });
      await round.executeUpdate(rateWhistledDepartmentUpdate, {
        args: [{ actor: street, action: { type: 'rate', departmentId: id, score: 5 } }],
      });
    }
    await env.sleep('4 days'); // the blue grade's 1-working-day report limit passes for the third department
    const escalatedState = await round.query(whistleRoundQuery);
    expect(escalatedState.departments.find((d) => d.departmentId === MARKET)).toMatchObject({
      escalated: true,
      escalatedTo: 'cc-d-donghu',
    });
    await round.executeUpdate(reportWhistleUpdate, { args: [{ actor: dept(MARKET), action: { type: 'report' } }] });
    await round.executeUpdate(submitWhistleResultUpdate, {
      args: [{ actor: dept(MARKET), action: { type: 'result', summary: '已取缔无照经营' } }],
    });
    await round.executeUpdate(rateWhistledDepartmentUpdate, {
      args: [{ actor: street, action: { type: 'rate', departmentId: MARKET, score: 2, comment: '未按时报到' } }],
    });
    await round.result();
    let rounds = (await handle.query(caseStateQuery)).lifecycle!.whistleRounds;
    for (let i = 0; i < 50 && rounds[0].status === 'open'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rounds = (await handle.query(caseStateQuery)).lifecycle!.whistleRounds;
    }
    expect(rounds[0]).toMatchObject({ status: 'completed' });
    const finished = eventsOf(caseNo).find((event) => event.type === 'whistle-round-finished');
    expect(finished?.detail.departments).toEqual([
      expect.objectContaining({ departmentId: URBAN, reported: true, escalated: false, score: 5 }),
      expect.objectContaining({ departmentId: HOUSING, reported: true, escalated: false, score: 5 }),
      expect.objectContaining({ departmentId: MARKET, lateReport: true, escalated: true, score: 2 }),
    ]);
    expect(eventsOf(caseNo, 'whistle-1').map((event) => event.type)).toEqual(expect.arrayContaining(['escalated']));
    if (!process.env.KEEP_V2_WHISTLE_HISTORY) await record(handle, 'case-whistled-three-one-never-reports');
    await handle.terminate('test done');
  });

  it('should let the community committee hand an escalated case to another unit under its rung deadline', async () => {
    const handle = await start();
    await until(handle, 'awaiting-sign');
    await env.sleep('12 days'); // the 7-working-day handling deadline passes: the community committee takes it up
    const escalated = (await handle.query(caseStateQuery)).lifecycle!;
    expect(escalated).toMatchObject({ escalationLevel: 'community', escalationUnitId: 'cc-c-xiyuan' });
    const coordinator: Actor = {
      userId: 'u-cc-xiyuan',
      role: 'coordinator',
      unitId: 'cc-c-xiyuan',
      unitKind: 'committee',
    };
    const after = await handle.executeUpdate(coordinateCaseUpdate, {
      args: [
        {
          actor: coordinator,
          action: { type: 'coordinate', instruction: '改由住建部门办理', reassignTo: 'dept-housing' },
        },
      ],
    });
    expect(after.lifecycle).toMatchObject({
      phase: 'awaiting-sign',
      leadUnitId: 'dept-housing',
      escalationLevel: 'community',
      deadlines: { escalation: { duration: '3WD' }, sign: { duration: '1WD' } },
    });
    await handle.executeUpdate(signCaseUpdate, { args: [{ actor: dept('dept-housing'), action: { type: 'sign' } }] });
    await handle.terminate('test done');
  });

  it("should move an open whistle round's result deadline when the case's extension is approved", async () => {
    const handle = await start();
    const caseNo = (await handle.query(caseStateQuery)).caseNo;
    await until(handle, 'awaiting-sign');
    await handle.executeUpdate(signCaseUpdate, { args: [{ actor: street, action: { type: 'sign' } }] });
    await handle.executeUpdate(contactCitizenUpdate, { args: [{ actor: street, action: { type: 'contact' } }] });
    await handle.executeUpdate(whistleCaseUpdate, {
      args: [
        { actor: street, action: { type: 'whistle', departmentIds: [HOUSING], grade: 'blue', reason: '联合处置' } },
      ],
    });
    const round = env.client.workflow.getHandle(whistleRoundWorkflowId(caseNo, 1));
    await eventuallyQuery(() => round.query(whistleRoundQuery));
    await handle.executeUpdate(requestExtensionUpdate, {
      args: [{ actor: street, action: { type: 'requestExtension', workingDays: 5, reason: '等待配件' } }],
    });
    const operator: Actor = { userId: 'u-centre', role: 'operator', unitId: 'centre-12345' };
    const extended = await handle.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: operator, action: { type: 'decideExtension', approved: true, reason: '同意' } }],
    });
    const newDue = extended.lifecycle!.deadlines.handle!.due;
    let state = await round.query(whistleRoundQuery);
    for (let i = 0; i < 50 && state.resultDeadline.due !== newDue; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await round.query(whistleRoundQuery);
    }
    expect(state.resultDeadline.due).toBe(newDue);
    await record(handle, 'case-whistle-result-follows-extension');
    await handle.terminate('test done');
  });
});

/** Retries a query until the workflow exists (a child starts a moment after the Update that opened it). */
async function eventuallyQuery<T>(query: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await query();
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
