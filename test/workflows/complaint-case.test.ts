import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseActivities, RecordCaseIntakeInput } from '../../activities';
import { CASE_SEARCH_ATTRIBUTES } from '../../libs/domain/src';
import { complaintCase } from '../../workflows';
import { caseStateQuery, ComplaintCaseInput } from '../../workflows/complaint-case/messages';
import { createTimeSkippingEnv } from '../support/time-skipping';

/** Set RECORD_HISTORIES=1 to refresh the committed histories the replay test replays. */
const RECORD = process.env.RECORD_HISTORIES === '1';

describe('complaintCase workflow (intake slice)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  function input(caseNo: string): ComplaintCaseInput {
    return {
      caseNo,
      receivedAt: '2026-11-23T01:00:00.000Z',
      rulesVersion: 'beijing@1',
      facts: {
        kind: 'complaint',
        category: 'noise',
        urgency: 'normal',
        channel: 'hotline',
        place: { streetId: 's-jingshan', districtId: 'd-dongcheng' },
      },
    };
  }

  async function run(caseNo: string, activities: Partial<CaseActivities>) {
    const taskQueue = `wf-test-${caseNo}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities,
    });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(complaintCase, {
        workflowId: `case-${caseNo}`,
        taskQueue,
        args: [input(caseNo)],
      });
      const result = await handle.result();
      const state = await handle.query(caseStateQuery);
      const history = await handle.fetchHistory();
      return { result, state, history };
    });
  }

  it('should record the case row and leave the case registered, awaiting dispatch', async () => {
    const calls: RecordCaseIntakeInput[] = [];
    const { result, state, history } = await run('20261123900001', {
      recordCaseIntake: async (args) => {
        calls.push(args);
      },
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
    expect(result.stage).toBe('awaiting-dispatch');
    expect(state).toEqual(result);
    expect(state.stages.map((entry) => entry.stage)).toEqual(['intake', 'awaiting-dispatch']);
    if (RECORD) {
      mkdirSync(join(__dirname, '..', 'histories'), { recursive: true });
      writeFileSync(
        join(__dirname, '..', 'histories', 'intake-registered.json'),
        `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`,
      );
    }
  });

  it('should set only operational search attributes, never personal data', async () => {
    const { state } = await run('20261123900002', { recordCaseIntake: async () => undefined });
    const description = await env.client.workflow.getHandle('case-20261123900002').describe();
    const attributes = description.typedSearchAttributes;
    const names = attributes.getAll().map((pair) => pair.key.name);
    expect(names.sort()).toEqual(
      [
        CASE_SEARCH_ATTRIBUTES.status.name,
        CASE_SEARCH_ATTRIBUTES.stage.name,
        CASE_SEARCH_ATTRIBUTES.category.name,
        CASE_SEARCH_ATTRIBUTES.rulesVersion.name,
        CASE_SEARCH_ATTRIBUTES.street.name,
        CASE_SEARCH_ATTRIBUTES.district.name,
      ].sort(),
    );
    expect(state.status).toBe('registered');
  });

  it('should retry the intake activity until the database answers', async () => {
    let attempts = 0;
    const { result } = await run('20261123900003', {
      recordCaseIntake: async () => {
        attempts += 1;
        if (attempts < 3) throw new Error('connection refused');
      },
    });
    expect(attempts).toBe(3);
    expect(result.stage).toBe('awaiting-dispatch');
  });
});
