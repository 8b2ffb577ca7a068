import { EntityManager } from 'typeorm';
import { buildOrgTree } from '../../../domain/src/org/org-tree';
import type { OrgTree } from '../../../domain/src/org/org.types';
import { buildRoutingCatalogue } from '../../../domain/src/routing/routing-catalogue';
import type { RoutingCatalogue } from '../../../domain/src/routing/routing.types';
import { OrgUnitEntity, toOrgUnit } from '../entities/org-unit.entity';
import { RoutingCatalogueEntity, RoutingCategoryEntity, toRoutingCategory } from '../entities/routing-catalogue.entity';

/**
 * The stored org tree, validated by `buildOrgTree` (units by id).
 * @throws OrgError `invalid-tree` when the rows do not form a valid tree (e.g. the table is empty).
 */
export async function loadOrgTree(manager: EntityManager): Promise<OrgTree> {
  const rows = await manager.find(OrgUnitEntity, { order: { id: 'ASC' } });
  return buildOrgTree(rows.map(toOrgUnit));
}

/**
 * A stored routing catalogue version, validated against `tree` by `buildRoutingCatalogue`; undefined when absent.
 * @throws RoutingError `invalid-catalogue` when the rows do not form a valid catalogue for the tree.
 */
export async function loadRoutingCatalogue(
  manager: EntityManager,
  tree: OrgTree,
  id: string,
  version: string,
): Promise<RoutingCatalogue | undefined> {
  const catalogue = await manager.findOneBy(RoutingCatalogueEntity, { id, version });
  if (!catalogue) return undefined;
  const rows = await manager.find(RoutingCategoryEntity, {
    where: { catalogueId: id, catalogueVersion: version },
    order: { position: 'ASC', id: 'ASC' },
  });
  return buildRoutingCatalogue({ id, version, name: catalogue.name, categories: rows.map(toRoutingCategory) }, tree);
}
