// Operations against the suite's dev server and record: a workflow terminated behind the record's back is
// listed as out of sync, reconciled (by an admin, and by housekeeping), then read from the record and
// closed to actions; the housekeeping schedule is created once and follows its interval. Projects here are
// in shihua, which no other list test uses.
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { readProjectRecord } from '../db/record';
import { ensureHousekeepingSchedule, housekeepingScheduleId } from '../worker/housekeeping-schedule';
import { workflowIdFor } from '../workflows/messages';
import { eventually } from './support/eventually';
import { saveHistoryIfRecording } from './support/histories';
import { apiCaller } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('operations');
});
afterAll(async () => {
  await service?.stop();
});
const call = apiCaller(() => service.port);

const LOCALITY = 'shihua';
const registration = {
  name: '石化街道 仓储用房',
  applicant: { name: '上海石化某某物流有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'industrial',
  locality: LOCALITY,
  utilities: ['gas'],
};

/** A project in design review, its record caught up, then terminated with the Temporal client. */
async function terminatedProject(reason: string): Promise<string> {
  const created = await call('POST', '/api/projects', 'dev-window', registration);
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  await eventually(() => readProjectRecord(service.db, id), (s) => s?.stages[0]?.attempts.length === 1);
  await service.client.workflow.getHandle(workflowIdFor(id)).terminate(reason);
  return id;
}

const stuck = (query: string, token = 'dev-admin') => call('GET', `/api/operations/stuck?locality=${LOCALITY}&${query}`, token);

test('a terminated workflow: out of sync, reconciled by an admin, then read from the record and closed to actions', async () => {
  const reason = '建设单位破产，项目终止';
  const id = await terminatedProject(reason);

  const listed = await eventually(
    () => stuck('kind=record-out-of-sync'),
    (r) => r.body.entries?.some((e: { projectId: string }) => e.projectId === id),
  );
  expect(listed.status).toBe(200);
  const entry = listed.body.entries.find((e: { projectId: string }) => e.projectId === id);
  expect(entry).toMatchObject({
    kind: 'record-out-of-sync',
    locality: LOCALITY,
    stage: 'design',
    name: registration.name,
    evidence: { temporal: 'TERMINATED' },
    expected: { actor: 'admin' },
    repairs: [{ action: 'reconcile', method: 'POST', path: `/api/operations/projects/${id}/reconcile` }],
  });
  expect(listed.body.counts.byKind['record-out-of-sync']).toBeGreaterThanOrEqual(1);
  expect(listed.body.scan).toMatchObject({ complete: true });
  // Leaders read it; the filter is validated.
  expect((await stuck('kind=record-out-of-sync', 'dev-leader')).status).toBe(200);
  const bad = await call('GET', '/api/operations/stuck?kind=lost&department=nobody', 'dev-admin');
  expect(bad.status).toBe(400);
  expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['query.department', 'query.kind']);

  // Before reconciliation, an action says what is wrong rather than "active".
  const early = await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve' });
  expect(early.status).toBe(409);
  expect(early.body.message).toMatch(/terminated in Temporal while the record says active/);

  const noReason = await call('POST', `/api/operations/projects/${id}/reconcile`, 'dev-admin', {});
  expect(noReason.status).toBe(400);
  expect(noReason.body.issues[0].path).toBe('body.reason');

  const why = '巡检发现工作流已在 Temporal 终止';
  const reconciled = await call('POST', `/api/operations/projects/${id}/reconcile`, 'dev-admin', { reason: why });
  expect(reconciled.status).toBe(200);
  expect(reconciled.body).toMatchObject({ outcome: 'terminated', temporal: 'TERMINATED', termination: { closure: 'terminated', reason } });
  expect(reconciled.body.termination.by).toEqual(expect.any(String));
  // Once is enough: a second reconcile finds nothing to do.
  expect((await call('POST', `/api/operations/projects/${id}/reconcile`, 'dev-admin', { reason: why })).status).toBe(409);

  const read = await call('GET', `/api/projects/${id}`, 'dev-leader');
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ status: 'terminated', overallStatus: 'terminated', termination: { closure: 'terminated', reason } });

  const signOff = await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve' });
  expect(signOff.status).toBe(409);
  expect(signOff.body.message).toContain(`was terminated in Temporal at ${reconciled.body.termination.at}`);
  expect(signOff.body.message).toContain(reason);

  const list = await call('GET', `/api/projects?locality=${LOCALITY}&status=terminated&limit=100`, 'dev-leader');
  expect(list.body.projects.find((p: { id: string }) => p.id === id)).toMatchObject({ status: 'terminated', closedAt: reconciled.body.termination.at });
  const after = await stuck('kind=record-out-of-sync');
  expect(after.body.entries.some((e: { projectId: string }) => e.projectId === id)).toBe(false);

  const audit = await call('GET', `/api/projects/${id}/audit`, 'dev-admin');
  const entries = audit.body.entries.filter((e: { path: string }) => e.path === `/api/operations/projects/${id}/reconcile`);
  expect(entries.map((e: { status: number }) => e.status)).toEqual([400, 200, 409]);
  expect(entries[1]).toMatchObject({ principalId: 'admin-01', outcome: 'accepted' });
  expect(entries[1].detail).toContain(why);
});

test('housekeeping reconciles a terminated workflow on its own', async () => {
  const reason = '测试：批量清理';
  const id = await terminatedProject(reason);
  const workflowId = `housekeeping-test-${randomUUID()}`;
  const result = await service.client.workflow.execute('housekeeping', { taskQueue: service.taskQueue, workflowId, args: [{ locality: LOCALITY }] });
  await saveHistoryIfRecording('ops-housekeeping', service.client.workflow.getHandle(workflowId));
  expect(result.reconciled.reconciled).toContainEqual({ projectId: id, outcome: expect.objectContaining({ outcome: 'terminated', termination: expect.objectContaining({ reason }) }) });
  const read = await call('GET', `/api/projects/${id}`, 'dev-admin');
  expect(read.status).toBe(200);
  expect(read.body.termination).toMatchObject({ closure: 'terminated', reason });
  // A second run has nothing left to do in this locality. It is started as its Schedule starts it: by
  // Temporal, without the API's seal (which only project registrations need).
  const unsealed = new Client({ connection: service.client.connection });
  const again = await unsealed.workflow.execute('housekeeping', { taskQueue: service.taskQueue, workflowId: `housekeeping-test-${randomUUID()}`, args: [{ locality: LOCALITY }] });
  expect(again.reconciled.reconciled).toEqual([]);
});

test('the housekeeping schedule is created once and follows the configured interval', async () => {
  const taskQueue = `test-schedule-${randomUUID()}`;
  try {
    expect(await ensureHousekeepingSchedule(service.client, { taskQueue, everyMinutes: 5 })).toBe('created');
    expect(await ensureHousekeepingSchedule(service.client, { taskQueue, everyMinutes: 5 })).toBe('unchanged');
    expect(await ensureHousekeepingSchedule(service.client, { taskQueue, everyMinutes: 7 })).toBe('updated');
    const described = await service.client.schedule.getHandle(housekeepingScheduleId(taskQueue)).describe();
    expect(described.spec.intervals).toEqual([expect.objectContaining({ every: 7 * 60_000 })]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'housekeeping', taskQueue });
  } finally {
    await service.client.schedule.getHandle(housekeepingScheduleId(taskQueue)).delete();
  }
});
