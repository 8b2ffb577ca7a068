import { EntityManager } from 'typeorm';
import { diffOrgUnits, isEmptyOrgDiff, OrgUnitDiff } from '../../../domain/src/org/org-diff';
import { buildOrgTree } from '../../../domain/src/org/org-tree';
import { OrgError, OrgTree, OrgUnit } from '../../../domain/src/org/org.types';
import { buildRoutingCatalogue } from '../../../domain/src/routing/routing-catalogue';
import type { RoutingCatalogue } from '../../../domain/src/routing/routing.types';
import { OrgUnitEntity, orgUnitRow, toOrgUnit } from '../entities/org-unit.entity';
import { OrgUnitHistoryEntity, OrgVersionEntity } from '../entities/org-version.entity';
import { RoutingCatalogueEntity, RoutingCategoryEntity, toRoutingCategory } from '../entities/routing-catalogue.entity';

/**
 * The current org tree (`org_units`), validated by `buildOrgTree` (units by id), with `version` set to the newest
 * stored version (absent while no version is recorded, e.g. rows written by hand). Two indexed reads: fit for hot
 * paths, though most callers go through the cached `OrgTreeSource`.
 * @throws OrgError `invalid-tree` when the rows do not form a valid tree (e.g. the table is empty).
 */
export async function loadOrgTree(manager: EntityManager): Promise<OrgTree> {
  const [rows, version] = await Promise.all([
    manager.find(OrgUnitEntity, { order: { id: 'ASC' } }),
    currentOrgVersion(manager),
  ]);
  return buildOrgTree(rows.map(toOrgUnit), { version });
}

/**
 * The org tree as it was in stored version `version` (what a case dispatched under that version saw), rebuilt from
 * `org_unit_history`.
 * @throws OrgError `unknown-version` when no such version is stored.
 */
export async function loadOrgTreeVersion(manager: EntityManager, version: number): Promise<OrgTree> {
  if (!Number.isInteger(version) || !(await manager.existsBy(OrgVersionEntity, { version }))) {
    throw new OrgError('unknown-version', `org tree version ${version} is not stored`);
  }
  const rows = await manager
    .getRepository(OrgUnitHistoryEntity)
    .createQueryBuilder('h')
    .where('h.addedIn <= :version AND (h.removedIn IS NULL OR h.removedIn > :version)', { version })
    .orderBy('h.id')
    .getMany();
  return buildOrgTree(
    rows.map((row) => row.unit),
    { version },
  );
}

/** The newest stored org tree version, or undefined when none is recorded. */
export async function currentOrgVersion(manager: EntityManager): Promise<number | undefined> {
  const row = await manager
    .getRepository(OrgVersionEntity)
    .createQueryBuilder('v')
    .select('max(v.version)', 'latest')
    .getRawOne<{ latest: number | null }>();
  return row?.latest ?? undefined;
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

/** Rows per insert statement (PostgreSQL takes at most 65 535 parameters a statement). */
const CHUNK = 1000;

/** Who changes the org tree, and why (recorded on the version). */
export interface OrgTreeChange {
  /** The user id, or `system`. */
  createdBy: string;
  reason: string;
}

/** What {@link writeOrgTree} or {@link recordOrgVersion} did. */
export interface OrgTreeWrite {
  /** The version now current (the new one when `created`); undefined only while the table is empty. */
  version: number | undefined;
  /** True when a new version was recorded. */
  created: boolean;
  /** The version's changes against the previous version (everything added for version 1). */
  diff: OrgUnitDiff;
}

/**
 * Takes the org tree's change lock until the transaction ends: imports and seeds of one database queue, and the next
 * version number is read after the lock is held.
 */
export async function lockOrgTree(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('shaosheng:org-tree'))`);
}

/**
 * Makes `units` the current org tree inside the caller's transaction, and records it as a new version when anything
 * changed (see {@link recordOrgVersion}); nothing is written when `units` equal the current tree. The caller
 * validates `units` first (`buildOrgTree`) and checks that no open case depends on a removed unit; the database
 * checks parents, kinds and keys again at commit.
 */
export async function writeOrgTree(
  manager: EntityManager,
  units: readonly OrgUnit[],
  change: OrgTreeChange,
): Promise<OrgTreeWrite> {
  await lockOrgTree(manager);
  const rows = await manager.find(OrgUnitEntity, { order: { id: 'ASC' } });
  const diff = diffOrgUnits(rows.map(toOrgUnit), units);
  if (!isEmptyOrgDiff(diff)) {
    // Checked at commit, so the rows may be rewritten in any order (a unit moved under a new parent, a root replaced).
    await manager.query(
      `SET CONSTRAINTS org_units_parent_id_fkey, org_units_locality_id_fkey, org_units_check_parent DEFERRED`,
    );
    if (diff.removed.length > 0) {
      await manager.delete(
        OrgUnitEntity,
        diff.removed.map((unit) => unit.id),
      );
    }
    for (const { after } of diff.changed) await manager.save(OrgUnitEntity, orgUnitRow(after));
    for (let i = 0; i < diff.added.length; i += CHUNK) {
      await manager.insert(OrgUnitEntity, diff.added.slice(i, i + CHUNK).map(orgUnitRow));
    }
  }
  return recordOrgVersion(manager, change);
}

/**
 * Records the current rows of `org_units` as a new version when they differ from the newest version (or no version
 * exists yet): closes the history rows of removed and changed units and adds rows for added and changed ones. Takes
 * the org tree's lock. Returns `created: false` when the table already matches the newest version.
 */
export async function recordOrgVersion(manager: EntityManager, change: OrgTreeChange): Promise<OrgTreeWrite> {
  await lockOrgTree(manager);
  const [rows, latest] = await Promise.all([
    manager.find(OrgUnitEntity, { order: { id: 'ASC' } }),
    currentOrgVersion(manager),
  ]);
  const live = await manager
    .getRepository(OrgUnitHistoryEntity)
    .createQueryBuilder('h')
    .where('h.removedIn IS NULL')
    .orderBy('h.id')
    .getMany();
  const units = rows.map(toOrgUnit);
  const diff = diffOrgUnits(
    live.map((row) => row.unit),
    units,
  );
  if (units.length === 0 || (latest !== undefined && isEmptyOrgDiff(diff))) {
    return { version: latest, created: false, diff };
  }
  const root = units.find((unit) => unit.parentId === null);
  const version = (latest ?? 0) + 1;
  await manager.insert(OrgVersionEntity, {
    version,
    createdBy: change.createdBy,
    reason: change.reason,
    rootId: root?.id ?? '',
    unitCount: units.length,
  });
  const closed = [...diff.removed, ...diff.changed.map(({ before }) => before)].map((unit) => unit.id);
  if (closed.length > 0) {
    await manager
      .createQueryBuilder()
      .update(OrgUnitHistoryEntity)
      .set({ removedIn: version })
      .where('id IN (:...closed) AND removed_in IS NULL', { closed })
      .execute();
  }
  const opened = [...diff.added, ...diff.changed.map(({ after }) => after)];
  for (let i = 0; i < opened.length; i += CHUNK) {
    await manager.insert(
      OrgUnitHistoryEntity,
      opened.slice(i, i + CHUNK).map((unit) => ({ id: unit.id, addedIn: version, removedIn: null, unit: { ...unit } })),
    );
  }
  return { version, created: true, diff };
}
