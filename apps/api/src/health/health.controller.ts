import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { TemporalSettings } from '../temporal/temporal.module';

interface Check {
  ok: boolean;
  detail?: string;
}

/** A worker counts as polling if it polled the case task queue this recently. */
const POLLER_FRESH_MS = 120_000;

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connection: Connection,
    private readonly settings: TemporalSettings,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the API process answers' })
  health() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: database reachable, Temporal reachable, a worker polling the case queue' })
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
      await this.connection.workflowService.describeNamespace({ namespace: this.settings.namespace });
      return { ok: true, detail: `namespace ${this.settings.namespace}` };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  private async worker(): Promise<Check> {
    try {
      const queue = await this.connection.workflowService.describeTaskQueue({
        namespace: this.settings.namespace,
        taskQueue: { name: this.settings.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const now = Date.now();
      const fresh = (queue.pollers ?? []).filter((poller) => {
        const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
        return now - seconds * 1000 < POLLER_FRESH_MS;
      });
      return fresh.length > 0
        ? { ok: true, detail: `${fresh.length} poller(s) on ${this.settings.taskQueue}` }
        : { ok: false, detail: `no worker polling ${this.settings.taskQueue}` };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }
}
