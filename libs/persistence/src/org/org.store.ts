import { EntityManager } from 'typeorm';
import { buildOrgTree } from '../../../domain/src/org/org-tree';
import type { OrgTree } from '../../../domain/src/org/org.types';
import { buildRoutingCatalogue } from '../../../domain/src/routing/routing-catalogue';
import type { RoutingCatalogue } from '../../../domain/src/routing/routing.types';
import { OrgError } from '../../../domain/src/org/org.types';
import { OrgUnitEntity, toOrgUnit } from '../entities/org-unit.entity';
import { RoutingCatalogueEntity, RoutingCategoryEntity, toRoutingCategory } from '../entities/routing-catalogue.entity';

/**
 * The current org tree, validated by `buildOrgTree` (units by id), with `version` set to the stored version it is.
 * @throws OrgError `invalid-tree` when the rows do not form a valid tree (e.g. the table is empty).
 */
export async function loadOrgTree(manager: EntityManager): Promise<OrgTree> {
  const rows = await manager.find(OrgUnitEntity, { order: { id: 'ASC' } });
  return buildOrgTree(rows.map(toOrgUnit));
}

/**
 * The org tree as it was in stored version `version` (what a case dispatched under that version saw).
 * @throws OrgError `unknown-version` when no such version is stored.
 */
// Provisional until the org_versions migration lands: only the current tree is stored.
export async function loadOrgTreeVersion(manager: EntityManager, version: number): Promise<OrgTree> {
  const tree = await loadOrgTree(manager);
  if (tree.version !== undefined && tree.version !== version) {
    throw new OrgError('invalid-tree', `org tree version ${version} is not stored`);
  }
  return tree;
}

/**
 * The routing catalogue imported last (`routing_catalogues`, newest `created_at`), validated against `tree`;
 * undefined when none is stored.
 * @throws RoutingError `invalid-catalogue` when the stored rows do not form a valid catalogue for the tree.
 */
export async function loadCurrentCatalogue(
  manager: EntityManager,
  tree: OrgTree,
): Promise<RoutingCatalogue | undefined> {
  const [latest] = await manager.find(RoutingCatalogueEntity, {
    order: { createdAt: 'DESC', id: 'ASC', version: 'DESC' },
    take: 1,
  });
  return latest && loadRoutingCatalogue(manager, tree, latest.id, latest.version);
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
