import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The API's Prometheus registry; `/metrics` serves it. One per process, shared by every app it runs. */
export const metricsRegistry = new Registry();

/** HTTP requests by method, route pattern and status, with their latency in seconds. */
export const httpRequestDuration = new Histogram({
  name: 'shaosheng_http_request_duration_seconds',
  help: 'HTTP requests answered by the API, by method, route pattern and status, with their latency',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** Intake answers by outcome: started (201), received (202, workflow started later), linked, replayed. */
export const intakeOutcomes = new Counter({
  name: 'shaosheng_intake_total',
  help: 'Citizen submissions answered by intake, by outcome (started, received, linked, replayed)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Figures read from the database at each scrape. */
export const openCases = new Gauge({
  name: 'shaosheng_open_cases',
  help: 'Open cases by stage',
  labelNames: ['stage'] as const,
  registers: [metricsRegistry],
});
export const overdueTasks = new Gauge({
  name: 'shaosheng_overdue_tasks',
  help: 'Open tasks past their due time',
  registers: [metricsRegistry],
});
export const supervisedCases = new Gauge({
  name: 'shaosheng_supervised_cases',
  help: 'Open cases under supervision, by level (daily, posted, interview)',
  labelNames: ['level'] as const,
  registers: [metricsRegistry],
});
export const outboxBacklog = new Gauge({
  name: 'shaosheng_outbox_backlog',
  help: 'Notifications not yet delivered',
  registers: [metricsRegistry],
});
export const outboxOldestSeconds = new Gauge({
  name: 'shaosheng_outbox_oldest_seconds',
  help: 'Age of the oldest undelivered notification, in seconds (0 when none)',
  registers: [metricsRegistry],
});
export const pendingIntakeSeconds = new Gauge({
  name: 'shaosheng_intake_pending_oldest_seconds',
  help: 'Age of the oldest stored submission whose workflow has not started, in seconds (0 when none)',
  registers: [metricsRegistry],
});
export const openIncidents = new Gauge({
  name: 'shaosheng_open_incidents',
  help: 'Incidents not yet resolved (open or retrying), by failed step',
  labelNames: ['step'] as const,
  registers: [metricsRegistry],
});
export const workflowBacklog = new Gauge({
  name: 'shaosheng_workflow_task_backlog',
  help: 'Workflow tasks waiting on the case task queue (the projection lags while they wait)',
  registers: [metricsRegistry],
});
export const projectionLagSeconds = new Gauge({
  name: 'shaosheng_projection_lag_seconds',
  help: 'Age of the oldest workflow task waiting on the case task queue, in seconds: how far the projection lags',
  registers: [metricsRegistry],
});
export const livePollers = new Gauge({
  name: 'shaosheng_live_pollers',
  help: 'Workers that polled the case task queue in the last 75 s',
  registers: [metricsRegistry],
});

/** Express middleware timing every request by its route pattern (unmatched routes: `unmatched`). */
export function httpMetricsMiddleware(request: Request, response: Response, next: NextFunction): void {
  const end = httpRequestDuration.startTimer();
  response.once('finish', () => {
    const pattern = (request.route as { path?: string } | undefined)?.path;
    const route = pattern ? `${request.baseUrl}${pattern}` : 'unmatched';
    end({ method: request.method, route, status: String(response.statusCode) });
  });
  next();
}
