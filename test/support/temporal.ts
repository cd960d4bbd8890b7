// Real Temporal servers for tests: the time-skipping test server, the suite's dev server, a worker.
import { createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, type Client, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { CommandResult, ProjectState } from '../../domain/project';
import { stateQuery } from '../../workflows/messages';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import { FileNotificationSink, RecordNotificationSink } from '../../activities/notification-sink';
import { connectDb, type Db } from '../../db/connect';
import { createWorker, noticeDispatch } from '../../worker/worker';
import { sealedTimeSkippingEnv } from '../../temporal/time-skipping';
import { bundleWorkflows } from '../../worker/bundle';
import type { SealKeySet } from '../../domain/seal';
import { clientConnectionOptions } from '../../temporal/connection';
import { keySetOf, sealedClient, signerFromPem, type SealSigner } from '../../temporal/command-seal';

// The SDK's INFO lines would bury test output.
Runtime.install({ logger: new DefaultLogger('WARN') });

/** The suite's command seal (test/global-setup.ts): clients sign as the API does, workers trust it. */
export function testSeal(): { signer: SealSigner; keys: SealKeySet } {
  const pem = process.env.TEST_SEAL_PRIVATE_KEY;
  if (!pem) throw new Error('TEST_SEAL_PRIVATE_KEY is unset: the global setup did not make the seal key');
  const signer = signerFromPem(pem);
  return { signer, keys: keySetOf(createPublicKey(signer.privateKey)) };
}

/** Bundles the workflow code once; call from beforeAll and pass the bundle to every worker of the file. */
export function bundle(workflowsPath?: string): Promise<WorkflowBundle> {
  return bundleWorkflows(testSeal().keys, workflowsPath);
}

/** A time-skipping server whose client seals commands at the server's own (skipped) time. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return sealedTimeSkippingEnv(testSeal().signer);
}

export function devServerAddress(): string {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is unset: the global setup did not start the dev server');
  return address;
}

/** A client of the suite's dev server that seals its commands, as the API's does. */
export async function devServerClient(): Promise<Client> {
  return sealedClient(await Connection.connect(clientConnectionOptions({ address: devServerAddress() })), 'default', testSeal().signer);
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
  { utilityEndpoints = {}, pushTimeoutMs = 5_000, client, channels, cachedWorkflows }: Partial<Pick<ActivityDeps, 'utilityEndpoints' | 'pushTimeoutMs' | 'client' | 'channels'>> & { cachedWorkflows?: number } = {},
) {
  const sink = new FileNotificationSink(tempFile('notifications.jsonl'));
  const db = testDb();
  // Notices go to the record (inboxes) and to the file the tests read.
  // With channels (and a client), each notice also starts its e-mail and webhook delivery, as in the service.
  const dispatch = channels && client ? noticeDispatch(client, taskQueue) : undefined;
  const activities: ActivityDeps = {
    sink: new RecordNotificationSink(db, sink, dispatch),
    db,
    utilityEndpoints,
    pushTimeoutMs,
    sealKeys: testSeal().keys,
    ...(client && { client }),
    ...(channels && { channels }),
  };
  const worker = await createWorker({ connection, namespace: 'default', taskQueue, activities, workflowBundle, ...(cachedWorkflows !== undefined && { cachedWorkflows }) });
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

/** An action, then the state as the API reads it: an Update answers only its place in the trail. */
export async function act<A>(h: WorkflowHandle, update: UpdateDefinition<CommandResult, [A]>, input: A): Promise<ProjectState> {
  await h.executeUpdate(update, { args: [input] });
  return h.query(stateQuery);
}
