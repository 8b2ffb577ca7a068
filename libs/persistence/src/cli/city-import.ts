import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { CityImportError, describeImport, importCity, readCityFolder } from '../city-import/city-import';
import { checkCity } from '../city-import/city-rows';
import { formatProblem, ImportProblem } from '../city-import/city-tables';
import { dataSourceOptions, runMigrations } from '../data-source';
import { loadCliConfig } from './embedded-state';

const USAGE = 'usage: npm run city:import -- <folder> [--dry-run] [--actor NAME] [--reason TEXT]';

/** The command line: a folder and the options of docs/cities.md. */
export function parseCityImportArgs(
  args: readonly string[],
): { folder: string; dryRun: boolean; actor?: string; reason?: string } | string {
  let folder: string | undefined;
  let dryRun = false;
  let actor: string | undefined;
  let reason: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--dry-run') dryRun = true;
    else if (arg === '--actor' || arg === '--reason') {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--') || value.trim() === '') return `${arg} needs a value`;
      if (arg === '--actor') actor = value;
      else reason = value;
      i += 1;
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else if (folder === undefined) folder = arg;
    else return `one folder only (got ${folder} and ${arg})`;
  }
  if (folder === undefined) return 'the folder of the city files is required';
  return { folder, dryRun, ...(actor ? { actor } : {}), ...(reason ? { reason } : {}) };
}

/**
 * `npm run city:import -- <folder> [--dry-run] [--actor NAME] [--reason TEXT]`: applies pending migrations to
 * DATABASE_URL, then imports the city in the folder (docs/cities.md). Prints what changed (or would change), or every
 * problem as `file:line: field: message` on stderr. Exit code 0 on success, 1 when the files are refused, 2 on bad
 * usage, 3 on any other failure.
 */
async function main(): Promise<number> {
  const args = parseCityImportArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  const files = await readCityFolder(resolve(args.folder));
  // The files are checked before any database is needed: refused files are reported the same everywhere.
  const { problems } = checkCity(files);
  if (problems.length > 0) return refused(problems);
  const config = loadCliConfig(process.env, (message) => process.stderr.write(`${message}\n`));
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set to import a city');
  await runMigrations(config.databaseUrl);
  const dataSource = await new DataSource(dataSourceOptions(config.databaseUrl)).initialize();
  try {
    const actor = args.actor ?? process.env.USER ?? 'city-import';
    const report = await importCity(dataSource, files, {
      actor: { userId: actor, role: 'admin', unitId: null },
      reason: args.reason ?? `city import from ${args.folder}`,
      dryRun: args.dryRun,
    });
    process.stdout.write(`${describeImport(report).join('\n')}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof CityImportError)) throw error;
    return refused(error.problems);
  } finally {
    await dataSource.destroy();
  }
}

/** Prints every problem of refused files on stderr; exit code 1. */
function refused(problems: readonly ImportProblem[]): number {
  process.stderr.write(`the city was not imported: ${problems.length} problem(s)\n`);
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  return 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(3);
    },
  );
}
