import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor, LifecycleState } from '../../libs/domain/src/lifecycle';
import { PresetId, toLifecycleRules } from '../../libs/domain/src/rules';
import { DEMO_PRESETS as PRESETS } from '../../libs/persistence/src/seed/demo-presets';
import { complaintCase } from '../../workflows';
import {
  caseStateQuery,
  contactCitizenUpdate,
  coordinateCaseUpdate,
  escalateCaseUpdate,
  signCaseUpdate,
} from '../../workflows/complaint-case/messages';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noiseComplaintInput } from '../support/case-fixtures';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { testCaseActivities } from '../support/workflow-activities';
import { workflowCode } from '../support/workflow-bundle';

const RECORD = process.env.RECORD_HISTORIES === '1';

/**
 * Each preset's ladder, climbed rung by rung by a case nobody resolves: the handling deadline passes, then each rung's
 * deadline, until the final rung, where the case stays. The bodies are those of the case's place in the demo city
 * (西苑社区第一网格, 湖滨街道, 东湖区) — committees, the grid, offices found by function, the service centre.
 */
describe('escalation ladders as each preset writes them (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let serial = 0;

  beforeEach(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    await env?.teardown();
  });

  /** Starts a signed, contacted case of preset `id` at a grid of 西苑社区 and hands it to `body`. */
  async function withCase(id: PresetId, body: (handle: WorkflowHandle<typeof complaintCase>) => Promise<void>) {
    const definition = PRESETS[id];
    const taskQueue = `wf-ladder-${id}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      activities: testCaseActivities({}, { catalogues: async () => definition.routing }).activities,
    });
    await worker.runUntil(async () => {
      serial += 1;
      const caseNo = `20261123${String(860000 + serial)}`;
      const input = noiseComplaintInput(caseNo);
      const place = { ...input.facts.place, gridId: 'g-xiyuan-1' };
      const handle = await env.client.workflow.start(complaintCase, {
        workflowId: `case-${caseNo}`,
        taskQueue,
        args: [
          { ...input, facts: { ...input.facts, place }, rulesVersion: `${id}@1`, rules: toLifecycleRules(definition) },
        ],
      });
      for (let i = 0; i < 200 && (await handle.query(caseStateQuery)).stage !== 'awaiting-sign'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const leadUnitId = (await handle.query(caseStateQuery)).lifecycle!.leadUnitId!;
      const lead: Actor = { userId: 'u-lead', role: 'handler', unitId: leadUnitId };
      await handle.executeUpdate(signCaseUpdate, { args: [{ actor: lead, action: { type: 'sign' } }] });
      await handle.executeUpdate(contactCitizenUpdate, { args: [{ actor: lead, action: { type: 'contact' } }] });
      await body(handle);
      // RECORD_HISTORIES=1 writes the histories of pinned ladders beside the older ones, for the replay test.
      if (RECORD && (id === 'jinan' || id === 'ningbo-dl')) {
        const history = await handle.fetchHistory();
        mkdirSync(join(__dirname, '..', 'histories'), { recursive: true });
        writeFileSync(
          join(__dirname, '..', 'histories', `ladder-${id}-climbed-v3.json`),
          `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`,
        );
      }
      if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
    });
  }

  const stateOf = async (handle: WorkflowHandle<typeof complaintCase>): Promise<LifecycleState> =>
    (await handle.query(caseStateQuery)).lifecycle!;

  /** Sleeps the environment until a minute past `due`, then waits for the workflow to act on it. */
  async function passDeadline(handle: WorkflowHandle<typeof complaintCase>, due: string, level: string) {
    const now = await env.currentTimeMs();
    await env.sleep(Math.max(1, Date.parse(due) - now + 60_000));
    for (let i = 0; i < 200 && (await stateOf(handle)).escalationLevel === level; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Climbs the whole ladder by deadlines; returns [rung id, body unit, position] per rung reached, in order. */
  async function climbAll(handle: WorkflowHandle<typeof complaintCase>): Promise<Array<[string, string, number]>> {
    const reached: Array<[string, string, number]> = [];
    let state = await stateOf(handle);
    await passDeadline(handle, state.deadlines.handle!.due, 'none');
    for (;;) {
      state = await stateOf(handle);
      reached.push([state.escalationLevel, state.escalationUnitId ?? '(none)', state.rung?.position ?? 0]);
      const due = state.deadlines.escalation?.due;
      if (!due) break;
      await passDeadline(handle, due, state.escalationLevel);
    }
    // On the final rung the case stays, however long it waits.
    await env.sleep('60 days');
    const final = await stateOf(handle);
    expect([final.escalationLevel, final.rung?.position]).toEqual([reached.at(-1)![0], reached.at(-1)![2]]);
    return reached;
  }

  const refusalOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((error as WorkflowUpdateFailedError).cause as Error).message.split(':')[0];
  };

  it('beijing: community → street → district committee → city supervision by the 12345 centre', async () => {
    await withCase('beijing', async (handle) => {
      expect(await climbAll(handle)).toEqual([
        ['community', 'cc-c-xiyuan', 1],
        ['street', 'cc-s-hubin', 2],
        ['district', 'cc-d-donghu', 3],
        ['city', 'centre-12345', 4],
      ]);
      const state = await stateOf(handle);
      expect(state.supervision).not.toBe('none');
      const lead: Actor = { userId: 'u-lead', role: 'handler', unitId: state.leadUnitId! };
      const escalate = handle.executeUpdate(escalateCaseUpdate, {
        args: [{ actor: lead, action: { type: 'escalate', reason: '再上一级' } }],
      });
      expect(await refusalOf(escalate)).toBe('LimitReached');
    });
  });

  it('jinan: the hotline convenes the units → the city government office → the executive meeting decides', async () => {
    await withCase('jinan', async (handle) => {
      expect(await climbAll(handle)).toEqual([
        ['hotline-convenes', 'centre-12345', 1],
        ['city-government-office', 'o-government-office', 2],
        ['executive-meeting', 'o-executive-meeting', 3],
      ]);
      // The executive meeting decides; it may not reassign the case.
      const meeting: Actor = { userId: 'u-meeting', role: 'coordinator', unitId: 'o-executive-meeting' };
      const reassign = handle.executeUpdate(coordinateCaseUpdate, {
        args: [
          {
            actor: meeting,
            action: { type: 'coordinate', instruction: '改派', reassignTo: 'dept-housing', decision: true },
          },
        ],
      });
      expect(await refusalOf(reassign)).toBe('InvalidArgument');
      const decided = await handle.executeUpdate(coordinateCaseUpdate, {
        args: [{ actor: meeting, action: { type: 'coordinate', instruction: '市政府统筹解决', decision: true } }],
      });
      expect(decided.lifecycle?.escalationLevel).toBe('executive-meeting');
    });
  });

  it('ningbo-dl: grid → community → street, with no district rung', async () => {
    await withCase('ningbo-dl', async (handle) => {
      expect(await climbAll(handle)).toEqual([
        ['grid', 'g-xiyuan-1', 1],
        ['community', 'cc-c-xiyuan', 2],
        ['street', 'cc-s-hubin', 3],
      ]);
    });
  });

  it('pinggu: township → district', async () => {
    await withCase('pinggu', async (handle) => {
      expect(await climbAll(handle)).toEqual([
        ['township', 'cc-s-hubin', 1],
        ['district', 'cc-d-donghu', 2],
      ]);
    });
  });

  it('malu: village or residential committee → community layer → town', async () => {
    await withCase('malu', async (handle) => {
      expect(await climbAll(handle)).toEqual([
        ['village-residence', 'c-xiyuan', 1],
        ['community-layer', 'cc-c-xiyuan', 2],
        ['town', 'cc-s-hubin', 3],
      ]);
    });
  });

  it('nanjing: street joint-patrol station → district command → city command centre', async () => {
    await withCase('nanjing', async (handle) => {
      expect(await climbAll(handle)).toEqual([
        ['street', 'cc-s-hubin', 1],
        ['district-command', 'centre-donghu', 2],
        ['city-command', 'o-command-centre', 3],
      ]);
    });
  });

  it('suyu: climbs the ladder its definition writes, the same rungs as beijing', async () => {
    await withCase('suyu', async (handle) => {
      const ids = (await climbAll(handle)).map(([id]) => id);
      expect(ids).toEqual(toLifecycleRules(PRESETS.suyu).rungs!.map((rung) => rung.id));
    });
  });
});
