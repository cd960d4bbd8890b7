// The public record, over HTTP against the suite's dev server and database: it outlives Temporal's
// history, it is written idempotently, every command is audited, and the calendar is the official one.
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { createActivities } from '../activities';
import { FileNotificationSink } from '../activities/notification-sink';
import type { Db } from '../db/connect';
import type { ProjectState } from '../domain/project';
import { stateQuery, workflowIdFor } from '../workflows/messages';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { tempFile, testSeal } from './support/temporal';
import { startUtilityCompanies } from './support/utility-companies';

let service: Awaited<ReturnType<typeof startService>>;
let companies: Awaited<ReturnType<typeof startUtilityCompanies>>;
let client: Client;
let db: Db;

beforeAll(async () => {
  companies = await startUtilityCompanies();
  service = await startService('record', { utilityEndpoints: () => companies.endpoints });
  ({ client, db } = service);
});

afterAll(async () => {
  await service?.stop();
  await companies?.stop();
});

const call = apiCaller(() => service.port);

const registration = {
  name: '廊下镇 农业综合体',
  applicant: { name: '上海廊下某某农业发展有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'small',
  locality: 'langxia',
  utilities: ['power'],
  agent: 'agent-01',
};
const stage = (id: string, s: string, what: string) => `/api/projects/${id}/stages/${s}/${what}`;

async function completeSmallProject(): Promise<string> {
  const { body } = await call('POST', '/api/projects', 'dev-window', registration);
  const id = body.id as string;
  await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
  await call('POST', stage(id, 'design', 'sign-offs'), 'dev-water', { decision: 'correction', items: ['排水接管证明'] });
  await call('POST', stage(id, 'design', 'supplements'), 'dev-window', {});
  for (const [s, parties] of [
    ['design', ['planning', 'construction', 'water']],
    ['permit', ['construction', 'planning', 'water', 'civil-defense']],
    ['acceptance', ['planning', 'construction']],
  ] as const) {
    if (s !== 'design') await call('POST', stage(id, s, 'application'), 'dev-window', {});
    for (const p of parties) await call('POST', stage(id, s, 'sign-offs'), `dev-${p}`, { decision: 'approve' });
  }
  await call('POST', stage(id, 'connection', 'sign-offs'), 'dev-power', { decision: 'approve' });
  return id;
}

test('a completed project deleted from Temporal is still served, in full, from the record', async () => {
  const id = await completeSmallProject();
  const handle = client.workflow.getHandle(workflowIdFor(id));
  const live: ProjectState = await handle.result();
  expect(live.status).toBe('completed');
  // The workflow records its final state before it closes.
  const recorded = await db.selectFrom('projects').select(['status', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  expect(recorded.status).toBe('completed');

  await client.workflowService.deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: workflowIdFor(id) } });
  // Temporal deletes asynchronously (the dev server takes about half a minute).
  const exists = await eventually(
    () => handle.describe().then(() => true, () => false),
    (e) => !e,
    600,
  );
  expect(exists).toBe(false);
  const served = await call('GET', `/api/projects/${id}`, 'dev-leader');
  expect(served.status).toBe(200);
  expect(served.body).toMatchObject({ status: 'completed', trail: live.trail, stages: expect.any(Array) });
  expect(served.body.stages.map((s: { status: string }) => s.status)).toEqual(['approved', 'approved', 'approved', 'approved']);
  expect((await call('POST', `/api/projects/${id}/withdrawal`, 'dev-window', { reason: 'x' })).body).toMatchObject({ error: 'refused', message: expect.stringMatching(/completed/) });
  const listed = await call('GET', '/api/projects?locality=langxia&status=completed', 'dev-leader');
  expect(listed.body.projects.map((p: { id: string }) => p.id)).toContain(id);

  // The rows the statistics read: attempts with their working days, sign-offs, the correction and its supplement.
  const attempts = await db.selectFrom('stage_attempts').selectAll().where('project_id', '=', id).orderBy('submitted_at').execute();
  expect(attempts.map((a) => `${a.stage}:${a.outcome}:${a.limit_days}`)).toEqual(['design:approved:15', 'permit:approved:10', 'acceptance:approved:5', 'connection:approved:3']);
  const signOffs = await db.selectFrom('sign_offs').select(['party', 'by_id']).where('project_id', '=', id).where('stage', '=', 'design').orderBy('party').execute();
  expect(signOffs).toEqual([
    { party: 'construction', by_id: 'reviewer-construction' },
    { party: 'planning', by_id: 'reviewer-planning' },
    { party: 'water', by_id: 'reviewer-water' },
  ]);
  const [correction] = await db.selectFrom('corrections').selectAll().where('project_id', '=', id).execute();
  expect(correction).toMatchObject({ party: 'water', items: ['排水接管证明'], requested_by: 'reviewer-water', supplemented_by: 'window-01' });
  const [push] = await db.selectFrom('utility_pushes').selectAll().where('project_id', '=', id).execute();
  expect(push).toMatchObject({ company: 'power', status: 'delivered', idempotency_key: `${id}/utility-push/power` });
});

test('recording is idempotent: run twice it records once, and an older snapshot never replaces a newer one', async () => {
  const id = await completeSmallProject();
  const final: ProjectState = await client.workflow.getHandle(workflowIdFor(id)).result();
  const activities = createActivities({
    sink: new FileNotificationSink(tempFile('n.jsonl')),
    db,
       utilityEndpoints: {},
    pushTimeoutMs: 1_000,
    sealKeys: testSeal().keys,
  });
  const count = async () =>
    Promise.all(
      (['projects', 'stage_attempts', 'sign_offs', 'corrections', 'utility_pushes'] as const).map(async (table) =>
        Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(table === 'projects' ? 'id' : 'project_id')} = ${id}`.execute(db)).rows[0]?.n),
      ),
    );
  const before = await count();
  await activities.recordProject({ state: final, at: Date.now() });
  await activities.recordProject({ state: final, at: Date.now() });
  expect(await count()).toEqual(before);

  // A stale retry (a snapshot missing the last action) changes nothing.
  const stale: ProjectState = { ...final, trail: final.trail.slice(0, -1) };
  await activities.recordProject({ state: stale, at: Date.now() });
  const row = await db.selectFrom('projects').select(['state']).where('id', '=', id).executeTakeFirstOrThrow();
  expect((row.state as unknown as ProjectState).trail).toHaveLength(final.trail.length);
});

test('every command is audited, accepted or refused, with who and the outcome, in the order answered; the log is append-only', async () => {
  const { body } = await call('POST', '/api/projects', 'dev-window', { ...registration, category: 'general' });
  const id = body.id as string;
  await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
  await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { party: 'water', decision: 'approve' });
  await call('POST', stage(id, 'permit', 'application'), 'dev-window', {});
  await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'correction', items: [] });
  await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'approve' });
  // Refused before any route: no token (counted, not audited: see audit.test.ts); not JSON.
  expect((await call('POST', `/api/projects/${id}/withdrawal`, undefined, { reason: 'x' })).status).toBe(401);
  await fetch(`http://127.0.0.1:${service.port}/api/projects/${id}/withdrawal`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-window', 'content-type': 'text/plain' },
    body: 'reason',
  });

  // Each entry is committed before its answer is sent: all are there at once, in the order of the answers.
  const audit = await call('GET', `/api/projects/${id}/audit`, 'dev-admin');
  expect(audit.body.entries.map((e: { principalId: string; outcome: string; status: number }) => `${e.principalId}:${e.outcome}:${e.status}`)).toEqual([
    'window-01:accepted:201',
    'window-01:accepted:200',
    'reviewer-planning:forbidden:403',
    'window-01:refused:409',
    'reviewer-planning:invalid:400',
    'reviewer-planning:accepted:200',
    'null:invalid:415',
  ]);
  expect(audit.body.entries[3]).toMatchObject({ method: 'POST', path: `/api/projects/${id}/stages/permit/application`, detail: expect.stringMatching(/project is at stage design/) });
  // Pages, in the same order, by cursor.
  const pages: string[] = [];
  for (let cursor: string | undefined, i = 0; i < 10; i++) {
    const page = await call('GET', `/api/projects/${id}/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`, 'dev-admin');
    pages.push(...page.body.entries.map((e: { seq: string }) => e.seq));
    cursor = page.body.nextCursor;
    if (!cursor) break;
  }
  expect(pages).toEqual(audit.body.entries.map((e: { seq: string }) => e.seq));
  expect((await call('GET', `/api/projects/${id}/audit?cursor=abc`, 'dev-admin')).body.issues[0].path).toBe('query.cursor');
  // The project's agent may read it too; nobody else.
  expect((await call('GET', `/api/projects/${id}/audit`, 'dev-agent')).status).toBe(200);
  expect((await call('GET', `/api/projects/${id}/audit`, 'dev-agent-2')).status).toBe(403);
  expect((await call('GET', `/api/projects/${id}/audit`, 'dev-planning')).status).toBe(403);
  // The service's role may not change or remove entries (the owner is refused by a trigger: audit-integrity.test.ts).
  await expect(sql`update audit_log set outcome = 'accepted' where project_id = ${id}`.execute(db)).rejects.toThrow(/permission denied/);
  await expect(sql`delete from audit_log where project_id = ${id}`.execute(db)).rejects.toThrow(/permission denied/);

  // The agent's own projects, from the record.
  const mine = await eventually(
    () => call('GET', '/api/projects?agent=me', 'dev-agent'),
    (a) => a.body.projects.some((p: { id: string }) => p.id === id),
  );
  expect(mine.body.projects.every((p: { agent: string }) => p.agent === 'agent-01')).toBe(true);
  expect((await call('GET', '/api/projects?agent=me', 'dev-admin')).body.issues[0].path).toBe('query.agent');
  // The list shows the open stage's clock too.
  expect(mine.body.projects.find((p: { id: string }) => p.id === id).clock).toMatchObject({ limitDays: 15, light: 'green' });
  // The open stage shows its working-day clock.
  const project = await call('GET', `/api/projects/${id}`, 'dev-agent');
  expect(project.body.stages[0].clock).toMatchObject({ limitDays: 15, usedDays: 0, light: 'green', pausedDays: 0 });
  const state = await client.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
  expect(state.status).toBe('active');
});

test('the calendar counts working days across the 2026 Spring Festival and National Day, and takes a year from an admin', async () => {
  const wd = (from: string, to: string) => call('GET', `/api/calendar/working-days?from=${from}&to=${to}`, 'dev-window');
  const deadline = (from: string, days: number) => call('GET', `/api/calendar/deadline?from=${from}&days=${days}`, 'dev-window');
  // Fri 13 Feb → Sat 14 Feb (adjusted working day) … 15–23 Feb off … Tue 24 Feb …, Sat 28 Feb worked.
  expect((await wd('2026-02-13', '2026-02-14')).body.workingDays).toBe(1);
  expect((await wd('2026-02-13', '2026-02-23')).body.workingDays).toBe(1);
  expect((await wd('2026-02-13', '2026-02-28')).body.workingDays).toBe(1 + 4 + 1);
  expect((await deadline('2026-02-13', 2)).body.deadline).toBe('2026-02-24');
  // Sun 20 Sep worked; 1–7 Oct off; Sat 10 Oct worked.
  expect((await wd('2026-09-18', '2026-09-20')).body.workingDays).toBe(1);
  expect((await wd('2026-09-30', '2026-10-09')).body.workingDays).toBe(2);
  expect((await deadline('2026-09-30', 3)).body.deadline).toBe('2026-10-10');
  expect((await call('GET', '/api/calendar/2026', 'dev-leader')).body).toMatchObject({ source: 'chinese-days', workdays: expect.arrayContaining(['2026-02-14', '2026-10-10']) });

  // 2030 has no shipped schedule; an admin loads one, and counts follow it.
  expect((await call('GET', '/api/calendar/2030', 'dev-leader')).status).toBe(404);
  const schedule = { holidays: ['2030-10-01', '2030-10-02', '2030-10-03', '2030-10-04', '2030-10-07'], workdays: ['2030-10-12'] };
  expect((await call('PUT', '/api/calendar/2030', 'dev-window', schedule)).status).toBe(403);
  expect((await call('PUT', '/api/calendar/2030', 'dev-admin', { ...schedule, holidays: ['2031-01-01'] })).body.issues[0].message).toMatch(/not a date in 2030/);
  expect((await call('PUT', '/api/calendar/2030', 'dev-admin', { ...schedule, workdays: ['2030-10-01'] })).body.issues[0].message).toMatch(/both a holiday and a working day/);
  expect((await call('PUT', '/api/calendar/2030', 'dev-admin', { ...schedule, holidays: ['10/01/2030'] })).body.issues[0].path).toBe('body.holidays.0');
  const loaded = await call('PUT', '/api/calendar/2030', 'dev-admin', schedule);
  expect(loaded.body).toMatchObject({ year: 2030, source: 'admin', loadedBy: 'admin-01' });
  // 1–4 and 7 Oct off, 5–6 a weekend: Tue 8 … Fri 11, then Sat 12 worked.
  expect((await wd('2030-09-30', '2030-10-12')).body.workingDays).toBe(5);
  expect((await call('GET', '/api/calendar/working-days?from=2030-01-01', 'dev-window')).body.issues[0].path).toBe('query.to');
  // A count that runs into a year nobody has loaded says so.
  expect((await wd('2031-12-30', '2032-01-02')).body).toMatchObject({ workingDays: 3, uncoveredYears: [2031, 2032], warning: expect.stringMatching(/PUT \/api\/calendar/) });
  expect((await wd('2026-02-13', '2026-02-14')).body.uncoveredYears).toBeUndefined();
});

test('statistics per stage and by locality come from the record', async () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const stats = await call('GET', `/api/stats?from=${day(-1)}&to=${day(1)}&locality=langxia`, 'dev-leader');
  expect(stats.status).toBe(200);
  // The two small projects completed above, each stage decided the same day: no working day used.
  expect(stats.body.stages).toEqual(
    ['design', 'permit', 'acceptance', 'connection'].map((stage) => ({ stage, decided: 2, averageWorkingDays: 0, medianWorkingDays: 0, exceeded: 0 })),
  );
  expect(stats.body.byLocality.map((l: { locality: string }) => l.locality)).toEqual(['langxia']);
  expect((await call('GET', `/api/stats?from=${day(1)}&to=${day(-1)}`, 'dev-leader')).body.issues[0].path).toBe('query.to');
  expect((await call('GET', '/api/stats?from=yesterday&to=today', 'dev-leader')).body.issues.map((i: { path: string }) => i.path)).toEqual(['query.from', 'query.to']);
});
