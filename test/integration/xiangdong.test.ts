import { randomUUID } from 'node:crypto';
import { bearer } from '../support/auth';
import { eventually, insertTestUser, startTestStack, TestStack } from '../support/test-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Xiangdong's rural governance complex (4+X) on the demo city's 北郊区: the village comprehensive governance centre
 * (村级综治中心) is the first unit for its services, and a dispute goes through it end to end — intake, the centre
 * signs, the village's volunteer mediation group is summoned and reports its result, the centre replies, the centre
 * (12345) reviews and calls the citizen back, the case closes. On a database of its own, where `xiangdong` is
 * published for 北郊区.
 */
describe('xiangdong: the village governance centre runs a mediation case', () => {
  const CENTRE = 'o-liuhe-governance';
  const MEDIATION_GROUP = 'vg-liuhe-mediation';
  const USERS = {
    designer: 'designer',
    operator: 'operator',
    centre: 'it-xiangdong-centre',
    mediators: 'it-xiangdong-mediators',
  };
  type User = keyof typeof USERS;
  let stack: TestStack<User>;
  let draftValidation: Json;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-xiangdong',
      scratch: true,
      seed: true,
      prepare: async (pg) => {
        await insertTestUser(pg, { username: USERS.centre, role: 'handler', unitId: CENTRE });
        await insertTestUser(pg, { username: USERS.mediators, role: 'handler', unitId: MEDIATION_GROUP });
      },
      users: USERS,
    });
    const draft = await http()
      .post('/api/v1/rules/drafts')
      .set(as('designer'))
      .send({ fromPreset: 'xiangdong', districtId: 'd-beijiao' })
      .expect(201);
    draftValidation = draft.body.validation as Json;
    await http()
      .post(`/api/v1/rules/drafts/${draft.body.id}/publish`)
      .set(as('designer'))
      .send({ reason: '北郊区推行乡村治理综合体', scope: { cityId: 'city-demo', districtId: 'd-beijiao' } })
      .expect(201);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const http = () => stack.http();
  const as = (user: User) => bearer(stack.tokens[user]);
  const act = (user: User, caseNo: string, action: string, body: Json = {}) =>
    http().post(`/api/v1/cases/${caseNo}/${action}`).set(as(user)).send(body);

  it('should seed the villages’ governance centres and volunteer groups, and the preset should be valid there', async () => {
    const units = await stack.pg.query(
      `SELECT id, kind, parent_id, office_function FROM org_units WHERE parent_id = 'v-liuhe'
         AND kind IN ('office', 'volunteer-group') ORDER BY id`,
    );
    expect(units.rows).toEqual([
      { id: CENTRE, kind: 'office', parent_id: 'v-liuhe', office_function: 'governance-centre' },
      {
        id: 'vg-liuhe-emergency',
        kind: 'volunteer-group',
        parent_id: 'v-liuhe',
        office_function: 'emergency-response',
      },
      { id: MEDIATION_GROUP, kind: 'volunteer-group', parent_id: 'v-liuhe', office_function: 'volunteer-mediation' },
      { id: 'vg-liuhe-patrol', kind: 'volunteer-group', parent_id: 'v-liuhe', office_function: 'volunteer-patrol' },
      { id: 'vg-liuhe-service', kind: 'volunteer-group', parent_id: 'v-liuhe', office_function: 'volunteer-service' },
    ]);

    expect(draftValidation).toEqual({ ok: true, errors: [] });
    const governing = await http().get('/api/v1/rules/published?districtId=d-beijiao').set(as('designer')).expect(200);
    expect(governing.body).toMatchObject({ label: 'xiangdong@1' });
    expect(governing.body.document.jurisdiction).toEqual({ cityId: 'city-demo', districtId: 'd-beijiao' });
  });

  it('should run a dispute through the village centre and its volunteer mediation group to the close', async () => {
    const created = await http()
      .post('/api/v1/cases')
      .send({
        kind: 'help',
        category: 'village-dispute-mediation',
        channel: 'hotline',
        description: '邻里宅基地边界纠纷，请求村里调解',
        address: `示范市北郊区柳河镇柳河村${randomUUID().slice(0, 8)}号`,
        citizen: { name: '张先生', phone: '13700002222' },
        place: { gridId: 'g-liuhe-1' },
      })
      .expect(201);
    const caseNo = created.body.caseNo as string;
    const dispatched = await eventually(async () => {
      const { body } = await http().get(`/api/v1/cases/${caseNo}`).set(as('operator')).expect(200);
      expect(body.case?.phase).toBe('awaiting-sign');
      return body.case as Json;
    });
    expect(dispatched).toMatchObject({
      rulesVersion: 'xiangdong@1',
      leadUnitId: CENTRE,
      coUnitIds: [MEDIATION_GROUP],
      place: { gridId: 'g-liuhe-1', communityId: 'v-liuhe', streetId: 't-liuhe', districtId: 'd-beijiao' },
    });

    // The centre is the first unit: it signs; the group cannot sign for it.
    await act('mediators', caseNo, 'sign').expect(403);
    await act('centre', caseNo, 'sign').expect(200);
    await act('centre', caseNo, 'contact', { note: '已电话联系双方' }).expect(200);

    // Signing summons the village's volunteer mediation group: its task to report its part opens.
    const task = await eventually(async () => {
      const inbox = await http().get(`/api/v1/tasks?step=co-unit-report&q=${caseNo}`).set(as('mediators')).expect(200);
      expect(inbox.body.items).toHaveLength(1);
      return inbox.body.items[0] as Json;
    });
    expect(task).toMatchObject({ unitId: MEDIATION_GROUP, actions: ['co-unit-report'] });
    const reported = await http()
      .post(`/api/v1/tasks/${task.id}/actions/co-unit-report`)
      .set(as('mediators'))
      .send({ summary: '志愿调解队上门调解，双方达成边界协议并签字' })
      .expect(200);
    expect(reported.body.lifecycle.coUnitReports[MEDIATION_GROUP]).toMatchObject({
      summary: '志愿调解队上门调解，双方达成边界协议并签字',
    });

    // The centre replies with the result; the 12345 centre reviews it and calls the citizen back; the case closes.
    await act('centre', caseNo, 'reply', { result: 'solved', summary: '经志愿调解队调解，双方达成协议' }).expect(200);
    await act('operator', caseNo, 'review', { accepted: true }).expect(200);
    const closed = await act('operator', caseNo, 'callback', {
      reached: true,
      solved: true,
      satisfaction: 'satisfied',
    }).expect(200);
    expect(closed.body.lifecycle).toMatchObject({ phase: 'closed', outcome: 'satisfied' });

    await eventually(async () => {
      const events = await stack.pg.query(
        `SELECT type, actor->>'unitId' AS unit FROM case_events WHERE case_no = $1 ORDER BY seq`,
        [caseNo],
      );
      const rows = events.rows as { type: string; unit: string | null }[];
      expect(rows.at(-1)?.type).toBe('closed');
      expect(rows.filter((row) => ['signed', 'co-unit-reported', 'replied'].includes(row.type))).toEqual([
        { type: 'signed', unit: CENTRE },
        { type: 'co-unit-reported', unit: MEDIATION_GROUP },
        { type: 'replied', unit: CENTRE },
      ]);
    });
  });
});
