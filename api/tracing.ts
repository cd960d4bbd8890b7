// The HTTP request's span: continues a caller's W3C `traceparent` (or starts a trace), is the parent of
// everything the request does (the Temporal client's start or Update spans, and through them the
// workflow's and the activities'), and answers with `X-Trace-Id` so a person reporting a slow action can
// quote it. With tracing off the OpenTelemetry API is a no-op: no span, no header.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';

export const TRACE_ID_HEADER = 'X-Trace-Id';

export function traceRequests(): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    // Looked up per request: tracing may start after the app was built.
    const span = trace.getTracer('one-window-api').startSpan(
      `${req.method}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      parent,
    );
    if (!span.isRecording()) {
      next();
      return;
    }
    res.setHeader(TRACE_ID_HEADER, span.spanContext().traceId);
    const end = () => {
      // The route pattern (timeRequests in api/metrics.ts keeps it): ids would make every name unique.
      const route = typeof res.locals.route === 'string' ? res.locals.route : undefined;
      span.updateName(route ? `${req.method} ${route}` : req.method);
      if (route) span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    // A connection dropped before the answer: the span still ends.
    res.once('close', () => {
      if (!res.writableFinished) end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** For pino-http's `customProps`: every log line of a traced request names its trace. */
export function traceLogProps(_req: unknown, res: { getHeader(name: string): unknown }): { traceId?: string } {
  const id = res.getHeader(TRACE_ID_HEADER);
  return typeof id === 'string' ? { traceId: id } : {};
}
