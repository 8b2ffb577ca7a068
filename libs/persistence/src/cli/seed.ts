import { createLogger } from '../../../platform/src';
import { runMigrations } from '../data-source';
import { seedDemoData } from '../seed/demo-city.seed';
import { loadCliConfig } from './embedded-state';

/** `npm run seed`: applies pending migrations to DATABASE_URL, then loads the demo city and catalogue (idempotent). */
async function main(): Promise<void> {
  const config = loadCliConfig(process.env, (message) => process.stderr.write(`${message}\n`));
  const logger = createLogger(config.logLevel, 'seed');
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set to seed outside npm start');
  const applied = await runMigrations(config.databaseUrl);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const report = await seedDemoData(config.databaseUrl);
  logger.info(report, report.skipped ? 'demo data not seeded' : 'demo data seeded');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
