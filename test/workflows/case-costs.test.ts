import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor, CaseAction } from '../../libs/domain/src/lifecycle';
import { complaintCase } from '../../workflows';
import {
  CaseActionRequest,
  CaseSnapshot,
  caseStateQuery,
  contactCitizenUpdate,
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

const RECORD = process.env.RECORD_HISTORIES === '1';
const EventType = temporal.api.enums.v1.EventType;
/** The search attribute the SDK upserts with every patch marker. */
const PATCH_ATTRIBUTE = 'TemporalChangeVersion';
const handler: Actor = { userId: 'u-hubin-1', role: 'handler', unitId: 's-hubin' };
const operator: Actor = { userId: 'u-centre-1', role: 'operator', unitId: 'centre-12345' };

/** What one case cost Temporal, counted from its history. */
export interface CaseCosts {
  events: number;
  activities: number;
  localActivities: number;
  workflowTasks: number;
  /** Every upsert, including those the SDK makes with each patch marker (`TemporalChangeVersion`). */
  searchAttributeUpserts: number;
  /** Upserts of the case's own search attributes. */
  caseAttributeUpserts: number;
  timers: number;
}

/** Counts a history's events by what they cost: activities scheduled, workflow tasks, upserts, local activities. */
export function costsOf(history: temporal.api.history.v1.IHistory): CaseCosts {
  const events = history.events ?? [];
  const count = (type: temporal.api.enums.v1.EventType) => events.filter((event) => event.eventType === type).length;
  return {
    events: events.length,
    activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    localActivities: events.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .length,
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
    searchAttributeUpserts: count(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
    caseAttributeUpserts: events.filter((event) =>
      Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some(
        (name) => name !== PATCH_ATTRIBUTE,
      ),
    ).length,
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
  };
}

describe('what a happy-path case costs Temporal (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'wf-costs';

  beforeAll(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      activities: testCaseActivities().activities,
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('should take a case from intake to close in at most 8 activities, 14 workflow tasks and 100 events', async () => {
    const caseNo = '20261203900001';
    const handle = await env.client.workflow.start(complaintCase, {
      workflowId: `case-${caseNo}`,
      taskQueue,
      args: [noiseComplaintInput(caseNo)],
    });
    for (let i = 0; i < 100 && (await handle.query(caseStateQuery)).stage !== 'awaiting-sign'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const act = async (update: unknown, actor: Actor, action: object) =>
      handle.executeUpdate(update as UpdateDefinition<CaseSnapshot, [CaseActionRequest]>, {
        args: [{ actor, action: action as CaseAction }],
      });
    await act(signCaseUpdate, handler, { type: 'sign' });
    await act(contactCitizenUpdate, handler, { type: 'contact' });
    await act(replyCaseUpdate, handler, { type: 'reply', result: 'solved', summary: '已协调施工方调整作业时间' });
    await act(reviewReplyUpdate, operator, { type: 'review', accepted: true });
    const closed = await act(recordCallbackUpdate, operator, {
      type: 'callback',
      reached: true,
      solved: true,
      satisfaction: 'satisfied',
    });
    expect(closed).toMatchObject({ status: 'closed' });
    await handle.result();

    const history = await handle.fetchHistory();
    const costs = costsOf(history);
    process.stdout.write(`happy-path case costs: ${JSON.stringify(costs)}\n`);
    if (process.env.PRINT_HISTORY === '1') {
      const names = (history.events ?? []).map((event) => {
        const type = EventType[event.eventType ?? 0].replace('EVENT_TYPE_', '');
        const detail =
          event.activityTaskScheduledEventAttributes?.activityType?.name ??
          event.markerRecordedEventAttributes?.markerName ??
          event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ??
          '';
        return `${event.eventId} ${type} ${detail}`;
      });
      process.stdout.write(`${names.join('\n')}\n`);
    }
    if (RECORD) {
      mkdirSync(join(__dirname, '..', 'histories'), { recursive: true });
      writeFileSync(
        join(__dirname, '..', 'histories', 'case-happy-path-one-mirror.json'),
        `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`,
      );
    }
    expect(costs.activities).toBeLessThanOrEqual(8);
    expect(costs.workflowTasks).toBeLessThanOrEqual(14);
    expect(costs.events).toBeLessThanOrEqual(100);
    // The case's own search attributes: at most one upsert per change (dispatch and five actions).
    expect(costs.caseAttributeUpserts).toBeLessThanOrEqual(6);
  });
});
