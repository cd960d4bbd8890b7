// A new project's admission: whether its registration carried the API's seal (workflows/interceptors.ts
// starts the check; the workflow awaits it before any side effect). Held per workflow in the sandbox's
// AsyncLocalStorage, since module state is shared between workflows.
import { AsyncLocalStorage } from '@temporalio/workflow';

export const admission = new AsyncLocalStorage<Promise<void>>();

/** Resolves once the registration is admitted (at once for a run that needs no check); rejects, failing
 *  the workflow, for a registration without a valid seal. */
export function awaitAdmission(): Promise<void> {
  return admission.getStore() ?? Promise.resolve();
}
