// The worker process: `npm run worker`. Drains in-flight tasks and exits on SIGINT/SIGTERM.
import { Connection } from '@temporalio/client';
import { loadConfig } from '../config/env';
import { openConfiguredDb } from '../db/connect';
import { createLogger } from '../config/logger';
import { connectionOptions, temporalTarget } from '../temporal/connection';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { activityDeps, connectWorker, createWorker, installRuntimeLogging } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  installRuntimeLogging(logger);
  const target = temporalTarget(config);
  if (config.TEMPORAL_ADDRESS !== undefined) {
    const client = await Connection.connect(connectionOptions(target));
    try {
      const added = await ensureSearchAttributes(client, target.namespace);
      if (added.length > 0) logger.info({ added }, 'registered search attributes');
    } catch (err) {
      logger.warn({ err }, 'could not check search attributes; an operator must register them');
    } finally {
      await client.close();
    }
  }
  const db = await openConfiguredDb(config);
  const connection = await connectWorker(target);
  const worker = await createWorker({
    connection,
    namespace: target.namespace,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: activityDeps(config, db),
  });
  logger.info({ address: target.address, namespace: target.namespace, taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  // Worker.run() returns once a shutdown signal has been handled and in-flight tasks have finished.
  await worker.run();
  await connection.close();
  await db.destroy();
  logger.info('worker stopped');
}

main().catch((err) => {
  console.error('worker failed:', err);
  process.exit(1);
});
