// A change made by an Update (a sign-off) is written to the record and announced later, by the recorder
// and the main loop, not by the handler. To follow one sign-off end to end, that later work runs in the
// trace of the change that caused it: the handler remembers its tracing context (the Update's span, set
// by the OpenTelemetry workflow interceptors) and the work is scheduled within it. Only activity headers
// differ, never commands, and without tracing interceptors the context is empty.
import { context, type Context } from '@opentelemetry/api';

export interface ChangeTrace {
  /** In a handler: the latest change happened here. */
  mark(): void;
  /** Runs `work` (synchronously, returning its promise) in the latest change's trace. */
  within<T>(work: () => T): T;
}

export function changeTrace(): ChangeTrace {
  let latest: Context | undefined;
  return {
    mark() {
      latest = context.active();
    },
    within(work) {
      return latest ? context.with(latest, work) : work();
    },
  };
}
