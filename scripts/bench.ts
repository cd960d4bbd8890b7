// `npm run bench`: measures the service end to end on this machine — a Temporal dev server, the embedded
// database, a worker and the API in-process, driven over real HTTP on loopback — and prints latency
// figures per kind of request. Bounded: BENCH_PROJECTS projects (default 40), BENCH_CONCURRENCY at a time.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../api/app';
import { listen } from '../api/listen';
import { loadPrincipals } from '../config/principals';
import { loadCalendar } from '../db/calendar';
import { openEmbeddedDb } from '../db/embedded';
import { ROOT } from '../config/env';
import { loadLiaisons, postsOf } from '../config/liaisons';
import { seedDirectory } from '../db/directory';
import { DEFAULT_POLICY } from '../domain/policy';
import { startDevServer } from '../temporal/dev-server';
import { FileNotificationSink } from '../activities/notification-sink';
import { generateSealKeys, sealedClient } from '../temporal/command-seal';
import { createWorker } from '../worker/worker';
import { longestProject } from './longest-project';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const [server, embedded] = await Promise.all([startDevServer(), openEmbeddedDb()]);
  const { db } = embedded;
  const liaisons = join(ROOT, 'config', 'liaisons.dev.json');
  await seedDirectory(db, liaisons, () => postsOf(loadLiaisons(liaisons)));
  const connection = await NativeConnection.connect({ address: server.address });
  const taskQueue = `bench-${randomUUID()}`;
  const seal = generateSealKeys();
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities: {
      sink: new FileNotificationSink(join(mkdtempSync(join(tmpdir(), 'one-window-bench-')), 'n.jsonl')),
      db,
           utilityEndpoints: {},
      pushTimeoutMs: 1_000,
      sealKeys: seal.keys,
    },
  });
  const running = worker.run();
  const principals = loadPrincipals({ NODE_ENV: 'development', PRINCIPALS_FILE: undefined });
  const api = await listen(createApp({ client: sealedClient(server.env.connection, 'default', seal.signer), taskQueue, principals, policy: DEFAULT_POLICY, db, logger: pino({ level: 'silent' }) }), 0, '127.0.0.1');

  const timings = new Map<string, number[]>();
  const call = async (kind: string, method: string, path: string, token: string, body?: unknown) => {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${api.port}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as { id?: string };
    if (!res.ok) throw new Error(`${kind}: HTTP ${res.status} ${JSON.stringify(json)}`);
    (timings.get(kind) ?? timings.set(kind, []).get(kind)!).push(performance.now() - started);
    return json;
  };

  const oneProject = async (i: number) => {
    const { id } = await call('register', 'POST', '/api/projects', 'dev-window', {
      name: `基准项目 ${i}`,
      applicant: { name: '上海基准有限公司', uscc: '91310000MA1FL4B24G' },
      category: 'general',
      locality: 'zhujing',
      utilities: ['power'],
    });
    await call('apply (update)', 'POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {});
    for (const party of ['planning', 'construction', 'water']) {
      await call('sign-off (update)', 'POST', `/api/projects/${id}/stages/design/sign-offs`, `dev-${party}`, { decision: 'approve' });
    }
    await call('read project (query)', 'GET', `/api/projects/${id}`, 'dev-leader');
  };

  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < PROJECTS) await oneProject(next++);
  }));
  const elapsed = (performance.now() - started) / 1000;
  for (let i = 0; i < 20; i++) await call('list (record)', 'GET', '/api/projects?locality=zhujing&limit=100', 'dev-leader');

  const calendar = await loadCalendar(db);
  const t = performance.now();
  for (let i = 0; i < 1000; i++) calendar.workingDaysBetween('2025-01-01', '2026-12-31');
  const calendarUs = ((performance.now() - t) / 1000) * 1000;

  console.log(`\none-window benchmark: ${PROJECTS} projects, ${CONCURRENCY} at a time, on ${process.platform} with Node ${process.version}`);
  console.log('request                 count    p50 ms    p95 ms    max ms');
  for (const [kind, list] of timings) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(
      `${kind.padEnd(22)} ${String(list.length).padStart(6)} ${percentile(sorted, 50).toFixed(1).padStart(9)} ${percentile(sorted, 95).toFixed(1).padStart(9)} ${(sorted.at(-1) ?? NaN).toFixed(1).padStart(9)}`,
    );
  }
  const requests = [...timings.values()].reduce((n, l) => n + l.length, 0) - 20;
  console.log(`throughput: ${(requests / elapsed).toFixed(1)} commands and reads per second over ${elapsed.toFixed(1)} s`);
  console.log(`working days across two years: ${calendarUs.toFixed(0)} µs a count`);

  // What Temporal keeps of the longest realistic project (its warnings: 10 MB or 10,240 events per run,
  // 512 KB per payload).
  const longest = await longestProject(db);
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  console.log(`\nlongest realistic project (two years, 3 attempts per stage, corrections by every party, weekly reports):`);
  for (const [i, run] of longest.runs.entries()) console.log(`  run ${i + 1}: ${run.events} events, ${kb(run.bytes)} of history, largest event ${kb(run.largestEvent)}`);
  console.log(`  final state ${kb(longest.stateBytes)}; replaying every run took ${longest.replayMs.toFixed(0)} ms`);

  await api.close();
  worker.shutdown();
  await running;
  await connection.close();
  await embedded.close();
  await server.stop();
}

main().catch((err) => {
  console.error('benchmark failed:', err);
  process.exit(1);
});
