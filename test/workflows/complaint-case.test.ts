import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { RecordCaseIntakeInput } from '../../activities';
import { CASE_SEARCH_ATTRIBUTES } from '../../libs/domain/src';
import { complaintCase } from '../../workflows';
import { caseStateQuery } from '../../workflows/complaint-case/messages';
import { noiseComplaintInput } from '../support/case-fixtures';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { testCaseActivities } from '../support/workflow-activities';
import { workflowCode } from '../support/workflow-bundle';

describe('complaintCase workflow: intake', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  const input = (caseNo: string) => noiseComplaintInput(caseNo, '2026-11-23T01:00:00.000Z');

  /** Runs a case until it is dispatched (awaiting its unit's signature), then ends it. */
  async function runToDispatch(caseNo: string, recordCaseIntake: (args: RecordCaseIntakeInput) => Promise<void>) {
    const taskQueue = `wf-test-${caseNo}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      activities: testCaseActivities({ recordCaseIntake }).activities,
    });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(complaintCase, {
        workflowId: `case-${caseNo}`,
        taskQueue,
        args: [input(caseNo)],
      });
      for (let i = 0; i < 100; i++) {
        const state = await handle.query(caseStateQuery);
        if (state.stage === 'awaiting-sign') {
          const description = await handle.describe();
          await handle.terminate('test done');
          return { state, description };
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`case ${caseNo} was never dispatched`);
    });
  }

  it('should record the case row, then dispatch it to its street', async () => {
    const calls: RecordCaseIntakeInput[] = [];
    const { state } = await runToDispatch('20261123900001', async (args) => {
      calls.push(args);
    });
    expect(calls).toEqual([
      {
        caseNo: '20261123900001',
        workflowId: 'case-20261123900001',
        rulesVersion: 'beijing@1',
        status: 'registered',
        stage: 'awaiting-dispatch',
      },
    ]);
    expect(state.stages.map((entry) => entry.stage)).toEqual(['intake', 'awaiting-dispatch', 'awaiting-sign']);
    expect(state.status).toBe('open');
    expect(state.lifecycle?.leadUnitId).toBe('s-hubin');
  });

  it('should set only operational search attributes, never personal data', async () => {
    const { description } = await runToDispatch('20261123900002', async () => undefined);
    // TemporalChangeVersion is the SDK's own record of `patched()` markers, not ours.
    const names = description.typedSearchAttributes
      .getAll()
      .map((pair) => pair.key.name)
      .filter((name) => name !== 'TemporalChangeVersion');
    const A = CASE_SEARCH_ATTRIBUTES;
    expect(names.sort()).toEqual(
      [
        A.status.name,
        A.stage.name,
        A.category.name,
        A.rulesVersion.name,
        A.street.name,
        A.district.name,
        A.responsibleUnit.name,
        A.escalationLevel.name,
        A.nextDeadline.name,
        A.overdue.name,
      ].sort(),
    );
  });

  it('should retry the intake activity until the database answers', async () => {
    let attempts = 0;
    const { state } = await runToDispatch('20261123900003', async () => {
      attempts += 1;
      if (attempts < 3) throw new Error('connection refused');
    });
    expect(attempts).toBe(3);
    expect(state.stage).toBe('awaiting-sign');
  });
});
