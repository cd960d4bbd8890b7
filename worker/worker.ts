// Builds the worker that runs projectApproval and its activities on one task queue.
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities, type ActivityDeps } from '../activities';
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { smtpMailer } from '../activities/channels';
import { FileNotificationSink, RecordNotificationSink, type Delivery } from '../activities/notification-sink';
import { noticeDelivery } from '../workflows/notice-delivery';
import type { Config } from '../config/env';
import type { Db } from '../db/connect';
import { loadUtilityEndpoints } from '../config/utility-endpoints';
import { loadSealKeys } from '../config/seal';
import { bundleWorkflowsApart } from './bundle';
import { connectionOptions, type TemporalTarget } from '../temporal/connection';
import { activityTracing, workflowSpanSinks } from '../tracing/temporal';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ActivityDeps;
  /** Tests pass a bundle built once per file; otherwise the worker bundles the workflows itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Projects kept in memory between tasks (WORKER_CACHED_WORKFLOWS); the SDK's default sizes it by heap. */
  cachedWorkflows?: number;
  /** The workflow thread's heap limit in MB (WORKER_HEAP_MB); by default workflowHeapMb(cachedWorkflows),
   *  and none (V8's own) when neither is given. */
  heapMb?: number;
}

/**
 * The workflow thread's heap limit for a cache of `cachedWorkflows` projects: 128 MB for the bundle and
 * the thread's own needs, and 2 MB per cached project, about twice what one holds live (measured with
 * --trace-gc opening 1,000 projects: 254 MB live after a full collection with 250 cached). Without a
 * limit V8 sizes the heap by the machine (4 GB on 24 GB) and collects the projects' garbage only when it
 * has grown to several times what is live: 1 GB before a collection, with 250 cached.
 */
export const workflowHeapMb = (cachedWorkflows: number): number => 128 + 2 * cachedWorkflows;

/**
 * Sets the heap limit of the worker threads this process starts from now on. The SDK starts the workflow
 * thread without resource limits, so the thread takes its limit from V8's flag when it starts; the main
 * thread's heap, made at the process's start, keeps its own.
 */
function limitWorkflowThreadHeap(mb: number): void {
  setFlagsFromString(`--max-old-space-size=${mb}`);
}

export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(target));
}

/**
 * Starts a notice's e-mail and webhook delivery as a workflow of its own (workflows/notice-delivery.ts),
 * once per notice key; the activity that recorded the notice does not wait for it.
 */
export function noticeDispatch(client: Client, taskQueue: string) {
  return async (delivery: Delivery): Promise<void> => {
    const workflowId = `notice-${createHash('sha256').update(delivery.key).digest('hex').slice(0, 32)}`;
    // The memo lets the stuck list say which notice, to whom, when its delivery keeps failing.
    const memo = { key: delivery.key, to: delivery.to };
    await client.workflow.start(noticeDelivery, { taskQueue, workflowId, args: [delivery], memo }).catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });
  };
}

/** The activities' real dependencies, from configuration (read once, at start). */
export function activityDeps(config: Config, db: Db, client?: Client): ActivityDeps {
  const mailer = config.SMTP_URL !== undefined ? smtpMailer(config.SMTP_URL, config.SMTP_FROM) : undefined;
  const channels = { ...(mailer && { mailer }), ...(config.WEBHOOK_SECRET !== undefined && { webhookSecret: config.WEBHOOK_SECRET }), publicUrl: config.publicUrl };
  const dispatch = client && (mailer || config.WEBHOOK_SECRET !== undefined) ? noticeDispatch(client, config.TEMPORAL_TASK_QUEUE) : undefined;
  return {
    ...(client && { client }),
    sink: new RecordNotificationSink(db, new FileNotificationSink(config.notificationsFile), dispatch),
    channels,
    db,
    utilityEndpoints: loadUtilityEndpoints(config),
    pushTimeoutMs: config.PUSH_TIMEOUT_MS,
    sealKeys: loadSealKeys(config),
    stuck: config.stuck,
  };
}

export async function createWorker({ connection, namespace, taskQueue, activities, workflowBundle, cachedWorkflows, heapMb }: WorkerDeps): Promise<Worker> {
  const limit = heapMb ?? (cachedWorkflows !== undefined ? workflowHeapMb(cachedWorkflows) : undefined);
  if (limit !== undefined) limitWorkflowThreadHeap(limit);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    // Bundled here (not from workflowsPath) so the seal's public keys are compiled in; see worker/bundle.ts.
    workflowBundle: workflowBundle ?? (await bundleWorkflowsApart({ keys: activities.sealKeys })),
    activities: createActivities(activities),
    ...(cachedWorkflows !== undefined && { maxCachedWorkflows: cachedWorkflows }),
    // Traces continue into activities; spans made in workflows leave through the sink.
    interceptors: { activity: [activityTracing] },
    sinks: workflowSpanSinks(),
  });
}

/**
 * Routes the SDK's own log lines into our logger. Its INFO lines (bundler statistics, state changes) are
 * noise to the people running the service, so it logs from WARN unless our level is debug or finer.
 * Call once per process, before the first worker is created; with `metricsAddress`, the SDK's own metrics
 * are served there (Prometheus text at /metrics).
 */
export function installRuntimeLogging(logger: Logger, metricsAddress?: string): void {
  const verbose = logger.isLevelEnabled('debug');
  Runtime.install({
    // The SDK's worker metrics (TEMPORAL_METRICS_ADDRESS), named and scaled as Prometheus expects.
    ...(metricsAddress !== undefined && {
      telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } } },
    }),
    logger: new DefaultLogger(verbose ? 'DEBUG' : 'WARN', ({ level, message, meta }) => {
      const method = level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'INFO' ? 'info' : level === 'WARN' ? 'warn' : 'error';
      logger[method]({ sdk: true, ...meta }, message);
    }),
  });
}
