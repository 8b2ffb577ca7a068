import { DataSource } from 'typeorm';
import { verifyAuditLog } from '../audit/audit.verify';
import { dataSourceOptions } from '../data-source';
import { loadCliConfig } from './embedded-state';

/** Exit codes of the audit CLIs: every link holds (no drift) / a broken link (drift) / the check could not run. */
export const EXIT = { ok: 0, failed: 1, found: 2 } as const;

/**
 * Verifies the audit log of `databaseUrl` (`args`: `[--case <caseNo>]`), writes the outcome as JSON
 * (`{ok, checked, head, firstBroken?}`) and returns the exit code: 0 when every link holds, 2 when one is broken.
 * Throws when the check cannot run.
 */
export async function runVerifyAudit(
  args: readonly string[],
  databaseUrl: string | undefined,
  write: (text: string) => void,
): Promise<number> {
  const at = args.indexOf('--case');
  const caseNo = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !caseNo) throw new Error('usage: audit:verify [-- --case <caseNo>]');
  if (!databaseUrl) throw new Error('DATABASE_URL must be set to verify the audit log');
  const dataSource = await new DataSource({ ...dataSourceOptions(databaseUrl), extra: { max: 1 } }).initialize();
  try {
    const result = await verifyAuditLog(dataSource, { caseNo });
    write(`${JSON.stringify(result, null, 2)}\n`);
    return result.ok ? EXIT.ok : EXIT.found;
  } finally {
    await dataSource.destroy();
  }
}

/** `npm run audit:verify [-- --case <caseNo>]`: verifies the audit log in DATABASE_URL. */
if (require.main === module) {
  runVerifyAudit(
    process.argv.slice(2),
    loadCliConfig(process.env, (message) => process.stderr.write(`${message}\n`)).databaseUrl,
    (text) => process.stdout.write(text),
  ).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(EXIT.failed);
    },
  );
}
