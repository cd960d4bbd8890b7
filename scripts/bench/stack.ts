// The benchmark's stack, as `npm start` runs it on one machine: a Temporal dev server on a SQLite file
// (WAL), the embedded record database, one-window's worker and API in this process — and beside them, on
// the same server, the raw-Temporal baseline's worker (scripts/bench/raw-workflow.ts).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import { FileNotificationSink } from '../../activities/notification-sink';
import { createApp } from '../../api/app';
import { listen } from '../../api/listen';
import { ROOT } from '../../config/env';
import { loadLiaisons, postsOf } from '../../config/liaisons';
import { loadPrincipals } from '../../config/principals';
import type { Db } from '../../db/connect';
import { seedDirectory } from '../../db/directory';
import { openEmbeddedDb } from '../../db/embedded';
import type { VacuumPass } from '../../db/embedded-vacuum';
import { DEFAULT_POLICY } from '../../domain/policy';
import { generateSealKeys, sealedClient } from '../../temporal/command-seal';
import { clientConnectionOptions } from '../../temporal/connection';
import { startDevServer } from '../../temporal/dev-server';
import { bundleWorkflowsApart } from '../../worker/bundle';
import { createWorker } from '../../worker/worker';

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** The development liaison directory, so escalations have someone to reach: with nobody at a rung the
 *  escalation is retried until an admin fills the post, and a project's loop waits on it. */
export async function seedDevDirectory(db: Db): Promise<void> {
  const liaisons = join(ROOT, 'config', 'liaisons.dev.json');
  await seedDirectory(db, liaisons, () => postsOf(loadLiaisons(liaisons)));
}

export async function startStack({ cachedWorkflows }: { cachedWorkflows: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'one-window-bench-'));
  const vacuumPasses: VacuumPass[] = [];
  // Vacuumed as `npm start` runs it; each pass that did something is kept for the scale step's figures.
  const vacuuming = {
    onPass: (pass: VacuumPass) => void (pass.vacuumed.length + pass.analyzed.length > 0 && vacuumPasses.push(pass)),
    onError: (err: unknown) => console.error('embedded vacuum failed', err),
  };
  const [server, embedded] = await Promise.all([startDevServer({ dbFile: join(dir, 'temporal.db') }), openEmbeddedDb({ dataDir: join(dir, 'pgdata'), vacuuming })]);
  const { db } = embedded;
  await seedDevDirectory(db);
  const connection = await NativeConnection.connect({ address: server.address });
  const taskQueue = `bench-${randomUUID()}`;
  const seal = generateSealKeys();
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    cachedWorkflows,
    activities: { sink: new FileNotificationSink(join(dir, 'notices.jsonl')), db, utilityEndpoints: {}, pushTimeoutMs: 1_000, sealKeys: seal.keys },
  });
  const rawTaskQueue = `raw-${randomUUID()}`;
  // Bundled apart, as the service's own bundle is (worker/bundle.ts), so the process measured holds no webpack.
  const rawBundle = await bundleWorkflowsApart({ plain: require.resolve('./raw-workflow') });
  const rawWorker = await Worker.create({ connection, namespace: 'default', taskQueue: rawTaskQueue, workflowBundle: rawBundle, maxCachedWorkflows: cachedWorkflows });
  const running = [worker.run(), rawWorker.run()];
  const principals = loadPrincipals({ NODE_ENV: 'development', PRINCIPALS_FILE: undefined });
  // The request limits guard people, not a benchmark's load.
  const limits = { windowSeconds: 60, perAddress: 1e9, perPrincipal: 1e9, registrationsPerHour: 1e9 };
  // The API's own connection, as `npm start` makes it (temporal/connection.ts).
  const apiConnection = await Connection.connect(clientConnectionOptions({ address: server.address }));
  const app = createApp({ client: sealedClient(apiConnection, 'default', seal.signer), taskQueue, principals, policy: DEFAULT_POLICY, db, logger: pino({ level: 'silent' }), limits });
  const api = await listen(app, 0, '127.0.0.1');
  const rawClient = new Client({ connection: server.env.connection, namespace: 'default' });

  const busy = { retries: 0 };
  /** One HTTP request to the API as `token`, as a careful client sends it: with an Idempotency-Key, sent
   *  again with the same key when the API answers 503 busy (counted); throws on anything else but 2xx. */
  const call = async <T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown): Promise<T> => {
    const key = randomUUID();
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${api.port}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(method !== 'GET' && { 'idempotency-key': key }), ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as T;
      if (res.status === 503) {
        busy.retries += 1;
        continue;
      }
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
      return json;
    }
  };

  /** A project read, with where the API served it from (X-One-Window-Source: record | workflow). */
  const readProject = async (id: string): Promise<string> => {
    const res = await fetch(`http://127.0.0.1:${api.port}/api/projects/${id}`, { headers: { authorization: 'Bearer dev-leader' } });
    await res.json();
    if (!res.ok) throw new Error(`GET /api/projects/${id}: HTTP ${res.status}`);
    return res.headers.get('x-one-window-source') ?? 'unknown';
  };

  return {
    db,
    call,
    readProject,
    /** How often the API answered 503 busy and the request was sent again. */
    busy,
    rawClient,
    rawTaskQueue,
    /** The embedded database's autovacuum passes that vacuumed or analyzed something. */
    vacuumPasses,
    /** The dev server's address (host:port). */
    serverAddress: server.address,
    async stop() {
      await api.close();
      worker.shutdown();
      rawWorker.shutdown();
      await Promise.all(running);
      await connection.close();
      await apiConnection.close();
      await embedded.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let serial = 0;
/** A registration as the window sends it: a general project in zhujing with power. */
export const registration = (label: string) => ({
  name: `朱泾镇 基准项目 ${label} ${++serial}`,
  applicant: { name: '上海朱泾某某实业有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'general',
  locality: 'zhujing',
  utilities: ['power'],
});
