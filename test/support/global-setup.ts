import { mkdtempSync } from 'node:fs';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runMigrations, seedDemoData } from '../../libs/persistence/src';
import { ensureTemporalBinary, freePort, startDevServer } from '../../libs/platform/src';
import { startEmbeddedPostgres } from '../../libs/platform/src/postgres/embedded-postgres';
import { createTemplateDatabase } from './scratch-database';
import { TEST_ENV } from './test-env';
import { bundleWorkflowsForRun } from './workflow-bundle';

/**
 * Integration tier: one embedded PostgreSQL (migrated) and one Temporal dev server for the whole run. Each test
 * file creates its own ids and task queue. The handles stay in this process for the global teardown.
 */
export default async function globalSetup(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[integration setup] ${message}\n`);
  await ensureTemporalBinary('cli', log);
  await bundleWorkflowsForRun(log);
  // /tmp is traversable by the `postgres` OS user, which runs the server when tests run as root.
  const root = mkdtempSync(join('/tmp', 'shaosheng-it-'));
  chmodSync(root, 0o755);
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const postgres = await startEmbeddedPostgres({
    dataDir: join(root, 'pg'),
    port: pgPort,
    database: 'shaosheng_test',
    ephemeral: true,
  });
  await runMigrations(postgres.url);
  await seedDemoData(postgres.url);
  process.env[TEST_ENV.templateDatabase] = await createTemplateDatabase(postgres.url);
  const temporal = await startDevServer({ port: temporalPort, namespace: 'default', readyTimeoutMs: 120_000, log });
  process.env[TEST_ENV.databaseUrl] = postgres.url;
  // Tests that submit cases expect 201 (started within INTAKE_START_WAIT_MS), also several at once and on a busy CI
  // machine, where the moving average of starts may pass the 250 ms default: they wait behind up to 8 starts under
  // way, whatever the average. Answering 202 at once under load is tested by itself (intake-starter.spec.ts).
  process.env.INTAKE_START_FAST_MS ??= '60000';
  process.env.INTAKE_START_WAIT_AHEAD ??= '8';
  process.env[TEST_ENV.temporalAddress] = temporal.address;
  (globalThis as Record<string, unknown>).__shaoshengServers = { postgres, temporal, root };
}
