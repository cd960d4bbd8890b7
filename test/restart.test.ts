// Durability: a worker process killed mid-project, and a dev server restarted on its SQLite file.
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Connection, type Client, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { startProject } from '../api/project-client';
import { ROOT } from '../config/env';
import type { Party, Stage } from '../domain/codes';
import { stageStatus } from '../domain/project';
import { startDevServer } from '../temporal/dev-server';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { signOff, stateQuery, submitApplication, recordSupplement, withdraw } from '../workflows/messages';
import type { projectApproval } from '../workflows/project-approval';
import { projectInput, reviewer, utility, window } from './support/fixtures';
import { bundle, devServerAddress, devServerClient, startWorker, tempFile, testSeal, uniqueTaskQueue } from './support/temporal';
import { sealedClient } from '../temporal/command-seal';
import { startUtilityCompanies } from './support/utility-companies';

type Handle = WorkflowHandle<typeof projectApproval>;

const apply = (h: Handle, stage: Stage) => h.executeUpdate(submitApplication, { args: [{ stage, by: window }] });
const approve = (h: Handle, stage: Stage, party: Party) =>
  h.executeUpdate(signOff, { args: [{ stage, party, decision: 'approve', by: stage === 'connection' ? utility(party) : reviewer(party) }] });

/** The suite's public seal key as a PEM file, as a deployed worker is given it. */
function sealPublicKeyFile(): string {
  const file = tempFile('seal-public.pem');
  writeFileSync(file, createPublicKey(testSeal().signer.privateKey).export({ format: 'pem', type: 'spki' }));
  return file;
}

/** The real worker entry point (worker/main.ts) as its own process; resolves once it polls. */
async function spawnWorker(taskQueue: string, notificationsFile: string, endpointsFile: string, metricsAddress?: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'worker', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: devServerAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      NOTIFICATIONS_FILE: notificationsFile,
      UTILITY_ENDPOINTS_FILE: endpointsFile,
      DATABASE_URL: process.env.TEST_DB_URL,
      // The suite's seal key, so the worker accepts the test client's commands as it would the API's.
      SEAL_PUBLIC_KEYS_FILE: sealPublicKeyFile(),
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      ...(metricsAddress !== undefined && { TEMPORAL_METRICS_ADDRESS: metricsAddress }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`worker exited with ${code} before it was ready`);
  });
  const ready = (async () => {
    for await (const line of lines) if (line.includes('"worker running"')) return;
  })();
  await Promise.race([ready, exited]);
  lines.on('line', () => undefined); // keep draining stdout so the child never blocks on a full pipe
  return child;
}

/** A port nothing listens on now (the worker's runtime binds it). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

let client: Client;
let workflowBundle: WorkflowBundle;
beforeAll(async () => {
  [client, workflowBundle] = await Promise.all([devServerClient(), bundle()]);
});
afterAll(async () => {
  await client?.connection.close();
});

test('a worker killed mid-project is replaced and no sign-off is lost, even one sent while no worker ran', async () => {
  const taskQueue = uniqueTaskQueue('restart');
  const notices = tempFile('notifications.jsonl');
  const companies = await startUtilityCompanies();
  const endpoints = tempFile('utilities.json');
  writeFileSync(endpoints, JSON.stringify(companies.endpoints));
  const first = await spawnWorker(taskQueue, notices, endpoints);
  const h = await startProject(client, taskQueue, projectInput({ utilities: ['power'] }));
  await apply(h, 'design');
  await h.executeUpdate(signOff, { args: [{ stage: 'design', party: 'planning', decision: 'correction', items: ['日照分析'], by: reviewer('planning') }] });
  await h.executeUpdate(recordSupplement, { args: [{ stage: 'design', by: window }] });
  await approve(h, 'design', 'planning');

  first.kill('SIGKILL');
  await once(first, 'exit');
  // Sent while no worker runs: Temporal holds it until a worker takes it.
  const whileDown = approve(h, 'design', 'construction');

  // The replacement also serves the SDK's own metrics (TEMPORAL_METRICS_ADDRESS) for Prometheus.
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const second = await spawnWorker(taskQueue, notices, endpoints, metricsAddress);
  try {
    await whileDown;
    const page = await (await fetch(`http://${metricsAddress}/metrics`)).text();
    expect(page).toMatch(new RegExp(`^temporal_\\w+\\{[^}]*task_queue="${taskQueue}"`, 'm'));
    await approve(h, 'design', 'water');
    for (const [stage, parties] of [
      ['permit', ['construction', 'planning', 'water', 'civil-defense']],
      ['acceptance', ['construction', 'planning', 'civil-defense', 'water', 'greening', 'archives']],
      ['connection', ['power']],
    ] as const) {
      // Connection opens on its own once acceptance is approved.
      if (stage !== 'connection') await apply(h, stage);
      for (const party of parties) await approve(h, stage, party);
    }
    const final = await h.result();
    expect(final.status).toBe('completed');
    expect(final.stages[0]?.attempts[0]?.signOffs.map((s) => s.party)).toEqual(['planning', 'construction', 'water']);
    expect(final.stages[0]?.attempts[0]?.corrections[0]?.supplementedBy).toEqual(window);
    expect(final.trail.filter((t) => t.action === 'sign-off')).toHaveLength(1 + 3 + 4 + 6 + 1);
    expect(final.pushes).toMatchObject([{ company: 'power', status: 'delivered' }]);
    // Every SDK metric the Grafana dashboard reads is one this worker really exports.
    const exported = await (await fetch(`http://${metricsAddress}/metrics`)).text();
    const dashboard = readFileSync(join(ROOT, 'deploy', 'grafana', 'dashboards', 'one-window.json'), 'utf8');
    const wanted = [...new Set(dashboard.match(/temporal_\w+/g) ?? [])];
    expect(wanted.length).toBeGreaterThanOrEqual(4);
    for (const name of wanted) expect([name, new RegExp(`^${name}[{ ]`, 'm').test(exported)]).toEqual([name, true]);
  } finally {
    await companies.stop();
    second.kill('SIGTERM');
    const [code] = await once(second, 'exit');
    // SIGTERM is a graceful shutdown: the worker drains and exits cleanly.
    expect(code).toBe(0);
  }
}, 120_000); // spawns and kills real worker processes, each bundling the workflows

test('a dev server restarted on its SQLite file keeps every project where it was', async () => {
  const dbFile = tempFile('temporal.db');
  const taskQueue = uniqueTaskQueue('server-restart');
  const input = projectInput();

  const before = await startDevServer({ dbFile, retentionDays: 3650 });
  // Closed projects stay readable for ten years, not the server's default one day.
  const namespace = await before.env.client.workflowService.describeNamespace({ namespace: 'default' });
  expect(Number(namespace.config?.workflowExecutionRetentionTtl?.seconds)).toBe(3650 * 24 * 60 * 60);
  let connection = await NativeConnection.connect({ address: before.address });
  let worker = await startWorker(connection, workflowBundle, taskQueue);
  const sealed = sealedClient(before.env.connection, 'default', testSeal().signer);
  const h1 = await startProject(sealed, taskQueue, input);
  await apply(h1, 'design');
  for (const party of ['planning', 'construction', 'water'] as const) await approve(h1, 'design', party);
  await apply(h1, 'permit');
  await approve(h1, 'permit', 'water');
  await worker.stop();
  await connection.close();
  await before.stop();

  const after = await startDevServer({ dbFile });
  try {
    connection = await NativeConnection.connect({ address: after.address });
    worker = await startWorker(connection, workflowBundle, taskQueue);
    const clientConnection = await Connection.connect({ address: after.address });
    const client2 = sealedClient(clientConnection, 'default', testSeal().signer);
    await ensureSearchAttributes(clientConnection, 'default');
    const h2 = client2.workflow.getHandle<typeof projectApproval>(h1.workflowId);
    const state = await h2.query(stateQuery);
    expect(stageStatus(state, 'design')).toBe('approved');
    expect(state.stages[1]?.attempts[0]?.signOffs.map((s) => s.party)).toEqual(['water']);
    await approve(h2, 'permit', 'planning');
    await h2.executeUpdate(withdraw, { args: [{ by: window, reason: 'test over' }] });
    expect((await h2.result()).trail.map((t) => t.action)).toEqual([
      'registration',
      'application',
      'sign-off',
      'sign-off',
      'sign-off',
      'application',
      'sign-off',
      'sign-off',
      'withdrawal',
    ]);
    await worker.stop();
    await connection.close();
    await clientConnection.close();
  } finally {
    await after.stop();
  }
});
