import { createLogger } from '../../../platform/src';
import { runMigrations } from '../data-source';
import { loadCliConfig } from './embedded-state';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the running `npm start`'s database) and exits. */
async function main(): Promise<void> {
  const config = loadCliConfig(process.env, (message) => process.stderr.write(`${message}\n`));
  const logger = createLogger(config.logLevel, 'migrate');
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set to run migrations outside npm start');
  const applied = await runMigrations(config.databaseUrl);
  logger.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
