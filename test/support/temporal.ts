// Real Temporal servers for tests: the time-skipping test server, the suite's dev server, a worker.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import { loadLiaisons } from '../../activities/liaisons';
import { FileNotificationSink } from '../../activities/notification-sink';
import { ROOT } from '../../config/env';
import { connectDb, type Db } from '../../db/connect';
import { testServerExecutable } from '../../temporal/binaries';
import { ensureSearchAttributes } from '../../temporal/search-attributes';
import { createWorker } from '../../worker/worker';

// The SDK's INFO lines would bury test output.
Runtime.install({ logger: new DefaultLogger('WARN') });

export const WORKFLOWS = require.resolve('../../workflows');

/** Bundles the workflow code once; call from beforeAll and pass the bundle to every worker of the file. */
export function bundle(workflowsPath = WORKFLOWS): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
}

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } });
  await ensureSearchAttributes(env.connection, 'default');
  return env;
}

export function devServerAddress(): string {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is unset: the global setup did not start the dev server');
  return address;
}

export async function devServerClient(): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address: devServerAddress() }) });
}

/** The suite's record database (see global-setup.ts), as the service sees it (its role). */
export function testDb(): Db {
  const url = process.env.TEST_DB_URL;
  if (!url) throw new Error('TEST_DB_URL is unset: the global setup did not prepare the database');
  return connectDb(url, { max: 4 });
}

export const uniqueTaskQueue = (name: string): string => `test-${name}-${randomUUID()}`;

/** A file in a fresh folder under the run's temporary root (removed by the global teardown). */
export const tempFile = (name: string): string => join(mkdtempSync(join(process.env.TEST_TMP_ROOT ?? tmpdir(), 'f-')), name);

/** A real worker on its own task queue, delivering notices to a temporary file. */
export async function startWorker(
  connection: NativeConnection,
  workflowBundle: WorkflowBundle,
  taskQueue: string,
  { utilityEndpoints = {}, pushTimeoutMs = 5_000 }: Partial<Pick<ActivityDeps, 'utilityEndpoints' | 'pushTimeoutMs'>> = {},
) {
  const sink = new FileNotificationSink(tempFile('notifications.jsonl'));
  const db = testDb();
  const activities: ActivityDeps = { sink, db, liaisons: loadLiaisons(join(ROOT, 'config', 'liaisons.dev.json')), utilityEndpoints, pushTimeoutMs };
  const worker = await createWorker({ connection, namespace: 'default', taskQueue, activities, workflowBundle });
  const running = worker.run();
  return {
    worker,
    sink,
    db,
    async stop() {
      worker.shutdown();
      await running;
      await db.destroy();
    },
  };
}
