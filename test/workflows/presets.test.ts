import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor } from '../../libs/domain/src/lifecycle';
import { DEMO_CITY } from '../../libs/domain/src/org/demo-city';
import { PresetId, toLifecycleRules, WhistleTrigger } from '../../libs/domain/src/rules';
import { DEMO_PRESETS as PRESETS } from '../../libs/persistence/src/seed/demo-presets';
import { complaintCase } from '../../workflows';
import {
  caseStateQuery,
  contactCitizenUpdate,
  escalateCaseUpdate,
  recordCallbackUpdate,
  replyCaseUpdate,
  reviewReplyUpdate,
  signCaseUpdate,
  whistleCaseUpdate,
} from '../../workflows/complaint-case/messages';
import { whistleRoundQuery, whistleRoundWorkflowId } from '../../workflows/whistle-round/messages';
import { noiseComplaintInput } from '../support/case-fixtures';
import { quietTemporalRuntime } from '../support/quiet-runtime';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { testCaseActivities } from '../support/workflow-activities';
import { workflowCode } from '../support/workflow-bundle';

/**
 * Each preset runs a representative case — a noise complaint in 西苑社区, 湖滨街道 — end to end on the engine, with
 * the preset's lifecycle rules pinned in the workflow input and its routing catalogue behind `planDispatch`, and
 * shows the rule that sets it apart from `beijing`.
 */
describe('presets end to end (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let serial = 0;
  const street: Actor = { userId: 'u-hubin', role: 'handler', unitId: 's-hubin', unitKind: 'street' };
  // The lead unit seen as a community (a case dispatched to the community layer): who may whistle depends on the kind
  // of the lead unit, which is all these tests vary.
  const community: Actor = { userId: 'u-xiyuan', role: 'handler', unitId: 's-hubin', unitKind: 'community' };
  const operator: Actor = { userId: 'u-centre', role: 'operator', unitId: 'centre-12345' };

  beforeEach(async () => {
    quietTemporalRuntime();
    env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    await env?.teardown();
  });

  /** Runs `body` against a case of preset `id`, on a worker that routes by that preset's catalogue. */
  async function withCase(id: PresetId, body: (handle: WorkflowHandle<typeof complaintCase>) => Promise<void>) {
    const definition = PRESETS[id];
    const taskQueue = `wf-preset-${id}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workflowCode(),
      activities: testCaseActivities({}, { catalogues: async () => definition.routing }).activities,
    });
    await worker.runUntil(async () => {
      serial += 1;
      const caseNo = `20261123${String(850000 + serial)}`;
      const handle = await env.client.workflow.start(complaintCase, {
        workflowId: `case-${caseNo}`,
        taskQueue,
        args: [
          {
            ...noiseComplaintInput(caseNo),
            // At a grid: ningbo-dl's ladder starts at the grid.
            facts: {
              ...noiseComplaintInput(caseNo).facts,
              place: { ...noiseComplaintInput(caseNo).facts.place, gridId: 'g-xiyuan-1' },
            },
            rulesVersion: `${id}@1`,
            rules: toLifecycleRules(definition),
          },
        ],
      });
      for (let i = 0; i < 100 && (await handle.query(caseStateQuery)).stage !== 'awaiting-sign'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The lead unit depends on the preset's locality level (street, community or grid): its handler signs.
      const leadUnitId = (await handle.query(caseStateQuery)).lifecycle!.leadUnitId!;
      const lead: Actor = {
        userId: 'u-lead',
        role: 'handler',
        unitId: leadUnitId,
        unitKind: DEMO_CITY.byId.get(leadUnitId)!.kind,
      };
      await handle.executeUpdate(signCaseUpdate, { args: [{ actor: lead, action: { type: 'sign' } }] });
      await handle.executeUpdate(contactCitizenUpdate, { args: [{ actor: lead, action: { type: 'contact' } }] });
      await body(handle);
      if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
    });
  }

  const handleDuration = async (handle: WorkflowHandle<typeof complaintCase>) =>
    (await handle.query(caseStateQuery)).lifecycle!.deadlines.handle!.duration;

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((error as WorkflowUpdateFailedError).cause as Error).message.split(':')[0];
  };

  const whistle = (
    handle: WorkflowHandle<typeof complaintCase>,
    actor: Actor,
    grade: string,
    kind: { trigger?: WhistleTrigger } = {},
  ) =>
    handle.executeUpdate(whistleCaseUpdate, {
      args: [
        {
          actor,
          action: { type: 'whistle', departmentIds: ['dept-urban-management'], grade, reason: '联合执法', ...kind },
        },
      ],
    });

  it('beijing: handles a noise complaint in 7 working days and lets a community handler whistle', async () => {
    await withCase('beijing', async (handle) => {
      expect(await handleDuration(handle)).toBe('7WD');
      const whistled = await whistle(handle, community, 'blue');
      expect(whistled.lifecycle?.whistleRounds).toHaveLength(1);
    });
  });

  it('jinan: handles the same complaint in 5 working days', async () => {
    await withCase('jinan', async (handle) => expect(await handleDuration(handle)).toBe('5WD'));
  });

  it('pinggu: only a township or street whistles, and a red whistle gives departments 30 minutes to report', async () => {
    await withCase('pinggu', async (handle) => {
      expect(await refusal(whistle(handle, community, 'red'))).toBe('WrongUnit');
      // A red whistle is for joint enforcement or emergency response, and must say which.
      expect(await refusal(whistle(handle, street, 'red'))).toBe('InvalidArgument');
      const whistled = await whistle(handle, street, 'red', { trigger: 'joint-enforcement' });
      expect(whistled.lifecycle?.whistleRounds).toMatchObject([
        { trigger: 'joint-enforcement', whistleType: 'enforcement' },
      ]);
      const caseNo = whistled.caseNo;
      const round = env.client.workflow.getHandle(whistleRoundWorkflowId(caseNo, 1));
      for (let i = 0; i < 50; i++) {
        if (
          await round.query(whistleRoundQuery).then(
            () => true,
            () => false,
          )
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const opened = await round.query(whistleRoundQuery);
      expect(opened.reportLimit).toBe('PT30M');
      await env.sleep('31 minutes');
      expect((await round.query(whistleRoundQuery)).departments[0]).toMatchObject({ escalated: true });
    });
  });

  it('malu: cases go to the community, whose handler whistles; a street handler may not', async () => {
    await withCase('malu', async (handle) => {
      expect((await handle.query(caseStateQuery)).lifecycle?.leadUnitId).toBe('c-xiyuan');
      expect(await refusal(whistle(handle, street, 'blue'))).toBe('WrongUnit');
      const xiyuan: Actor = { userId: 'u-xiyuan', role: 'handler', unitId: 'c-xiyuan', unitKind: 'community' };
      expect((await whistle(handle, xiyuan, 'blue')).lifecycle?.whistleRounds).toHaveLength(1);
    });
  });

  it('nanjing: a rapid joint-action grade of one hour', async () => {
    await withCase('nanjing', async (handle) => {
      const caseNo = (await whistle(handle, street, 'rapid')).caseNo;
      const round = env.client.workflow.getHandle(whistleRoundWorkflowId(caseNo, 1));
      for (let i = 0; i < 50; i++) {
        if (
          await round.query(whistleRoundQuery).then(
            () => true,
            () => false,
          )
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await round.query(whistleRoundQuery)).reportLimit).toBe('PT1H');
    });
  });

  it('suyu: keeps calling back an unreachable citizen up to 5 times, where beijing closes after 3', async () => {
    for (const [id, closesAfter] of [
      ['suyu', 5],
      ['beijing', 3],
    ] as const) {
      await withCase(id, async (handle) => {
        await handle.executeUpdate(replyCaseUpdate, {
          args: [{ actor: street, action: { type: 'reply', result: 'solved', summary: '已解决' } }],
        });
        await handle.executeUpdate(reviewReplyUpdate, {
          args: [{ actor: operator, action: { type: 'review', accepted: true } }],
        });
        let attempts = 0;
        let phase = 'awaiting-callback';
        while (phase === 'awaiting-callback') {
          const state = await handle.executeUpdate(recordCallbackUpdate, {
            args: [{ actor: operator, action: { type: 'callback', reached: false } }],
          });
          attempts += 1;
          phase = state.lifecycle!.phase;
        }
        expect([id, attempts, phase]).toEqual([id, closesAfter, 'closed']);
      });
    }
  });

  it('ningbo-dl: a handler escalating by hand climbs grid → community → street and no further; beijing goes on', async () => {
    for (const [id, expected] of [
      ['ningbo-dl', ['grid', 'community', 'street']],
      ['beijing', ['community', 'street', 'district', 'city']],
    ] as const) {
      await withCase(id, async (handle) => {
        // ningbo-dl dispatches to the grid (小事在网格), beijing to the street.
        const leadUnitId = (await handle.query(caseStateQuery)).lifecycle!.leadUnitId!;
        expect([id, leadUnitId]).toEqual([id, id === 'ningbo-dl' ? 'g-xiyuan-1' : 's-hubin']);
        const lead: Actor = { userId: 'u-lead', role: 'handler', unitId: leadUnitId };
        const climbed: string[] = [];
        for (;;) {
          const escalated = await handle
            .executeUpdate(escalateCaseUpdate, {
              args: [{ actor: lead, action: { type: 'escalate', reason: '需要上级协调' } }],
            })
            .then(
              (snapshot) => snapshot.lifecycle!.escalationLevel,
              (error: unknown) => error,
            );
          if (typeof escalated !== 'string') {
            expect(((escalated as WorkflowUpdateFailedError).cause as Error).message).toMatch(/^LimitReached/);
            break;
          }
          climbed.push(escalated);
        }
        expect([id, climbed]).toEqual([id, expected]);
      });
    }
  });
});
