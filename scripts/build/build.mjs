/*
 * `npm run build` (and the first step of `npm start` and the CLIs): compiles the server (tsc), bundles the workflow
 * code and builds the console, each step only when its inputs changed since it last succeeded.
 *
 * A step's fingerprint is a hash of the path, size and modification time of every input file; it is taken before the
 * step runs (an edit made during the build triggers the next one) and stored under .cache/build/ once the step
 * succeeded. A step whose fingerprint matches and whose output exists is skipped, so a start with nothing changed
 * costs one directory walk (~0.1 s) instead of a full build.
 *
 *   node scripts/build/build.mjs            every step
 *   node scripts/build/build.mjs --server   tsc only (what the CLIs need)
 *   node scripts/build/build.mjs --force    every step, fingerprints ignored
 *   node scripts/build/build.mjs --no-console   the server and the workflow bundle (the benchmarks)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stamps = join(root, '.cache', 'build');
const force = process.argv.includes('--force');
const serverOnly = process.argv.includes('--server');
const noConsole = process.argv.includes('--no-console');
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.cache', '.data', 'coverage']);
const isTest = (name) => /\.(spec|test)\.[cm]?[jt]sx?$/.test(name);

/** Every file under `dirs` (relative to the root) that `keep` accepts, plus the single files in `files`. */
function fingerprint({ dirs = [], files = [], keep = () => true }) {
  const lines = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (keep(path)) add(path);
    }
  };
  const add = (path) => {
    try {
      const stat = statSync(join(root, path));
      lines.push(`${path}\t${stat.size}\t${stat.mtimeMs}`);
    } catch {
      lines.push(`${path}\tmissing`);
    }
  };
  dirs.forEach(walk);
  files.forEach(add);
  return lines.sort();
}

/** The first input that differs between two fingerprints, for the log line. */
function firstChange(before, after) {
  const old = new Set(before);
  const changed = after.find((line) => !old.has(line)) ?? before.find((line) => !after.includes(line));
  return changed ? changed.split('\t')[0] : 'inputs';
}

const run = (label, command, args) => {
  const started = Date.now();
  try {
    execFileSync(command, args, { cwd: root, stdio: 'inherit' });
  } catch {
    process.stderr.write(`[build] ${label} failed\n`);
    process.exit(1);
  }
  process.stderr.write(`[build] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
};

/** Runs `build` unless the inputs' fingerprint matches the last successful run and `output` exists. */
function step(name, inputs, output, build) {
  const lines = fingerprint(inputs);
  const print = createHash('sha256').update(lines.join('\n')).digest('hex');
  const stampFile = join(stamps, `${name}.sha256`);
  const listFile = join(stamps, `${name}.inputs`);
  const last = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  if (!force && last === print && existsSync(join(root, output))) {
    process.stderr.write(`[build] ${name}: up to date\n`);
    return;
  }
  const why = !last ? 'first build' : force ? '--force' : last === print ? `${output} missing` : 'changed';
  const before = why === 'changed' && existsSync(listFile) ? readFileSync(listFile, 'utf8').split('\n') : [];
  process.stderr.write(`[build] ${name}: ${why === 'changed' ? `${firstChange(before, lines)} changed` : why}\n`);
  build();
  mkdirSync(stamps, { recursive: true });
  writeFileSync(stampFile, print);
  writeFileSync(listFile, lines.join('\n'));
}

const sources = (path) => /\.(ts|json)$/.test(path) && !isTest(path);
const lockfiles = ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

step(
  'server',
  {
    dirs: ['apps/api', 'apps/worker', 'apps/embedded', 'libs', 'workflows', 'activities'],
    files: lockfiles,
    keep: sources,
  },
  'dist/apps/embedded/src/main.js',
  () =>
    run('tsc', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']),
);
if (serverOnly) process.exit(0);

step(
  'workflow-bundle',
  { dirs: ['workflows', 'libs/domain'], files: lockfiles, keep: sources },
  'dist/workflow-bundle.js',
  () => run('workflow bundle', process.execPath, ['dist/apps/worker/src/bundle-workflows.js']),
);

if (noConsole) process.exit(0);

// The console's typed client is generated from the API's OpenAPI document: an API change rebuilds the console.
const generated = join('apps', 'console', 'src', 'api', 'schema.d.ts');
step(
  'console',
  {
    dirs: ['apps/console', 'apps/api/src', 'libs'],
    files: ['package-lock.json'],
    keep: (path) => !isTest(path) && path !== generated,
  },
  'dist/console/index.html',
  () => run('console', process.execPath, ['apps/console/scripts/build.mjs']),
);
