import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { AppendCaseEventsInput, RaiseIncidentInput } from '../../activities/lifecycle.activities';
import { MIRROR_REJECTED as ACTIVITY_MIRROR_REJECTED } from '../../activities/lifecycle.activities';
import type { Actor } from '../../libs/domain/src/lifecycle';
import { complaintCase } from '../../workflows';
import {
  caseStateQuery,
  contactCitizenUpdate,
  MIRROR_REJECTED,
  replyCaseUpdate,
  retryIncidentsSignal,
  signCaseUpdate,
} from '../../workflows/complaint-case/messages';
import { noiseComplaintInput } from '../support/case-fixtures';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { testCaseActivities } from '../support/workflow-activities';
import { workflowCode } from '../support/workflow-bundle';

/**
 * A mirror write PostgreSQL refuses for its content (a poison pill) must not wedge the case: the workflow raises an
 * incident, keeps answering actions, and writes the refused events once retried after a fix.
 */
describe('incidents instead of a wedged case (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  const street: Actor = { userId: 'u-hubin', role: 'handler', unitId: 's-hubin', unitKind: 'street' };

  beforeAll(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('should name the same failure type in the workflow and the activities', () => {
    expect(MIRROR_REJECTED).toBe(ACTIVITY_MIRROR_REJECTED);
  });

  it('should raise an incident for a refused mirror write, go on answering, and write it once retried', async () => {
    let poisonAccepted = false;
    const appended: AppendCaseEventsInput[] = [];
    const incidents: RaiseIncidentInput[] = [];
    const settled: string[] = [];
    const { activities } = testCaseActivities({
      // Stands in for PostgreSQL refusing the contact note until "the fix" is deployed.
      appendCaseEvents: async (input: AppendCaseEventsInput) => {
        const poisoned = input.events.some((event) => JSON.stringify(event.detail).includes('POISON'));
        if (poisoned && !poisonAccepted) {
          throw ApplicationFailure.nonRetryable('invalid byte sequence for encoding "UTF8": 0x00', MIRROR_REJECTED);
        }
        appended.push(input);
      },
      raiseIncident: async (input: RaiseIncidentInput) => void incidents.push(input),
      settleIncident: async ({ key }: { caseNo: string; key: string }) => void settled.push(key),
    });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'wf-incidents',
      ...workflowCode(),
      activities,
    });
    await worker.runUntil(async () => {
      const caseNo = '20261123870001';
      const handle = await env.client.workflow.start(complaintCase, {
        workflowId: `case-${caseNo}`,
        taskQueue: 'wf-incidents',
        args: [noiseComplaintInput(caseNo)],
      });
      for (let i = 0; i < 200 && (await handle.query(caseStateQuery)).stage !== 'awaiting-sign'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await handle.executeUpdate(signCaseUpdate, { args: [{ actor: street, action: { type: 'sign' } }] });
      const contacted = await handle.executeUpdate(contactCitizenUpdate, {
        args: [{ actor: street, action: { type: 'contact', note: 'POISON' } }],
      });
      expect(contacted.lifecycle?.contacted).toBe(true);
      expect(incidents).toEqual([
        expect.objectContaining({ caseNo, step: 'appendCaseEvents', errorType: MIRROR_REJECTED }),
      ]);
      const key = incidents[0].key;

      // The case still answers: the next action is taken and mirrored.
      const replied = await handle.executeUpdate(replyCaseUpdate, {
        args: [{ actor: street, action: { type: 'reply', result: 'solved', summary: '已处理' } }],
      });
      expect(replied.lifecycle?.phase).toBe('in-review');
      expect(appended.flatMap((input) => input.events.map((event) => event.type))).toContain('replied');
      expect(appended.flatMap((input) => input.events.map((event) => event.type))).not.toContain('contacted');

      // After the fix, a retry writes the refused events and settles the incident.
      poisonAccepted = true;
      await handle.signal(retryIncidentsSignal);
      for (let i = 0; i < 200 && settled.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(settled).toEqual([key]);
      expect(appended.flatMap((input) => input.events.map((event) => event.type))).toContain('contacted');
      if (process.env.RECORD_HISTORIES === '1') {
        const file = join(__dirname, '..', 'histories', 'case-incident-raised-retried-v3.json');
        writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(await handle.fetchHistory())), null, 2)}\n`);
      }
      await handle.terminate('test done');
    });
  });
});
