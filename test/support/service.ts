// The service as the HTTP tests use it: the API in-process on a loopback port and a real worker, against
// the suite's Temporal dev server and record database.
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../../activities';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { createApp, type AppDeps } from '../../api/app';
import { listen } from '../../api/listen';
import { loadPrincipals } from '../../config/principals';
import type { Utility } from '../../domain/codes';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { bundle, devServerAddress, devServerClient, startWorker, testDb, uniqueTaskQueue } from './temporal';

export interface ServiceOptions {
  /** Serve /dev/utility-inbox on the API, as `npm start` does. */
  devUtilityInbox?: boolean;
  /** Where the worker pushes permitted projects, given the API's port. */
  utilityEndpoints?: (apiPort: number) => Partial<Record<Utility, string>>;
  /** The timing rules new projects start with (DEFAULT_POLICY). */
  policy?: Policy;
  /** ACCEPT_TIMEOUT_MS of the API. */
  acceptTimeoutMs?: number;
  /** E-mail and webhook delivery of notices (SMTP_URL, WEBHOOK_SECRET). */
  channels?: ActivityDeps['channels'];
  /** Serve the built web console at `/` from this folder, as `npm start` does (web/dist). */
  consoleDir?: string;
  /** Offer these development identities at /dev/principals, as `npm start` does. */
  devIdentities?: AppDeps['devIdentities'];
  /** The fee-waiver catalogue (config/fee-waivers.json by default). */
  waiverCatalogue?: AppDeps['waiverCatalogue'];
}

/** Where the tests' console is, as PUBLIC_URL would say: notices link to it. */
export const TEST_PUBLIC_URL = 'https://one-window.test';

export async function startService(name: string, options: ServiceOptions = {}) {
  const taskQueue = uniqueTaskQueue(name);
  const [client, nativeConnection, workflowBundle]: [Client, NativeConnection, Awaited<ReturnType<typeof bundle>>] = await Promise.all([
    devServerClient(),
    NativeConnection.connect({ address: devServerAddress() }),
    bundle(),
  ]);
  const db = testDb();
  const principals = loadPrincipals({ NODE_ENV: 'test', PRINCIPALS_FILE: undefined });
  const app = createApp({
    client,
    taskQueue,
    principals,
    policy: options.policy ?? DEFAULT_POLICY,
    db,
    logger: pino({ level: 'silent' }),
    devUtilityInbox: options.devUtilityInbox ?? false,
    ...(options.acceptTimeoutMs !== undefined && { acceptTimeoutMs: options.acceptTimeoutMs }),
    publicUrl: TEST_PUBLIC_URL,
    ...(options.consoleDir && { consoleDir: options.consoleDir }),
    ...(options.devIdentities && { devIdentities: options.devIdentities }),
    ...(options.waiverCatalogue && { waiverCatalogue: options.waiverCatalogue }),
  });
  const server = await listen(app, 0, '127.0.0.1');
  // The worker holds a client as worker/main.ts gives it one (housekeeping's activities act through it).
  const worker = await startWorker(nativeConnection, workflowBundle, taskQueue, {
    utilityEndpoints: options.utilityEndpoints?.(server.port) ?? {},
    client,
    channels: { publicUrl: TEST_PUBLIC_URL, ...options.channels },
  });
  return {
    app,
    client,
    db,
    taskQueue,
    sink: worker.sink,
    nativeConnection,
    workflowBundle,
    port: server.port,
    worker,
    async stop() {
      await server.close();
      await worker.stop();
      await nativeConnection.close();
      await client.connection.close();
      await db.destroy();
    },
  };
}
