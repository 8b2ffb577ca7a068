import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** The message `npm run start:worker` sends its parent once its worker is created and about to poll. */
export const WORKER_READY_MESSAGE = 'shaosheng-worker-ready';

/** How long a stopping worker may take (its shutdown grace time is 10 s) before it is killed. */
const STOP_TIMEOUT_MS = 20_000;

/** How long the worker may take to start (bundle load, migrations, connection) before `npm start` gives up. */
const READY_TIMEOUT_MS = 180_000;

export interface WorkerProcess {
  pid: number | undefined;
  /** Stops the worker (SIGTERM: running tasks finish), killing it if it does not exit in time. */
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  /** What the worker runs against. */
  databaseUrl: string;
  temporalAddress: string;
  /** Called when the worker exits without having been told to stop. */
  onUnexpectedExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/**
 * Runs the case worker (`dist/apps/worker/src/main.js`, what `npm run start:worker` runs) as a child process of
 * `npm start`, with the embedded database and Temporal server, so that the API's event loop never waits behind the
 * worker's activities and workflow tasks. Resolves once the worker says it is ready; rejects if it exits first.
 * It inherits the environment (namespace, task queue, tuning, log level) and the terminal.
 */
export function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const main = join(__dirname, '..', '..', 'worker', 'src', 'main.js');
  const child: ChildProcess = fork(main, [], {
    env: { ...process.env, DATABASE_URL: options.databaseUrl, TEMPORAL_ADDRESS: options.temporalAddress },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let stopping = false;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const worker: WorkerProcess = {
    pid: child.pid,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  return new Promise<WorkerProcess>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      void worker.stop();
      reject(new Error(`the worker process was not ready within ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    child.on('message', (message) => {
      if (message !== WORKER_READY_MESSAGE || ready) return;
      ready = true;
      clearTimeout(timer);
      resolve(worker);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the worker process exited before it was ready (code ${code}, signal ${signal})`));
      else if (!stopping) options.onUnexpectedExit(code, signal);
    });
  });
}
