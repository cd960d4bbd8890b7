// The workflow bundle: the workflows, their interceptors (tracing, then the command seal check), and the public keys
// those interceptors trust, compiled in. Validators never run on replay, so changing the keys never
// changes how a history replays.
import { fork } from 'node:child_process';
import { once } from 'node:events';
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

type BundleRequest = { keys: SealKeySet } | { plain: string };

/**
 * The same bundle, made in a child process (the service's start): webpack's working memory, about 100 MB
 * that a process keeps once it has used it, stays out of the long-running service. `{ plain }` bundles
 * other workflows without our interceptors (the benchmark's raw-Temporal baseline).
 */
export async function bundleWorkflowsApart(request: BundleRequest): Promise<WorkflowBundle> {
  // fork() runs this module again under the same Node options, compiled or not.
  const child = fork(__filename, [CHILD_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.send(request);
  type Answer = { code?: string; error?: string };
  const [{ code, error }] = await Promise.race([
    once(child, 'message') as Promise<[Answer]>,
    exited.then(([status, signal]): [Answer] => [{ error: `the bundler exited (${signal ?? status})` }]),
  ]);
  child.disconnect();
  await exited;
  if (code === undefined) throw new Error(`could not bundle the workflows: ${error ?? 'no answer'}`);
  return { code };
}

const CHILD_FLAG = '--one-window-bundle-workflows';
if (require.main === module && process.argv.includes(CHILD_FLAG)) {
  process.once('message', (request: BundleRequest) => {
    const made = 'keys' in request ? bundleWorkflows(request.keys) : bundleWorkflowCode({ workflowsPath: request.plain, logger: new DefaultLogger('WARN') });
    made.then(
      ({ code }) => process.send?.({ code }),
      (err: unknown) => process.send?.({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
