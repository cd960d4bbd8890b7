// GET /api/escalations: the escalated sign-offs of every project, for the leader's dashboard. On the
// time-skipping server with the real API and the suite's record database: a major project's water
// sign-off climbs the ladder while nobody signs; the list shows it once, at its highest rung, with who
// holds it, who was told and who took charge, pages through with the cursor, and drops it from the
// pending view once water signs (the full view keeps it).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../api/app';
import { escalationEntrySchema, escalationPageSchema } from '../api/escalations';
import { listen } from '../api/listen';
import { startProject } from '../api/project-client';
import { loadPrincipals } from '../config/principals';
import { loadCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { shanghaiDate, startOfShanghaiDay } from '../domain/calendar';
import { DEFAULT_POLICY } from '../domain/policy';
import type { ProjectState } from '../domain/project';
import { stateQuery } from '../workflows/messages';
import { projectInput } from './support/fixtures';
import { apiCaller } from './support/http';
import { eventually } from './support/eventually';
import { bundle, createTimeSkippingEnv, startWorker, testDb, uniqueTaskQueue } from './support/temporal';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;
let worker: Awaited<ReturnType<typeof startWorker>>;
let api: Awaited<ReturnType<typeof listen>>;
let db: Db;
let taskQueue: string;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle()]);
  taskQueue = uniqueTaskQueue('escalations');
  db = testDb();
  worker = await startWorker(env.nativeConnection, workflowBundle, taskQueue, { client: env.client });
  const principals = loadPrincipals({ NODE_ENV: 'test', PRINCIPALS_FILE: undefined });
  api = await listen(createApp({ client: env.client, taskQueue, principals, policy: DEFAULT_POLICY, db, logger: pino({ level: 'silent' }) }), 0, '127.0.0.1');
});

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await db?.destroy();
  await env?.teardown();
});

const call = apiCaller(() => api.port);
const HOUR = 60 * 60 * 1000;

interface Entry {
  projectId: string;
  projectName: string;
  locality: string;
  stage: string;
  attempt: number;
  party: string;
  tier: string;
  since: string;
  escalatedAt: string;
  pendingDaysAtEscalation: number;
  pending: boolean;
  pendingDays: number | null;
  notified: string[];
  acknowledgements: { by: { id: string; name?: string }; at: string }[];
}
type Page = { escalations: Entry[]; nextCursor?: string };

/** Every entry the query lists, one small page at a time (other test files escalate in the same record). */
async function everyPage(query: string, token = 'dev-leader'): Promise<Entry[]> {
  const all: Entry[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 200; i++) {
    const page = await call<Page>('GET', `/api/escalations?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, token);
    expect(page.status).toBe(200);
    expect(page.body.escalations.length).toBeLessThanOrEqual(2);
    // The answer is what the OpenAPI document says (the console's types are generated from it), no more.
    expect(escalationPageSchema.safeParse(page.body).error).toBeUndefined();
    for (const entry of page.body.escalations) expect(Object.keys(entry).filter((key) => !(key in escalationEntrySchema.shape))).toEqual([]);
    all.push(...page.body.escalations);
    cursor = page.body.nextCursor;
    if (!cursor) return all;
  }
  throw new Error('more pages than a test makes');
}

test('an escalated sign-off is listed once at its highest rung, with who holds it, who was told and took charge; signed, it leaves the pending view', async () => {
  const name = `朱泾镇 物流中心 ${Date.now().toString(36)}`;
  const input = projectInput({ name, locality: 'zhujing', major: true, agent: 'agent-01', utilities: ['power'] }, DEFAULT_POLICY, new Date(await env.currentTimeMs()));
  const h = await startProject(env.client, taskQueue, input);
  const { id } = input.project;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve' })).status).toBe(200);
  // Construction and water do not sign: a major project's rungs come after 2 and 4 working days pending.
  const calendar = await loadCalendar(db);
  const state = (await h.query(stateQuery)) as ProjectState;
  const acceptedOn = shanghaiDate(state.stages[0]!.attempts[0]!.submittedAt);
  const due = (n: number) => startOfShanghaiDay(calendar.deadline(acceptedOn, n + 1));
  await env.sleep(Math.max(due(2) + HOUR - (await env.currentTimeMs()), 1));
  // The liaison rung, for both parties still pending; the deputy takes charge of water's later.
  const liaison = await eventually(
    async () => (await everyPage('locality=zhujing')).filter((e) => e.projectId === id),
    (mine) => mine.length === 2 && mine.every((e) => e.notified.length > 0),
    200,
  );
  expect(liaison.map((e) => e.party).sort()).toEqual(['construction', 'water']);
  expect(liaison[0]).toMatchObject({ projectName: name, locality: 'zhujing', stage: 'design', attempt: 1, tier: 'liaison', pending: true, pendingDaysAtEscalation: 3, acknowledgements: [] });

  await env.sleep(Math.max(due(4) + HOUR - (await env.currentTimeMs()), 1));
  const deputy = await eventually(
    async () => (await everyPage('locality=zhujing&party=water')).filter((e) => e.projectId === id),
    (mine) => mine[0]?.tier === 'deputy' && mine[0].notified.length > 0,
    200,
  );
  // Once per sign-off: the deputy rung replaces the liaison's, which stays its start.
  expect(deputy).toHaveLength(1);
  const water = deputy[0]!;
  expect(water).toMatchObject({ party: 'water', tier: 'deputy', pending: true, pendingDaysAtEscalation: 5 });
  // Pending now: the stage's clock as the project page shows it (the API counts to its own wall clock,
  // which the time-skipping server does not move).
  const project = await call<{ stages: { stage: string; clock: { usedDays: number } | null }[] }>('GET', `/api/projects/${id}`, 'dev-leader');
  expect(water.pendingDays).toBe(project.body.stages.find((s) => s.stage === 'design')?.clock?.usedDays);
  expect(Date.parse(water.since)).toBeLessThan(Date.parse(water.escalatedAt));
  expect(water.notified.some((n) => n.includes('water.deputy@jinshan.example'))).toBe(true);
  // Highest tier first: a deputy rung is not listed after a liaison rung.
  const ranks = (await everyPage('locality=zhujing')).map((e) => ['main', 'deputy', 'liaison'].indexOf(e.tier));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  // The tier filter: both parties still pending have climbed to the deputy rung, none rests at the liaison's.
  expect((await everyPage('locality=zhujing&tier=deputy')).filter((e) => e.projectId === id).map((e) => e.party).sort()).toEqual(['construction', 'water']);
  expect((await everyPage('locality=zhujing&tier=liaison')).filter((e) => e.projectId === id)).toEqual([]);

  // The deputy takes charge from the inbox: listed with the escalation.
  const inbox = await call<{ notices: { id: string }[] }>('GET', `/api/inbox?project=${id}&kind=escalation`, 'dev-water-deputy');
  expect((await call('POST', `/api/inbox/${inbox.body.notices[0]!.id}/acknowledge`, 'dev-water-deputy', {})).status).toBe(200);
  const taken = await eventually(
    async () => (await everyPage('locality=zhujing&party=water')).find((e) => e.projectId === id),
    (e) => (e?.acknowledgements.length ?? 0) > 0,
    200,
  );
  expect(taken?.acknowledgements).toEqual([{ by: expect.objectContaining({ id: 'water-deputy-01', name: '区水务局 分管领导 陈刚' }), at: expect.any(String) }]);

  // Water signs: no longer pending; the full view keeps it, with no days pending now.
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-water', { decision: 'approve' })).status).toBe(200);
  await eventually(
    async () => (await everyPage('locality=zhujing&party=water')).filter((e) => e.projectId === id),
    (mine) => mine.length === 0,
    200,
  );
  const all = (await everyPage('locality=zhujing&pending=false')).filter((e) => e.projectId === id);
  expect(all.map((e) => `${e.party}:${e.tier}:${e.pending}`).sort()).toEqual(['construction:deputy:true', 'water:deputy:false']);
  expect(all.find((e) => e.party === 'water')?.pendingDays).toBeNull();
}, 180_000);

test('only leaders and admins read it; a wrong filter or cursor is a 400 naming the field', async () => {
  for (const token of ['dev-window', 'dev-agent', 'dev-planning', 'dev-power']) {
    const refused = await call('GET', '/api/escalations', token);
    expect(refused.status).toBe(403);
  }
  expect((await call('GET', '/api/escalations')).status).toBe(401);
  expect((await call('GET', '/api/escalations?limit=1', 'dev-admin')).status).toBe(200);
  for (const [query, field] of [
    ['tier=boss', 'query.tier'],
    ['locality=paris', 'query.locality'],
    ['limit=0', 'query.limit'],
    ['pending=maybe', 'query.pending'],
    ['cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
    ['sort=name', 'query'],
  ] as const) {
    const bad = await call<{ issues: { path: string }[] }>('GET', `/api/escalations?${query}`, 'dev-leader');
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.path)).toContain(field);
  }
});
