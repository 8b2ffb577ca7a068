import { DataSource, EntityManager, IsNull } from 'typeorm';
import { DEMO_CITY } from '../../../domain/src/org/demo-city';
import type { OrgTree } from '../../../domain/src/org/org.types';
import { DEMO_CATALOGUE } from '../../../domain/src/routing/demo-catalogue';
import { BEIJING_DEFINITION } from './demo-presets';
import type { RoutingCatalogue } from '../../../domain/src/routing/routing.types';
import { dataSourceOptions } from '../data-source';
import { OrgUnitEntity, orgUnitRow } from '../entities/org-unit.entity';
import {
  RoutingCatalogueEntity,
  RoutingCategoryEntity,
  routingCategoryRow,
} from '../entities/routing-catalogue.entity';
import { currentOrgVersion, lockOrgTree, recordOrgVersion } from '../org/org.store';

/** What one seed run did. */
export interface SeedReport {
  /** Org units inserted by this run (0 on a re-run). */
  unitsInserted: number;
  /** Routing categories inserted by this run (0 on a re-run). */
  categoriesInserted: number;
  /** Set when the database's org tree belongs to another city, so nothing was seeded. */
  skipped?: string;
}

/**
 * Loads the demo city 示范市 (`DEMO_CITY`) and its routing catalogue (`DEMO_CATALOGUE`) into the org and catalogue
 * tables, in one transaction. Idempotent and never clobbering: it inserts only rows missing by their key and never
 * updates or deletes one, so an operator's edits (a renamed unit, a changed deadline) survive any number of runs.
 * A database whose tree has another city at its root is left alone. When it inserted units (or the tree has no
 * version yet), the tree is recorded as a new org version (`recordOrgVersion`) by `system`. The calendar needs no
 * seed: its version 1 comes with the migrations. The `beijing` preset is published as `beijing@1` for the demo city
 * (once). A real city is loaded by the city import instead (docs/cities.md).
 */
export async function seedDemoData(
  target: string | DataSource,
  data: { tree: OrgTree; catalogue: RoutingCatalogue } = { tree: DEMO_CITY, catalogue: DEMO_CATALOGUE },
): Promise<SeedReport> {
  const owned = typeof target === 'string' ? new DataSource(dataSourceOptions(target)) : undefined;
  const dataSource = owned ? await owned.initialize() : (target as DataSource);
  try {
    return await dataSource.transaction(async (manager) => {
      // Two launchers seeding one database at once would otherwise both try to insert the same rows.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('shaosheng:seed'))`);
      await lockOrgTree(manager);
      const root = await manager.findOneBy(OrgUnitEntity, { parentId: IsNull() });
      if (root && root.id !== data.tree.rootId) {
        return {
          unitsInserted: 0,
          categoriesInserted: 0,
          skipped: `the org tree belongs to ${root.id} (${root.name}), not ${data.tree.rootId}`,
        };
      }
      const unitsInserted = await insertMissing(manager, OrgUnitEntity, data.tree.units.map(orgUnitRow));
      if (unitsInserted > 0 || (await currentOrgVersion(manager)) === undefined) {
        await recordOrgVersion(manager, { createdBy: 'system', reason: `demo data seed: ${data.tree.rootId}` });
      }
      const { catalogue } = data;
      await insertMissing(manager, RoutingCatalogueEntity, [
        Object.assign(new RoutingCatalogueEntity(), {
          id: catalogue.id,
          version: catalogue.version,
          name: catalogue.name,
        }),
      ]);
      const categoriesInserted = await insertMissing(
        manager,
        RoutingCategoryEntity,
        catalogue.categories.map((category, index) => routingCategoryRow(catalogue, category, index)),
      );
      await publishBeijingPreset(manager, data.tree);
      return { unitsInserted, categoriesInserted };
    });
  } finally {
    await owned?.destroy();
  }
}

/**
 * Publishes the `beijing` preset as `beijing@1` for the demo city (the version every demo case pins) unless a
 * `beijing` version exists already. Only for the demo city's tree: the preset names its units.
 */
async function publishBeijingPreset(manager: EntityManager, tree: OrgTree): Promise<void> {
  if (tree.rootId !== BEIJING_DEFINITION.jurisdiction.cityId) return;
  await manager.query(
    `INSERT INTO process_versions
       (definition_id, version, label, document, scope_city_id, published_by, published_by_name, reason)
     SELECT $1::text, 1, $1::text || '@1', $2::json, $3::text, 'system', 'system', 'preset shipped with the product'
     WHERE NOT EXISTS (SELECT 1 FROM process_versions WHERE definition_id = $1::text)`,
    [BEIJING_DEFINITION.id, JSON.stringify(BEIJING_DEFINITION), tree.rootId],
  );
}

/** `INSERT … ON CONFLICT DO NOTHING`; returns how many rows were new. */
async function insertMissing<T extends object>(
  manager: EntityManager,
  entity: new () => T,
  rows: T[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(entity)
    .values(rows as never)
    .orIgnore()
    .returning('1 AS inserted')
    .execute();
  return (result.raw as unknown[]).length;
}
