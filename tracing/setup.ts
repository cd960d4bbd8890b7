// OpenTelemetry for a process: off unless configured (config/env.ts `tracing`), and then one tracer
// provider per process exporting OTLP over HTTP. Spans made inside workflows reach the same exporter
// through the worker's sink (tracing/temporal.ts), so the API's request, the Update and the activities
// it causes form one trace.
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TracingSettings } from '../config/env';

export interface Tracing {
  enabled: boolean;
  /** Sends the spans ended so far (tests, and before a process exits). */
  flush(): Promise<void>;
  /** Flushes, stops exporting and unregisters the provider. */
  shutdown(): Promise<void>;
}

/** What the worker's workflow sink hands spans to while tracing is on (read at each call). */
export interface ActiveTracing {
  processor: SpanProcessor;
  resource: Resource;
}
let active: ActiveTracing | undefined;
export const activeTracing = (): ActiveTracing | undefined => active;

const OFF: Tracing = { enabled: false, flush: () => Promise.resolve(), shutdown: () => Promise.resolve() };

/**
 * Starts tracing as configured; `processName` names the service when OTEL_SERVICE_NAME does not
 * (one-window-api, one-window-worker, or one-window for `npm start`). Without settings nothing is
 * registered: the OpenTelemetry API stays a no-op and the Temporal interceptors cost next to nothing.
 */
export function startTracing(settings: TracingSettings | undefined, processName: string): Tracing {
  if (!settings) return OFF;
  if (active) throw new Error('tracing is already started in this process');
  const resource = new Resource({ 'service.name': settings.serviceName ?? processName });
  const exporter = settings.protocol === 'http/json' ? new OtlpJsonExporter({ url: settings.url }) : new OtlpProtobufExporter({ url: settings.url });
  const processor = new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // The global provider, AsyncLocalStorage context and W3C trace-context propagation (traceparent).
  provider.register();
  active = { processor, resource };
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    async shutdown() {
      active = undefined;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
