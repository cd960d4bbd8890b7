// The API process: `npm run api`. Closes the HTTP server and the Temporal connection on SIGINT/SIGTERM.
import { Connection } from '@temporalio/client';
import { loadConfig, readMetricsToken } from '../config/env';
import { warnOfMissingYears } from '../db/calendar';
import { openConfiguredDb } from '../db/connect';
import { loadLiaisons, postsOf } from '../config/liaisons';
import { seedDirectory } from '../db/directory';
import { createLogger } from '../config/logger';
import { loadPolicy } from '../config/policy';
import { loadWaiverCatalogue } from '../config/fee-waivers';
import { loadPrincipals } from '../config/principals';
import { builtConsole } from './console';
import { devSignInFor } from './dev-sign-in';
import { loadSealSigner } from '../config/seal';
import { sealedClient } from '../temporal/command-seal';
import { clientConnectionOptions, temporalTarget } from '../temporal/connection';
import { createApp } from './app';
import { deliverCampaigns } from '../operations/campaigns';
import { listen } from './listen';
import { securityOptions } from './security';
import { startTracing } from '../tracing/setup';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'api');
  const tracing = startTracing(config.tracing, 'one-window-api');
  if (tracing.enabled) logger.info({ url: config.tracing?.url }, 'exporting traces');
  const target = temporalTarget(config);
  const db = await openConfiguredDb(config);
  if (await seedDirectory(db, config.liaisonsFile, () => postsOf(loadLiaisons(config.liaisonsFile)))) logger.info({ file: config.liaisonsFile }, 'liaison directory seeded');
  await warnOfMissingYears(db, logger);
  const connection = await Connection.connect(clientConnectionOptions(target));
  const client = sealedClient(connection, target.namespace, loadSealSigner(config));
  const app = createApp({
    client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    principals: loadPrincipals(config),
    policy: loadPolicy(config.POLICY_FILE),
    waiverCatalogue: loadWaiverCatalogue(config.feeWaiversFile),
    db,
    logger,
    devUtilityInbox: config.devUtilityInbox,
    acceptTimeoutMs: config.ACCEPT_TIMEOUT_MS,
    stuck: config.stuck,
    ...(config.metricsTokenFile !== undefined && { metricsScrapeToken: readMetricsToken(config.metricsTokenFile) }),
    publicUrl: config.publicUrl,
    consoleDir: builtConsole(logger),
    devIdentities: devSignInFor(config),
    ...securityOptions(config, logger),
  });
  // Campaign members not yet told of a change (the API stopped between the record and the Updates).
  deliverCampaigns({ client, db, acceptTimeoutMs: config.ACCEPT_TIMEOUT_MS })
    .then((outcomes) => outcomes.length > 0 && logger.info({ outcomes }, 'campaign changes delivered'))
    .catch((err: unknown) => logger.warn({ err }, 'campaign changes not delivered; sent again on the next change or start'));
  const server = await listen(app, config.PORT, config.API_HOST);
  logger.info({ url: `http://${config.API_HOST}:${server.port}` }, 'api listening');
  const stop = async () => {
    await server.close();
    await connection.close();
    await db.destroy();
    await tracing.shutdown();
    logger.info('api stopped');
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error('api failed:', err);
  process.exit(1);
});
