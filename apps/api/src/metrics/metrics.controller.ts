import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import {
  metricsRegistry,
  openCases,
  openIncidents,
  outboxBacklog,
  outboxOldestSeconds,
  overdueTasks,
  pendingIntakeSeconds,
  supervisedCases,
} from './metrics';

/** Prometheus scrape endpoint: HTTP figures kept in memory, case figures read from PostgreSQL at each scrape. */
@ApiExcludeController()
@Public()
@Controller()
export class MetricsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  async metrics(): Promise<string> {
    await this.readFigures();
    return metricsRegistry.metrics();
  }

  private async readFigures(): Promise<void> {
    const q = <T>(sql: string) => this.dataSource.query(sql) as Promise<T[]>;
    const [stages, [overdue], levels, [outbox], [intake], incidents] = await Promise.all([
      q<{ stage: string; n: number }>(
        `SELECT stage, count(*)::int AS n FROM cases WHERE status = 'open' GROUP BY stage`,
      ),
      q<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE status <> 'closed' AND due_at < now()`),
      q<{ level: string; n: number }>(
        `SELECT supervision AS level, count(*)::int AS n FROM cases
         WHERE status = 'open' AND supervision <> 'none' GROUP BY supervision`,
      ),
      q<{ n: number; age: number }>(
        `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS age
         FROM outbox WHERE delivered_at IS NULL`,
      ),
      q<{ age: number }>(
        `SELECT coalesce(extract(epoch FROM now() - min(received_at)), 0)::float AS age
         FROM intake_requests WHERE status = 'received'`,
      ),
      q<{ step: string; n: number }>(
        `SELECT step, count(*)::int AS n FROM incidents WHERE status <> 'resolved' GROUP BY step`,
      ),
    ]);
    openCases.reset();
    for (const { stage, n } of stages) openCases.set({ stage }, n);
    overdueTasks.set(overdue.n);
    supervisedCases.reset();
    for (const { level, n } of levels) supervisedCases.set({ level }, n);
    outboxBacklog.set(outbox.n);
    outboxOldestSeconds.set(outbox.age);
    pendingIntakeSeconds.set(intake.age);
    openIncidents.reset();
    for (const { step, n } of incidents) openIncidents.set({ step }, n);
  }
}
