// An action answered just before a crash is in the audit log. The API runs as `npm run api` runs it
// (api/main.ts, its own process) against the suite's Temporal dev server and record, and is SIGKILLed the
// moment an answer reaches the caller: the entry must already have been committed.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../config/env';
import type { Db } from '../db/connect';
import { devServerAddress, testDb, uniqueTaskQueue } from './support/temporal';

/** The API process; resolves with its port once it listens. */
async function spawnApi(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'api', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: devServerAddress(),
      // No worker polls this queue: a registration only starts the workflow.
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('audit-crash'),
      DATABASE_URL: process.env.TEST_DB_URL,
      PORT: '0',
      API_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the API exited with ${code} before it listened`);
  });
  const listening = (async () => {
    for await (const line of lines) {
      const port = /"msg":"api listening"/.test(line) && /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(line)?.[1];
      if (port) return Number(port);
    }
    throw new Error('the API closed its output before it listened');
  })();
  const port = await Promise.race([listening, exited]);
  lines.on('line', () => undefined); // keep draining stdout so the child never blocks on a full pipe
  return { child, port };
}

/** Sends a command and kills the API as soon as the answer's status line and headers arrive. */
function commandThenKill(port: number, child: ChildProcess, path: string, body: unknown): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { authorization: 'Bearer dev-window', 'content-type': 'application/json' } }, (res) => {
      child.kill('SIGKILL');
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db?.destroy();
});

// Twice, each time the answer to a fresh process's first command (its pool not yet connected), so that
// an entry written after the answer would have little chance to slip in before the kill.
test.each([1, 2])('a command answered just before the API is killed has its audit entry (round %i)', async () => {
  const { child, port } = await spawnApi();
  const exit = once(child, 'exit');
  const answer = await commandThenKill(port, child, '/api/projects', {
    name: '山阳镇 仓储中心',
    applicant: { name: '上海山阳某某物流有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'industrial',
    major: false,
    locality: 'shanyang',
    utilities: ['power'],
  });
  const [, signal] = await exit;
  expect(signal).toBe('SIGKILL');
  expect(answer.status).toBe(201);
  const id = /\/api\/projects\/([0-9a-f-]{36})$/.exec(answer.location ?? '')?.[1];
  expect(id).toBeDefined();
  const entries = await db.selectFrom('audit_log').select(['method', 'path', 'outcome', 'status', 'principal_id']).where('project_id', '=', id as string).execute();
  expect(entries).toEqual([{ method: 'POST', path: '/api/projects', outcome: 'accepted', status: 201, principal_id: 'window-01' }]);
});
