import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

/**
 * Express middleware: one server span per HTTP request, the parent of everything the request does (the Temporal
 * client's spans, and through their headers the workflow's and the activities'). A caller's W3C `traceparent`
 * continues its trace. The span is named `<METHOD> <route pattern>` once the route is known (`<METHOD> unmatched`
 * otherwise) and marked as an error for a 5xx answer. Install it first, and only while tracing is on.
 */
export function httpTracingMiddleware(request: Request, response: Response, next: NextFunction): void {
  const tracer = trace.getTracer('shaosheng-http');
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = tracer.startSpan(
    `${request.method} unmatched`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'url.path': request.path },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  response.once('finish', () => {
    const pattern = (request.route as { path?: string } | undefined)?.path;
    const route = pattern ? `${request.baseUrl}${pattern}` : undefined;
    if (route) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  response.once('close', () => {
    // A connection closed before the answer was sent still ends the span.
    if (!response.writableFinished) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before the answer' });
      span.end();
    }
  });
  // Stream callbacks (the body parser's 'end', for one) run outside the caller's async context: bind the request's
  // and the response's listeners to the span so the handlers after them still see it.
  context.bind(active, request);
  context.bind(active, response);
  context.with(active, next);
}
