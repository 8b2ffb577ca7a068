import { Connection } from '@temporalio/client';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ensureTemporalBinary } from './binaries';
import { SEARCH_ATTRIBUTES } from './search-attributes';

export interface DevServerOptions {
  port: number;
  namespace: string;
  /** SQLite file that persists the server's state across restarts; in memory when omitted. */
  dbFile?: string;
  /**
   * SQLite pragmas for the persisted file (Temporal's SQLite persistence supports `journal_mode` and `synchronous`). Default
   * {@link DEFAULT_SQLITE_PRAGMAS}: write-ahead logging, fsync at checkpoints only. `{}` keeps SQLite's own defaults
   * (a rollback journal and an fsync per commit, several times slower on a busy disk).
   */
  sqlitePragmas?: Record<string, string>;
  /** Temporal UI port; the UI is off when omitted. */
  uiPort?: number;
  /** How long to wait for the server to answer, in milliseconds (default 90 s: a cold start on a busy machine). */
  readyTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/**
 * The embedded server's SQLite pragmas: WAL lets readers run beside the one writer and turns each commit into an
 * append; `synchronous=normal` syncs the log at checkpoints instead of at every commit. A power loss can then lose
 * the last commits, never corrupt the file; the dev server is the single-machine setup, where that trade is usual.
 */
export const DEFAULT_SQLITE_PRAGMAS: Readonly<Record<string, string>> = { journal_mode: 'wal', synchronous: 'normal' };

/**
 * Starts `temporal server start-dev` with Shaosheng's custom search attributes registered and waits, on its own
 * deadline, until the namespace answers.
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const log = options.log ?? (() => {});
  const cli = await ensureTemporalBinary('cli', log);
  log(`temporal CLI: ${cli.path} (from ${cli.source})`);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port)];
  args.push('--namespace', options.namespace, '--log-level', 'warn');
  if (options.dbFile) {
    mkdirSync(dirname(resolve(options.dbFile)), { recursive: true });
    args.push('--db-filename', resolve(options.dbFile));
    for (const [pragma, value] of Object.entries(options.sqlitePragmas ?? DEFAULT_SQLITE_PRAGMAS))
      args.push('--sqlite-pragma', `${pragma}=${value}`);
  }
  if (options.uiPort) args.push('--ui-ip', '127.0.0.1', '--ui-port', String(options.uiPort));
  else args.push('--headless');
  for (const attribute of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${attribute.name}=${attribute.type}`);

  const child = spawn(cli.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // Never leave a server behind if this process ends without stopping it (an uncaught error, process.exit).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let running = true;
  void exited.then(() => (running = false));

  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (!running) throw new Error(`temporal server start-dev exited before it was ready: ${stderr.trim()}`);
    if (await answers(address, options.namespace)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal server start-dev did not answer on ${address} in time: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    async stop() {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
    },
  };
}

async function answers(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
