// A new project's admission: whether its registration carried the API's seal (workflows/interceptors.ts
// starts the check; the workflow awaits it before any side effect). Kept by run id rather than in an
// AsyncLocalStorage: under Node 20 every enabled storage is copied into every promise the worker thread
// makes, and a storage per cached workflow made each promise cost more the fuller the cache.
import { workflowInfo } from '@temporalio/workflow';

const pending = new Map<string, Promise<void>>();

/** Called by the seal check as the run starts, with the check's answer to come. */
export function admit(admitted: Promise<void>): void {
  pending.set(workflowInfo().runId, admitted);
}

/** Resolves once the registration is admitted (at once for a run that needs no check); rejects, failing
 *  the workflow, for a registration without a valid seal. */
export function awaitAdmission(): Promise<void> {
  const { runId } = workflowInfo();
  const admitted = pending.get(runId);
  pending.delete(runId);
  return admitted ?? Promise.resolve();
}
