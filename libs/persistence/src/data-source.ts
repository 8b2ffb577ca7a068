import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { CaseEntity } from './entities/case.entity';
import { IntakeRequestEntity } from './entities/intake-request.entity';
import { InitialSchema1700000000000 } from './migrations/1700000000000-initial-schema';
import { CaseLifecycle1700000000001 } from './migrations/1700000000001-case-lifecycle';

/** Every entity, listed explicitly so the same list works from TypeScript sources, tests and the built output. */
export const ENTITIES = [CaseEntity, IntakeRequestEntity];

/** Every migration, in order. Schema changes only ever arrive through a new entry here. */
export const MIGRATIONS = [InitialSchema1700000000000, CaseLifecycle1700000000001];

/** TypeORM options for a PostgreSQL URL; the schema is owned by migrations (`synchronize` stays off). */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10 },
  };
}

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so an API and a worker booting together never
 * race. Returns the names of the migrations it applied.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext('shaosheng:migrations'))`);
    const dataSource = new DataSource(dataSourceOptions(url));
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(hashtext('shaosheng:migrations'))`).catch(() => undefined);
    await lock.end();
  }
}
