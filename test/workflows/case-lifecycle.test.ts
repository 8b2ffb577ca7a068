import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseProjection } from '../../activities/lifecycle.activities';
import type { Actor, LifecycleEvent } from '../../libs/domain/src/lifecycle';
import { complaintCase } from '../../workflows';
import {
  caseStateQuery,
  contactCitizenUpdate,
  decideExtensionUpdate,
  recordCallbackUpdate,
  redispatchCaseUpdate,
  replyCaseUpdate,
  requestExtensionUpdate,
  returnCaseUpdate,
  reviewReplyUpdate,
  signCaseUpdate,
} from '../../workflows/complaint-case/messages';
import { noiseComplaintInput } from '../support/case-fixtures';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { testCaseActivities } from '../support/workflow-activities';
import { workflowCode } from '../support/workflow-bundle';

const RECORD = process.env.RECORD_HISTORIES === '1';
const handler: Actor = { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin' };
const otherHandler: Actor = { userId: 'u-wenchang-1', role: 'handler', unitId: 's-wenchang' };
const operator: Actor = { userId: 'u-centre-1', role: 'operator', unitId: 'centre-12345' };

/** Local (UTC+8) wall-clock hour of an ISO instant, and whether that day is Saturday or Sunday. */
const localHour = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).getUTCHours();

describe('complaintCase lifecycle (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'wf-lifecycle';
  let events = new Map<string, LifecycleEvent[]>();
  let projections = new Map<string, CaseProjection>();
  let serial = 0;

  // Time skipping is global to a test server, so each test gets its own: one test's skipped months must not
  // move another test's clock.
  beforeEach(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
    const test = testCaseActivities();
    events = test.mirror.events;
    projections = test.mirror.projections;
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

  async function startCase(): Promise<WorkflowHandle<typeof complaintCase>> {
    serial += 1;
    const caseNo = `20261123${String(700000 + serial)}`;
    const handle = await env.client.workflow.start(complaintCase, {
      workflowId: `case-${caseNo}`,
      taskQueue,
      args: [noiseComplaintInput(caseNo)],
    });
    // Let intake and dispatch run before acting.
    for (let i = 0; i < 50; i++) {
      if ((await handle.query(caseStateQuery)).stage === 'awaiting-sign') return handle;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('case was never dispatched');
  }

  const typesOf = (caseNo: string) => (events.get(caseNo) ?? []).map((event) => event.type);

  async function record(handle: WorkflowHandle, name: string) {
    if (!RECORD) return;
    const history = await handle.fetchHistory();
    mkdirSync(join(__dirname, '..', 'histories'), { recursive: true });
    writeFileSync(
      join(__dirname, '..', 'histories', `${name}.json`),
      `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`,
    );
  }

  it('should dispatch directly to the street with a copy to its district and stamp working-day deadlines', async () => {
    const handle = await startCase();
    const state = (await handle.query(caseStateQuery)).lifecycle!;
    expect(state).toMatchObject({ phase: 'awaiting-sign', leadUnitId: 's-hubin', copyUnitIds: ['d-donghu'] });
    expect(state.deadlines.handle).toMatchObject({
      duration: '7WD',
      calendarId: expect.stringMatching(/^cn-mainland/),
    });
    expect(localHour(state.deadlines.handle!.due)).toBe(18);
    await handle.terminate('test done');
  });

  it('should climb community → street → district → city on working days when the case is ignored', async () => {
    const handle = await startCase();
    await env.sleep('45 days');
    const snapshot = await handle.query(caseStateQuery);
    expect(snapshot.lifecycle).toMatchObject({ escalationLevel: 'city', supervision: 'interview', overdue: true });
    const escalations = (events.get(snapshot.caseNo) ?? []).filter((event) => event.type === 'escalated');
    expect(escalations.map((event) => event.detail.level)).toEqual(['community', 'street', 'district', 'city']);
    expect(escalations.map((event) => event.detail.unitId)).toEqual([
      'cc-c-xiyuan',
      'cc-s-hubin',
      'cc-d-donghu',
      undefined,
    ]);
    for (const event of escalations) {
      // Every rung is reached when a working-day deadline closes: 18:00 local on a working day.
      expect(localHour(event.at)).toBe(18);
    }
    expect(typesOf(snapshot.caseNo)).toContain('reminder');
    // Still overdue: the overdue reminder the working day after expiry, then a supervision level every 5 WD.
    const supervision = (events.get(snapshot.caseNo) ?? []).filter((event) =>
      ['overdue-reminder', 'supervision-raised'].includes(event.type),
    );
    expect(supervision.map((event) => event.detail.level ?? event.type)).toEqual([
      'overdue-reminder',
      'daily',
      'posted',
      'interview',
    ]);
    for (const event of supervision) expect(localHour(event.at)).toBe(18);
    expect(projections.get(snapshot.caseNo)).toMatchObject({
      escalationLevel: 'city',
      supervision: 'interview',
      responsibleUnitId: 's-hubin',
    });
    await record(handle, 'lifecycle-ignored-climbs-ladder-v2');
    await handle.terminate('test done');
  });

  it('should refuse an action of another unit with a reason code and change nothing', async () => {
    const handle = await startCase();
    const before = await handle.query(caseStateQuery);
    const error = await handle
      .executeUpdate(signCaseUpdate, { args: [{ actor: otherHandler, action: { type: 'sign' } }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((error as WorkflowUpdateFailedError).cause?.message).toMatch(/^WrongUnit: /);
    const stateRefused = await handle
      .executeUpdate(replyCaseUpdate, {
        args: [{ actor: handler, action: { type: 'reply', result: 'solved', summary: 'x' } }],
      })
      .catch((e: unknown) => e);
    expect((stateRefused as WorkflowUpdateFailedError).cause?.message).toMatch(/^WrongState: /);
    expect(await handle.query(caseStateQuery)).toEqual(before);
    await handle.terminate('test done');
  });

  it('should re-handle once after a dissatisfied call-back and close flagged for accountability after the second', async () => {
    const handle = await startCase();
    const act = async () => {
      await handle.executeUpdate(contactCitizenUpdate, { args: [{ actor: handler, action: { type: 'contact' } }] });
      await handle.executeUpdate(replyCaseUpdate, {
        args: [{ actor: handler, action: { type: 'reply', result: 'solved', summary: '已协调施工方调整作业时间' } }],
      });
      await handle.executeUpdate(reviewReplyUpdate, {
        args: [{ actor: operator, action: { type: 'review', accepted: true } }],
      });
      await handle.executeUpdate(recordCallbackUpdate, {
        args: [
          { actor: operator, action: { type: 'callback', reached: true, solved: false, satisfaction: 'dissatisfied' } },
        ],
      });
    };
    await handle.executeUpdate(signCaseUpdate, { args: [{ actor: handler, action: { type: 'sign' } }] });
    await act();
    let state = (await handle.query(caseStateQuery)).lifecycle!;
    expect(state).toMatchObject({ phase: 'handling', rehandles: 1 });
    expect(state.deadlines.handle?.duration).toBe('5WD');
    await handle
      .executeUpdate(contactCitizenUpdate, { args: [{ actor: handler, action: { type: 'contact' } }] })
      .catch(() => undefined);
    await handle.executeUpdate(replyCaseUpdate, {
      args: [{ actor: handler, action: { type: 'reply', result: 'partly', summary: '已约谈' } }],
    });
    await handle.executeUpdate(reviewReplyUpdate, {
      args: [{ actor: operator, action: { type: 'review', accepted: true } }],
    });
    await handle.executeUpdate(recordCallbackUpdate, {
      args: [
        {
          actor: operator,
          action: { type: 'callback', reached: true, solved: false, satisfaction: 'very-dissatisfied' },
        },
      ],
    });
    const result = await handle.result();
    state = result.lifecycle!;
    expect(state).toMatchObject({ phase: 'closed', outcome: 'accountability' });
    expect(result.status).toBe('closed');
    expect(typesOf(result.caseNo)).toEqual(
      expect.arrayContaining(['rehandling', 'accountability-escalated', 'closed']),
    );
    for (const stamp of ['dispatched', 'signed', 'contacted', 'replied', 'calledBack', 'closed'] as const) {
      expect(state.timestamps[stamp]).toBeDefined();
    }
    await record(handle, 'lifecycle-dissatisfied-twice-v2');
  });

  it('should move the handling deadline by an approved extension and keep it on a refused one', async () => {
    const handle = await startCase();
    await handle.executeUpdate(signCaseUpdate, { args: [{ actor: handler, action: { type: 'sign' } }] });
    const due = (await handle.query(caseStateQuery)).lifecycle!.deadlines.handle!.due;
    const ask = (days: number) =>
      handle.executeUpdate(requestExtensionUpdate, {
        args: [{ actor: handler, action: { type: 'requestExtension', workingDays: days, reason: '需协调产权单位' } }],
      });
    const decide = (approved: boolean) =>
      handle.executeUpdate(decideExtensionUpdate, {
        args: [
          { actor: operator, action: { type: 'decideExtension', approved, reason: approved ? '同意' : '理由不充分' } },
        ],
      });
    await ask(5);
    await decide(false);
    expect((await handle.query(caseStateQuery)).lifecycle!.deadlines.handle!.due).toBe(due);
    const tooLong = await ask(11).catch((e: unknown) => e);
    expect((tooLong as WorkflowUpdateFailedError).cause?.message).toMatch(/^InvalidArgument: /);
    await ask(3);
    await decide(true);
    const extended = (await handle.query(caseStateQuery)).lifecycle!.deadlines.handle!;
    expect(extended.due > due).toBe(true);
    expect(extended).toMatchObject({ duration: '3WD', from: due });
    const again = await ask(2).catch((e: unknown) => e);
    expect((again as WorkflowUpdateFailedError).cause?.message).toMatch(/^LimitReached: /);
    expect(typesOf(handle.workflowId.replace(/^case-/, ''))).toEqual(
      expect.arrayContaining(['extension-refused', 'extension-approved']),
    );
    await handle.terminate('test done');
  });

  it('should let the centre re-dispatch a returned case, and the designated unit cannot return it again', async () => {
    const handle = await startCase();
    await handle.executeUpdate(returnCaseUpdate, {
      args: [{ actor: handler, action: { type: 'return', reason: '不属本街道辖区' } }],
    });
    expect((await handle.query(caseStateQuery)).lifecycle!.phase).toBe('awaiting-dispatch');
    await handle.executeUpdate(redispatchCaseUpdate, {
      args: [
        { actor: operator, action: { type: 'redispatch', leadUnitId: 's-wenchang', arbitrated: true, reason: '仲裁' } },
      ],
    });
    const refused = await handle
      .executeUpdate(returnCaseUpdate, {
        args: [{ actor: otherHandler, action: { type: 'return', reason: '再次退单' } }],
      })
      .catch((e: unknown) => e);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toMatch(/^LimitReached: /);
    expect((await handle.query(caseStateQuery)).lifecycle).toMatchObject({
      phase: 'awaiting-sign',
      leadUnitId: 's-wenchang',
    });
    await handle.terminate('test done');
  });
});
