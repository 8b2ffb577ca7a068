/*
 * `npm run build` (root) runs this after compiling the API: installs the console's own dependencies when they are
 * missing or stale, generates the typed client from the API's OpenAPI document (so an API change that breaks the
 * console breaks the build), type-checks the console and bundles it into dist/console, which the API serves at `/`.
 * `--skip-bundle` stops after the type-check (used by tests that only need the client).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const consoleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(consoleDir, '..', '..');
const bin = (name) => join(consoleDir, 'node_modules', '.bin', name);
const run = (command, args, cwd = consoleDir) => {
  try {
    execFileSync(command, args, { cwd, stdio: 'inherit' });
  } catch {
    process.stderr.write(`[console] failed: ${command} ${args.join(' ')}\n`);
    process.exit(1);
  }
};
const log = (message) => process.stdout.write(`[console] ${message}\n`);

const installed = join(consoleDir, 'node_modules', '.package-lock.json');
const lock = join(consoleDir, 'package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  log('installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

mkdirSync(join(root, '.cache'), { recursive: true });
const document = join(root, '.cache', 'openapi.json');
log('OpenAPI document → typed client (src/api/schema.d.ts)');
run(process.execPath, [join(consoleDir, 'scripts', 'openapi-document.mjs'), document]);
const schema = join(consoleDir, 'src', 'api', 'schema.d.ts');
run(bin('openapi-typescript'), [document, '-o', schema, '--silent']);
run(join(root, 'node_modules', '.bin', 'prettier'), ['--log-level', 'warn', '--write', schema], root);

log('type-check');
run(bin('tsc'), ['-p', 'tsconfig.json']);
if (!process.argv.includes('--skip-bundle')) {
  log('bundle → dist/console');
  run(bin('vite'), ['build', '--logLevel', 'warn']);
}
