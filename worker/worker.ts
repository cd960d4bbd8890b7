// Builds the worker that runs projectApproval and its activities on one task queue.
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities, type ActivityDeps } from '../activities';
import { FileNotificationSink, RecordNotificationSink } from '../activities/notification-sink';
import type { Config } from '../config/env';
import type { Db } from '../db/connect';
import { loadUtilityEndpoints } from '../config/utility-endpoints';
import { loadSealKeys } from '../config/seal';
import { bundleWorkflows } from './bundle';
import { connectionOptions, type TemporalTarget } from '../temporal/connection';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ActivityDeps;
  /** Tests pass a bundle built once per file; otherwise the worker bundles the workflows itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(target));
}

/** The activities' real dependencies, from configuration (read once, at start). */
export function activityDeps(config: Config, db: Db, client?: Client): ActivityDeps {
  return {
    ...(client && { client }),
    sink: new RecordNotificationSink(db, new FileNotificationSink(config.notificationsFile)),
    db,
    utilityEndpoints: loadUtilityEndpoints(config),
    pushTimeoutMs: config.PUSH_TIMEOUT_MS,
    sealKeys: loadSealKeys(config),
    stuck: config.stuck,
  };
}

export async function createWorker({ connection, namespace, taskQueue, activities, workflowBundle }: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    // Bundled here (not from workflowsPath) so the seal's public keys are compiled in; see worker/bundle.ts.
    workflowBundle: workflowBundle ?? (await bundleWorkflows(activities.sealKeys)),
    activities: createActivities(activities),
  });
}

/**
 * Routes the SDK's own log lines into our logger. Its INFO lines (bundler statistics, state changes) are
 * noise to the people running the service, so it logs from WARN unless our level is debug or finer.
 * Call once per process, before the first worker is created.
 */
export function installRuntimeLogging(logger: Logger): void {
  const verbose = logger.isLevelEnabled('debug');
  Runtime.install({
    logger: new DefaultLogger(verbose ? 'DEBUG' : 'WARN', ({ level, message, meta }) => {
      const method = level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'INFO' ? 'info' : level === 'WARN' ? 'warn' : 'error';
      logger[method]({ sdk: true, ...meta }, message);
    }),
  });
}
