// Temporal's OpenTelemetry interceptors (@temporalio/interceptors-opentelemetry), wired to this process's
// tracing: the client carries the caller's trace into a start or an Update (a header), the workflow
// interceptors (in the bundle, worker/bundle.ts) continue it inside the workflow, and activities continue
// it from the header their scheduling carried. Always installed, so that what a workflow does never
// depends on whether tracing is on; with tracing off their spans are dropped.
import { trace, type Tracer } from '@opentelemetry/api';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/worker';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { activeTracing } from './setup';

/** The workflow-side interceptors (the library's, for the workflow tasks that began with them), as a
 *  module the bundler compiles in. */
export const WORKFLOW_TRACING_INTERCEPTORS = require.resolve('../workflows/tracing-interceptors');

/**
 * The global tracer as it is when each span starts: a client lives as long as its process, tracing may be
 * started (or, in tests, started again with other settings) after it was made.
 */
function currentTracer(name: string): Tracer {
  return {
    startSpan: (...args) => trace.getTracer(name).startSpan(...args),
    startActiveSpan: ((...args: Parameters<Tracer['startActiveSpan']>) => (trace.getTracer(name).startActiveSpan as (...a: unknown[]) => unknown)(...args)) as Tracer['startActiveSpan'],
  };
}

export function clientTracing(): WorkflowClientInterceptor {
  return new OpenTelemetryWorkflowClientInterceptor({ tracer: currentTracer('@temporalio/interceptor-client') });
}

export const activityTracing: ActivityInterceptorsFactory = (ctx) => ({
  inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
  outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
});

/**
 * The sink the workflow interceptors send their ended spans through. It looks for the exporter at each
 * call, so a worker created before tracing started still exports. Not called on replay.
 */
export function workflowSpanSinks(): InjectedSinks<OpenTelemetrySinks> {
  const exporters = new WeakMap<object, ReturnType<typeof makeWorkflowExporter>>();
  return {
    exporter: {
      export: {
        fn(info, spans) {
          const tracing = activeTracing();
          if (!tracing) return;
          let exporter = exporters.get(tracing);
          if (!exporter) exporters.set(tracing, (exporter = makeWorkflowExporter(tracing.processor, tracing.resource)));
          void exporter.export.fn(info, spans);
        },
      },
    },
  };
}
