import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { CaseProjection, RaiseIncidentInput } from '../../activities/lifecycle.activities';
import type { Actor } from '../../libs/domain/src/lifecycle';
import { complaintCase } from '../../workflows';
import {
  caseStateQuery,
  contactCitizenUpdate,
  MIRROR_REJECTED,
  replyCaseUpdate,
  signCaseUpdate,
} from '../../workflows/complaint-case/messages';
import { noiseComplaintInput } from '../support/case-fixtures';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { testCaseActivities } from '../support/workflow-activities';
import { workflowCode } from '../support/workflow-bundle';

/**
 * The one-write mirror (events and case row in one activity): when PostgreSQL refuses the case row for its content,
 * the events still land, an incident names `projectCase`, the case keeps answering, and the first change whose row is
 * accepted settles the incident.
 */
describe('one-write mirror incidents (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  const street: Actor = { userId: 'u-hubin', role: 'handler', unitId: 's-hubin', unitKind: 'street' };

  beforeAll(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('should write the events, raise a projectCase incident for a refused case row, and settle it once a row lands', async () => {
    const incidents: RaiseIncidentInput[] = [];
    const settled: string[] = [];
    const phases: string[] = [];
    const { activities, mirror } = testCaseActivities({
      // Stands in for PostgreSQL refusing the case row while the case is handled.
      projectCase: async (projection: CaseProjection) => {
        if (projection.phase === 'handling') {
          throw ApplicationFailure.nonRetryable('new row violates check constraint "it_poison"', MIRROR_REJECTED);
        }
        phases.push(projection.phase);
      },
      raiseIncident: async (input: RaiseIncidentInput) => void incidents.push(input),
      settleIncident: async ({ key }: { caseNo: string; key: string }) => void settled.push(key),
    });
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'wf-one-mirror-incidents',
      ...workflowCode(),
      activities,
    });
    await worker.runUntil(async () => {
      const caseNo = '20261203870001';
      const handle = await env.client.workflow.start(complaintCase, {
        workflowId: `case-${caseNo}`,
        taskQueue: 'wf-one-mirror-incidents',
        args: [noiseComplaintInput(caseNo)],
      });
      for (let i = 0; i < 200 && (await handle.query(caseStateQuery)).stage !== 'awaiting-sign'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await handle.executeUpdate(signCaseUpdate, { args: [{ actor: street, action: { type: 'sign' } }] });
      const contacted = await handle.executeUpdate(contactCitizenUpdate, {
        args: [{ actor: street, action: { type: 'contact' } }],
      });
      expect(contacted.lifecycle?.contacted).toBe(true);
      // The events were written although their case rows were refused.
      expect((mirror.events.get(caseNo) ?? []).map((event) => event.type)).toEqual(
        expect.arrayContaining(['dispatched', 'signed', 'contacted']),
      );
      expect(incidents.length).toBeGreaterThan(0);
      for (const incident of incidents) {
        expect(incident).toMatchObject({ caseNo, step: 'projectCase', key: 'projectCase', errorType: MIRROR_REJECTED });
      }
      expect(settled).toEqual([]);

      await handle.executeUpdate(replyCaseUpdate, {
        args: [{ actor: street, action: { type: 'reply', result: 'solved', summary: '已处理' } }],
      });
      expect(phases).toEqual(['awaiting-sign', 'in-review']);
      expect(settled).toEqual(['projectCase']);
      await handle.terminate('test done');
    });
  });
});
