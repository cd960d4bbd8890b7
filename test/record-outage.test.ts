// The record database away from the worker for a while — a real network failure: the worker's pool goes
// through a TCP proxy that the test cuts and restores. While cut, the record write is listed as
// activity-retrying; once restored the entry clears and the record catches up. The stuck list reads the
// record directly (as the API's own pool does). Projects here are in caojing, which no test lists.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { FileNotificationSink } from '../activities/notification-sink';
import { startProject } from '../api/project-client';
import { loadCalendar } from '../db/calendar';
import { connectDb, type Db } from '../db/connect';
import { readProjectRecord } from '../db/record';
import { DEFAULT_POLICY } from '../domain/policy';
import { registrationInput, type Actor } from '../domain/project';
import { findStuck } from '../operations/stuck';
import { createWorker } from '../worker/worker';
import { submitApplication, workflowIdFor } from '../workflows/messages';
import { startApp } from './support/app';
import { eventually } from './support/eventually';
import { tcpProxy } from './support/tcp-proxy';
import { bundle, devServerAddress, devServerClient, tempFile, testDb, testSeal, uniqueTaskQueue } from './support/temporal';

const ADMIN: Actor = { id: 'admin-01', role: 'admin' };
const WINDOW: Actor = { id: 'window-01', role: 'window' };

let client: Client;
let connection: NativeConnection;
let db: Db;
let workerDb: Db;
let proxy: Awaited<ReturnType<typeof tcpProxy>>;
let proxiedUrl: string;
let stopWorker: () => Promise<void>;
const taskQueue = uniqueTaskQueue('record-outage');

beforeAll(async () => {
  const url = new URL(process.env.TEST_DB_URL as string);
  proxy = await tcpProxy({ host: url.hostname, port: Number(url.port) });
  const proxied = new URL(url);
  proxied.port = String(proxy.port());
  proxiedUrl = proxied.toString();
  workerDb = connectDb(proxiedUrl, { max: 4 });
  db = testDb();
  [client, connection] = await Promise.all([devServerClient(), NativeConnection.connect({ address: devServerAddress() })]);
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    workflowBundle: await bundle(),
    activities: {
      sink: new FileNotificationSink(tempFile('notifications.jsonl')),
      db: workerDb,
           utilityEndpoints: {},
      pushTimeoutMs: 5_000,
      sealKeys: testSeal().keys,
      client,
    },
  });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
  };
});

afterAll(async () => {
  await stopWorker?.();
  await workerDb?.destroy();
  await proxy?.stop();
  await db?.destroy();
  await connection?.close();
  await client?.connection.close();
});

test('a record write retrying while the database is unreachable is listed, and clears when it is back', async () => {
  const input = registrationInput(
    { name: '漕泾镇 厂房扩建', applicant: { name: '上海漕泾某某机械有限公司', uscc: '91310000MA1FL4B24G' }, category: 'industrial', major: false, locality: 'caojing', utilities: ['gas'] },
    randomUUID(),
    ADMIN,
    new Date().toISOString(),
    DEFAULT_POLICY,
  );
  const id = input.project.id;
  await startProject(client, taskQueue, input);
  await eventually(() => readProjectRecord(db, id), (s) => s !== undefined);

  await proxy.cut();
  await client.workflow.getHandle(workflowIdFor(id)).executeUpdate(submitApplication, { args: [{ stage: 'design', by: WINDOW }] });
  // ACTIVITY_RETRY_ATTEMPTS=2: listed from the third attempt (the workflow retries after 1 s, then 2 s).
  const stuck = async () =>
    findStuck({ db, client, calendar: await loadCalendar(db), now: Date.now(), options: { activityRetryAttempts: 2 } }, { locality: 'caojing', kind: 'activity-retrying' });
  const listed = await eventually(stuck, (l) => l.entries.some((e) => e.projectId === id), 150);
  const entry = listed.entries.find((e) => e.projectId === id);
  expect(entry).toMatchObject({ kind: 'activity-retrying', locality: 'caojing', evidence: { activity: 'recordProject', attempt: expect.any(Number) }, expected: { actor: 'admin' } });
  expect(entry?.evidence.attempt).toBeGreaterThan(2);
  expect(entry?.evidence.lastFailure).toEqual(expect.any(String));
  expect(listed.scan.complete).toBe(true);
  // The record has not seen the application.
  expect((await readProjectRecord(db, id))?.stages[0]?.attempts).toHaveLength(0);

  await proxy.restore();
  const caughtUp = await eventually(() => readProjectRecord(db, id), (s) => s?.stages[0]?.attempts.length === 1, 400);
  expect(caughtUp?.stages[0]?.attempts).toHaveLength(1);
  const cleared = await eventually(stuck, (l) => !l.entries.some((e) => e.projectId === id), 100);
  expect(cleared.entries.some((e) => e.projectId === id)).toBe(false);
}, 90_000);

test('a registration while the API cannot reach the database is answered 503 database-unavailable, and applies once when repeated', async () => {
  const apiDb = connectDb(proxiedUrl, { max: 2 });
  const app = await startApp('record-outage-api', { db: apiDb, taskQueue });
  try {
    const name = `漕泾镇 断库登记 ${randomUUID().slice(0, 8)}`;
    const registration = { name, applicant: { name: '上海漕泾某某机械有限公司', uscc: '91310000MA1FL4B24G' }, category: 'general', locality: 'caojing', utilities: ['power'] };
    const key = { 'idempotency-key': randomUUID() };
    await proxy.cut();
    const refused = await app.call('POST', '/api/projects', 'dev-window', registration, key);
    expect([refused.status, refused.body.error]).toEqual([503, 'database-unavailable']);
    expect(refused.body.message).toMatch(/not answering; repeat the request/);
    expect(refused.headers.get('retry-after')).toBe('5');
    await proxy.restore();
    // Sent again with the same key once the database is back: one project, registered once.
    const registered = await eventually(() => app.call('POST', '/api/projects', 'dev-window', registration, key), (a) => a.status !== 503, 50);
    expect(registered.status).toBe(201);
    const again = await app.call('POST', '/api/projects', 'dev-window', registration, key);
    expect(again.body.id).toBe(registered.body.id);
    // The list reads the record, which the worker writes a moment after the registration.
    const listed = await eventually(() => app.call('GET', `/api/projects?name=${encodeURIComponent(name)}`, 'dev-window'), (a) => a.body.projects?.length > 0, 100);
    expect(listed.body.projects.map((p: { id: string }) => p.id)).toEqual([registered.body.id]);
  } finally {
    await app.stop();
    await apiDb.destroy();
  }
}, 90_000);
