import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { join } from 'node:path';
import { createApiApp } from '../../api/src/bootstrap';
import { CaseWorker, createCaseWorker, defaultWorkflowBundlePath } from '../../worker/src/case-worker';
import { runMigrations, seedDemoData } from '../../../libs/persistence/src';
import { removeEmbeddedState, writeEmbeddedState } from '../../../libs/persistence/src/cli/embedded-state';
import {
  connectClient,
  connectWorker,
  createLogger,
  loadConfig,
  registerSearchAttributes,
  RunningDevServer,
  startDevServer,
  TemporalLogAdapter,
} from '../../../libs/platform/src';
import { RunningPostgres, startEmbeddedPostgres } from '../../../libs/platform/src/postgres/embedded-postgres';
import { startTracing, tracingConfigFromEnv } from '../../../libs/platform/src/tracing';
import { startWorkerProcess, WorkerProcess } from './worker-process';

/**
 * `npm start`: the whole product on one machine. Starts an embedded PostgreSQL and a Temporal dev server (unless
 * DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), applies migrations, runs the worker (a child process unless
 * EMBEDDED_WORKER=in-process) and the API in this process,
 * and stops everything in reverse order on Ctrl-C or SIGTERM. Data lives under DATA_DIR (default `.data/`).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'shaosheng');
  Runtime.install({ logger: new TemporalLogAdapter(logger.child({ component: 'temporal-sdk' })), shutdownSignals: [] });
  const stops: (() => Promise<unknown>)[] = [];
  // Traces only when an OTLP endpoint is configured, started before the worker and the API pick their interceptors.
  const tracingConfig = tracingConfigFromEnv('shaosheng');
  if (tracingConfig) {
    const tracing = startTracing(tracingConfig);
    stops.push(() => tracing.shutdown());
    logger.info({ url: tracingConfig.url }, 'exporting traces');
  }
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping');
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => logger.error({ err: error }, 'stop failed'));
    logger.info('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    const startedAt = Date.now();
    // PostgreSQL (with migrations and the seed) and Temporal do not depend on each other: both start at once.
    const database = (async () => {
      let url = config.databaseUrl;
      if (!url) {
        const postgres: RunningPostgres = await startEmbeddedPostgres({
          dataDir: join(config.embedded.dataDir, 'pg'),
          port: config.embedded.postgresPort,
          database: 'shaosheng',
          log: (message) => logger.debug({ component: 'postgres' }, message),
        });
        stops.push(() => postgres.stop());
        url = postgres.url;
        logger.info({ port: config.embedded.postgresPort }, 'embedded PostgreSQL started');
      }
      const applied = await runMigrations(url);
      logger.info({ applied }, 'database schema up to date');
      const seeded = await seedDemoData(url);
      logger.info(seeded, seeded.skipped ? 'demo city not seeded' : 'demo city and routing catalogue in place');
      return url;
    })();
    const server = (async (): Promise<{ address: string; uiUrl?: string }> => {
      if (!config.temporal.address) {
        const devServer: RunningDevServer = await startDevServer({
          port: config.embedded.temporalPort,
          uiPort: config.embedded.temporalUiPort,
          namespace: config.temporal.namespace,
          dbFile: join(config.embedded.dataDir, 'temporal.db'),
          log: (message) => logger.info({ component: 'temporal' }, message),
        });
        stops.push(() => devServer.stop());
        return { address: devServer.address, uiUrl: devServer.uiUrl };
      }
      const client = await connectClient({ ...config.temporal, address: config.temporal.address });
      const added = await registerSearchAttributes(client, config.temporal.namespace).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not register search attributes; register them on the cluster');
        return [];
      });
      await client.close();
      if (added.length) logger.info({ added }, 'search attributes registered');
      return { address: config.temporal.address };
    })();
    // Both settle before a failure is thrown, so whatever did start is in `stops` and gets stopped.
    const [databaseStep, serverStep] = await Promise.allSettled([database, server]);
    if (databaseStep.status === 'rejected') throw databaseStep.reason;
    if (serverStep.status === 'rejected') throw serverStep.reason;
    const databaseUrl = databaseStep.value;
    const { address, uiUrl } = serverStep.value;
    const temporal = { ...config.temporal, address };

    // The worker process and the API boot at the same time (two processes, two cores); the product is ready when both
    // are. An in-process worker is created first, as before.
    let workerProcess: Promise<WorkerProcess> | undefined;
    if (config.embedded.worker === 'process') {
      workerProcess = startWorkerProcess({
        databaseUrl,
        temporalAddress: address,
        onUnexpectedExit: (code, signal) => {
          logger.error({ code, signal }, 'worker process exited');
          void stopAll(1);
        },
      });
    } else {
      const connection: NativeConnection = await connectWorker(temporal);
      stops.push(() => connection.close());
      const caseWorker: CaseWorker = await createCaseWorker({
        databaseUrl,
        connection,
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        workflowBundlePath: defaultWorkflowBundlePath(),
      });
      const running = caseWorker.run();
      stops.push(() => caseWorker.shutdown());
      running.catch((error: unknown) => {
        logger.error({ err: error }, 'worker failed');
        void stopAll(1);
      });
    }
    const [workerStep, appStep] = await Promise.allSettled([
      workerProcess,
      createApiApp({ databaseUrl, temporal, logger }),
    ]);
    if (workerStep.status === 'fulfilled' && workerStep.value) {
      const worker = workerStep.value;
      stops.push(() => worker.stop());
      logger.info({ pid: worker.pid }, 'worker process running');
    }
    if (appStep.status === 'fulfilled') stops.push(() => appStep.value.close());
    if (workerStep.status === 'rejected') throw workerStep.reason;
    if (appStep.status === 'rejected') throw appStep.reason;
    const app: INestApplication = appStep.value;
    await app.listen(config.http.port, config.http.host);

    const api = `http://localhost:${config.http.port}`;
    // The CLIs (npm run audit:verify, migrate, …) find this database and server through this file.
    const dataDir = config.embedded.dataDir;
    writeEmbeddedState(dataDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      databaseUrl,
      temporalAddress: address,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      api,
    });
    stops.push(async () => removeEmbeddedState(dataDir));
    logger.info(
      {
        api,
        ready: `${api}/ready`,
        docs: `${api}/api/docs`,
        temporalUi: uiUrl,
        seconds: (Date.now() - startedAt) / 1000,
      },
      'Shaosheng is running',
    );
    process.stdout.write(
      [
        '',
        'Shaosheng is running:',
        `  Console       ${api}/`,
        `  API           ${api}/api/v1/cases`,
        `  Readiness     ${api}/ready`,
        `  API docs      ${api}/api/docs`,
        uiUrl ? `  Temporal UI   ${uiUrl}` : `  Temporal      ${address} (namespace ${temporal.namespace})`,
        `  Data          ${config.databaseUrl ? 'DATABASE_URL' : join(config.embedded.dataDir, 'pg')}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n') + '\n',
    );
  } catch (error) {
    logger.error({ err: error }, 'start failed');
    await stopAll(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
