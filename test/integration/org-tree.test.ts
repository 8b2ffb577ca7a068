import { randomUUID } from 'node:crypto';
import { findUnit } from '../../libs/domain/src/org/org-tree';
import { DEMO_CITY } from '../../libs/domain/src/org/demo-city';
import { OrgTreeSource } from '../../libs/persistence/src/org/org-tree-source';
import { bearer } from '../support/auth';
import { noiseComplaintBody } from '../support/case-fixtures';
import { startTestStack, TestStack } from '../support/test-stack';

/**
 * The API and the worker decide by the org tree stored in PostgreSQL, not by the demo city's constant: a community
 * added to `org_units` (as a city import would) is a place intake accepts and dispatch routes, once the API's cached
 * tree is reloaded. A scratch database, since the file changes the tree.
 */
describe('the org tree as stored', () => {
  let stack: TestStack<'operator'>;
  const suffix = randomUUID().slice(0, 8);
  const community = `c-it-${suffix}`;

  beforeAll(async () => {
    stack = await startTestStack({ label: 'it-org-tree', scratch: true, seed: true, users: { operator: 'operator' } });
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
});
