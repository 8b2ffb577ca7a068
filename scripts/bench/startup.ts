/*
 * npm run bench:startup — `npm start` time to ready (the first 200 from /ready), on a data folder and ports of its
 * own: a cold start (empty data folder: initdb, migrations, the demo seed) and --warm (default 2) warm starts
 * (the same folder again), each with nothing changed since the last build. Stops each with SIGINT and waits.
 *
 *   APP_DIR=<checkout> (default this one)
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../../libs/platform/src';
import { arg, fmt, machine, out, sleep } from './stack';

async function startOnce(appDir: string, dataDir: string): Promise<number> {
  const port = await freePort();
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  const started = performance.now();
  const child = spawn('npm', ['start'], { cwd: appDir, env, stdio: 'ignore', detached: true });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let ready = NaN;
  while (performance.now() - started < 300_000 && child.exitCode === null) {
    const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) {
      ready = (performance.now() - started) / 1000;
      break;
    }
    await sleep(100);
  }
  if (child.pid) process.kill(-child.pid, 'SIGINT'); // the whole group: npm and the product under it
  await Promise.race([exited, sleep(30_000)]);
  await sleep(1000);
  return ready;
}

async function main(): Promise<void> {
  const appDir = resolve(process.env.APP_DIR ?? join(__dirname, '..', '..', '..', '..'));
  const warm = Number(arg('warm', '2'));
  out(`bench:startup — ${machine()}`);
  out(`npm start in ${appDir}`);
  const root = mkdtempSync(join('/tmp', 'shaosheng-startup-'));
  chmodSync(root, 0o755);
  try {
    const dataDir = join(root, 'data');
    const cold = await startOnce(appDir, dataDir);
    out(`| cold (empty data folder) | ${fmt(cold, 1)} s |`);
    for (let k = 1; k <= warm; k++) out(`| warm ${k} (same folder) | ${fmt(await startOnce(appDir, dataDir), 1)} s |`);
    out(`end: ${machine()}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
