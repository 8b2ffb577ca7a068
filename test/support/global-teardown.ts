import { rmSync } from 'node:fs';
import type { RunningDevServer } from '../../libs/platform/src';
import type { RunningPostgres } from '../../libs/platform/src/postgres/embedded-postgres';

/** Stops what the integration global setup started; nothing is left running. */
export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as Record<string, unknown>).__shaoshengServers as
    | { postgres: RunningPostgres; temporal: RunningDevServer; root: string }
    | undefined;
  if (!servers) return;
  await servers.temporal.stop();
  await servers.postgres.stop();
  rmSync(servers.root, { recursive: true, force: true });
}
