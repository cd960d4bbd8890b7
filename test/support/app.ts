// The API app alone, in-process on a loopback port, against the suite's Temporal dev server and record
// database but with no worker: for tests of what happens before a request reaches a workflow
// (identity, limits, headers), or with workers a test starts and stops itself. Each test builds its own
// app with the options it examines.
import pino from 'pino';
import { createApp, type AppDeps } from '../../api/app';
import { listen } from '../../api/listen';
import { loadPrincipals } from '../../config/principals';
import { DEFAULT_POLICY } from '../../domain/policy';
import { apiCaller } from './http';
import { devServerClient, testDb, uniqueTaskQueue } from './temporal';

export async function startApp(name: string, options: Partial<Omit<AppDeps, 'logger'>> = {}) {
  // A client the test brings (say, through a proxy it cuts) is closed with the app, as the default one is.
  const client = options.client ?? (await devServerClient());
  // A database the test brings (say, through a proxy it cuts) is the test's to close.
  const db = options.db ?? testDb();
  const taskQueue = options.taskQueue ?? uniqueTaskQueue(name);
  const app = createApp({
    client,
    db,
    taskQueue,
    principals: loadPrincipals({ NODE_ENV: 'test', PRINCIPALS_FILE: undefined }),
    policy: DEFAULT_POLICY,
    logger: pino({ level: 'silent' }),
    ...options,
  });
  const server = await listen(app, 0, '127.0.0.1');
  return {
    app,
    client,
    db,
    taskQueue,
    port: server.port,
    url: `http://127.0.0.1:${server.port}`,
    call: apiCaller(() => server.port),
    async stop() {
      await server.close();
      await client.connection.close();
      if (!options.db) await db.destroy();
    },
  };
}
