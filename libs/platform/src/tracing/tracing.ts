import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Where traces go, read from the standard OpenTelemetry variables by {@link tracingConfigFromEnv}. */
export interface TracingConfig {
  /** The OTLP/HTTP traces URL, e.g. `http://otel-collector:4318/v1/traces`. */
  url: string;
  /** `service.name` of the spans (`OTEL_SERVICE_NAME`, else the process's default). */
  serviceName: string;
}

/** The tracing a process runs: what the Temporal interceptors and the workflow span sink need. */
export interface Tracing {
  readonly resource: Resource;
  /** Every finished span goes through it, the workflow spans (sent out of the sandbox by a sink) included. */
  readonly spanProcessor: SpanProcessor;
  /** Sends the spans still buffered and stops; the process's tracing is off afterwards. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/**
 * The tracing configuration from the environment, or undefined when traces are off (the default): on when
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the full URL) or `OTEL_EXPORTER_OTLP_ENDPOINT` (the collector's base URL,
 * `/v1/traces` appended) is set and `OTEL_SDK_DISABLED` is not `true`. Export is OTLP over HTTP with protobuf bodies;
 * `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` are read by the SDK itself.
 * @throws Error naming the variable when a URL is not http(s) or another OTLP protocol is asked for.
 */
export function tracingConfigFromEnv(
  defaultServiceName: string,
  env: NodeJS.ProcessEnv = process.env,
): TracingConfig | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!traces && !base) return undefined;
  const protocolVariable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = env[protocolVariable]?.trim();
  if (protocol && protocol !== 'http/protobuf') {
    throw new Error(
      `${protocolVariable} must be http/protobuf (the protocol traces are exported with), not ${protocol}`,
    );
  }
  const name = traces ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const url = traces ?? `${base!.replace(/\/+$/, '')}/v1/traces`;
  if (!/^https?:\/\/[^\s/]+/.test(url)) {
    throw new Error(`${name} must be an http:// or https:// URL, e.g. http://127.0.0.1:4318`);
  }
  return { url, serviceName: env.OTEL_SERVICE_NAME?.trim() || defaultServiceName };
}

/**
 * Starts tracing for this process and registers it as OpenTelemetry's global tracer provider (with an
 * AsyncLocalStorage context manager and W3C trace-context propagation): spans are batched and sent to `config.url`,
 * or to `exporter` when given (tests). One tracing per process; {@link activeTracing} returns it.
 * @throws Error when tracing was already started in this process.
 */
export function startTracing(config: TracingConfig, exporter?: SpanExporter): Tracing {
  if (active) throw new Error('startTracing: tracing is already started in this process');
  const resource = new Resource({ 'service.name': config.serviceName });
  const spanProcessor = new BatchSpanProcessor(exporter ?? new OTLPTraceExporter({ url: config.url }), {
    scheduledDelayMillis: 1000,
  });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  provider.register({ contextManager, propagator: new W3CTraceContextPropagator() });
  const tracing: Tracing = {
    resource,
    spanProcessor,
    async shutdown() {
      if (active === tracing) active = undefined;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  active = tracing;
  return tracing;
}

/** The tracing {@link startTracing} started in this process, or undefined when traces are off. */
export function activeTracing(): Tracing | undefined {
  return active;
}
