// The workflow bundle: the workflows, their interceptors (tracing, then the command seal check), and the public keys
// those interceptors trust, compiled in. Validators never run on replay, so changing the keys never
// changes how a history replays.
import { bundleWorkflowCode, DefaultLogger, type BundleOptions, type WorkflowBundle } from '@temporalio/worker';
import type { SealKeySet } from '../domain/seal';
import { WORKFLOW_TRACING_INTERCEPTORS } from '../tracing/temporal';

export const WORKFLOWS_PATH = require.resolve('../workflows');
export const WORKFLOW_INTERCEPTORS = require.resolve('../workflows/interceptors');
const SEAL_MODULE = require.resolve('../domain/seal');

// webpack comes with @temporalio/worker, which does the bundling; take the same copy it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpack = require(require.resolve('webpack', { paths: [require.resolve('@temporalio/worker')] })) as {
  DefinePlugin: new (definitions: Record<string, string>) => unknown;
};

export function bundleOptions(keys: SealKeySet, workflowsPath = WORKFLOWS_PATH): BundleOptions {
  return {
    workflowsPath,
    // Tracing outermost, so a workflow's span covers the seal check and all the run does.
    workflowInterceptorModules: [WORKFLOW_TRACING_INTERCEPTORS, WORKFLOW_INTERCEPTORS],
    // Loaded once per worker thread, not once per workflow: Ed25519 builds its table for the base point on
    // first use (about 20 ms and a few MB), which every workflow in the cache rebuilt and kept. The seal
    // and noble are pure functions with no state of a workflow's, so sharing them cannot leak one workflow
    // into another. (The seal module, not noble itself: noble declares no side effects, so webpack drops
    // a bare preload of it.)
    preloadModules: [SEAL_MODULE],
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [...(config.plugins ?? []), new webpack.DefinePlugin({ __ONE_WINDOW_SEAL_KEYS__: JSON.stringify(JSON.stringify(keys)) }) as never],
    }),
  };
}

export function bundleWorkflows(keys: SealKeySet, workflowsPath?: string, logger = new DefaultLogger('WARN')): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ ...bundleOptions(keys, workflowsPath), logger });
}
