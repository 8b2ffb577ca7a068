/**
 * OpenTelemetry traces, off unless an OTLP endpoint is configured: the process's tracer provider, the HTTP server
 * span, and Temporal's interceptors (client, workflow, activity). Imported from here by the API and the worker.
 */
export * from './http-tracing';
export * from './temporal-tracing';
export * from './tracing';
