// Operations batches over real projects (the suite's dev server, a real worker): bounded by the maximum
// the admin names, run by a workflow, each step an ordinary recorded action by that admin.
import type { ProjectView } from '../domain/project';
import { eventually } from './support/eventually';
import { saveHistoryIfRecording } from './support/histories';
import { apiCaller } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('batch');
});
afterAll(async () => {
  await service?.stop();
});

const call = apiCaller(() => service.port);

async function register(name: string, apply: boolean): Promise<string> {
  const res = await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海某某实业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'shihua',
    utilities: ['power'],
  });
  const id = res.body.id as string;
  if (apply) expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  return id;
}

test('a batch reminds the pending parties of the projects it picks, within its maximum; progress is readable', async () => {
  const [a, b, c] = [await register('石化街道 甲', true), await register('石化街道 乙', true), await register('石化街道 丙', false)];
  // A batch picks projects from the record, as the list does, and the record is written just after an
  // action is answered: wait until the list shows both applications, as a person would see them.
  await eventually(
    () => call('GET', `/api/projects?name=${encodeURIComponent('石化街道')}&status=under-review&limit=100`, 'dev-admin'),
    (r) => [a, b].every((id) => (r.body.projects as { id: string }[]).some((p) => p.id === id)),
  );
  const batches = '/api/operations/batches';
  const ask = (body: Record<string, unknown>, token = 'dev-admin', headers: Record<string, string> = {}) =>
    call('POST', batches, token, { action: 'renotify', reason: '月底统一催办', ...body }, headers);

  expect((await ask({ max: 5, filter: { ids: [a, b, c] } }, 'dev-leader')).status).toBe(403);
  expect((await ask({ filter: { ids: [a] } })).body.issues?.[0]?.path).toBe('body.max');
  expect((await ask({ max: 5, filter: { ids: ['x'] } })).body.issues?.[0]?.path).toBe('body.filter.ids.0');
  // The filter picks two (the third is not under review); a maximum of one is refused, and nothing is done.
  const tooMany = await ask({ max: 1, filter: { ids: [a, b, c], status: 'under-review' } });
  expect(tooMany.status).toBe(409);
  expect(tooMany.body.message).toMatch(/more than the batch's maximum of 1/);
  expect(tooMany.body.refusal).toEqual({ code: 'batch-too-large', params: { max: 1 } });
  expect((await call('POST', batches, 'dev-admin', { action: 'withdraw', reason: 'x', max: 500, filter: { ids: [a] } })).body.issues).toEqual([
    { path: 'body.max', message: expect.stringMatching(/at most 100/) },
  ]);

  const started = await ask({ max: 5, filter: { ids: [a, b, c], status: 'under-review' } }, 'dev-admin', { 'idempotency-key': `batch-${a}` });
  expect(started.status).toBe(202);
  // Asked again with the same key: the same batch answers, and nothing runs twice.
  const again = await ask({ max: 5, filter: { ids: [a, b, c], status: 'under-review' } }, 'dev-admin', { 'idempotency-key': `batch-${a}` });
  expect(again.body).toMatchObject({ id: started.body.id, total: 2 });
  expect(started.body).toMatchObject({ action: 'renotify', total: 2 });
  expect(new Set(started.body.projectIds)).toEqual(new Set([a, b]));
  const done = await eventually(
    () => call('GET', `${batches}/${started.body.id}`, 'dev-leader'),
    (r) => r.body.status === 'completed',
    300,
  );
  expect(done.body).toMatchObject({ total: 2, done: 2, failed: 0, by: { id: 'admin-01' }, reason: '月底统一催办' });
  await saveHistoryIfRecording('ops-batch-renotify', service.client.workflow.getHandle(started.body.id));
  const audited = await service.db.selectFrom('audit_log').select(['principal_id', 'outcome', 'detail']).where('detail', 'like', `batch ${started.body.id}%`).execute();
  // Both requests are in the audit log (the second answered for the first batch).
  const entry = { principal_id: 'admin-01', outcome: 'accepted', detail: `batch ${started.body.id} renotify on 2 project(s) (max 5): 月底统一催办` };
  expect(audited).toEqual([entry, entry]);
  for (const id of [a, b]) {
    const trail = (await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-admin')).body.trail;
    expect(trail.at(-1)).toMatchObject({ action: 'reminder', by: { id: 'admin-01' }, detail: expect.stringContaining('月底统一催办') });
    // The step is in the project's own audit log, as the admin's.
    const audit = (await call('GET', `/api/projects/${id}/audit`, 'dev-admin')).body.entries;
    expect(audit).toContainEqual(expect.objectContaining({ method: 'BATCH', path: `${started.body.id} renotify`, principalId: 'admin-01', outcome: 'accepted', detail: '月底统一催办' }));
  }

  // A reset batch over projects that are not stuck: each step refused, with the project's reason.
  const resets = await call('POST', batches, 'dev-admin', { action: 'reset', reason: '试一试', max: 2, filter: { ids: [a, b] } });
  const refused = await eventually(() => call('GET', `${batches}/${resets.body.id}`, 'dev-admin'), (r) => r.body.status === 'completed', 300);
  expect(refused.body).toMatchObject({ total: 2, done: 0, failed: 2 });
  expect(refused.body.failures[0].message).toMatch(/not failing/);
  expect((await call('GET', `${batches}/operations-batch-unknown`, 'dev-admin')).status).toBe(404);
  // A closed project is not picked (a reset may pick one: it can bring a terminated project back).
  expect((await call('POST', `/api/projects/${c}/withdrawal`, 'dev-window', { reason: '建设单位撤回' })).status).toBe(200);
  await eventually(() => call<ProjectView>('GET', `/api/projects/${c}`, 'dev-admin'), (r) => r.body.status === 'withdrawn');
  expect((await ask({ max: 5, filter: { ids: [c] } })).body.message).toMatch(/picks no open project/);
  expect((await call('GET', `${batches}/operations-signal-unknown`, 'dev-admin')).status).toBe(404);

  // The calendar's signal goes out as Temporal's own batch operation, to the picked projects only.
  const signalled = await call('POST', batches, 'dev-admin', { action: 'calendar', reason: '调休安排更新', max: 3, year: 2026, filter: { ids: [a, b] } });
  expect(signalled.status).toBe(202);
  expect(signalled.body.id).toMatch(/^operations-signal-/);
  const delivered = await eventually(() => call('GET', `${batches}/${signalled.body.id}`, 'dev-admin'), (r) => r.body.status === 'completed', 300);
  expect(delivered.body).toMatchObject({ action: 'calendar', year: 2026, total: 2, done: 2, failed: 0, reason: '调休安排更新' });
  const history = await service.client.workflow.getHandle(`project-${b}`).fetchHistory();
  expect(history.events?.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'calendarChanged')).toBe(true);
}, 90_000);
