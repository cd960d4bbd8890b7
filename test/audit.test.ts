// The audit log over HTTP, on the suite's service: 401s stay out of it and are counted at /metrics, what a
// caller sends cannot make an entry large, an entry that cannot be written still lets the answer out
// (logged and counted), and admins can have the whole chain verified.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { MAX_PATH } from '../api/audit';
import { createApp } from '../api/app';
import { listen } from '../api/listen';
import { isLoopback } from '../api/metrics';
import { loadPrincipals } from '../config/principals';
import { connectDb, type Db } from '../db/connect';
import { DEFAULT_POLICY } from '../domain/policy';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { devServerClient } from './support/temporal';

let service: Awaited<ReturnType<typeof startService>>;
let db: Db;
beforeAll(async () => {
  service = await startService('audit');
  ({ db } = service);
});
afterAll(async () => {
  await service?.stop();
});

const call = apiCaller(() => service.port);

const entriesAt = async (path: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from audit_log where path = ${path}`.execute(db)).rows[0]?.n);

async function counter(name: string): Promise<number> {
  const metrics = await call('GET', '/metrics');
  expect(metrics.status).toBe(200);
  const line = (metrics.body as string).split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

test('a 401 adds no audit entry, whatever its path; it is counted at /metrics, which a scraper on this machine reads without a token', async () => {
  const metrics = await call('GET', '/metrics');
  expect(metrics.status).toBe(200);
  expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
  // Node's default metrics are there too.
  expect(metrics.body).toMatch(/^process_cpu_user_seconds_total \d/m);
  const before = await counter('one_window_unauthenticated_requests_total');

  const path = `/api/projects/${randomUUID()}/withdrawal`;
  const long = `/api/projects/${'x'.repeat(8000)}`;
  expect((await call('POST', path, undefined, { reason: 'x' })).status).toBe(401);
  expect((await call('POST', path, 'not-a-token', { reason: 'x' })).status).toBe(401);
  expect((await call('DELETE', long)).status).toBe(401);
  expect((await call('GET', '/api/projects')).status).toBe(401);
  expect(await entriesAt(path)).toBe(0);
  expect((await sql<{ n: string }>`select count(*) as n from audit_log where length(path) > ${MAX_PATH}`.execute(db)).rows[0]?.n).toBe('0');
  expect(await counter('one_window_unauthenticated_requests_total')).toBe(before + 4);
});

test('a signed-in caller\'s long path is stored cut to 512 characters; PATCH is audited like every command', async () => {
  const tail = `${randomUUID()}-${'y'.repeat(8000)}`;
  expect((await call('POST', `/api/projects/${tail}`, 'dev-window', {})).status).toBe(404);
  const rows = await db.selectFrom('audit_log').select(['path', 'outcome', 'status', 'principal_id']).where('path', 'like', `/api/projects/${tail.slice(0, 36)}%`).execute();
  expect(rows).toHaveLength(1);
  expect(rows[0]?.path).toHaveLength(MAX_PATH);
  expect(rows[0]?.path.endsWith('…')).toBe(true);
  expect(rows[0]).toMatchObject({ outcome: 'not-found', status: 404, principal_id: 'window-01' });

  const id = randomUUID();
  expect((await call('PATCH', `/api/projects/${id}`, 'dev-window', {})).status).toBe(404);
  expect(await db.selectFrom('audit_log').select(['method', 'project_id', 'outcome']).where('path', '=', `/api/projects/${id}`).execute()).toEqual([
    { method: 'PATCH', project_id: id, outcome: 'not-found' },
  ]);
});

test('GET /api/audit/verify: admins have the chain recomputed; others may not', async () => {
  await call('POST', '/api/projects', 'dev-window', {});
  const verified = await call('GET', '/api/audit/verify', 'dev-admin');
  expect(verified).toMatchObject({ status: 200, body: { intact: true, head: { seq: expect.stringMatching(/^\d+$/) } } });
  expect(verified.body.checked).toBeGreaterThan(0);
  expect((await call('GET', '/api/audit/verify', 'dev-window')).status).toBe(403);
  expect((await call('GET', '/api/audit/verify')).status).toBe(401);
});

test('when the entry cannot be written the command is still answered, after retries, logged at error level and counted', async () => {
  // A record that cannot be reached: nothing listens on port 1.
  const unreachable = connectDb('postgres://postgres@127.0.0.1:1/none', { max: 1 });
  const lines: { level: number; msg: string; entry?: { path: string } }[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  const client = await devServerClient();
  const app = createApp({ client, taskQueue: 'unused', principals: loadPrincipals({ NODE_ENV: 'test', PRINCIPALS_FILE: undefined }), policy: DEFAULT_POLICY, db: unreachable, logger });
  const server = await listen(app, 0, '127.0.0.1');
  const callIt = apiCaller(() => server.port);
  try {
    const started = Date.now();
    const answer = await callIt('POST', '/api/projects', 'dev-window', { name: '' });
    expect(answer.status).toBe(400);
    // Three attempts, 50 and 250 ms apart.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const failure = lines.find((l) => l.msg.startsWith('audit log write failed'));
    expect(failure).toMatchObject({ level: 50, entry: { path: '/api/projects' } });
    const metrics = await callIt('GET', '/metrics');
    expect(metrics.body).toMatch(/^one_window_audit_write_failures_total 1$/m);
  } finally {
    await server.close();
    await client.connection.close();
    await unreachable.destroy();
  }
});

test('only loopback addresses read /metrics without a token', () => {
  for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(address)).toBe(true);
  for (const address of ['10.0.0.5', '::ffff:10.0.0.5', '192.168.1.127', 'fe80::1', undefined]) expect(isLoopback(address)).toBe(false);
});
