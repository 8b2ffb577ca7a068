import { randomUUID } from 'node:crypto';
import type { Client as PgClient } from 'pg';
import { findUnit } from '../../libs/domain/src/org/org-tree';
import { DEMO_CITY } from '../../libs/domain/src/org/demo-city';
import { OrgTreeSource } from '../../libs/persistence/src/org/org-tree-source';
import { bearer, TEST_AUTH } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { insertTestUser, startTestStack, TestStack } from '../support/test-stack';

/**
 * The API and the worker decide by the org tree stored in PostgreSQL, not by the demo city's constant: a community
 * added to `org_units` (as a city import would) is a place intake accepts and dispatch routes, once the API's cached
 * tree is reloaded. A scratch database, since the file changes the tree.
 */
describe('the org tree as stored', () => {
  let stack: TestStack<'operator' | 'donghuOperator'>;
  const suffix = randomUUID().slice(0, 8);
  const community = `c-it-${suffix}`;

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-org-tree',
      scratch: true,
      seed: true,
      // An operator of 东湖区's own command centre (two-level command).
      prepare: (db) => insertTestUser(db, { username: 'operator.donghu', role: 'operator', unitId: 'centre-donghu' }),
      users: { operator: 'operator', donghuOperator: 'operator.donghu' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Polls the case until its workflow has dispatched it (the workflow runs on its own after the POST). */
  async function waitForDispatch(caseNo: string) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await stack.http().get(`/api/v1/cases/${caseNo}`).set(bearer(stack.tokens.operator));
      if (response.status === 200 && response.body.case?.leadUnitId) return response.body;
      if (Date.now() > deadline)
        throw new Error(`case ${caseNo} was never dispatched: ${JSON.stringify(response.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('should accept and dispatch a request at a community that only the stored tree has', async () => {
    const place = { communityId: community, streetId: 's-hubin', districtId: 'd-donghu' };
    // The demo constant does not know the community: the API would have refused the place.
    expect(findUnit(DEMO_CITY, community)).toBeUndefined();
    await stack.http().post('/api/v1/cases').send(noiseComplaintBody({ place })).expect(400);

    await stack.pg.query(
      `INSERT INTO org_units (id, kind, name, parent_id) VALUES ($1, 'community', '清水社区', 's-hubin')`,
      [community],
    );
    await stack.pg.query(
      `INSERT INTO org_units (id, kind, name, parent_id, committee_level, locality_id)
       VALUES ($1, 'committee', '清水社区协调委员会', $2, 'community', $2)`,
      [`cc-${community}`, community],
    );
    stack.app.get(OrgTreeSource).invalidate();

    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody({ place })).expect(201);
    expect(created.body).toMatchObject({ status: 'started' });
    const view = await waitForDispatch(created.body.caseNo);
    expect(view.case).toMatchObject({ leadUnitId: 's-hubin', place });
  });

  it('should refuse a place whose unit the stored tree no longer has, though the demo constant has it', async () => {
    const place = { gridId: 'g-xiyuan-1', communityId: 'c-xiyuan', streetId: 's-hubin', districtId: 'd-donghu' };
    expect(findUnit(DEMO_CITY, place.gridId)).toBeDefined();

    await stack.pg.query(`DELETE FROM org_units WHERE id = $1`, [place.gridId]);
    stack.app.get(OrgTreeSource).invalidate();

    const refused = await stack.http().post('/api/v1/cases').send(noiseComplaintBody({ place })).expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'place', rule: 'unknown-unit' })]);
  });

  it("should confine a district command centre's operator to the cases of their district", async () => {
    const inDonghu = await stack.http().post('/api/v1/cases').send(noiseComplaintBody()).expect(201);
    const xishan = { communityId: 'c-songtao', streetId: 's-yinxing', districtId: 'd-xishan' };
    const inXishan = await stack
      .http()
      .post('/api/v1/cases')
      .send(noiseComplaintBody({ place: xishan }))
      .expect(201);
    await waitForDispatch(inDonghu.body.caseNo);
    await waitForDispatch(inXishan.body.caseNo);
    const district = bearer(stack.tokens.donghuOperator);

    await stack.http().get(`/api/v1/cases/${inDonghu.body.caseNo}`).set(district).expect(200);
    // Another district's case answers as an unknown one (scope before state), to reads and actions alike.
    const unread = await stack.http().get(`/api/v1/cases/${inXishan.body.caseNo}`).set(district).expect(404);
    expect(unread.body).toMatchObject({ error: 'CaseNotFound', message: `No case ${inXishan.body.caseNo}` });
    const redispatch = { leadUnitId: 's-jintai', arbitrated: false, reason: '属金台街道辖区' };
    const refused = await stack
      .http()
      .post(`/api/v1/cases/${inXishan.body.caseNo}/redispatch`)
      .set(district)
      .send(redispatch)
      .expect(404);
    expect(refused.body).toMatchObject({ error: 'CaseNotFound', message: `No case ${inXishan.body.caseNo}` });
    // The city's centre keeps every case.
    await stack.http().get(`/api/v1/cases/${inXishan.body.caseNo}`).set(bearer(stack.tokens.operator)).expect(200);
  });
});

/**
 * 临县, a city of its own: one district, street and community with their committees, a service centre, and the
 * district's discipline office (the body a preset's accountability step goes to).
 */
const OTHER_CITY_UNITS: Array<[string, string, string, string | null, string | null]> = [
  // id, kind, name, parent, committee level
  ['city-lin', 'city', '临县市', null, null],
  ['centre-lin', 'service-centre', '临县市12345热线', 'city-lin', null],
  ['d-lin', 'district', '临城区', 'city-lin', null],
  ['cc-d-lin', 'committee', '临城区协调委员会', 'd-lin', 'district'],
  ['s-lin', 'street', '临河街道', 'd-lin', null],
  ['cc-s-lin', 'committee', '临河街道协调委员会', 's-lin', 'street'],
  ['c-lin', 'community', '临河社区', 's-lin', null],
  ['cc-c-lin', 'committee', '临河社区协调委员会', 'c-lin', 'community'],
  ['o-lin-discipline', 'office', '临城区纪委监委', 'd-lin', null],
];

/** Stores the other city's tree, a one-category routing catalogue (`lin` v1) and a designer, as an import would. */
async function storeOtherCity(db: PgClient): Promise<void> {
  for (const [id, kind, name, parent, level] of OTHER_CITY_UNITS) {
    await db.query(
      `INSERT INTO org_units (id, kind, name, parent_id, committee_level, locality_id, office_function)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, kind, name, parent, level, level ? parent : null, kind === 'office' ? 'discipline-office' : null],
    );
  }
  await db.query(`INSERT INTO routing_catalogues (id, version, name) VALUES ('lin', '1', '临县市派单目录')`);
  const deadlines = {
    emergency: { sign: 'PT30M', contact: 'PT1H', handle: 'PT2H' },
    urgent: { sign: 'PT2H', contact: 'PT2H', handle: '3WD' },
    normal: { sign: '1WD', contact: 'PT24H', handle: '7WD' },
  };
  await db.query(
    `INSERT INTO routing_categories (catalogue_id, catalogue_version, id, position, name, kinds, default_urgency,
       handler, deadlines, enforcement_or_mediation)
     VALUES ('lin', '1', 'noise-nuisance', 0, '噪声扰民', '{complaint}', 'normal', 'locality', $1, false)`,
    [JSON.stringify(deadlines)],
  );
  await insertTestUser(db, { username: 'designer.lin', role: 'designer', unitId: 'centre-lin' });
}

describe('another city stored in an empty database', () => {
  let stack: TestStack<'designer'>;
  const place = { communityId: 'c-lin', streetId: 's-lin', districtId: 'd-lin' };

  beforeAll(async () => {
    stack = await startTestStack({
      label: 'it-other-city',
      scratch: true,
      worker: false,
      prepare: storeOtherCity,
      users: { designer: 'designer.lin' },
      api: { auth: { ...TEST_AUTH, adminPassword: 'admin-password-of-lin' } },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("should seed the configured admin at the city's service centre, and no demo user", async () => {
    const { rows } = await stack.pg.query(`SELECT username, role, unit_id FROM users ORDER BY username`);
    expect(rows).toEqual([
      { username: 'admin', role: 'admin', unit_id: 'centre-lin' },
      { username: 'designer.lin', role: 'designer', unit_id: 'centre-lin' },
    ]);
  });

  it('should check intake by the stored catalogue on the stored tree while no version is published', async () => {
    const created = await stack.http().post('/api/v1/cases').send(noiseComplaintBody({ place })).expect(201);
    expect(created.body.caseNo).toMatch(/^\d{14,}$/);

    // 垃圾分类 is a category of the demo catalogue, not of this city's.
    const refused = await stack
      .http()
      .post('/api/v1/cases')
      .send(noiseComplaintBody({ place, category: 'garbage-sorting' }))
      .expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'category', rule: 'unknown-category' })]);
  });

  it('should make a draft from a preset for the stored city, with the stored catalogue as its routing', async () => {
    const draft = await stack
      .http()
      .post('/api/v1/rules/drafts')
      .set(bearer(stack.tokens.designer))
      .send({ fromPreset: 'beijing' })
      .expect(201);

    expect(draft.body.validation).toEqual({ ok: true, errors: [] });
    expect(draft.body.document.jurisdiction).toEqual({ cityId: 'city-lin' });
    expect(draft.body.document.routing).toMatchObject({ id: 'lin', version: '1' });
    expect(draft.body.document.routing.categories.map((category: { id: string }) => category.id)).toEqual([
      'noise-nuisance',
    ]);
  });

  it("should publish that draft for the stored city's districts, and check intake by its catalogue", async () => {
    const draft = await stack
      .http()
      .post('/api/v1/rules/drafts')
      .set(bearer(stack.tokens.designer))
      .send({ fromPreset: 'beijing' })
      .expect(201);
    const published = await stack
      .http()
      .post(`/api/v1/rules/drafts/${draft.body.id}/publish`)
      .set(bearer(stack.tokens.designer))
      .send({ scope: { cityId: 'city-lin' }, reason: '临县市上线' })
      .expect(201);
    const governing = await stack
      .http()
      .get('/api/v1/rules/published')
      .query({ districtId: 'd-lin' })
      .set(bearer(stack.tokens.designer))
      .expect(200);
    expect(governing.body.label).toBe(published.body.label);

    await stack.http().post('/api/v1/cases').send(noiseComplaintBody({ place })).expect(201);
    const refused = await stack
      .http()
      .post('/api/v1/cases')
      .send(noiseComplaintBody({ place, category: 'garbage-sorting' }))
      .expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'category', rule: 'unknown-category' })]);
  });
});
