import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DEMO_CITY } from '../../libs/domain/src/org/demo-city';
import { DEMO_CATALOGUE } from '../../libs/domain/src/routing/demo-catalogue';
import { dataSourceOptions, seedDemoData } from '../../libs/persistence/src';
import { loadOrgTree, loadRoutingCatalogue } from '../../libs/persistence/src/org/org.store';
import { createScratchDatabase, ScratchDatabase } from '../support/scratch-database';
import { requiredTestEnv, TEST_ENV } from '../support/test-env';

/**
 * The demo city and routing catalogue in PostgreSQL: what the seed loads, that a re-run changes nothing an operator
 * did, and the constraints that keep the tables valid. Runs on a database of its own (it edits and breaks rows).
 */
describe('demo data seed', () => {
  let scratch: ScratchDatabase;
  let dataSource: DataSource;
  let pg: Client;

  beforeAll(async () => {
    scratch = await createScratchDatabase('it_seed');
    dataSource = await new DataSource(dataSourceOptions(scratch.url)).initialize();
    pg = new Client({ connectionString: scratch.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await dataSource?.destroy();
    await scratch?.drop();
  });

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    return (await pg.query<{ n: number }>(`SELECT (${sql})::int AS n`, params)).rows[0].n;
  }

  const units = (where: string) => count(`SELECT count(*) FROM org_units WHERE ${where}`);

  it('should load the whole demo city and catalogue into an empty database, and read back the same data', async () => {
    expect(await units('true')).toBe(0);
    const report = await seedDemoData(dataSource);
    expect(report).toEqual({
      unitsInserted: DEMO_CITY.units.length,
      categoriesInserted: DEMO_CATALOGUE.categories.length,
    });

    expect(await units(`kind = 'district'`)).toBeGreaterThanOrEqual(2);
    expect(await units(`kind IN ('street', 'township')`)).toBeGreaterThanOrEqual(6);
    expect(await units(`kind IN ('community', 'village')`)).toBeGreaterThanOrEqual(20);
    expect(await units(`kind = 'department'`)).toBeGreaterThanOrEqual(12);
    expect(await units(`kind = 'service-centre' AND id = 'centre-12345'`)).toBe(1);
    // Every community/village has a grid; every community, street and district has its committee at its level.
    expect(
      await units(`kind IN ('community', 'village') AND NOT EXISTS
        (SELECT 1 FROM org_units g WHERE g.parent_id = org_units.id AND g.kind = 'grid')`),
    ).toBe(0);
    expect(
      await units(`kind IN ('community', 'village', 'street', 'township', 'district') AND NOT EXISTS
        (SELECT 1 FROM org_units c WHERE c.kind = 'committee' AND c.locality_id = org_units.id AND c.id = 'cc-' || org_units.id
           AND c.committee_level = CASE WHEN org_units.kind IN ('community', 'village') THEN 'community'
             WHEN org_units.kind IN ('street', 'township') THEN 'street' ELSE 'district' END)`),
    ).toBe(0);
    expect(await count(`SELECT count(*) FROM routing_categories`)).toBeGreaterThanOrEqual(30);

    const tree = await loadOrgTree(dataSource.manager);
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect([...tree.units].sort(byId)).toEqual([...DEMO_CITY.units].sort(byId));
    expect(await loadRoutingCatalogue(dataSource.manager, tree, DEMO_CATALOGUE.id, DEMO_CATALOGUE.version)).toEqual(
      DEMO_CATALOGUE,
    );
  });

  it('should change nothing on a re-run, keeping what an operator edited', async () => {
    await pg.query(`UPDATE org_units SET name = '西苑社区（新）' WHERE id = 'c-xiyuan'`);
    await pg.query(
      `UPDATE routing_categories SET deadlines = jsonb_set(deadlines, '{normal,handle}', '"5WD"')
       WHERE catalogue_id = 'demo' AND id = 'noise-nuisance'`,
    );
    const before = await count(`SELECT count(*) FROM org_units`);

    expect(await seedDemoData(scratch.url)).toEqual({ unitsInserted: 0, categoriesInserted: 0 });

    expect(await count(`SELECT count(*) FROM org_units`)).toBe(before);
    expect((await pg.query(`SELECT name FROM org_units WHERE id = 'c-xiyuan'`)).rows[0].name).toBe('西苑社区（新）');
    const category = await pg.query(`SELECT deadlines FROM routing_categories WHERE id = 'noise-nuisance'`);
    expect(category.rows[0].deadlines.normal.handle).toBe('5WD');
  });

  // SQLSTATE 23514 check, 23505 unique, 23503 foreign key: the constraint refused it, not a typo in the statement.
  it.each([
    ['a second city', '23505', `INSERT INTO org_units (id, kind, name) VALUES ('city-other', 'city', '另一市')`],
    [
      'a grid under a district',
      '23514',
      `INSERT INTO org_units (id, kind, name, parent_id, centroid_lat, centroid_lng)
       VALUES ('g-wrong', 'grid', '错挂网格', 'd-donghu', 39.9, 116.4)`,
    ],
    [
      'a grid without a centroid',
      '23514',
      `INSERT INTO org_units (id, kind, name, parent_id) VALUES ('g-nowhere', 'grid', '无点网格', 'c-xiyuan')`,
    ],
    [
      'a street committee at a community',
      '23514',
      `UPDATE org_units SET committee_level = 'street' WHERE id = 'cc-c-liuyin'`,
    ],
    [
      'a second committee for one locality',
      '23505',
      `INSERT INTO org_units (id, kind, name, parent_id, committee_level, locality_id)
       VALUES ('cc-again', 'committee', '重复委员会', 'c-liuyin', 'community', 'c-liuyin')`,
    ],
    ['a utility flag on a street', '23514', `UPDATE org_units SET utility = true WHERE id = 's-hubin'`],
    [
      'an id that is not a slug',
      '23514',
      `INSERT INTO org_units (id, kind, name, parent_id) VALUES ('S Hubin', 'street', '湖滨', 'd-donghu')`,
    ],
    [
      'a category led by an unknown department',
      '23503',
      `UPDATE routing_categories SET handler = 'dept-nowhere' WHERE id = 'noise-nuisance'`,
    ],
    [
      'a category with an unknown kind',
      '23514',
      `UPDATE routing_categories SET kinds = '{complaint,gossip}' WHERE id = 'noise-nuisance'`,
    ],
    [
      'a knowledge answer without consultations',
      '23514',
      `UPDATE routing_categories SET knowledge_answer = '答', kinds = '{report}' WHERE id = 'noise-nuisance'`,
    ],
    [
      'deadlines missing an urgency',
      '23514',
      `UPDATE routing_categories SET deadlines = deadlines - 'urgent' WHERE id = 'noise-nuisance'`,
    ],
  ])('should refuse %s (SQLSTATE %s)', async (_what, code, sql) => {
    await expect(pg.query(sql)).rejects.toMatchObject({ code });
  });

  it('should leave a database whose org tree belongs to another city alone', async () => {
    const other = await createScratchDatabase('it_seed_other');
    const client = new Client({ connectionString: other.url });
    await client.connect();
    try {
      await client.query(`INSERT INTO org_units (id, kind, name) VALUES ('city-real', 'city', '真实市')`);
      const report = await seedDemoData(other.url);
      expect(report).toMatchObject({
        unitsInserted: 0,
        categoriesInserted: 0,
        skipped: expect.stringContaining('city-real'),
      });
      expect((await client.query(`SELECT count(*)::int AS n FROM org_units`)).rows[0].n).toBe(1);
    } finally {
      await client.end();
      await other.drop();
    }
  });

  it('should have seeded the shared database of the integration tier', async () => {
    const shared = new Client({ connectionString: requiredTestEnv(TEST_ENV.databaseUrl) });
    await shared.connect();
    try {
      const { rows } = await shared.query(
        `SELECT count(*)::int AS n FROM org_units WHERE id IN ('city-demo', 'cc-c-xiyuan')`,
      );
      expect(rows[0].n).toBe(2);
    } finally {
      await shared.end();
    }
  });
});
