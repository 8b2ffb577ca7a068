import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import { activeTracing } from './tracing';

/**
 * The module of Temporal's workflow tracing interceptors: a span per workflow run, signal, Update and Query, and per
 * activity it schedules, all children of the span in the start's or message's headers. It runs inside the workflow
 * sandbox, so it must be in the workflow bundle (`bundleWorkflowCode`'s `workflowInterceptorModules`).
 */
export const WORKFLOW_TRACING_MODULE = require.resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

/**
 * The Temporal client's interceptors while tracing is on (none when off): starting a workflow, an Update, a signal
 * or a Query opens a client span, a child of the active (HTTP request) span, and carries it to the workflow in the
 * call's headers.
 */
export function workflowClientTracingInterceptors(): WorkflowClientInterceptor[] {
  return activeTracing() ? [new OpenTelemetryWorkflowClientInterceptor()] : [];
}

/**
 * The worker options that trace workflows and activities while tracing is on (nothing when off): the activity
 * interceptors (a span per activity run, a child of the workflow's span that scheduled it), the workflow tracing
 * module when the worker bundles its workflows itself (a prebuilt bundle must contain it: see
 * {@link WORKFLOW_TRACING_MODULE}), and the sink that takes the workflow's spans out of the sandbox to the process's
 * span processor (not called during replay, so a replayed workflow exports nothing twice).
 */
export function workerTracingOptions(options: {
  prebuiltBundle: boolean;
}): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const tracing = activeTracing();
  if (!tracing) return {};
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      ...(options.prebuiltBundle ? {} : { workflowModules: [WORKFLOW_TRACING_MODULE] }),
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
