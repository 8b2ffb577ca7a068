import { DataSource } from 'typeorm';
import type { ProcessDefinition } from '../libs/domain/src/rules';
import type { OrgTree } from '../libs/domain/src/org/org.types';
import type { RoutingCatalogue } from '../libs/domain/src/routing';
import { loadCurrentCatalogue } from '../libs/persistence/src/org/org.store';

/** Finds the routing catalogue of a process definition version (`beijing@2`); undefined for an unknown label. */
export type CatalogueSource = (rulesVersion: string) => Promise<RoutingCatalogue | undefined>;

/**
 * The routing catalogues of published versions in PostgreSQL (`process_versions`). Published versions never
 * change, so each label is read once per worker.
 */
export function postgresCatalogueSource(dataSource: DataSource): CatalogueSource {
  const cache = new Map<string, RoutingCatalogue | undefined>();
  return async (rulesVersion) => {
    if (cache.has(rulesVersion)) return cache.get(rulesVersion);
    const rows = (await dataSource.query(`SELECT document FROM process_versions WHERE label = $1`, [
      rulesVersion,
    ])) as Array<{ document: ProcessDefinition | string }>;
    const document = rows[0]?.document;
    const definition = typeof document === 'string' ? (JSON.parse(document) as ProcessDefinition) : document;
    const catalogue = definition?.routing;
    cache.set(rulesVersion, catalogue);
    return catalogue;
  };
}

/** A routing catalogue chosen by what is stored now; undefined when there is none. */
export type CurrentCatalogueSource = () => Promise<RoutingCatalogue | undefined>;

/**
 * The current routing catalogue (`loadCurrentCatalogue`), validated against the stored tree (`trees`): what a case
 * is routed by when its pinned version has no catalogue stored (a case pinned to the built-in version).
 */
export function postgresCurrentCatalogue(
  dataSource: DataSource,
  trees: () => Promise<OrgTree>,
): CurrentCatalogueSource {
  return async () => loadCurrentCatalogue(dataSource.manager, await trees());
}

/**
 * The routing catalogue of the version that governs the whole city now (the newest non-archived version published
 * for the stored tree's root without a district), else the current one: what city-wide figures (the scores'
 * exclusions) are read by.
 */
export function postgresCityCatalogue(dataSource: DataSource, trees: () => Promise<OrgTree>): CurrentCatalogueSource {
  return async () => {
    const tree = await trees();
    const rows = (await dataSource.query(
      `SELECT document FROM process_versions
        WHERE archived_at IS NULL AND scope_city_id = $1 AND scope_district_id IS NULL
        ORDER BY published_at DESC, version DESC LIMIT 1`,
      [tree.rootId],
    )) as Array<{ document: ProcessDefinition | string }>;
    const document = rows[0]?.document;
    const definition = typeof document === 'string' ? (JSON.parse(document) as ProcessDefinition) : document;
    return definition?.routing ?? (await loadCurrentCatalogue(dataSource.manager, tree));
  };
}
