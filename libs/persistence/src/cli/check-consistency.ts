import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AppConfig, connectClient } from '../../../platform/src';
import { checkConsistency, temporalVisibility } from '../audit/consistency';
import { dataSourceOptions } from '../data-source';
import { loadCliConfig } from './embedded-state';
import { EXIT } from './verify-audit';

/**
 * Compares the `cases` projection in `config.databaseUrl` with the visibility of the Temporal cluster at
 * `config.temporal.address` (`args`: `[--hours <n>] [--all-queues]`: open cases, and cases changed or closed within
 * the last n hours, default 168; only workflows on the configured task queue unless `--all-queues`), writes the
 * report as JSON and returns the exit code: 0 without drift, 2 with drift. Throws when the check cannot run.
 */
export async function runCheckConsistency(
  args: readonly string[],
  config: Pick<AppConfig, 'databaseUrl' | 'temporal'>,
  write: (text: string) => void,
  options: { settleMs?: number } = {},
): Promise<number> {
  const hoursAt = args.indexOf('--hours');
  const recentHours = hoursAt >= 0 ? Number(args[hoursAt + 1]) : undefined;
  if (recentHours !== undefined && !(recentHours > 0)) throw new Error('--hours takes a positive number of hours');
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set to check consistency');
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS must be set to check consistency');
  const connection = await connectClient({ ...config.temporal, address: config.temporal.address });
  try {
    const dataSource = await new DataSource({
      ...dataSourceOptions(config.databaseUrl),
      extra: { max: 2 },
    }).initialize();
    try {
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const report = await checkConsistency(dataSource, temporalVisibility(client), {
        recentHours,
        taskQueue: args.includes('--all-queues') ? undefined : config.temporal.taskQueue,
        settleMs: options.settleMs,
      });
      write(`${JSON.stringify(report, null, 2)}\n`);
      return report.ok ? EXIT.ok : EXIT.found;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await connection.close();
  }
}

/** `npm run audit:consistency [-- --hours <n>] [-- --all-queues]`: DATABASE_URL against TEMPORAL_ADDRESS. */
if (require.main === module) {
  (async () =>
    runCheckConsistency(
      process.argv.slice(2),
      loadCliConfig(process.env, (message) => process.stderr.write(`${message}\n`)),
      (text) => process.stdout.write(text),
    ))().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(EXIT.failed);
    },
  );
}
