// `npm run ops` as an operator runs it: a child process configured as the service (the suite's Temporal dev
// server and record, a seal key the workers trust, the development principals under NODE_ENV=test), against
// a real service with real projects in jinshanwei. Only this file's own projects are asserted on: other
// files register projects in every locality.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../config/env';
import { projectAudit } from '../db/audit';
import { readProjectRecord } from '../db/record';
import type { ProjectState } from '../domain/project';
import { stateQuery, workflowIdFor } from '../workflows/messages';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { devServerAddress, tempFile } from './support/temporal';

const run = promisify(execFile);
const LOCALITY = 'jinshanwei';

let service: Awaited<ReturnType<typeof startService>>;
const call = apiCaller(() => service.port);
let env: NodeJS.ProcessEnv;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run ops -- …`, with tsx straight away (npm adds a second or so). */
async function ops(...args: string[]): Promise<Ran> {
  try {
    const { stdout, stderr } = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'ops.ts'), ...args], { cwd: ROOT, env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A project of ours in design review (its record caught up): the parties are pending, so it can be reminded. */
async function projectInReview(name: string): Promise<string> {
  const created = await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海金山某某建设有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: LOCALITY,
    utilities: ['gas'],
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  await eventually(() => readProjectRecord(service.db, id), (s) => s?.stages[0]?.attempts.length === 1);
  return id;
}

const state = (id: string) => service.client.workflow.getHandle(workflowIdFor(id)).query(stateQuery) as Promise<ProjectState>;

beforeAll(async () => {
  service = await startService('ops-cli');
  const pem = process.env.TEST_SEAL_PRIVATE_KEY;
  if (!pem) throw new Error('TEST_SEAL_PRIVATE_KEY is unset');
  const keyFile = tempFile('seal-private.pem');
  writeFileSync(keyFile, pem, { mode: 0o600 });
  env = {
    ...process.env,
    NODE_ENV: 'test',
    TEMPORAL_ADDRESS: devServerAddress(),
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: service.taskQueue,
    DATABASE_URL: process.env.TEST_DB_URL,
    SEAL_PRIVATE_KEY_FILE: keyFile,
    PRINCIPALS_FILE: '',
    LOG_LEVEL: 'silent',
  };
  // Who acts is named by each test (an operator set in the runner's environment would hide a refusal).
  delete env.ONE_WINDOW_OPERATOR;
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

test('stuck --json lists our terminated project as record-out-of-sync, with the reconcile repair; the table names the ops command', async () => {
  const id = await projectInReview('金山卫镇 终止的仓库');
  await service.client.workflow.getHandle(workflowIdFor(id)).terminate('测试：终止');

  const listed = await ops('stuck', '--json', '--locality', LOCALITY, '--kind', 'record-out-of-sync', '--limit', '500');
  expect(listed).toMatchObject({ code: 0 });
  const answer = JSON.parse(listed.stdout);
  const entry = answer.entries.find((e: { projectId: string }) => e.projectId === id);
  expect(entry).toMatchObject({
    kind: 'record-out-of-sync',
    locality: LOCALITY,
    stage: 'design',
    evidence: { temporal: 'TERMINATED' },
    repairs: [{ action: 'reconcile', path: `/api/operations/projects/${id}/reconcile` }],
  });
  expect(answer.counts.byKind['record-out-of-sync']).toBeGreaterThanOrEqual(1);
  expect(answer.scan).toMatchObject({ complete: true });
  expect(answer.total).toBeGreaterThanOrEqual(1);

  const table = await ops('stuck', '--locality', LOCALITY, '--kind', 'record-out-of-sync', '--limit', '500');
  expect(table.code).toBe(0);
  const lines = table.stdout.split('\n');
  const at = lines.findIndex((l) => l.includes(id));
  const block = lines.slice(at, at + 4);
  expect(block[0]).toMatch(new RegExp(`^record-out-of-sync +since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  金山卫镇 终止的仓库  ${id}  ${LOCALITY}/design$`));
  expect(block).toContain('    evidence  problem the workflow is terminated in Temporal while the record says active; temporal TERMINATED');
  expect(block).toContain(`    repair    npm run ops -- reconcile ${id} --reason "…"`);
  expect(table.stdout).toMatch(/scan: \d+ running workflow\(s\) listed, \d+ described \(bound 5000\), complete/);

  // And the repair it names works: the record takes the termination, by the operator.
  const reconciled = await ops('reconcile', id, '--reason', '建设单位撤场，核对后终止', '--as', 'admin-01');
  expect(reconciled).toMatchObject({ code: 0 });
  expect(reconciled.stdout).toContain(`project ${id}: recorded as terminated — Temporal says TERMINATED`);
  expect((await readProjectRecord(service.db, id))?.status).toBe('terminated');
  const again = await ops('reconcile', id, '--reason', '再核对', '--as', 'admin-01');
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('nothing to reconcile: the record says terminated');
});

test('renotify records a reminder by the operator in the trail and the audit log', async () => {
  const id = await projectInReview('金山卫镇 标准厂房');
  const reminded = await ops('renotify', id, 'design', '--reason', '超期未签，提醒各部门', '--as', 'admin-01');
  expect(reminded).toMatchObject({ code: 0 });
  expect(reminded.stdout).toContain(`remindPending accepted for project ${id}`);
  const reminder = (await state(id)).trail.find((t) => t.action === 'reminder');
  expect(reminder).toMatchObject({ stage: 'design', by: { id: 'admin-01', role: 'admin' } });
  expect(reminder?.detail).toContain('超期未签，提醒各部门');
  expect(reminded.stdout).toContain(`trail #${reminder?.seq} `);
  const audited = await eventually(() => projectAudit(service.db, id), (entries) => entries.some((e) => e.method === 'CLI'));
  expect(audited.find((e) => e.method === 'CLI')).toMatchObject({ principalId: 'admin-01', path: `ops renotify ${id} design`, outcome: 'accepted', status: 200 });

  // The operator comes from ONE_WINDOW_OPERATOR when --as is not given; the same --key applies once.
  const viaEnv = await ops('renotify', id, 'design', '--reason', '再次提醒', '--key', 'morning-round');
  expect(viaEnv.code).toBe(2);
  env.ONE_WINDOW_OPERATOR = 'admin-01';
  try {
    expect((await ops('renotify', id, 'design', '--reason', '再次提醒', '--key', 'morning-round')).code).toBe(0);
    expect((await ops('renotify', id, 'design', '--reason', '再次提醒', '--key', 'morning-round')).code).toBe(0);
  } finally {
    delete env.ONE_WINDOW_OPERATOR;
  }
  expect((await state(id)).trail.filter((t) => t.action === 'reminder')).toHaveLength(2);
});

test('retry-push on a project without that push exits 1 with the reason; nothing is recorded', async () => {
  const id = await projectInReview('金山卫镇 配套用房');
  const before = (await state(id)).trail.length;
  const retried = await ops('retry-push', id, 'power', '--reason', '电力公司接口已恢复', '--as', 'admin-01');
  expect(retried.code).toBe(1);
  expect(retried.stderr).toContain(`refused: project ${id} has no push to power`);
  expect((await state(id)).trail).toHaveLength(before);
  const audited = await eventually(() => projectAudit(service.db, id), (entries) => entries.some((e) => e.method === 'CLI'));
  expect(audited.find((e) => e.method === 'CLI')).toMatchObject({ principalId: 'admin-01', outcome: 'refused', status: 409 });
});

test('batch: more projects than --max is refused (exit 1); within it, followed to the end and recorded by the operator', async () => {
  const [a, b] = await Promise.all([projectInReview('金山卫镇 一号楼'), projectInReview('金山卫镇 二号楼')]);
  const refused = await ops('batch', 'renotify', '--reason', '统一提醒', '--max', '1', '--locality', LOCALITY, '--ids', `${a},${b}`, '--as', 'admin-01');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("the filter picks more than the batch's maximum of 1 projects");
  expect((await state(a)).trail.some((t) => t.action === 'reminder')).toBe(false);

  const done = await ops('batch', 'renotify', '--reason', '统一提醒', '--max', '1', '--locality', LOCALITY, '--ids', a, '--as', 'admin-01');
  expect(done).toMatchObject({ code: 0 });
  const id = /^batch (operations-batch-[\w-]+): renotify on 1 project\(s\)$/m.exec(done.stdout)?.[1];
  expect(id).toBeDefined();
  expect(done.stdout).toContain(`batch ${id}: renotify by admin-01 (统一提醒) — completed: 1 done, 0 failed, 1 total`);
  expect((await state(a)).trail.find((t) => t.action === 'reminder')).toMatchObject({ by: { id: 'admin-01' } });

  const status = await ops('batch-status', id as string, '--json');
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ id, action: 'renotify', total: 1, done: 1, failed: 0, status: 'completed' });
});

test('usage, configuration and operator problems exit 2 before anything is sent', async () => {
  const id = await projectInReview('金山卫镇 门卫室');
  const cases: [string[], RegExp][] = [
    [['renotify', id, 'design', '--reason', '提醒'], /say who acts: --as/],
    [['renotify', id, 'design', '--reason', '提醒', '--as', 'nobody'], /--as nobody: no such principal/],
    [['renotify', id, 'design', '--reason', '提醒', '--as', 'window-01'], /operators act as admins; window-01 is a window/],
    [['renotify', id, 'design', '--as', 'admin-01'], /required option '--reason <text>'/],
    [['renotify', 'not-a-project', 'design', '--reason', '提醒', '--as', 'admin-01'], /<projectId>: must be a project id/],
    [['renotify', id, 'roof', '--reason', '提醒', '--as', 'admin-01'], /<stage>: /],
    [['batch', 'renotify', '--reason', '提醒', '--as', 'admin-01'], /--max: /],
    [['batch', 'renotify', '--reason', '提醒', '--max', '5', '--pending', 'me', '--as', 'admin-01'], /--pending: name the party/],
    [['stuck', '--department', 'nobody'], /--department: /],
    [['reset', id, '--reason', '重置', '--to', 'x', '--as', 'admin-01'], /--to: /],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['replay'], /name the histories to replay/],
  ];
  for (const [args, message] of cases) {
    const ran = await ops(...args);
    expect({ args, code: ran.code }).toEqual({ args, code: 2 });
    expect(ran.stderr).toMatch(message);
  }
  expect((await state(id)).trail.some((t) => t.action === 'reminder')).toBe(false);
}, 180_000);
