// A bad deploy and its repair, with real workers on the suite's dev server: a build of the workflow that
// does not replay a project's history makes its workflow tasks fail; a sign-off sent meanwhile is held
// (202); the right build and a reset bring the project back, and the held sign-off is applied.
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { ProjectView } from '../domain/project';
import { calendarChanged, workflowIdFor } from '../workflows/messages';
import { fetchHistory, replayOne } from '../operations/replay';
import { startApp } from './support/app';
import { eventually } from './support/eventually';
import { bundle, devServerAddress, startWorker, uniqueTaskQueue } from './support/temporal';

let service: Awaited<ReturnType<typeof startApp>>;
let connection: NativeConnection;
let right: WorkflowBundle;
let wrong: WorkflowBundle;
const taskQueue = uniqueTaskQueue('reset');

beforeAll(async () => {
  [service, connection, right, wrong] = await Promise.all([
    startApp('reset', { taskQueue, acceptTimeoutMs: 3_000 }),
    NativeConnection.connect({ address: devServerAddress() }),
    bundle(),
    bundle(require.resolve('./fixtures/incompatible-workflows')),
  ]);
});

afterAll(async () => {
  await service?.stop();
  await connection?.close();
});

const stage = (id: string, name: string, what: string) => `/api/projects/${id}/stages/${name}/${what}`;

test('a bad build stops a project; a sign-off sent meanwhile is held; the right build and a reset bring it back with the sign-off', async () => {
  const { call } = service;
  let worker = await startWorker(connection, right, taskQueue, { client: service.client });
  const registered = await call('POST', '/api/projects', 'dev-window', {
    name: '朱泾镇 仓储用房',
    applicant: { name: '上海朱泾某某仓储有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'zhujing',
    utilities: ['power'],
  });
  const id = registered.body.id as string;
  expect((await call('POST', stage(id, 'design', 'application'), 'dev-window', {})).status).toBe(200);
  await worker.stop();

  // The bad deploy: it cannot replay the project, so every workflow task fails.
  const bad = await startWorker(connection, wrong, taskQueue, { client: service.client });
  const handle = service.client.workflow.getHandle(workflowIdFor(id));
  // Something to do (a calendar change), so that a workflow task reaches the bad build and fails; the
  // first may wait out the stopped worker's sticky queue.
  await handle.signal(calendarChanged, 2026);
  const failing = await eventually(() => handle.describe(), (d) => (d.raw.pendingWorkflowTask?.attempt ?? 0) > 1, 300);
  expect(failing.raw.pendingWorkflowTask?.attempt).toBeGreaterThan(1);
  const signOff = () => call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { party: 'planning', decision: 'approve', comment: '同意' }, { 'idempotency-key': `sign-${id}` });
  const held = await signOff();
  expect(held.status).toBe(202);
  expect(held.body).toMatchObject({ held: true, project: id, command: 'signOff' });

  // What operators see: the stuck list names it with the determinism error, and replaying its history
  // against the bad build names the event where that build goes another way.
  const stuck = await eventually(
    () => call('GET', '/api/operations/stuck?kind=workflow-task-failing&locality=zhujing', 'dev-admin'),
    (r) => r.body.entries?.some((e: { projectId: string }) => e.projectId === id),
    300,
  );
  const entry = stuck.body.entries.find((e: { projectId: string }) => e.projectId === id);
  expect(entry).toMatchObject({ kind: 'workflow-task-failing', expected: { actor: 'admin' } });
  expect(JSON.stringify(entry.evidence)).toMatch(/Nondeterminism/);
  expect(entry.repairs.map((r: { action: string }) => r.action)).toEqual(['replay', 'reset']);
  const verdict = await replayOne(wrong, await fetchHistory(service.client, workflowIdFor(id)));
  expect(verdict).toMatchObject({ ok: false, kind: 'nondeterminism', divergingEvent: { eventId: expect.any(Number) } });
  await bad.stop();

  const reset = `/api/operations/projects/${id}/reset`;
  expect((await call('POST', reset, 'dev-window', { reason: '回滚错误版本' })).status).toBe(403);
  expect((await call('POST', reset, 'dev-admin', {})).body.issues?.[0]?.path).toBe('body.reason');
  expect((await call('POST', reset, 'dev-admin', { reason: 'x', to: 3 })).body.issues?.[0]?.path).toBe('body.to');
  const answer = await call('POST', reset, 'dev-admin', { reason: '回滚错误版本后重置' }, { 'idempotency-key': `reset-${id}` });
  expect(answer.status).toBe(200);
  // The same request again (its answer was lost, say) answers for the reset it made, and resets nothing.
  const repeated = await call('POST', reset, 'dev-admin', { reason: '回滚错误版本后重置' }, { 'idempotency-key': `reset-${id}` });
  expect(repeated.status).toBe(200);
  expect(repeated.body).toMatchObject({ runId: answer.body.runId, previousRunId: answer.body.previousRunId, resetTo: answer.body.resetTo });
  expect(answer.body).toMatchObject({ workflowId: workflowIdFor(id), resetTo: { type: 'WORKFLOW_TASK_COMPLETED' } });
  expect(answer.body.runId).not.toBe(answer.body.previousRunId);
  // Other test files' calendar loads signal every running project, this one too: at least ours are kept.
  const kept = answer.body.kept.signals.map((s: { name: string }) => s.name);
  expect(kept).toEqual(expect.arrayContaining(['calendarChanged', 'heldCommand']));

  // The right build again: the project runs, the held sign-off is applied, the reset is in its trail.
  worker = await startWorker(connection, right, taskQueue, { client: service.client });
  try {
    const back = await eventually(
      () => call<ProjectView>('GET', `/api/projects/${id}`, 'dev-admin'),
      (a) => a.status === 200 && a.body.trail.some((t) => t.action === 'operation') && a.body.stages[0]?.attempts[0]?.signOffs.length === 1,
      300,
    );
    expect(back.body.stages[0]?.attempts[0]?.signOffs[0]).toMatchObject({ party: 'planning', by: { id: 'reviewer-planning' }, comment: '同意' });
    expect(back.body.trail.find((t) => t.action === 'operation')).toMatchObject({ by: { id: 'admin-01' }, detail: expect.stringMatching(new RegExp(`^reset: to event #\\d+ .*kept ${kept.length} signal\\(s\\).*回滚错误版本后重置`)) });
    // The reviewer, never sure the held sign-off went through, sends it again with its key: answered, not
    // applied twice (nor refused as a second sign-off).
    const again = await signOff();
    expect(again.status).toBe(200);
    expect(again.body.stages[0].attempts[0].signOffs).toHaveLength(1);
    expect(again.body.trail.filter((t: { action: string }) => t.action === 'sign-off')).toHaveLength(1);
    // Nothing is failing any more: a second reset by default is refused, and the next sign-off is taken at once.
    expect((await call('POST', reset, 'dev-admin', { reason: '再次重置' })).body).toMatchObject({ error: 'refused', refusal: { code: 'reset-not-failing' } });
    expect((await call('POST', stage(id, 'design', 'sign-offs'), 'dev-construction', { party: 'construction', decision: 'approve' })).status).toBe(200);
    const audited = await service.db.selectFrom('audit_log').select(['principal_id', 'outcome', 'detail']).where('path', '=', reset).orderBy('seq').execute();
    expect(audited.map((a) => [a.principal_id, a.outcome])).toEqual([
      ['window-01', 'forbidden'],
      ['admin-01', 'invalid'],
      ['admin-01', 'invalid'],
      ['admin-01', 'accepted'],
      ['admin-01', 'accepted'],
      ['admin-01', 'refused'],
    ]);
    expect(audited[3]?.detail).toBe('reset: 回滚错误版本后重置');
  } finally {
    await worker.stop();
  }
}, 120_000);
