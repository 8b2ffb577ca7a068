import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { bearer, handlerOf } from '../support/auth';
import { eventually, insertTestUser, startTestStack, TestStack } from '../support/test-stack';
import { noiseComplaintBody } from '../support/case-fixtures';

/**
 * A whistle round worked entirely through the task inbox, on the Temporal dev server and a database of its own:
 * 湖滨街道 whistles 城管执法局 from its handling task; the department's handler finds a `whistle-report` task,
 * reports through it, then a `whistle-result` task, and submits; the street finds a `whistle-rating` task and rates
 * through it; the round completes and its tasks close. Plus the refusals: another unit, another claimer, an action
 * that does not fit the step, a rating of another department, a stale task.
 */
describe('whistle rounds through the task inbox', () => {
  const DEPARTMENT = 'dept-urban-management';
  /** A second handler of 城管执法局, to claim the department's task against the first. */
  const colleague = `handler2.${DEPARTMENT}-${randomUUID().slice(0, 6)}`;
  const USERS = {
    operator: 'operator',
    street: handlerOf('s-hubin'),
    urban: handlerOf(DEPARTMENT),
    colleague,
    housing: handlerOf('dept-housing'),
  };
  type Who = keyof typeof USERS;
  let stack: TestStack<Who>;
  let pg: PgClient;
  let tokens: Record<Who, string>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-inbox-whistle',
      scratch: true,
      seed: true,
      prepare: (db) =>
        insertTestUser(db, {
          username: colleague,
          role: 'handler',
          unitId: DEPARTMENT,
          displayName: '城管执法局办理人乙（测试）',
        }),
      users: USERS,
    });
    ({ pg, tokens } = stack);
  });

  afterAll(() => stack?.stop());

  const http = () => stack.http();
  const inbox = (who: Who, query: string) => http().get(`/api/v1/tasks?${query}`).set(bearer(tokens[who]));
  const actOn = (who: Who, id: string, action: string, body: object = {}) =>
    http().post(`/api/v1/tasks/${id}/actions/${action}`).set(bearer(tokens[who])).send(body);
  const claim = (who: Who, id: string, what: 'claim' | 'unclaim' = 'claim') =>
    http().post(`/api/v1/tasks/${id}/${what}`).set(bearer(tokens[who]));

  /** The open task of `step` on `caseNo` in the caller's inbox, once the workflow has put it there. */
  const taskOf = (who: Who, caseNo: string, step: string) =>
    eventually(async () => {
      const listed = await inbox(who, `q=${caseNo}&step=${step}`).expect(200);
      expect(listed.body.items).toHaveLength(1);
      return listed.body.items[0] as {
        id: string;
        step: string;
        unitId: string;
        subjectUnitId: string | null;
        actions: string[];
        status: string;
      };
    });

  /** A case of 湖滨街道, signed and contacted through its tasks, whistling 城管执法局 from its handling task. */
  async function whistledCase(): Promise<string> {
    const created = await http()
      .post('/api/v1/cases')
      .send(
        noiseComplaintBody({
          description: '商铺违规外摆，夜间噪声扰民',
          citizen: { name: '李女士', phone: '13900002222' },
        }),
      )
      .expect(201);
    const caseNo: string = created.body.caseNo;
    await actOn('street', (await taskOf('street', caseNo, 'sign')).id, 'sign').expect(200);
    await actOn('street', (await taskOf('street', caseNo, 'contact')).id, 'contact', { note: '已电话联系' }).expect(
      200,
    );
    const handle = await taskOf('street', caseNo, 'handle');
    const whistled = await actOn('street', handle.id, 'whistle', {
      departmentIds: [DEPARTMENT],
      grade: 'blue',
      reason: '商铺违规外摆需执法',
    }).expect(200);
    expect(whistled.body.lifecycle.whistleRounds).toMatchObject([{ round: 1, status: 'open' }]);
    return caseNo;
  }

  it('should report, submit and rate a whistle round through its tasks until the round completes', async () => {
    const caseNo = await whistledCase();

    const report = await taskOf('urban', caseNo, 'whistle-report');
    expect(report).toMatchObject({ unitId: DEPARTMENT, actions: ['report'], status: 'open' });
    const reported = await actOn('urban', report.id, 'report', { note: '执法队已到场' }).expect(200);
    expect(reported.body).toMatchObject({ caseNo, round: 1, phase: 'open' });
    expect(reported.body.departments).toEqual([
      expect.objectContaining({ departmentId: DEPARTMENT, reportedAt: expect.any(String) }),
    ]);

    const result = await taskOf('urban', caseNo, 'whistle-result');
    expect(result).toMatchObject({ unitId: DEPARTMENT, subjectUnitId: DEPARTMENT, actions: ['result'] });
    const submitted = await actOn('urban', result.id, 'result', { summary: '已责令商铺整改' }).expect(200);
    expect(submitted.body.departments[0]).toMatchObject({ summary: '已责令商铺整改', resultAt: expect.any(String) });

    // The whistling unit rates the department; the task names it in its key, the body must name the same.
    const rating = await taskOf('street', caseNo, 'whistle-rating');
    // The rating task says which department it rates.
    expect(rating).toMatchObject({ unitId: 's-hubin', subjectUnitId: DEPARTMENT, actions: ['rate'] });
    const rated = await actOn('street', rating.id, 'rate', { departmentId: DEPARTMENT, score: 5, comment: '及时' });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ round: 1, phase: 'completed' });
    expect(rated.body.departments[0].rating).toMatchObject({ score: 5, comment: '及时' });

    const tasks = await pg.query<{ step: string; unit_id: string; status: string }>(
      `SELECT step, unit_id, status FROM tasks WHERE task_key LIKE $1 ORDER BY created_at, step`,
      [`${caseNo}:whistle-1:%`],
    );
    expect(tasks.rows).toEqual([
      { step: 'whistle-report', unit_id: DEPARTMENT, status: 'closed' },
      { step: 'whistle-result', unit_id: DEPARTMENT, status: 'closed' },
      { step: 'whistle-rating', unit_id: 's-hubin', status: 'closed' },
    ]);
    expect((await inbox('urban', `q=${caseNo}`).expect(200)).body.items).toEqual([]);
    const closed = await inbox('urban', `q=${caseNo}&status=closed`).expect(200);
    expect(closed.body.items.map((item: { step: string; actions: string[] }) => [item.step, item.actions])).toEqual([
      ['whistle-report', []],
      ['whistle-result', []],
    ]);
    await eventually(async () => {
      const view = await http().get(`/api/v1/cases/${caseNo}`).set(bearer(tokens.operator)).expect(200);
      expect(view.body.case.whistleRounds).toMatchObject([{ round: 1, status: 'completed' }]);
    });
    const events = await pg.query<{ type: string }>(
      `SELECT type FROM case_events WHERE case_no = $1 AND stream = 'whistle-1' ORDER BY seq`,
      [caseNo],
    );
    expect(events.rows.map((row) => row.type)).toEqual(
      expect.arrayContaining(['reported', 'result-submitted', 'rated', 'completed']),
    );

    // Stale: the round has moved on, the tasks are closed.
    for (const [who, task, action, body] of [
      ['urban', report, 'report', {}],
      ['street', rating, 'rate', { departmentId: DEPARTMENT, score: 4 }],
    ] as const) {
      const stale = await actOn(who, task.id, action, body).expect(409);
      expect(stale.body).toMatchObject({
        error: 'ActionRefused',
        message: expect.stringMatching(/^TaskClosed: .*stale/),
      });
    }
  });

  it('should refuse a whistle task to another unit, another claimer, an action off its step and a bad body', async () => {
    const caseNo = await whistledCase();
    const report = await taskOf('urban', caseNo, 'whistle-report');

    // Another unit's task answers as an unknown one (scope before state).
    const foreign = await actOn('housing', report.id, 'report', { note: '住建委到场' }).expect(404);
    expect(foreign.body).toMatchObject({ error: 'NotFound', message: `No task ${report.id}` });
    for (const [action, body] of [
      ['result', { summary: '未报到先提交' }],
      ['rate', { departmentId: DEPARTMENT, score: 5 }],
      ['sign', {}],
      ['ratings', {}],
    ] as const) {
      const offStep = await actOn('urban', report.id, action, body).expect(400);
      expect(offStep.body.details).toEqual([expect.objectContaining({ field: 'action', rule: 'taskStep' })]);
    }
    const badBody = await actOn('urban', report.id, 'report', { note: '' }).expect(400);
    expect(badBody.body.details.map((detail: { field: string }) => detail.field)).toEqual(['note']);

    // Claimed by a colleague: only the colleague may act, and `claimedBy=me` lists it for them alone.
    await claim('colleague', report.id).expect(200);
    const taken = await actOn('urban', report.id, 'report', { note: '已到场' }).expect(409);
    expect(taken.body.message).toMatch(new RegExp(`^TaskClaimed: .*${colleague}`));
    const ids = async (who: Who) =>
      (await inbox(who, `claimedBy=me&q=${caseNo}`).expect(200)).body.items.map((item: { id: string }) => item.id);
    expect(await ids('colleague')).toEqual([report.id]);
    expect(await ids('urban')).toEqual([]);
    await actOn('colleague', report.id, 'report', { note: '已到场' }).expect(200);

    const result = await taskOf('urban', caseNo, 'whistle-result');
    const noSummary = await actOn('urban', result.id, 'result', {}).expect(400);
    expect(new Set(noSummary.body.details.map((detail: { field: string }) => detail.field))).toEqual(
      new Set(['summary']),
    );
    await actOn('urban', result.id, 'result', { summary: '已处理' }).expect(200);

    // The rating task is the street's: the department may not rate itself through it, nor the street another one.
    const rating = await taskOf('street', caseNo, 'whistle-rating');
    await actOn('urban', rating.id, 'rate', { departmentId: DEPARTMENT, score: 5 }).expect(404);
    const otherDepartment = await actOn('street', rating.id, 'rate', { departmentId: 'dept-housing', score: 3 }).expect(
      400,
    );
    expect(otherDepartment.body.details).toEqual([
      expect.objectContaining({ field: 'departmentId', rule: 'taskDepartment' }),
    ]);
    const outOfRange = await actOn('street', rating.id, 'rate', { departmentId: DEPARTMENT, score: 6 }).expect(400);
    expect(outOfRange.body.details).toEqual([expect.objectContaining({ field: 'score' })]);
    // Nothing refused reached the round: the department is still unrated, the rating task still open.
    const still = await taskOf('street', caseNo, 'whistle-rating');
    expect(still).toMatchObject({ id: rating.id, status: 'open' });
    const view = await http().get(`/api/v1/cases/${caseNo}`).set(bearer(tokens.operator)).expect(200);
    expect(view.body.case.whistleRounds).toMatchObject([{ round: 1, status: 'open' }]);
  });

  it('should refuse claimedBy other than me, naming the field', async () => {
    const response = await inbox('urban', 'claimedBy=someone').expect(400);
    expect(response.body.details).toEqual([expect.objectContaining({ field: 'claimedBy' })]);
  });
});
