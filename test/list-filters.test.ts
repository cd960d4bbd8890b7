// The list's worklist filters (light, pending party, utility push), decided in SQL and so exact with
// pagination. The light over months of days: projects built with the domain's own transitions at chosen
// instants, recorded by the record writer, and listed at the db layer with the list's `now` — no fake
// clock anywhere. Pending and push: real projects through the API and a real worker (localities shihua
// and zhangyan, which no other list test uses).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { loadCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { listFacts } from '../db/list-filters';
import { listProjects, writeProjectRecord, type ProjectSummary } from '../db/record';
import { WorkingCalendar, startOfShanghaiDay } from '../domain/calendar';
import type { Party } from '../domain/codes';
import { DEFAULT_POLICY } from '../domain/policy';
import {
  applyApplication,
  applySignOff,
  applySupplement,
  applyWithdrawal,
  newProjectState,
  registrationInput,
  type ProjectState,
  type Registration,
} from '../domain/project';
import { listQuery, type ListQuery } from '../domain/schemas';
import type { UtilityPush } from '../domain/project';
import { snapshotVersion } from '../domain/record';
import { eventually } from './support/eventually';
import { reviewer, window } from './support/fixtures';
import { apiCaller } from './support/http';
import { ownRecord, type OwnRecord } from './support/record-db';
import { startService } from './support/service';
import { byUrgency } from '../web/src/urgency';
import { startUtilityCompanies } from './support/utility-companies';

// ---- the light, at the db layer ----

/** An instant on a Shanghai date, at a time of day (hours). */
const on = (date: string, hour = 10) => new Date(startOfShanghaiDay(date) + hour * 3_600_000).toISOString();

const registration: Registration = {
  name: '石化街道 商业楼',
  applicant: { name: '上海石化某某置业有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'general',
  major: false,
  locality: 'shihua',
  utilities: ['power'],
};

type Step = (state: ProjectState) => void;
const apply = (at: string): Step => (s) => void applyApplication(s, { stage: 'design', by: window }, at);
const correction = (party: Party, at: string): Step => (s) =>
  void applySignOff(s, { stage: 'design', party, decision: 'correction', items: ['日照分析报告'], by: reviewer(party) }, at);
const supplement = (at: string): Step => (s) => void applySupplement(s, { stage: 'design', by: window }, at);
const reject = (at: string): Step => (s) => void applySignOff(s, { stage: 'design', party: 'planning', decision: 'reject', comment: '不符合规划', by: reviewer('planning') }, at);
const approve = (party: Party, at: string): Step => (s) => void applySignOff(s, { stage: 'design', party, decision: 'approve', by: reviewer(party) }, at);

/** A project registered at `registeredAt` that went through `steps`, as the workflow would hold it. */
function project(registeredAt: string, steps: Step[], overrides: Partial<Registration> = {}): ProjectState {
  const input = registrationInput({ ...registration, ...overrides }, randomUUID(), window, registeredAt, DEFAULT_POLICY);
  const state = newProjectState(input.project, input.plan, { policy: input.policy, autoConnection: true });
  for (const step of steps) step(state);
  return state;
}

// Around National Day 2025 (1–8 October off, Sunday 28 September and Saturday 11 October worked), so the
// SQL count meets holidays, worked weekends and pauses across them. Design: 15 working days, major 10.
const scenarios: Record<string, ProjectState> = {
  plain: project(on('2025-09-01'), [apply(on('2025-09-22'))]),
  major: project(on('2025-09-02'), [apply(on('2025-09-26', 17))], { major: true }),
  // Planning approves on a worked Saturday after the supplement.
  resumed: project(on('2025-09-03'), [apply(on('2025-09-15')), correction('water', on('2025-09-19')), supplement(on('2025-10-10')), approve('planning', on('2025-10-11'))]),
  paused: project(on('2025-09-04'), [apply(on('2025-09-10')), correction('planning', on('2025-09-26'))]),
  // Two corrections overlapping (merged once), supplemented, then a third still open.
  overlapping: project(on('2025-09-05'), [
    apply(on('2025-09-12')),
    correction('water', on('2025-09-16')),
    correction('planning', on('2025-09-18')),
    supplement(on('2025-09-24')),
    correction('construction', on('2025-10-13')),
  ]),
  // Paused at once on the day of acceptance, for a weekend only.
  sameDay: project(on('2025-09-06'), [apply(on('2025-09-19', 9)), correction('water', on('2025-09-19', 15)), supplement(on('2025-09-22'))]),
  rejected: project(on('2025-09-07'), [apply(on('2025-09-01')), reject(on('2025-09-30'))]),
  waiting: project(on('2025-09-08'), []),
  withdrawn: project(on('2025-09-09'), [apply(on('2025-09-10')), (s) => void applyWithdrawal(s, { by: window, reason: '项目取消' }, on('2025-09-20'))]),
};
const names = new Map(Object.entries(scenarios).map(([name, s]) => [s.project.id, name]));

describe('the light filter agrees with the clock the list shows, on every day', () => {
  let record: OwnRecord;
  let db: Db;
  let calendar: WorkingCalendar;

  beforeAll(async () => {
    record = await ownRecord();
    db = record.service;
    calendar = await loadCalendar(db);
    for (const state of Object.values(scenarios)) await writeProjectRecord(db, state, calendar, Date.parse(state.trail[state.trail.length - 1]?.at ?? state.project.registeredAt) + 1);
  });
  afterAll(async () => record?.close());

  const list = (calendarUsed: WorkingCalendar, now: number, query: Partial<Omit<ListQuery, 'pending'>> & { pending?: Party } = {}) =>
    listProjects(db, { limit: 100, locality: 'shihua', ...query }, { all: true }, calendarUsed, now);
  const named = (projects: ProjectSummary[]) => projects.map((p) => names.get(p.id)).sort();

  /** For each day: the projects each light filter lists are exactly those whose shown clock has that light. */
  async function agreeEveryDay(calendarUsed: WorkingCalendar, from: string, days: number) {
    const seen = new Map<string, Set<string>>();
    for (let i = 0; i < days; i++) {
      const now = startOfShanghaiDay(from) + i * 86_400_000 + 12 * 3_600_000;
      const all = (await list(calendarUsed, now)).projects;
      for (const light of ['green', 'yellow', 'red'] as const) {
        const expected = all.filter((p) => p.clock?.light === light);
        const filtered = (await list(calendarUsed, now, { light })).projects;
        expect({ day: i, light, listed: named(filtered) }).toEqual({ day: i, light, listed: named(expected) });
        expect(filtered.every((p) => p.clock?.light === light)).toBe(true);
        for (const p of filtered) seen.set(names.get(p.id) as string, (seen.get(names.get(p.id) as string) ?? new Set()).add(light));
      }
    }
    return seen;
  }

  test('over three months around National Day, with the shipped calendar', async () => {
    const seen = await agreeEveryDay(calendar, '2025-08-30', 95);
    // Every light occurs, and clocks move from green through yellow to red; a paused clock stops.
    expect(seen.get('plain')).toEqual(new Set(['green', 'yellow', 'red']));
    expect(seen.get('major')).toEqual(new Set(['green', 'yellow', 'red']));
    expect(seen.get('resumed')).toEqual(new Set(['green', 'yellow', 'red']));
    expect(seen.get('paused')).toEqual(new Set(['green', 'yellow']));
    expect(seen.get('rejected')).toEqual(new Set(['red']));
    // No clock, no light.
    expect(seen.has('waiting')).toBe(false);
    expect(seen.has('withdrawn')).toBe(false);
  });

  test('with a calendar an admin changed: the filter counts with the calendar the list uses', async () => {
    // A week of extra holidays mid-October and a worked Saturday.
    const changed = new WorkingCalendar({
      ...calendar.data,
      2025: {
        holidays: [...(calendar.data[2025]?.holidays ?? []), '2025-10-13', '2025-10-14', '2025-10-15', '2025-10-16', '2025-10-17'],
        workdays: [...(calendar.data[2025]?.workdays ?? []), '2025-10-25'],
      },
    });
    const day = startOfShanghaiDay('2025-10-17') + 12 * 3_600_000;
    // Not the same answer as the shipped calendar's on that day (so the calendar really is used) …
    const [shipped, edited] = [await list(calendar, day, { light: 'yellow' }), await list(changed, day, { light: 'yellow' })];
    expect(named(shipped.projects)).not.toEqual(named(edited.projects));
    // … and exact on every day around the change.
    await agreeEveryDay(changed, '2025-10-06', 30);
  });

  test('pages of a light filter hold exactly the filtered projects', async () => {
    const now = startOfShanghaiDay('2025-10-20') + 12 * 3_600_000;
    const whole = named((await list(calendar, now, { light: 'red', limit: 100 })).projects);
    expect(whole.length).toBeGreaterThanOrEqual(3);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(calendar, now, { light: 'red', ...listQuery.pick({ limit: true, cursor: true }).parse({ limit: '2', ...(cursor && { cursor }) }) });
      expect(page.projects.length).toBeLessThanOrEqual(2);
      paged.push(...named(page.projects).map(String));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged.sort()).toEqual(whole);
  });

  test('order=urgency is the worklist order (red, yellow, green, no clock; accepted earliest; most days used) on every day, and its pages repeat and skip nothing', async () => {
    const urgent = (now: number, extra: Partial<Omit<ListQuery, 'pending'>> = {}) => list(calendar, now, { order: 'urgency', ...extra });
    const lights = new Set<string>();
    for (let i = 0; i < 95; i += 3) {
      const now = startOfShanghaiDay('2025-08-30') + i * 86_400_000 + 12 * 3_600_000;
      const ordered = (await urgent(now)).projects;
      // The console's own comparator (web/src/urgency.ts) finds each row no less urgent than the next.
      const pairs = ordered.slice(1).map((p, k) => ({ day: i, first: names.get((ordered[k] as ProjectSummary).id), then: names.get(p.id), order: Math.sign(byUrgency(ordered[k] as never, p as never)) }));
      expect(pairs.filter((pair) => pair.order > 0)).toEqual([]);
      for (const p of ordered) lights.add(p.clock?.light ?? 'none');
      // Two at a time, each page after the last one's key: the same rows in the same order.
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await urgent(now, listQuery.pick({ limit: true, cursor: true }).parse({ limit: '2', ...(cursor && { cursor }) }));
        paged.push(...page.projects.map((p) => p.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect({ day: i, paged: paged.map((id) => names.get(id)) }).toEqual({ day: i, paged: ordered.map((p) => names.get(p.id)) });
    }
    // The days seen put every light and no clock side by side.
    expect(lights).toEqual(new Set(['red', 'yellow', 'green', 'none']));
  });

  test('the pending filter follows who has not decided, a correction pause included', async () => {
    const now = Date.parse('2025-10-20T04:00:00Z');
    const pendingFor = async (pending: Party) => named((await list(calendar, now, { pending })).projects);
    // Planning approved `resumed`; the parties that asked for corrections (paused, overlapping) still owe a decision.
    expect(await pendingFor('planning')).toEqual(['major', 'overlapping', 'paused', 'plain', 'sameDay']);
    expect(await pendingFor('water')).toEqual(['major', 'overlapping', 'paused', 'plain', 'resumed', 'sameDay']);
    // Rejected, not yet applied for, withdrawn: nobody's worklist.
    expect(await pendingFor('civil-defense')).toEqual([]);
  });
});

test('migration 0003 fills in the filters’ facts of projects recorded before it', async () => {
  const old = await ownRecord({ upTo: '0002_audit_integrity' });
  try {
    const states = [scenarios.paused, scenarios.resumed, scenarios.rejected, scenarios.withdrawn] as ProjectState[];
    for (const state of states) {
      const p = state.project;
      await sql`insert into projects (id, name, applicant_name, applicant_uscc, category, locality, major, agent, status, overall_status,
          current_stage, listed_stage, registered_by, registered_at, version, state, updated_at)
        values (${p.id}, ${p.name}, ${p.applicant.name}, ${p.applicant.uscc}, ${p.category}, ${p.locality}, ${p.major}, null, ${state.status}, 'x',
          ${state.currentStage}, 'design', ${p.registeredBy.id}, ${p.registeredAt}, ${snapshotVersion(state)}, ${JSON.stringify(state)}::jsonb, now())`.execute(old.owner);
    }
    const { Migrator } = await import('kysely');
    const { migrationProvider } = await import('../db/migrations');
    const { error } = await new Migrator({ db: old.owner, provider: migrationProvider }).migrateToLatest();
    expect(error).toBeUndefined();
    for (const state of states) {
      const row = await old.service
        .selectFrom('projects')
        .select(['pending_parties', 'clock_accepted_on', 'clock_limit_days', 'clock_ends_on', 'clock_pauses', 'clock_paused_since'])
        .where('id', '=', state.project.id)
        .executeTakeFirstOrThrow();
      // open_since is migration 0012's (from the stage attempts, which these rows do not have).
      const facts = { ...listFacts(state), open_since: undefined };
      expect(row).toEqual({ ...facts, pending_parties: JSON.parse(facts.pending_parties), clock_pauses: facts.clock_pauses && JSON.parse(facts.clock_pauses) });
    }
    // Something was filled in: the paused project waits for its parties and has a running pause.
    const paused = await old.service.selectFrom('projects').select(['pending_parties', 'clock_paused_since']).where('id', '=', scenarios.paused!.project.id).executeTakeFirstOrThrow();
    expect(paused).toEqual({ pending_parties: ['planning', 'construction', 'water'], clock_paused_since: '2025-09-26' });
  } finally {
    await old.close();
  }
});

// ---- pending and push, over the API with a real worker ----

describe('over the API', () => {
  let service: Awaited<ReturnType<typeof startService>>;
  let companies: Awaited<ReturnType<typeof startUtilityCompanies>>;

  beforeAll(async () => {
    // Power refuses every push; with two attempts a failure settles within seconds.
    companies = await startUtilityCompanies({ power: { failFirst: 1_000 } });
    service = await startService('list-filters', { utilityEndpoints: () => companies.endpoints, policy: { ...DEFAULT_POLICY, pushAttempts: 2 } });
  });
  afterAll(async () => {
    await service?.stop();
    await companies?.stop();
  });

  const call = apiCaller(() => service.port);
  const locality = 'zhangyan';
  const stagePath = (id: string, s: string, what: string) => `/api/projects/${id}/stages/${s}/${what}`;
  async function register(overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await call('POST', '/api/projects', 'dev-window', {
      name: '张堰镇 厂房',
      applicant: { name: '上海张堰某某制造有限公司', uscc: '91310000MA1FL4B24G' },
      category: 'general',
      locality,
      utilities: ['power'],
      ...overrides,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  const ok = async (method: string, path: string, token: string, body: unknown) => expect((await call(method, path, token, body)).status).toBe(200);
  const ids = (res: { body: { projects: { id: string }[] } }) => res.body.projects.map((p) => p.id);
  /** The list once the record has caught up with the workflows (it follows within about a second). */
  const listed = (query: string, token: string, expected: string[]) =>
    eventually(
      () => call('GET', `/api/projects?locality=${locality}&${query}`, token),
      (res) => JSON.stringify(ids(res)) === JSON.stringify(expected),
    );

  test('pending: a party’s worklist, its own with pending=me, never wider than what the caller may read', async () => {
    const a = await register();
    await ok('POST', stagePath(a, 'design', 'application'), 'dev-window', {});
    // Planning approved; water asked for a correction and so still owes its decision (paused).
    const b = await register();
    await ok('POST', stagePath(b, 'design', 'application'), 'dev-window', {});
    await ok('POST', stagePath(b, 'design', 'sign-offs'), 'dev-planning', { decision: 'approve' });
    await ok('POST', stagePath(b, 'design', 'sign-offs'), 'dev-water', { decision: 'correction', items: ['排水接管证明'] });
    // Industrial: civil-defense is party to none of its stages.
    const c = await register({ category: 'industrial' });
    await ok('POST', stagePath(c, 'design', 'application'), 'dev-window', {});
    // Not applied for: nobody's worklist.
    const d = await register();
    // Asks for gas, and is followed by agent-01.
    const e = await register({ utilities: ['gas'], agent: 'agent-01' });
    await ok('POST', stagePath(e, 'design', 'application'), 'dev-window', {});

    // Newest first, as every list.
    expect(ids(await listed('pending=planning', 'dev-leader', [e, c, a]))).toEqual([e, c, a]);
    expect(ids(await listed('pending=water', 'dev-leader', [e, c, b, a]))).toEqual([e, c, b, a]);
    expect(ids(await listed('pending=construction&status=correction', 'dev-leader', [b]))).toEqual([b]);
    expect(ids(await call('GET', `/api/projects?locality=${locality}&pending=civil-defense`, 'dev-leader'))).toEqual([]);
    // A reviewer's own worklist.
    expect(ids(await call('GET', `/api/projects?locality=${locality}&pending=me`, 'dev-planning'))).toEqual([e, c, a]);
    // A utility company signs only at connection: none of these waits for gas yet.
    expect(ids(await call('GET', `/api/projects?locality=${locality}&pending=me`, 'dev-gas'))).toEqual([]);
    // Another party's worklist stays within the caller's scope: civil-defense does not read c, gas reads
    // only e, the agent only its own.
    expect(ids(await call('GET', `/api/projects?locality=${locality}`, 'dev-civil-defense'))).toEqual([e, d, b, a]);
    expect(ids(await call('GET', `/api/projects?locality=${locality}&pending=planning`, 'dev-civil-defense'))).toEqual([e, a]);
    expect(ids(await call('GET', `/api/projects?locality=${locality}&pending=planning`, 'dev-gas'))).toEqual([e]);
    expect(ids(await call('GET', `/api/projects?locality=${locality}&pending=planning`, 'dev-agent'))).toEqual([e]);

    // Pages of one: the same projects, one at a time.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/api/projects?locality=${locality}&pending=water&limit=1${cursor ? `&cursor=${cursor}` : ''}`, 'dev-leader');
      expect(page.body.projects.length).toBeLessThanOrEqual(1);
      paged.push(...ids(page));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual([e, c, b, a]);

    // Combined with the light: fresh clocks are green (the light over time is shown at the db layer above).
    const green = await call('GET', `/api/projects?locality=${locality}&pending=water&light=green`, 'dev-leader');
    expect(ids(green)).toEqual([e, c, b, a]);
    expect(green.body.projects.map((p: ProjectSummary) => p.clock?.light)).toEqual(['green', 'green', 'green', 'green']);
    expect(ids(await call('GET', `/api/projects?locality=${locality}&pending=water&light=red`, 'dev-leader'))).toEqual([]);
    // A project with no clock has no light.
    expect(ids(await call('GET', `/api/projects?locality=${locality}&light=green`, 'dev-leader'))).not.toContain(d);
  });

  test('order=urgency: 待办 and 我的项目 a page at a time, each cursor continuing its own order', async () => {
    const name = `张堰镇 急办 ${randomUUID().slice(0, 8)}`;
    // Applied for (a clock each, green today) and not (no clock: last), all followed by agent-01.
    const applied = [await register({ name, agent: 'agent-01' }), await register({ name, agent: 'agent-01' }), await register({ name, agent: 'agent-01' })];
    for (const id of applied) await ok('POST', stagePath(id, 'design', 'application'), 'dev-window', {});
    const waiting = [await register({ name, agent: 'agent-01' }), await register({ name, agent: 'agent-01' })];
    const search = `name=${encodeURIComponent(name)}&order=urgency`;
    // Same light, same day, no day used yet: by id.
    const expected = [...applied.sort(), ...waiting.sort()];
    const mine = await listed(`${search}&agent=me`, 'dev-agent', expected);
    expect(mine.body.projects.map((p: ProjectSummary) => p.clock?.light ?? 'none')).toEqual(['green', 'green', 'green', 'none', 'none']);

    async function paged(query: string, token: string, limit: number): Promise<string[]> {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await call('GET', `/api/projects?locality=${locality}&${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
        expect(page.status).toBe(200);
        expect(page.body.projects.length).toBeLessThanOrEqual(limit);
        seen.push(...ids(page));
        cursor = page.body.nextCursor;
      } while (cursor);
      return seen;
    }
    expect(await paged(`${search}&agent=me`, 'dev-agent', 2)).toEqual(expected);
    // Planning's 待办: the applied ones only.
    expect(ids(await listed(`${search}&pending=me`, 'dev-planning', applied))).toEqual(applied);
    expect(await paged(`${search}&pending=me`, 'dev-planning', 1)).toEqual(applied);

    // A cursor of one order is refused by the other, naming it.
    const byUrgency = (await call('GET', `/api/projects?locality=${locality}&${search}&agent=me&limit=1`, 'dev-agent')).body.nextCursor as string;
    const byRegistration = (await call('GET', `/api/projects?locality=${locality}&name=${encodeURIComponent(name)}&limit=1`, 'dev-leader')).body.nextCursor as string;
    for (const [query, token] of [
      [`name=${encodeURIComponent(name)}&cursor=${byUrgency}`, 'dev-leader'],
      [`name=${encodeURIComponent(name)}&order=oldest&cursor=${byUrgency}`, 'dev-leader'],
      [`${search}&agent=me&cursor=${byRegistration}`, 'dev-agent'],
    ] as const) {
      const res = await call('GET', `/api/projects?${query}`, token);
      expect({ query, status: res.status, paths: res.body.issues?.map((i: { path: string }) => i.path) }).toEqual({ query, status: 400, paths: ['query.cursor'] });
    }
    // A forged urgency key is not a cursor this service gave out.
    const forged = Buffer.from(JSON.stringify(['u', 7, 1, 0, applied[0]])).toString('base64url');
    const res = await call('GET', `/api/projects?${search}&agent=me&cursor=${forged}`, 'dev-agent');
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['query.cursor']);
  });

  test('bad filter values are 400s naming the field; pending=me is for a department or company', async () => {
    const issue = async (query: string, token = 'dev-leader') => {
      const res = await call('GET', `/api/projects?${query}`, token);
      expect(res.status).toBe(400);
      return res.body.issues.map((i: { path: string }) => i.path);
    };
    expect(await issue('pending=atlantis')).toEqual(['query.pending']);
    expect(await issue('pending=me')).toEqual(['query.pending']);
    expect(await issue('pending=me', 'dev-agent')).toEqual(['query.pending']);
    expect(await issue('light=blue')).toEqual(['query.light']);
    expect(await issue('push=lost')).toEqual(['query.push']);
    expect(await issue('order=reddest')).toEqual(['query.order']);
  });

  test('push: projects with a utility push failed, delivered or pending', async () => {
    // Industrial projects: design and permit by planning, construction and water; permit approval pushes.
    async function permitted(utilities: string[]): Promise<string> {
      const id = await register({ category: 'industrial', utilities });
      for (const s of ['design', 'permit']) {
        await ok('POST', stagePath(id, s, 'application'), 'dev-window', {});
        for (const party of ['planning', 'construction', 'water']) await ok('POST', stagePath(id, s, 'sign-offs'), `dev-${party}`, { decision: 'approve' });
      }
      return id;
    }
    const both = await permitted(['power', 'gas']);
    const gasOnly = await permitted(['gas']);
    const status = (id: string) => call('GET', `/api/projects/${id}`, 'dev-leader').then((r) => Object.fromEntries(r.body.pushes.map((p: UtilityPush) => [p.company, p.status])));
    expect(await eventually(() => status(both), (s) => s.power === 'failed' && s.gas === 'delivered', 300)).toEqual({ power: 'failed', gas: 'delivered' });

    expect(ids(await listed('push=failed', 'dev-leader', [both]))).toEqual([both]);
    expect(ids(await listed('push=delivered', 'dev-leader', [gasOnly, both]))).toEqual([gasOnly, both]);
    expect(ids(await call('GET', `/api/projects?locality=${locality}&push=pending`, 'dev-leader'))).toEqual([]);
    // Scoped like every list: gas reads both, power only its own project.
    expect(ids(await call('GET', `/api/projects?locality=${locality}&push=failed`, 'dev-power'))).toEqual([both]);
    expect(ids(await call('GET', `/api/projects?locality=${locality}&push=delivered`, 'dev-power'))).toEqual([both]);
    expect(ids(await call('GET', `/api/projects?locality=${locality}&push=failed`, 'dev-water-supply'))).toEqual([]);
  });
});
