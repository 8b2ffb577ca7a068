import { DataSource } from 'typeorm';
import type { ProcessDefinition } from '../libs/domain/src/rules';
import type { RoutingCatalogue } from '../libs/domain/src/routing';

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
