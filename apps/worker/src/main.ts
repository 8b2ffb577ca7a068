import 'reflect-metadata';
import { Runtime } from '@temporalio/worker';
import { runMigrations } from '../../../libs/persistence/src';
import { connectWorker, createLogger, loadConfig, TemporalLogAdapter } from '../../../libs/platform/src';
import { startTracing, tracingConfigFromEnv } from '../../../libs/platform/src/tracing';
import { createCaseWorker, defaultWorkflowBundlePath } from './case-worker';

/** `npm run start:worker`: the case worker alone, against DATABASE_URL and TEMPORAL_ADDRESS (production). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  // Traces only when an OTLP endpoint is configured; before the worker, which picks its interceptors from it.
  const tracingConfig = tracingConfigFromEnv('shaosheng-worker');
  const tracing = tracingConfig ? startTracing(tracingConfig) : undefined;
  if (tracingConfig) logger.info({ url: tracingConfig.url }, 'exporting traces');
  Runtime.install({
    logger: new TemporalLogAdapter(logger),
    shutdownSignals: [],
    // The SDK's own metrics (task latencies, poll outcomes, schedule-to-start, slots) for Prometheus, when asked.
    ...(config.workerMetricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.workerMetricsAddress } } } }
      : {}),
  });
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set for start:worker (npm start embeds one)');
  await runMigrations(config.databaseUrl);
  const connection = await connectWorker({ ...config.temporal, address: config.temporal.address ?? '127.0.0.1:7233' });
  const caseWorker = await createCaseWorker({
    databaseUrl: config.databaseUrl,
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundlePath: defaultWorkflowBundlePath(),
  });
  const stop = () => {
    logger.info('shutting down');
    void caseWorker.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker polling');
  const running = caseWorker.run();
  // Run by `npm start` as its child: tell it the worker is up (the string is WORKER_READY_MESSAGE).
  process.send?.('shaosheng-worker-ready');
  process.channel?.unref(); // the channel alone does not keep the worker alive once it has stopped
  await running;
  await caseWorker.shutdown();
  await connection.close();
  await tracing?.shutdown();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
