import 'reflect-metadata';
import { runMigrations } from '../../../libs/persistence/src';
import { createLogger, loadConfig } from '../../../libs/platform/src';
import { startTracing, tracingConfigFromEnv } from '../../../libs/platform/src/tracing';
import { createApiApp } from './bootstrap';

/** `npm run start:api`: the API alone, against DATABASE_URL and TEMPORAL_ADDRESS (production). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'api');
  // Traces only when an OTLP endpoint is configured; before the app, whose middleware and client interceptors
  // depend on it. The spans still buffered are sent when the process is told to stop.
  const tracingConfig = tracingConfigFromEnv('shaosheng-api');
  if (tracingConfig) {
    const tracing = startTracing(tracingConfig);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void tracing.shutdown());
    logger.info({ url: tracingConfig.url }, 'exporting traces');
  }
  if (!config.databaseUrl) throw new Error('DATABASE_URL must be set for start:api (npm start embeds one)');
  await runMigrations(config.databaseUrl);
  const app = await createApiApp(
    {
      databaseUrl: config.databaseUrl,
      temporal: { ...config.temporal, address: config.temporal.address ?? '127.0.0.1:7233' },
      logger,
    },
    { handleSignals: true },
  );
  await app.listen(config.http.port, config.http.host);
  logger.info({ url: `http://${config.http.host}:${config.http.port}` }, 'API listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
