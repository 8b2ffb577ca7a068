import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (this file is `scripts/chaos/build.ts`, compiled or not). */
const ROOT = join(__dirname, '..', '..', ...(__dirname.includes('.cache') ? ['..', '..'] : []));

/** Where `scripts/chaos/tsconfig.json` compiles the product and the chaos scripts. */
export const CHAOS_COMPILED_ROOT = join(ROOT, '.cache', 'chaos');

function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || path === join(ROOT, 'apps', 'console')) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) latest = Math.max(latest, newest(path));
    else if (/\.(ts|json)$/.test(name)) latest = Math.max(latest, stat.mtimeMs);
  }
  return latest;
}

/**
 * Compiles the product into `.cache/chaos` (emit only: `npm run typecheck` checks the types) and bundles the workflow
 * code there, unless the bundle is newer than every source; what `npm run chaos` does before it runs.
 */
export function ensureChaosBuild(log: (message: string) => void): void {
  const bundle = join(CHAOS_COMPILED_ROOT, 'workflow-bundle.js');
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const sources = Math.max(
    ...['apps', 'libs', 'workflows', 'activities', 'scripts/chaos'].map((dir) => newest(join(ROOT, dir))),
  );
  if (built > sources) return;
  log('compiling the product into .cache/chaos');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'scripts/chaos/tsconfig.json'), '--noCheck'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  execFileSync(process.execPath, [join(CHAOS_COMPILED_ROOT, 'apps/worker/src/bundle-workflows.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
