import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../libs/platform/src/net/free-port';

/** Where the browser tier's product runs: the console and API base URL, published to the test files. */
export const BROWSER_BASE_URL = 'SHAOSHENG_BROWSER_BASE_URL';
const ROOT = join(__dirname, '..', '..');

/** Newest modification time under `dir` of files matching `pattern`, skipping node_modules. */
function newest(dir: string, pattern: RegExp): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) latest = Math.max(latest, newest(path, pattern));
    else if (pattern.test(name)) latest = Math.max(latest, stat.mtimeMs);
  }
  return latest;
}

/**
 * `npm run build` when the built product (dist/, the console in dist/console) is missing or older than any source:
 * the browser tier runs what `npm start` runs. `.ci/run` builds in its setup step, so there this is a check.
 */
export function buildIfStale(log: (message: string) => void): void {
  const marker = join(ROOT, 'dist', 'console', 'index.html');
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  const sources = Math.max(
    ...['apps', 'libs', 'workflows', 'activities'].map((dir) => newest(join(ROOT, dir), /\.(ts|tsx|json)$/)),
  );
  if (built > sources) return;
  log('the build is older than the sources: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The product as `npm start` runs it (embedded PostgreSQL, Temporal dev server, worker, API + console). */
export interface RunningProduct {
  baseUrl: string;
  dataDir: string;
  process: ChildProcess;
}

/** Starts `node dist/apps/embedded/src/main.js` on free ports and a scratch data dir; resolves once `/ready` is ok. */
export async function startProduct(log: (message: string) => void): Promise<RunningProduct> {
  // /tmp is traversable by the `postgres` OS user, which runs the server when tests run as root.
  const dataDir = mkdtempSync(join('/tmp', 'shaosheng-browser-'));
  chmodSync(dataDir, 0o755);
  const [port, postgresPort, temporalPort, uiPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/embedded/src/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(postgresPort),
      EMBEDDED_TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the product exited (${child.exitCode}):\n${output}`);
    const ready = await fetch(`${baseUrl}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) {
      log(`product ready at ${baseUrl}`);
      return { baseUrl, dataDir, process: child };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  child.kill('SIGTERM');
  throw new Error(`the product was not ready within 120 s:\n${output}`);
}
