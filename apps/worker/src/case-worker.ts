import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NativeConnection, Worker } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createCaseActivities, createLifecycleActivities } from '../../../activities';
import { PostgresCalendarSource } from '../../../activities/calendar-source';
import { postgresCatalogueSource } from '../../../activities/catalogue-source';
import { createScoreActivities } from '../../../activities/scores.activities';
import { dataSourceOptions } from '../../../libs/persistence/src';

/** Builds the case activities from the application context's providers. */
@Injectable()
export class CaseActivitiesFactory {
  constructor(private readonly dataSource: DataSource) {}

  create() {
    return {
      ...createCaseActivities({ dataSource: this.dataSource }),
      ...createLifecycleActivities({
        dataSource: this.dataSource,
        calendar: new PostgresCalendarSource(this.dataSource),
        catalogues: postgresCatalogueSource(this.dataSource),
      }),
      ...createScoreActivities({ dataSource: this.dataSource }),
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

/** The prebuilt bundle `npm run build` writes next to the compiled code, if present. */
export function defaultWorkflowBundlePath(): string | undefined {
  const path = join(__dirname, '..', '..', '..', 'workflow-bundle.js');
  return existsSync(path) ? path : undefined;
}

/**
 * Creates the worker of the case task queue: a Nest application context provides the activities' dependencies,
 * the Temporal worker gets plain objects.
 */
export async function createCaseWorker(options: CaseWorkerOptions): Promise<CaseWorker> {
  @Module({
    imports: [TypeOrmModule.forRoot(dataSourceOptions(options.databaseUrl))],
    providers: [CaseActivitiesFactory],
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
