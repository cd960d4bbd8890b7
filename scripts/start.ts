// `npm start`: the whole service on one machine. Starts the Temporal dev server (unless TEMPORAL_ADDRESS
// names a cluster), opens the record (the embedded PGlite unless DATABASE_URL names a PostgreSQL), the
// worker and the API, prints where to go, and stops everything on Ctrl-C.
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { listen } from '../api/listen';
import { securityOptions } from '../api/security';
import { loadConfig, readMetricsToken } from '../config/env';
import { warnOfMissingYears } from '../db/calendar';
import { openConfiguredDb, type Db } from '../db/connect';
import { openEmbeddedDb } from '../db/embedded';
import { loadLiaisons, postsOf } from '../config/liaisons';
import { seedDirectory } from '../db/directory';
import { createLogger } from '../config/logger';
import { loadPolicy } from '../config/policy';
import { loadWaiverCatalogue } from '../config/fee-waivers';
import { loadPrincipals } from '../config/principals';
import { builtConsole } from '../api/console';
import { devSignInFor } from '../api/dev-sign-in';
import { loadSealSigner } from '../config/seal';
import { sealedClient } from '../temporal/command-seal';
import { clientConnectionOptions, temporalTarget } from '../temporal/connection';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { ensureHousekeepingSchedule } from '../worker/housekeeping-schedule';
import { activityDeps, connectWorker, createWorker, installRuntimeLogging } from '../worker/worker';
import { startTracing } from '../tracing/setup';

// What has been started, stopped in reverse order on Ctrl-C or when a later step fails.
const started: { name: string; stop: () => Promise<unknown> }[] = [];
let stopping: Promise<void> | undefined;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const { name, stop } of started.reverse()) {
      await stop().catch((err: unknown) => console.error(`stopping ${name} failed:`, err));
    }
  })();
  return stopping;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'one-window');
  installRuntimeLogging(logger, config.TEMPORAL_METRICS_ADDRESS);
  // First in, so stopped last: the spans of everything else's shutdown are sent.
  const tracing = startTracing(config.tracing, 'one-window');
  started.push({ name: 'tracing', stop: tracing.shutdown });
  const principals = loadPrincipals(config);
  process.on('SIGINT', () => void stopAll().then(() => logger.info('stopped')));
  process.on('SIGTERM', () => void stopAll().then(() => logger.info('stopped')));

  // The record first: a second start (or `npm run ops`) on the same files stops before anything starts.
  let db: Db;
  if (config.DATABASE_URL === undefined) {
    // In this process, listening on nothing; data/pgdata.lock holds this process's pid while it runs.
    logger.info('opening the embedded PostgreSQL (PGlite, in a thread of this process)');
    const embedded = await openEmbeddedDb({
      dataDir: config.embeddedDataDir,
      vacuuming: {
        onPass: (pass) => {
          if (pass.vacuumed.length + pass.analyzed.length > 0) logger.info(pass, 'embedded PostgreSQL vacuumed');
        },
        onError: (err) => logger.error({ err }, 'embedded PostgreSQL: vacuum failed'),
      },
    });
    started.push({ name: 'embedded PostgreSQL', stop: embedded.close });
    db = embedded.db;
  } else {
    db = await openConfiguredDb(config);
    started.push({ name: 'database pool', stop: () => db.destroy() });
  }
  // A new record's liaison directory starts from the file; later starts leave the directory as admins keep it.
  if (await seedDirectory(db, config.liaisonsFile, () => postsOf(loadLiaisons(config.liaisonsFile)))) logger.info({ file: config.liaisonsFile }, 'liaison directory seeded');

  let devServer: DevServer | undefined;
  if (config.TEMPORAL_ADDRESS === undefined) {
    logger.info('starting the Temporal dev server');
    devServer = await startDevServer({
      dbFile: join(config.dataDir, 'temporal.db'),
      port: config.TEMPORAL_DEV_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      retentionDays: config.TEMPORAL_DEV_RETENTION_DAYS,
      pidFile: join(config.dataDir, 'temporal-dev.pid'),
    });
    started.push({ name: 'Temporal dev server', stop: devServer.stop });
  }
  await warnOfMissingYears(db, logger);

  const target = temporalTarget(config);
  const connection = await Connection.connect(clientConnectionOptions(target));
  started.push({ name: 'Temporal client', stop: () => connection.close() });
  if (!devServer) await ensureSearchAttributes(connection, target.namespace);
  const client = sealedClient(connection, target.namespace, loadSealSigner(config));

  const workerConnection = await connectWorker(target);
  started.push({ name: 'worker connection', stop: () => workerConnection.close() });
  const worker = await createWorker({
    connection: workerConnection,
    namespace: target.namespace,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: activityDeps(config, db, client),
    cachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
    ...(config.WORKER_HEAP_MB !== undefined && { heapMb: config.WORKER_HEAP_MB }),
  });
  // run() resolves once shutdown() has drained in-flight tasks (the SDK also calls it on SIGINT/SIGTERM).
  const workerDone = worker.run();
  started.push({
    name: 'worker',
    stop: () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      return workerDone;
    },
  });
  await ensureHousekeepingSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, everyMinutes: config.HOUSEKEEPING_EVERY_MINUTES });
  workerDone.catch((err: unknown) => {
    logger.error({ err }, 'worker failed');
    process.exitCode = 1;
    void stopAll();
  });

  const app = createApp({
    client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    principals,
    policy: loadPolicy(config.POLICY_FILE),
    waiverCatalogue: loadWaiverCatalogue(config.feeWaiversFile),
    db,
    logger,
    devUtilityInbox: config.devUtilityInbox,
    acceptTimeoutMs: config.ACCEPT_TIMEOUT_MS,
    stuck: config.stuck,
    ...(config.metricsTokenFile !== undefined && { metricsScrapeToken: readMetricsToken(config.metricsTokenFile) }),
    publicUrl: config.publicUrl,
    // One process: the API's /metrics page carries the worker's SDK metrics too.
    ...(config.TEMPORAL_METRICS_ADDRESS !== undefined && { sdkMetricsUrl: `http://${config.TEMPORAL_METRICS_ADDRESS.replace(/^0\.0\.0\.0:/, '127.0.0.1:')}/metrics` }),
    consoleDir: builtConsole(logger),
    devIdentities: devSignInFor(config),
    ...securityOptions(config, logger),
  });
  const server = await listen(app, config.PORT, config.API_HOST);
  started.push({ name: 'API', stop: server.close });
  const base = `http://${config.API_HOST === '0.0.0.0' ? '127.0.0.1' : config.API_HOST}:${server.port}`;
  console.log(
    [
      '',
      'one-window is running',
      `  console      ${base}/`,
      `  API          ${base}/api`,
      `  API docs     ${base}/api/docs`,
      `  health       ${base}/health`,
      `  Temporal UI  ${devServer?.uiUrl ?? `(cluster at ${target.address})`}`,
      `  notices      ${config.notificationsFile}`,
      `  database     ${config.DATABASE_URL === undefined ? `embedded PGlite in a thread of this process, no port (files in ${config.embeddedDataDir})` : 'DATABASE_URL'}`,
      ...(config.tracing ? [`  traces       ${config.tracing.url} (OTLP, ${config.tracing.protocol})`] : []),
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch(async (err) => {
  console.error('one-window failed to start:', err);
  await stopAll();
  process.exit(1);
});
