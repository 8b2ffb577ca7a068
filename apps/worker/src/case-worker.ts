import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NativeConnection, Worker } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createCaseActivities, createLifecycleActivities } from '../../../activities';
import { PostgresCalendarSource } from '../../../libs/persistence/src/calendar/calendar-source';
import {
  postgresCatalogueSource,
  postgresCityCatalogue,
  postgresCurrentCatalogue,
} from '../../../activities/catalogue-source';
import { createScoreActivities } from '../../../activities/scores.activities';
import { createGovernanceActivities } from '../../../activities/governance.activities';
import { dataSourceOptions } from '../../../libs/persistence/src';
import { OrgTreeSource, postgresOrgTreeSource } from '../../../libs/persistence/src/org/org-tree-source';
import { activeTracing, workerTracingOptions } from '../../../libs/platform/src/tracing';

/**
 * Builds the case activities from the application context's providers. Every decision reads the org tree and the
 * routing catalogues stored in PostgreSQL: the tree through one cached {@link OrgTreeSource} (so a city imported by
 * another process is seen within seconds), the catalogue of each case's pinned version.
 */
@Injectable()
export class CaseActivitiesFactory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly trees: OrgTreeSource,
  ) {}

  create() {
    const { dataSource } = this;
    const trees = () => this.trees.current();
    const catalogues = postgresCatalogueSource(dataSource);
    return {
      ...createCaseActivities({ dataSource, catalogues, catalogue: postgresCurrentCatalogue(dataSource, trees) }),
      ...createLifecycleActivities({
        dataSource,
        calendar: new PostgresCalendarSource(dataSource),
        catalogues,
        trees,
      }),
      ...createScoreActivities({ dataSource, trees, catalogue: postgresCityCatalogue(dataSource, trees) }),
      ...createGovernanceActivities({ dataSource, calendar: new PostgresCalendarSource(dataSource) }),
    };
  }
}

export interface CaseWorkerOptions {
  databaseUrl: string;
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebuilt workflow bundle (production); the workflow sources are bundled at start when absent. */
  workflowBundlePath?: string;
}

export interface CaseWorker {
  worker: Worker;
  /** Runs until shutdown; rejects if the worker fails. */
  run(): Promise<void>;
  /** Stops polling, lets running tasks finish, closes the database. */
  shutdown(): Promise<void>;
}

/**
 * The prebuilt bundle `npm run build` writes next to the compiled code, if present: `workflow-bundle.js`, or while
 * tracing is on `workflow-bundle-traced.js`, the same workflows with Temporal's workflow tracing interceptors.
 */
export function defaultWorkflowBundlePath(): string | undefined {
  const path = join(__dirname, '..', '..', '..', activeTracing() ? 'workflow-bundle-traced.js' : 'workflow-bundle.js');
  return existsSync(path) ? path : undefined;
}

/**
 * Creates the worker of the case task queue: a Nest application context provides the activities' dependencies,
 * the Temporal worker gets plain objects.
 */
export async function createCaseWorker(options: CaseWorkerOptions): Promise<CaseWorker> {
  @Module({
    imports: [TypeOrmModule.forRoot(dataSourceOptions(options.databaseUrl))],
    providers: [
      {
        provide: OrgTreeSource,
        useFactory: (dataSource: DataSource) => postgresOrgTreeSource(dataSource),
        inject: [DataSource],
      },
      CaseActivitiesFactory,
    ],
  })
  class WorkerModule {}

  const context = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../../../workflows') }),
    activities: context.get(CaseActivitiesFactory).create(),
    // Spans of workflows and activities while tracing is on; nothing at all when off.
    ...workerTracingOptions({ prebuiltBundle: Boolean(options.workflowBundlePath) }),
    maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS,
    ...workerTuningFromEnv(process.env),
    shutdownGraceTime: '10 seconds',
  });
  let running: Promise<void> | undefined;
  return {
    worker,
    run() {
      running = worker.run();
      return running;
    },
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running?.catch(() => undefined);
      await context.close();
    },
  };
}

/**
 * Cases kept in the worker's sticky cache unless WORKER_MAX_CACHED_WORKFLOWS says otherwise: about 0.4 MiB each was
 * measured (bench:intake), so the cache stays under ~0.5 GiB however many cases are open (the SDK's own default grows
 * with the heap limit: about 2,300 on a 4 GiB heap).
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 1000;

/** The worker's slot and cache limits an environment variable can set; each absent one keeps the default. */
const TUNING = {
  /**
   * Workflows kept in the sticky cache (default {@link DEFAULT_MAX_CACHED_WORKFLOWS}; the bound on the worker's
   * memory: an evicted case is replayed from its history when it next moves).
   */
  WORKER_MAX_CACHED_WORKFLOWS: 'maxCachedWorkflows',
  /** Workflow tasks run at once (default 40; at most the cache size). */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 'maxConcurrentWorkflowTaskExecutions',
  /** Activities run at once: the mirror writes (default 100; each holds a database connection while it runs). */
  WORKER_MAX_CONCURRENT_ACTIVITIES: 'maxConcurrentActivityTaskExecutions',
  /** Local activities run at once: intake, routing and the calendar (default 100). */
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: 'maxConcurrentLocalActivityExecutions',
} as const;

/**
 * The worker limits set in `env` ({@link TUNING}), for measuring and sizing a deployment. Fails at boot on a value
 * that is not a positive integer, naming the variable.
 */
export function workerTuningFromEnv(
  env: Record<string, string | undefined>,
): Partial<Record<(typeof TUNING)[keyof typeof TUNING], number>> {
  const tuning: Partial<Record<(typeof TUNING)[keyof typeof TUNING], number>> = {};
  for (const [name, option] of Object.entries(TUNING)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (!/^[1-9][0-9]*$/.test(raw)) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
    tuning[option] = Number(raw);
  }
  return tuning;
}
