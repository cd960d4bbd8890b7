// Replay of real projects (operations/replay.ts): a project run by a real worker on the suite's dev server,
// its history exported with the official Temporal CLI, then `npm run replay` (as a child process) and the
// admin's POST /api/operations/projects/:id/replay — against the current code, and against the
// deliberately incompatible build in test/fixtures/incompatible-workflows.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { ROOT } from '../config/env';
import { LOCAL_BIN } from '../temporal/binaries';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { devServerAddress, tempFile } from './support/temporal';

const run = promisify(execFile);

let service: Awaited<ReturnType<typeof startService>>;
const call = apiCaller(() => service.port);
let projectId: string;
let exported: string;

/** `npm run replay -- …`, with tsx straight away (npm adds a second or so), against the suite's dev server. */
async function replay(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, TEMPORAL_ADDRESS: devServerAddress(), TEMPORAL_NAMESPACE: 'default', NODE_ENV: 'test' };
  try {
    const { stdout, stderr } = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'replay.ts'), ...args], { cwd: ROOT, env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let compatible: Awaited<ReturnType<typeof replay>>;
let incompatible: Awaited<ReturnType<typeof replay>>;

beforeAll(async () => {
  service = await startService('replay');
  // A project past registration: the design stage opened and one department's sign-off recorded.
  const created = await call('POST', '/api/projects', 'dev-window', {
    name: '石化街道 仓储用房',
    applicant: { name: '上海石化某某物流有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'shihua',
    utilities: ['power'],
  });
  expect(created.status).toBe(201);
  projectId = created.body.id as string;
  expect((await call('POST', `/api/projects/${projectId}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  expect((await call('POST', `/api/projects/${projectId}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve' })).status).toBe(200);

  // Exported as an operator would, with the official CLI.
  const shown = await run(process.env.TEMPORAL_CLI_PATH || join(LOCAL_BIN, 'temporal'), ['workflow', 'show', '--workflow-id', `project-${projectId}`, '--output', 'json', '--address', devServerAddress()], {
    maxBuffer: 64 * 1024 * 1024,
  });
  exported = tempFile('history.json');
  writeFileSync(exported, shown.stdout);

  // Both replays at once: each bundles workflow code, which is the slow part.
  [compatible, incompatible] = await Promise.all([
    replay(exported, '--workflow-id', `project-${projectId}`),
    replay('--workflows', join('test', 'fixtures', 'incompatible-workflows'), exported),
  ]);
}, 180_000);

afterAll(async () => {
  await service?.stop();
});

test('npm run replay: the exported file and the live history both replay with the current code', () => {
  expect(compatible).toMatchObject({ code: 0 });
  const lines = compatible.stdout.trim().split('\n');
  expect(lines).toEqual([`OK project-${projectId}`, `OK project-${projectId}`, '2 histories replayed against the current workflow code: 2 OK, 0 FAIL']);
});

test('npm run replay --workflows <incompatible build>: exit 1, naming the determinism error and the first diverging event', () => {
  expect(incompatible.code).toBe(1);
  const [verdict, summary] = incompatible.stdout.trim().split('\n');
  // The event the line names is the recorded history's: the first command the real code recorded where
  // the incompatible one starts a timer. Past the baseline's marker and its search-attribute upsert, and
  // the seal's check (a local activity's marker, which replay does not compare), that is the first activity.
  const events = (historyFromJSON(JSON.parse(readFileSync(exported, 'utf8'))).events ?? []) as temporal.api.history.v1.IHistoryEvent[];
  const first = events.find((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  expect(first?.activityTaskScheduledEventAttributes?.activityType?.name).toBe('workingCalendar');
  expect(verdict).toBe(
    `FAIL project-${projectId} — [TMPRL1100] Nondeterminism error: Timer machine does not handle this event: HistoryEvent(id: ${Number(first?.eventId)}, ActivityTaskScheduled) ` +
      `(first diverging event #${Number(first?.eventId)} ActivityTaskScheduled (activity workingCalendar))`,
  );
  expect(summary).toBe(`1 history replayed against ${join('test', 'fixtures', 'incompatible-workflows')}: 0 OK, 1 FAIL`);
});

test('npm run replay: usage errors exit 2 without replaying anything', async () => {
  const none = await replay();
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('name the histories to replay');
  const badLimit = await replay('--query', "ProjectStatus='under-review'", '--limit', '1001');
  expect(badLimit.code).toBe(2);
  expect(badLimit.stderr).toContain('--limit');
});

test('POST /api/operations/projects/:id/replay: a live project is compatible with the code the API runs', async () => {
  const res = await call('POST', `/api/operations/projects/${projectId}/replay`, 'dev-admin', {});
  expect(res).toMatchObject({ status: 200, body: { workflowId: `project-${projectId}`, compatible: true } });
  // No body at all is the same request.
  expect(await call('POST', `/api/operations/projects/${projectId}/replay`, 'dev-admin')).toMatchObject({ status: 200, body: { compatible: true } });
});

test('POST /api/operations/projects/:id/replay: 404 for an unknown project, 400 for a body with fields, 403 for anyone but an admin', async () => {
  const unknown = await call('POST', `/api/operations/projects/${randomUUID()}/replay`, 'dev-admin', {});
  expect(unknown).toMatchObject({ status: 404, body: { error: 'not-found' } });
  const withFields = await call('POST', `/api/operations/projects/${projectId}/replay`, 'dev-admin', { workflows: '/tmp/x' });
  expect(withFields.status).toBe(400);
  expect((await call('POST', `/api/operations/projects/${projectId}/replay`, 'dev-window', {})).status).toBe(403);
});
