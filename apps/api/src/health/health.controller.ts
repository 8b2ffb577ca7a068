import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { livePollers as livePollersGauge, projectionLagSeconds, workflowBacklog } from '../metrics/metrics';
import { TemporalBound } from '../temporal/temporal-bound';
import { TemporalSettings } from '../temporal/temporal.module';

interface Check {
  ok: boolean;
  detail?: string;
}

/** The worker check, with the figures that say how far behind the workers are. */
interface WorkerCheck extends Check {
  /** Pollers seen within {@link POLLER_FRESH_MS}. */
  livePollers?: number;
  /** Workflow tasks waiting on the case queue, and the age of the oldest in seconds (the projection's lag). */
  backlog?: { tasks: number; oldestSeconds: number };
}

/**
 * A worker counts as live if it polled the case task queue this recently. Temporal keeps a poller in the list for
 * 5 minutes after its last poll, and an idle worker's long poll lasts up to 60 s before it polls again: 75 s
 * counts every live worker and forgets a killed one a minute after it stopped (it was 2 minutes).
 */
export const POLLER_FRESH_MS = 75_000;

/** A worker lagging behind by more than this (its oldest waiting workflow task) makes the API not ready. */
export const BACKLOG_AGE_LIMIT_SECONDS = 60;

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connection: Connection,
    private readonly settings: TemporalSettings,
    private readonly bound: TemporalBound,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the API process answers' })
  health() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: database reachable, Temporal reachable, a live worker polling the case queue and not behind; ' +
      'with the live pollers and the workflow-task backlog (the projection lag) as figures',
  })
  async ready(@Res({ passthrough: true }) response: Response) {
    const [database, temporalCheck, worker] = await Promise.all([this.database(), this.temporal(), this.worker()]);
    const ok = database.ok && temporalCheck.ok && worker.ok;
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, temporal: temporalCheck, worker } };
  }

  private async database(): Promise<Check> {
    try {
      await this.dataSource.query('SELECT 1');
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  private async temporal(): Promise<Check> {
    try {
      await this.bound.run('readiness', () =>
        this.connection.workflowService.describeNamespace({ namespace: this.settings.namespace }),
      );
      return { ok: true, detail: `namespace ${this.settings.namespace}` };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  private async worker(): Promise<WorkerCheck> {
    try {
      const queue = await this.bound.run('readiness', () =>
        this.connection.workflowService.describeTaskQueue({
          namespace: this.settings.namespace,
          taskQueue: {
            name: this.settings.taskQueue,
            kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL,
          },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          reportStats: true,
        }),
      );
      const now = Date.now();
      const livePollers = (queue.pollers ?? []).filter((poller) => {
        const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
        return now - seconds * 1000 < POLLER_FRESH_MS;
      }).length;
      const stats = queue.stats;
      const backlog = stats
        ? {
            tasks: Number(stats.approximateBacklogCount ?? 0),
            oldestSeconds: Number(stats.approximateBacklogAge?.seconds ?? 0),
          }
        : undefined;
      // The figures /metrics serves: refreshed at every readiness probe.
      livePollersGauge.set(livePollers);
      if (backlog) {
        workflowBacklog.set(backlog.tasks);
        projectionLagSeconds.set(backlog.oldestSeconds);
      }
      if (livePollers === 0) {
        return { ok: false, livePollers, backlog, detail: `no worker polled ${this.settings.taskQueue} lately` };
      }
      if (backlog && backlog.oldestSeconds > BACKLOG_AGE_LIMIT_SECONDS) {
        return {
          ok: false,
          livePollers,
          backlog,
          detail: `the workers are ${backlog.oldestSeconds} s behind on ${this.settings.taskQueue}`,
        };
      }
      return { ok: true, livePollers, backlog, detail: `${livePollers} live poller(s) on ${this.settings.taskQueue}` };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }
}
