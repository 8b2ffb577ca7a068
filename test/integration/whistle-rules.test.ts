import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { bearer, coordinatorOf, handlerOf } from '../support/auth';
import { eventually, insertTestUser, startTestStack, TestStack } from '../support/test-stack';
import { noiseComplaintBody } from '../support/case-fixtures';

/**
 * Whistle rules as each preset states them, through the HTTP API and the task inbox, on the Temporal dev server and
 * a database of its own, on versions published for one district each:
 * - `ningbo-dl` on 东湖区 (社区吹哨、街道报到): 西苑社区 handles a case, whistles its own street 湖滨街道 (a department is
 *   refused, naming the field), the street reports and submits, the community rates; no veto;
 * - `pinggu` on 北郊区: 柳河镇 blows a red whistle (naming its trigger; an enforcement whistle), the department
 *   stays until the township confirms the work done (a result sent back is owed again), and the township's rating
 *   vetoes the department's assessment, on the record of the round.
 */
describe('whistle rules of the ningbo-dl and pinggu presets', () => {
  const TOWNSHIP_HANDLER = `handler.t-liuhe-${randomUUID().slice(0, 6)}`;
  const GRID_HANDLER = `handler.g-xiyuan-1-${randomUUID().slice(0, 6)}`;
  const COMMAND_OPERATOR = `operator.centre-donghu-${randomUUID().slice(0, 6)}`;
  const USERS = {
    operator: 'operator',
    designer: 'designer',
    auditor: 'auditor',
    grid: GRID_HANDLER,
    committee: coordinatorOf('cc-c-xiyuan'),
    community: handlerOf('c-xiyuan'),
    street: handlerOf('s-hubin'),
    township: TOWNSHIP_HANDLER,
    command: COMMAND_OPERATOR,
    urban: handlerOf('dept-urban-management'),
  };
  type Who = keyof typeof USERS;
  let stack: TestStack<Who>;
  let pg: PgClient;
  let tokens: Record<Who, string>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-whistle-rules',
      scratch: true,
      seed: true,
      prepare: async (db) => {
        await insertTestUser(db, {
          username: TOWNSHIP_HANDLER,
          role: 'handler',
          unitId: 't-liuhe',
          displayName: '柳河镇办理人（测试）',
        });
        await insertTestUser(db, { username: GRID_HANDLER, role: 'handler', unitId: 'g-xiyuan-1' });
        await insertTestUser(db, { username: COMMAND_OPERATOR, role: 'operator', unitId: 'centre-donghu' });
      },
      users: USERS,
    });
    ({ pg, tokens } = stack);
    for (const [preset, districtId] of [
      ['ningbo-dl', 'd-donghu'],
      ['pinggu', 'd-beijiao'],
    ]) {
      const draft = await http()
        .post('/api/v1/rules/drafts')
        .set(bearer(tokens.designer))
        .send({ fromPreset: preset, districtId })
        .expect(201);
      expect(draft.body.validation).toEqual({ ok: true, errors: [] });
      await http()
        .post(`/api/v1/rules/drafts/${draft.body.id}/publish`)
        .set(bearer(tokens.designer))
        .send({ reason: `${preset} 试点`, scope: { cityId: 'city-demo', districtId } })
        .expect(201);
    }
  });

  afterAll(() => stack?.stop());

  const http = () => stack.http();
  const inbox = (who: Who, query: string) => http().get(`/api/v1/tasks?${query}`).set(bearer(tokens[who]));
  const actOn = (who: Who, id: string, action: string, body: object = {}) =>
    http().post(`/api/v1/tasks/${id}/actions/${action}`).set(bearer(tokens[who])).send(body);
  const caseAction = (who: Who, caseNo: string, action: string, body: object) =>
    http().post(`/api/v1/cases/${caseNo}/${action}`).set(bearer(tokens[who])).send(body);

  /** The open task of `step` on `caseNo` in the caller's inbox, once the workflow has put it there. */
  const taskOf = (who: Who, caseNo: string, step: string) =>
    eventually(async () => {
      const listed = await inbox(who, `q=${caseNo}&step=${step}`).expect(200);
      expect(listed.body.items).toHaveLength(1);
      return listed.body.items[0] as { id: string; step: string; unitId: string; subjectUnitId: string | null };
    });

  /** A case of `place` under `rulesVersion`, led by `leadUnitId`, signed and contacted by `who` through its tasks. */
  async function handledCase(who: Who, place: object, rulesVersion: string, leadUnitId: string): Promise<string> {
    const created = await http()
      .post('/api/v1/cases')
      .send(noiseComplaintBody({ place, citizen: { name: '王先生', phone: '13900003333' } }))
      .expect(201);
    const caseNo: string = created.body.caseNo;
    await eventually(async () => {
      const [row] = (await pg.query(`SELECT lead_unit_id, rules_version FROM cases WHERE case_no = $1`, [caseNo])).rows;
      expect(row).toEqual({ lead_unit_id: leadUnitId, rules_version: rulesVersion });
    });
    await actOn(who, (await taskOf(who, caseNo, 'sign')).id, 'sign').expect(200);
    await actOn(who, (await taskOf(who, caseNo, 'contact')).id, 'contact', { note: '已电话联系' }).expect(200);
    return caseNo;
  }

  /** The events of `stream` of the case, oldest first. */
  const eventsOf = async (caseNo: string, stream: string) =>
    (
      await pg.query<{ type: string; detail: Record<string, unknown> }>(
        `SELECT type, detail FROM case_events WHERE case_no = $1 AND stream = $2 ORDER BY seq`,
        [caseNo, stream],
      )
    ).rows;

  it('ningbo-dl: a community whistles its own street, which reports, submits and is rated by the community', async () => {
    // Small matters stay in the grid: the case goes to its grid; the grid cannot settle it and escalates to the
    // community's committee, which hands it to 西苑社区 (hard ones in the community).
    const place = { gridId: 'g-xiyuan-1', communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' };
    const caseNo = await handledCase('grid', place, 'ningbo-dl@1', 'g-xiyuan-1');
    // The first rung is the grid itself; the next is the community's committee.
    await caseAction('grid', caseNo, 'escalate', { reason: '楼道堆物涉及多户' }).expect(200);
    await caseAction('grid', caseNo, 'escalate', { reason: '网格无法协调，请社区处置' }).expect(200);
    await caseAction('committee', caseNo, 'coordinate', {
      instruction: '由社区牵头处置',
      reassignTo: 'c-xiyuan',
    }).expect(200);
    await actOn('community', (await taskOf('community', caseNo, 'sign')).id, 'sign').expect(200);
    await actOn('community', (await taskOf('community', caseNo, 'contact')).id, 'contact', { note: '已联系' }).expect(
      200,
    );
    const handle = await taskOf('community', caseNo, 'handle');

    const toDepartment = await actOn('community', handle.id, 'whistle', {
      departmentIds: ['dept-urban-management'],
      grade: 'blue',
      reason: '楼道堆物需街道协调清理',
    }).expect(400);
    expect(toDepartment.body.details).toEqual([
      expect.objectContaining({ field: 'departmentIds[0]', rule: 'answeredBy' }),
    ]);
    expect(toDepartment.body.details[0].message).toContain('its own street (s-hubin)');
    const typed = await actOn('community', handle.id, 'whistle', {
      departmentIds: ['s-hubin'],
      grade: 'blue',
      reason: '楼道堆物需街道协调清理',
      whistleType: 'enforcement',
    }).expect(400);
    expect(typed.body.details).toEqual([expect.objectContaining({ field: 'whistleType', rule: 'whistleKind' })]);

    const whistled = await actOn('community', handle.id, 'whistle', {
      departmentIds: ['s-hubin'],
      grade: 'blue',
      reason: '楼道堆物需街道协调清理',
    }).expect(200);
    expect(whistled.body.lifecycle.whistleRounds).toMatchObject([
      { round: 1, whistlerUnitId: 'c-xiyuan', departmentIds: ['s-hubin'], trigger: 'citizen-demand' },
    ]);

    // The street answers like a summoned department: its report and result tasks, in its own inbox.
    const report = await taskOf('street', caseNo, 'whistle-report');
    expect(report).toMatchObject({ unitId: 's-hubin', subjectUnitId: 's-hubin' });
    await actOn('street', report.id, 'report', { note: '街道城管科已到场' }).expect(200);
    const result = await taskOf('street', caseNo, 'whistle-result');
    await actOn('street', result.id, 'result', { summary: '已组织清理楼道堆物' }).expect(200);
    const rating = await taskOf('community', caseNo, 'whistle-rating');
    expect(rating).toMatchObject({ unitId: 'c-xiyuan', subjectUnitId: 's-hubin' });
    const vetoed = await actOn('community', rating.id, 'rate', { departmentId: 's-hubin', score: 2, veto: true });
    expect(vetoed.status).toBe(400);
    expect(vetoed.body.details).toEqual([expect.objectContaining({ field: 'veto' })]);
    const rated = await actOn('community', rating.id, 'rate', { departmentId: 's-hubin', score: 5 }).expect(200);
    expect(rated.body).toMatchObject({ round: 1, phase: 'completed', trigger: 'citizen-demand' });

    expect((await eventsOf(caseNo, 'case')).find((event) => event.type === 'whistled')?.detail).toMatchObject({
      round: 1,
      departmentIds: ['s-hubin'],
      grade: 'blue',
      trigger: 'citizen-demand',
    });
    await eventually(async () => {
      const rows = await eventsOf(caseNo, 'whistle-1');
      expect(rows.map((event) => event.type)).toEqual(expect.arrayContaining(['reported', 'rated', 'completed']));
      expect(rows.find((event) => event.type === 'rated')?.detail).toMatchObject({ score: 5, veto: false });
    });

    // The auditor's export lists the whistle with its grade and trigger (ningbo-dl tells no types apart).
    const csv = await http()
      .get(`/api/v1/audit/cases.csv?rulesVersion=ningbo-dl@1`)
      .set(bearer(tokens.auditor))
      .expect(200);
    const [header, ...lines] = csv.text.trim().split('\r\n');
    const columns = header.split(',');
    const record = lines
      .map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])))
      .find((cells) => cells.case_no === caseNo);
    expect(record).toMatchObject({ whistle_grades: 'blue', whistle_triggers: 'citizen-demand', whistle_types: '' });
    const search = await http()
      .get(`/api/v1/audit/cases?rulesVersion=ningbo-dl@1`)
      .set(bearer(tokens.auditor))
      .expect(200);
    const found = search.body.items.find((item: { caseNo: string }) => item.caseNo === caseNo);
    expect(found?.whistles).toEqual([{ round: 1, grade: 'blue', trigger: 'citizen-demand', whistleType: null }]);
  });

  it('pinggu: a red whistle names its trigger; the department stays until the township confirms; a veto is recorded', async () => {
    const place = { communityId: 'v-liuhe', streetId: 't-liuhe', districtId: 'd-beijiao' };
    const caseNo = await handledCase('township', place, 'pinggu@1', 't-liuhe');
    const red = { departmentIds: ['dept-urban-management'], grade: 'red', reason: '违法建设联合执法' };

    const untriggered = await caseAction('township', caseNo, 'whistle', red).expect(400);
    expect(untriggered.body.details).toEqual([expect.objectContaining({ field: 'trigger', rule: 'whistleKind' })]);
    const wrongTrigger = await caseAction('township', caseNo, 'whistle', { ...red, trigger: 'citizen-demand' });
    expect(wrongTrigger.status).toBe(400);
    expect(wrongTrigger.body.details[0].message).toContain('"red" grade is for joint-enforcement, emergency-response');
    const whistled = await caseAction('township', caseNo, 'whistle', { ...red, trigger: 'joint-enforcement' });
    expect(whistled.status).toBe(200);
    expect(whistled.body.lifecycle.whistleRounds).toMatchObject([
      { round: 1, trigger: 'joint-enforcement', whistleType: 'enforcement' },
    ]);

    await actOn('urban', (await taskOf('urban', caseNo, 'whistle-report')).id, 'report').expect(200);
    const resultTask = await taskOf('urban', caseNo, 'whistle-result');
    await actOn('urban', resultTask.id, 'result', { summary: '已拆除违建' }).expect(200);
    // 事不完、人不撤: the department's task stays open, the township has a confirmation task, a rating must wait.
    expect((await taskOf('urban', caseNo, 'whistle-result')).id).toBe(resultTask.id);
    const early = await caseAction('township', caseNo, 'whistle-rounds/1/ratings', {
      departmentId: 'dept-urban-management',
      score: 1,
    }).expect(409);
    expect(early.body.message).toContain('has not been confirmed done yet');
    const confirm = await taskOf('township', caseNo, 'whistle-confirm');
    expect(confirm).toMatchObject({ unitId: 't-liuhe', subjectUnitId: 'dept-urban-management' });
    const noNote = await actOn('township', confirm.id, 'confirm', {
      departmentId: 'dept-urban-management',
      done: false,
    });
    expect(noNote.status).toBe(400);
    expect(new Set(noNote.body.details.map((detail: { field: string }) => detail.field))).toEqual(new Set(['note']));
    const sentBack = await actOn('township', confirm.id, 'confirm', {
      departmentId: 'dept-urban-management',
      done: false,
      note: '建筑垃圾尚未清运',
    }).expect(200);
    expect(sentBack.body.departments[0]).toMatchObject({ rejections: 1 });
    expect(sentBack.body.departments[0].resultAt).toBeUndefined();

    const again = await taskOf('urban', caseNo, 'whistle-result');
    await actOn('urban', again.id, 'result', { summary: '建筑垃圾已清运' }).expect(200);
    await actOn('township', (await taskOf('township', caseNo, 'whistle-confirm')).id, 'confirm', {
      departmentId: 'dept-urban-management',
      done: true,
    }).expect(200);
    const rating = await taskOf('township', caseNo, 'whistle-rating');
    const rated = await actOn('township', rating.id, 'rate', {
      departmentId: 'dept-urban-management',
      score: 2,
      comment: '二次返工',
      veto: true,
    }).expect(200);
    expect(rated.body).toMatchObject({ phase: 'completed', whistleType: 'enforcement' });
    expect(rated.body.departments[0].rating).toMatchObject({ score: 2, veto: true });

    await eventually(async () => {
      const rows = await eventsOf(caseNo, 'whistle-1');
      expect(rows.map((event) => event.type)).toEqual(
        expect.arrayContaining(['sent-back', 'confirmed', 'rated', 'completed']),
      );
      expect(rows.find((event) => event.type === 'rated')?.detail).toMatchObject({
        departmentId: 'dept-urban-management',
        score: 2,
        veto: true,
      });
    });
    const tasks = await pg.query<{ step: string; status: string }>(
      `SELECT step, status FROM tasks WHERE task_key LIKE $1 AND status = 'open'`,
      [`${caseNo}:whistle-1:%`],
    );
    expect(tasks.rows).toEqual([]);
  });

  // Runs last: it publishes nanjing for 东湖区 over ningbo-dl.
  it('nanjing: the district command centre that commands a case whistles for joint action and rates by its operators', async () => {
    const draft = await http()
      .post('/api/v1/rules/drafts')
      .set(bearer(tokens.designer))
      .send({ fromPreset: 'nanjing' })
      .expect(201);
    await http()
      .post(`/api/v1/rules/drafts/${draft.body.id}/publish`)
      .set(bearer(tokens.designer))
      .send({ reason: '大联勤试点', scope: { cityId: 'city-demo', districtId: 'd-donghu' } })
      .expect(201);
    const place = { communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' };
    const caseNo = await handledCase('street', place, 'nanjing@1', 's-hubin');
    const joint = {
      departmentIds: ['dept-urban-management', 'dept-market-regulation'],
      grade: 'yellow',
      trigger: 'joint-enforcement',
      reason: '占道经营联合执法',
    };
    // The city's 12345 centre does not command a case of 东湖区 under two-level command.
    const city = await caseAction('operator', caseNo, 'whistle', joint).expect(403);
    expect(city.body.message).toContain('commanded by centre-donghu');
    const whistled = await caseAction('command', caseNo, 'whistle', joint).expect(200);
    expect(whistled.body.lifecycle.whistleRounds).toMatchObject([
      { round: 1, whistlerUnitId: 'centre-donghu', trigger: 'joint-enforcement' },
    ]);
    await actOn('urban', (await taskOf('urban', caseNo, 'whistle-report')).id, 'report').expect(200);
    await actOn('urban', (await taskOf('urban', caseNo, 'whistle-result')).id, 'result', { summary: '已清理' }).expect(
      200,
    );
    const rating = await taskOf('command', caseNo, 'whistle-rating');
    expect(rating).toMatchObject({ unitId: 'centre-donghu', subjectUnitId: 'dept-urban-management' });
    const rated = await actOn('command', rating.id, 'rate', { departmentId: 'dept-urban-management', score: 4 });
    expect(rated.status).toBe(200);
    expect(rated.body.departments[0].rating).toMatchObject({ score: 4 });
  });
});
