// The worker process: `npm run worker`. Drains in-flight tasks and exits on SIGINT/SIGTERM.
import { Client, Connection } from '@temporalio/client';
import { loadSealSigner } from '../config/seal';
import { sealedClient } from '../temporal/command-seal';
import { loadConfig } from '../config/env';
import { openConfiguredDb } from '../db/connect';
import { loadLiaisons, postsOf } from '../config/liaisons';
import { seedDirectory } from '../db/directory';
import { createLogger } from '../config/logger';
import { clientConnectionOptions, temporalTarget } from '../temporal/connection';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { ensureHousekeepingSchedule } from './housekeeping-schedule';
import { activityDeps, connectWorker, createWorker, installRuntimeLogging } from './worker';
import { startTracing } from '../tracing/setup';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  installRuntimeLogging(logger, config.TEMPORAL_METRICS_ADDRESS);
  const tracing = startTracing(config.tracing, 'one-window-worker');
  if (tracing.enabled) logger.info({ url: config.tracing?.url }, 'exporting traces');
  const target = temporalTarget(config);
  // The worker's own client: operations activities read histories, reconcile and run batches with it.
  const clientConnection = await Connection.connect(clientConnectionOptions(target));
  if (config.TEMPORAL_ADDRESS !== undefined) {
    try {
      const added = await ensureSearchAttributes(clientConnection, target.namespace);
      if (added.length > 0) logger.info({ added }, 'registered search attributes');
    } catch (err) {
      logger.warn({ err }, 'could not check search attributes; an operator must register them');
    }
  }
  // Batches that send commands need the seal's private key; a worker without one still does the rest.
  const signer = config.SEAL_PRIVATE_KEY_FILE !== undefined || config.NODE_ENV !== 'production' ? loadSealSigner(config) : undefined;
  const client = signer ? sealedClient(clientConnection, target.namespace, signer) : new Client({ connection: clientConnection, namespace: target.namespace });
  const db = await openConfiguredDb(config);
  if (await seedDirectory(db, config.liaisonsFile, () => postsOf(loadLiaisons(config.liaisonsFile)))) logger.info({ file: config.liaisonsFile }, 'liaison directory seeded');
  const connection = await connectWorker(target);
  const worker = await createWorker({
    connection,
    namespace: target.namespace,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: activityDeps(config, db, client),
    cachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
    ...(config.WORKER_HEAP_MB !== undefined && { heapMb: config.WORKER_HEAP_MB }),
  });
  const schedule = await ensureHousekeepingSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, everyMinutes: config.HOUSEKEEPING_EVERY_MINUTES });
  logger.info({ address: target.address, namespace: target.namespace, taskQueue: config.TEMPORAL_TASK_QUEUE, housekeepingSchedule: schedule }, 'worker running');
  // Worker.run() returns once a shutdown signal has been handled and in-flight tasks have finished.
  await worker.run();
  await connection.close();
  await clientConnection.close();
  await db.destroy();
  await tracing.shutdown();
  logger.info('worker stopped');
}

main().catch((err) => {
  console.error('worker failed:', err);
  process.exit(1);
});
