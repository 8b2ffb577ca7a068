import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { CaseEntity } from './entities/case.entity';
import { IDENTITY_ENTITIES } from './entities/identity.entities';
import { IntakeRequestEntity } from './entities/intake-request.entity';
import { ORG_ENTITIES } from './entities/org.entities';
import { InitialSchema1700000000000 } from './migrations/1700000000000-initial-schema';
import { CaseLifecycle1700000000001 } from './migrations/1700000000001-case-lifecycle';
import { OrgCatalogueCalendar1700000000002 } from './migrations/1700000000002-org-catalogue-calendar';
import { Identity1700000000003 } from './migrations/1700000000003-identity';
import { EventStreams1700000000004 } from './migrations/1700000000004-event-streams';
import { IntakeOutcomesSupervision1700000000005 } from './migrations/1700000000005-intake-outcomes-supervision';
import { TasksOutbox1700000000006 } from './migrations/1700000000006-tasks-outbox';
import { InboxIndexes1700000000007 } from './migrations/1700000000007-inbox-indexes';
import { Scores1700000000008 } from './migrations/1700000000008-scores';
import { ProcessDefinitions1700000000009 } from './migrations/1700000000009-process-definitions';
import { AuditLog1700000000010 } from './migrations/1700000000010-audit-log';
import { OrgVersions1700000000011 } from './migrations/1700000000011-org-versions';
import { CalendarOfficialYears1700000000012 } from './migrations/1700000000012-calendar-official-years';
import { LadderPosition1700000000013 } from './migrations/1700000000013-ladder-position';
import { Incidents1700000000014 } from './migrations/1700000000014-incidents';
import { ActionRequests1700000000015 } from './migrations/1700000000015-action-requests';
import { Open3111700000000016 } from './migrations/1700000000016-open311';
import { AuditAppendFunction1700000000017 } from './migrations/1700000000017-audit-append-function';
import { CaseAuditStatus1700000000019 } from './migrations/1700000000019-case-audit-status';
import { ScoreScopes1700000000020 } from './migrations/1700000000020-score-scopes';
import { GovernanceItems1700000000021 } from './migrations/1700000000021-governance-items';
import { VillageBodies1700000000022 } from './migrations/1700000000022-village-bodies';

/** Every entity, listed explicitly so the same list works from TypeScript sources, tests and the built output. */
export const ENTITIES = [CaseEntity, IntakeRequestEntity, ...ORG_ENTITIES, ...IDENTITY_ENTITIES];

/** Every migration, in order. Schema changes only ever arrive through a new entry here. */
export const MIGRATIONS = [
  InitialSchema1700000000000,
  CaseLifecycle1700000000001,
  OrgCatalogueCalendar1700000000002,
  Identity1700000000003,
  EventStreams1700000000004,
  IntakeOutcomesSupervision1700000000005,
  TasksOutbox1700000000006,
  InboxIndexes1700000000007,
  Scores1700000000008,
  ProcessDefinitions1700000000009,
  AuditLog1700000000010,
  OrgVersions1700000000011,
  CalendarOfficialYears1700000000012,
  LadderPosition1700000000013,
  Incidents1700000000014,
  ActionRequests1700000000015,
  Open3111700000000016,
  AuditAppendFunction1700000000017,
  CaseAuditStatus1700000000019,
  ScoreScopes1700000000020,
  GovernanceItems1700000000021,
  VillageBodies1700000000022,
];

/**
 * TypeORM options for a PostgreSQL URL; the schema is owned by migrations (`synchronize` stays off). `pool.max`: the
 * connections of the pool (default 10; `DATABASE_POOL_MAX` for the API).
 */
export function dataSourceOptions(url: string, pool: { max?: number } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    extra: { max: pool.max ?? 10 },
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
