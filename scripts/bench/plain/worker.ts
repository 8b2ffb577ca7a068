/*
 * The plain baseline's own worker process (scripts/bench/plain/workflows.ts), on the benchmark's Temporal server
 * and a task queue of its own: BENCH_TEMPORAL_ADDRESS, BENCH_TASK_QUEUE. Default worker options, like the
 * product's. Prints "ready" once polling; stops on SIGTERM.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as activities from './activities';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: process.env.BENCH_TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: process.env.BENCH_TASK_QUEUE ?? 'bench-plain',
    workflowsPath: require.resolve('./workflows'),
    activities,
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
