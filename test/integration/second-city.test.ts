import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DEMO_CITY } from '../../libs/domain/src/org/demo-city';
import { monthOf } from '../../libs/domain/src/scores';
import { dataSourceOptions } from '../../libs/persistence/src';
import { importCity, readCityFolder } from '../../libs/persistence/src/city-import/city-import';
import { bearer } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { eventually, startTestStack, TestStack } from '../support/test-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const QINGSHAN = join(__dirname, '../fixtures/cities/qingshan-county');

/**
 * A second city, nothing like the demo city: 青山县, a county whose townships hang directly under it, imported into an
 * empty database (migrated, never seeded). Its designer publishes the `jinan` preset for it — its own catalogue, its
 * own offices as the ladder's bodies — and one case runs end to end: intake, dispatch to the township, a whistled
 * department, the ladder's first rung at the county's 12345 centre, reply, review, call-back, close, and the month's
 * scores. Nothing of the demo city is in the database.
 */
describe('a second city end to end', () => {
  const USERS = {
    operator: 'qs.operator',
    township: 'qs.handler.qingxi',
    housing: 'qs.handler.housing',
    designer: 'qs.designer',
    auditor: 'qs.auditor',
  };
  type User = keyof typeof USERS;
  let stack: TestStack<User>;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-second-city',
      scratch: true,
      seed: false,
      users: USERS,
      prepare: async (_pg, databaseUrl) => {
        const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
        try {
          await importCity(dataSource, await readCityFolder(QINGSHAN), {
            actor: { userId: 'it-second-city', role: 'admin', unitId: null },
            reason: '青山县上线',
          });
        } finally {
          await dataSource.destroy();
        }
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const http = () => stack.http();
  const as = (user: User) => bearer(stack.tokens[user]);
  const act = (user: User, caseNo: string, path: string, body: object = {}) =>
    http().post(`/api/v1/cases/${caseNo}/${path}`).set(as(user)).send(body);
  const caseOf = async (caseNo: string): Promise<Json> =>
    (await http().get(`/api/v1/cases/${caseNo}`).set(as('operator')).expect(200)).body as Json;

  it('should hold none of the demo city: its units, its catalogue, its users, its versions', async () => {
    const demoIds = DEMO_CITY.units.map((unit) => unit.id);
    const count = async (sql: string, params: unknown[] = []) =>
      Number((await stack.pg.query<{ n: string }>(sql, params)).rows[0].n);
    expect(await count(`SELECT count(*) AS n FROM org_units WHERE id = ANY($1)`, [demoIds])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM org_units WHERE kind = 'county'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM routing_catalogues WHERE id = 'demo'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM users WHERE unit_id = ANY($1)`, [demoIds])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM process_versions`)).toBe(0);
  });

  it('should run a case through intake, dispatch, a whistle, the ladder, the call-back and the scores', async () => {
    // The designer publishes jinan for the county: the stored catalogue and the county's own offices.
    const draft = await http()
      .post('/api/v1/rules/drafts')
      .set(as('designer'))
      .send({ fromPreset: 'jinan' })
      .expect(201);
    expect(draft.body.document.jurisdiction.cityId).toBe('county-qingshan');
    expect(draft.body.validation).toEqual({ ok: true, errors: [] });
    const published = await http()
      .post(`/api/v1/rules/drafts/${draft.body.id}/publish`)
      .set(as('designer'))
      .send({ reason: '青山县采用济南模式', scope: { cityId: 'county-qingshan' } })
      .expect(201);
    const label = published.body.label as string;

    // Intake at a grid of 清溪村: dispatched to 清溪镇, copied to the county.
    const submitted = await http()
      .post('/api/v1/cases')
      .send(
        noiseComplaintBody({
          address: '青山县清溪镇清溪村12号',
          place: { gridId: 'g-qingxi-1', communityId: 'v-qingxi', streetId: 't-qingxi', districtId: 'county-qingshan' },
        }),
      )
      .expect(201);
    const caseNo = submitted.body.caseNo as string;
    const dispatched = await eventually(async () => {
      const view = await caseOf(caseNo);
      expect(view.case?.phase).toBe('awaiting-sign');
      return view.case as Json;
    });
    expect(dispatched).toMatchObject({
      rulesVersion: label,
      leadUnitId: 't-qingxi',
      copyUnitIds: ['county-qingshan'],
      // The county's own catalogue (7 working days to handle) with jinan's rule applied to it: 5 working days.
      deadlines: { handle: { duration: '5WD' } },
    });

    // The case records the org tree version it was dispatched under.
    const orgVersion = await stack.pg.query('SELECT org_version FROM cases WHERE case_no = $1', [caseNo]);
    expect(orgVersion.rows[0].org_version).toEqual(expect.any(Number));
    await act('township', caseNo, 'sign').expect(200);
    await act('township', caseNo, 'contact', { note: '已电话联系' }).expect(200);

    // The township whistles the county housing bureau, which reports, submits its result and is rated.
    await act('township', caseNo, 'whistle', {
      departmentIds: ['dept-qs-housing'],
      grade: 'blue',
      reason: '工地夜间施工需住建执法',
    }).expect(200);
    await eventually(() => act('housing', caseNo, 'whistle-rounds/1/report', { note: '已到场' }).expect(200));
    await act('housing', caseNo, 'whistle-rounds/1/result', { summary: '已责令停止夜间施工' }).expect(200);
    await act('township', caseNo, 'whistle-rounds/1/ratings', { departmentId: 'dept-qs-housing', score: 5 }).expect(
      200,
    );

    // The township escalates: the first rung of jinan's ladder is the county's 12345 centre convening the units.
    const escalated = await act('township', caseNo, 'escalate', { reason: '需县级会商' }).expect(200);
    expect(escalated.body.lifecycle).toMatchObject({
      escalationLevel: 'hotline-convenes',
      escalationUnitId: 'centre-qingshan-12345',
      rung: { position: 1, role: 'operator' },
      // Every rung resolved at dispatch to the county's own bodies, found by function.
      plan: { rungUnits: ['centre-qingshan-12345', 'o-qs-government-office', 'o-qs-executive-meeting'] },
    });
    await act('operator', caseNo, 'coordinate', {
      instruction: '会商：住建局配合清溪镇处置',
      convene: ['dept-qs-housing'],
    }).expect(200);

    await act('township', caseNo, 'reply', { result: 'solved', summary: '夜间施工已停止' }).expect(200);
    await act('operator', caseNo, 'review', { accepted: true }).expect(200);
    const closed = await act('operator', caseNo, 'callback', {
      reached: true,
      solved: true,
      satisfaction: 'very-satisfied',
    }).expect(200);
    expect(closed.body.lifecycle).toMatchObject({ phase: 'closed', outcome: 'satisfied' });
    await eventually(async () => expect((await caseOf(caseNo)).case.phase).toBe('closed'));

    // The month's scores rank the township and the department from this case.
    const month = monthOf(new Date());
    const run = await http().post('/api/v1/scores/runs').set(as('auditor')).send({ month });
    expect([200, 201, 202]).toContain(run.status);
    const scores = await eventually(async () => {
      const { body } = await http().get(`/api/v1/scores/${month}`).set(as('auditor')).expect(200);
      return body as Json;
    }, 60_000);
    const township = (scores.units as Json[]).find((unit) => unit.unitId === 't-qingxi');
    expect(township).toMatchObject({ unitKind: 'street', unitName: '清溪镇', counts: expect.any(Object) });
    expect(township?.rates.satisfaction).toMatchObject({ numerator: 1, denominator: 1 });
  });
});
