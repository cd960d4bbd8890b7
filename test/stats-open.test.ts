// Statistics that do not hide open cases: projects built with the domain's own transitions at chosen
// instants around National Day 2025, written by the record writer into a database of the test's own, and
// counted at a chosen `now` — open attempts (one 30-odd working days over its limit), the oldest, and per
// party the working days its sign-offs took. The decided figures computed in SQL are checked against the
// former in-process computation over the same rows. The endpoint itself over HTTP on the suite's servers.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { loadCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { countSignOffDays } from '../db/migrations';
import { writeProjectRecord } from '../db/record';
import { pauseSpans, shanghaiDate, startOfShanghaiDay, type WorkingCalendar } from '../domain/calendar';
import type { Party } from '../domain/codes';
import { DEFAULT_POLICY } from '../domain/policy';
import {
  applyApplication,
  applySignOff,
  applySupplement,
  applyWithdrawal,
  attemptClock,
  newProjectState,
  pendingParties,
  registrationInput,
  stageRecord,
  type ProjectState,
  type Registration,
} from '../domain/project';
import { stageStatistics, statsResponse, statsWindow, summarizeBuckets, type PartyStats } from '../api/stats';
import { startApp } from './support/app';
import { reviewer, window } from './support/fixtures';
import { ownRecord, type OwnRecord } from './support/record-db';

const on = (date: string, hour = 10) => new Date(startOfShanghaiDay(date) + hour * 3_600_000).toISOString();

const registration: Registration = {
  name: '金山卫镇 厂房',
  applicant: { name: '上海金山卫某某实业有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'general',
  major: false,
  locality: 'jinshanwei',
  utilities: ['power'],
};

type Step = (state: ProjectState) => void;
const apply = (at: string): Step => (s) => void applyApplication(s, { stage: 'design', by: window }, at);
const correction = (party: Party, at: string): Step => (s) =>
  void applySignOff(s, { stage: 'design', party, decision: 'correction', items: ['日照分析报告'], by: reviewer(party) }, at);
const supplement = (at: string): Step => (s) => void applySupplement(s, { stage: 'design', by: window }, at);
const approve = (party: Party, at: string): Step => (s) => void applySignOff(s, { stage: 'design', party, decision: 'approve', by: reviewer(party) }, at);
const reject = (at: string): Step => (s) => void applySignOff(s, { stage: 'design', party: 'planning', decision: 'reject', comment: '不符合规划', by: reviewer('planning') }, at);

function project(registeredAt: string, steps: Step[], overrides: Partial<Registration> = {}): ProjectState {
  const input = registrationInput({ ...registration, ...overrides }, randomUUID(), window, registeredAt, DEFAULT_POLICY);
  const state = newProjectState(input.project, input.plan, { policy: input.policy, autoConnection: true });
  for (const step of steps) step(state);
  return state;
}

// Design: 15 working days. National Day 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
const scenarios: Record<string, ProjectState> = {
  // Accepted 1 September and never decided: far past its limit by 20 October.
  overdue: project(on('2025-08-20'), [apply(on('2025-09-01'))]),
  // Accepted later, in the other locality, within its limit.
  fresh: project(on('2025-08-21'), [apply(on('2025-10-09')), approve('planning', on('2025-10-13'))], { locality: 'zhujing' }),
  // Paused since 26 September (a correction not yet supplemented): its clock stopped at 12 days.
  paused: project(on('2025-08-22'), [apply(on('2025-09-10')), correction('planning', on('2025-09-26'))]),
  // Decided: water asked for a correction, supplemented, then everyone approved.
  approved: project(on('2025-08-23'), [
    apply(on('2025-09-01')),
    approve('planning', on('2025-09-03')),
    correction('water', on('2025-09-04')),
    approve('construction', on('2025-09-05')),
    supplement(on('2025-09-09')),
    approve('water', on('2025-09-12')),
  ]),
  // Decided: two overlapping corrections, one supplement, then approvals across the holiday.
  approvedLate: project(
    on('2025-08-24'),
    [
      apply(on('2025-09-15')),
      correction('water', on('2025-09-16')),
      correction('construction', on('2025-09-18')),
      supplement(on('2025-09-24')),
      approve('planning', on('2025-09-25')),
      approve('construction', on('2025-10-10')),
      approve('water', on('2025-10-13')),
    ],
    { locality: 'zhujing' },
  ),
  // Rejected by planning after 21 working days: exceeded.
  rejected: project(on('2025-08-25'), [apply(on('2025-09-01')), reject(on('2025-09-30'))]),
};

const NOW = startOfShanghaiDay('2025-10-20') + 12 * 3_600_000;

describe('open attempts, per party, and the decided figures, at the db layer', () => {
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

  const stats = (q: Parameters<typeof stageStatistics>[1] = {}, now = NOW) => stageStatistics(db, q, calendar, now);
  const clockNow = (name: string) => attemptClock(scenarios[name] as ProjectState, stageRecord(scenarios[name] as ProjectState, 'design'), calendar, NOW);

  test('an open stage past its limit is counted open and over the limit, with the oldest and its clock', async () => {
    const s = await stats({ from: '2025-01-01', to: '2025-12-31' });
    expect(s.asOf).toBe(new Date(NOW).toISOString());
    // The clocks the project views show, on that day.
    expect(clockNow('overdue')).toMatchObject({ usedDays: 31, light: 'red' });
    expect(clockNow('paused')).toMatchObject({ usedDays: 12, light: 'yellow' });
    expect(clockNow('fresh')).toMatchObject({ usedDays: 8, light: 'green' });
    const design = s.open.stages.find((x) => x.stage === 'design');
    expect(design).toEqual({
      stage: 'design',
      open: 3,
      overLimit: 1,
      oldest: { project: scenarios.overdue?.project.id, name: registration.name, locality: 'jinshanwei', acceptedOn: '2025-09-01', workingDaysUsed: 31, limitDays: 15 },
    });
    expect(s.open).toMatchObject({ open: 3, overLimit: 1 });
    expect(s.open.stages.filter((x) => x.stage !== 'design')).toEqual(['permit', 'acceptance', 'connection'].map((stage) => ({ stage, open: 0, overLimit: 0, oldest: null })));
    expect(s.open.byLocality.map((l) => [l.locality, l.open, l.overLimit])).toEqual([
      ['jinshanwei', 2, 1],
      ['zhujing', 1, 0],
    ]);
    expect(s.open.byLocality[1]?.stages[0]?.oldest).toMatchObject({ project: scenarios.fresh?.project.id, workingDaysUsed: 8 });

    // Counted at an earlier day, the same clocks were within their limits: open, none over.
    const earlier = await stats({}, startOfShanghaiDay('2025-09-15') + 12 * 3_600_000);
    expect(earlier.open.stages[0]).toMatchObject({ open: 3, overLimit: 0, oldest: { project: scenarios.overdue?.project.id, workingDaysUsed: 10 } });
    // Filters apply to the open attempts too.
    expect((await stats({ locality: 'zhujing' })).open).toMatchObject({ open: 1, overLimit: 0 });
    expect((await stats({ category: 'small' })).open).toMatchObject({ open: 0, overLimit: 0, stages: expect.arrayContaining([{ stage: 'design', open: 0, overLimit: 0, oldest: null }]) });
  });

  test('per party: the median working days of its decided sign-offs (pauses excluded) and what waits for it', async () => {
    const s = await stats({ from: '2025-09-01', to: '2025-10-31' });
    const party = (p: string) => s.byParty.find((x) => x.party === p) as PartyStats;
    // By hand: approved — planning 2 (2–3 Sep), construction 4 (2–5 Sep) less 1 (5 Sep: water's correction
    // running) = 3, water 9 less the 3 working days
    // paused (5, 8, 9 Sep) = 6; approvedLate (accepted 15 Sep, paused 17–24 Sep = 6 working days) —
    // planning 8 - 6 = 2, construction 14 (16 Sep–10 Oct, the 28 Sep Sunday worked) - 6 = 8, water 16 - 6 = 10;
    // rejected — planning 22 (the Sunday worked); fresh — planning 3 (10, 11, 13 Oct; the Saturday worked).
    expect(party('planning')).toEqual({ party: 'planning', signedOff: 4, medianWorkingDays: 2.5, averageWorkingDays: 7.3, pending: 2 });
    expect(party('construction')).toEqual({ party: 'construction', signedOff: 2, medianWorkingDays: 5.5, averageWorkingDays: 5.5, pending: 3 });
    expect(party('water')).toEqual({ party: 'water', signedOff: 2, medianWorkingDays: 8, averageWorkingDays: 8, pending: 3 });
    // Slowest first; a party with no sign-off last, with what waits for it.
    expect(s.byParty.slice(0, 3).map((x) => x.party)).toEqual(['water', 'construction', 'planning']);
    expect(party('civil-defense')).toEqual({ party: 'civil-defense', signedOff: 0, medianWorkingDays: null, averageWorkingDays: null, pending: 0 });

    // The same figures the domain's clock arithmetic gives, sign-off by sign-off.
    const expected = new Map<string, number[]>();
    for (const state of Object.values(scenarios)) {
      for (const attempt of stageRecord(state, 'design').attempts) {
        for (const signOff of attempt.signOffs) {
          const pauses = attempt.corrections.filter((c) => c.requestedAt < signOff.at).map((c) => ({ from: c.requestedAt, ...(c.supplementedAt && { to: c.supplementedAt }) }));
          const paused = pauseSpans(pauses, Date.parse(signOff.at)).reduce((n, [from, to]) => n + calendar.workingDaysBetween(shanghaiDate(from), shanghaiDate(Math.min(to, Date.parse(signOff.at)))), 0);
          const days = Math.max(0, calendar.workingDaysBetween(shanghaiDate(attempt.submittedAt), shanghaiDate(signOff.at)) - paused);
          expected.set(signOff.party, [...(expected.get(signOff.party) ?? []), days]);
        }
      }
    }
    for (const [p, days] of expected) {
      const sorted = [...days].sort((a, b) => a - b);
      const mid = sorted.length / 2;
      const median = sorted.length % 2 ? sorted[Math.floor(mid)] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
      expect({ p, median: party(p).medianWorkingDays }).toEqual({ p, median });
    }
    // Pending: exactly the domain's pending parties of the active projects.
    const waiting = Object.values(scenarios).flatMap((st) => (st.status === 'active' && st.currentStage ? pendingParties(stageRecord(st, st.currentStage)) : []));
    for (const p of ['planning', 'construction', 'water']) expect(party(p).pending).toBe(waiting.filter((x) => x === p).length);
  });

  test('sign-offs recorded before their working days were kept are counted by the migration as the writer counts them', async () => {
    const days = () => record.owner.selectFrom('sign_offs').select(['project_id', 'stage', 'attempt', 'party', 'working_days']).orderBy(['project_id', 'party']).execute();
    const written = await days();
    expect(written.length).toBeGreaterThanOrEqual(8);
    expect(written.every((r) => typeof r.working_days === 'number')).toBe(true);
    const before = await stats({ from: '2025-09-01', to: '2025-10-31' });
    await record.owner.updateTable('sign_offs').set({ working_days: null }).execute();
    // Uncounted rows are left out of the figures, never counted as zero days.
    expect((await stats({ from: '2025-09-01', to: '2025-10-31' })).byParty.every((p) => p.signedOff === 0)).toBe(true);
    await countSignOffDays(record.owner);
    expect(await days()).toEqual(written);
    expect((await stats({ from: '2025-09-01', to: '2025-10-31' })).byParty).toEqual(before.byParty);
  });

  test('the decided figures are those the former in-process computation gives over the same rows', async () => {
    const window = { from: '2025-09-01', to: '2025-10-31' };
    const s = await stats(window);
    const rows = await db
      .selectFrom('stage_attempts as a')
      .innerJoin('projects as p', 'p.id', 'a.project_id')
      .select(['a.stage', 'a.working_days_used as used', 'a.limit_days as limit', 'p.locality'])
      .where('a.outcome', 'in', ['approved', 'rejected'])
      .execute();
    const summarise = (stage: string, subset: typeof rows) => {
      const used = subset.filter((r) => r.stage === stage).map((r) => r.used).sort((a, b) => a - b);
      const mid = used.length / 2;
      return {
        stage,
        decided: used.length,
        averageWorkingDays: used.length ? Math.round((used.reduce((a, b) => a + b, 0) / used.length) * 10) / 10 : null,
        medianWorkingDays: used.length ? (used.length % 2 ? used[Math.floor(mid)] : ((used[mid - 1] as number) + (used[mid] as number)) / 2) : null,
        exceeded: subset.filter((r) => r.stage === stage && r.limit !== null && r.used > r.limit).length,
      };
    };
    const stages = ['design', 'permit', 'acceptance', 'connection'];
    expect(s.decided).toBe(3);
    expect(s.stages).toEqual(stages.map((stage) => summarise(stage, rows)));
    // 6, 10 and 22 working days (22 over the limit of 15).
    expect(s.stages[0]).toEqual({ stage: 'design', decided: 3, averageWorkingDays: 12.7, medianWorkingDays: 10, exceeded: 1 });
    expect(s.byLocality).toEqual(['jinshanwei', 'zhujing'].map((locality) => ({ locality, stages: stages.map((stage) => summarise(stage, rows.filter((r) => r.locality === locality))) })));
    // Outside the window: nothing decided, the open attempts still shown.
    const none = await stats({ from: '2025-11-01', to: '2025-11-30' });
    expect(none).toMatchObject({ decided: 0, byLocality: [], open: { open: 3 } });
    expect(none.byParty.every((p) => p.signedOff === 0 && p.medianWorkingDays === null)).toBe(true);
  });
  test('the counts kept beside the record agree with a recount of the projects after every kind of change, and only the owner writes them', async () => {
    // What the statistics read before the counts were kept: the open attempts of the stage each active
    // project is at, and the parties each active project's open attempt waits for.
    const recount = async () =>
      (
        await sql<{ kind: string; key: string; locality: string; category: string; n: number }>`
          select 'stage' as kind, a.stage as key, p.locality, p.category, count(*)::int as n
          from projects as p join stage_attempts as a on a.project_id = p.id and a.stage = p.current_stage and a.outcome = 'open'
          where p.status = 'active' group by a.stage, p.locality, p.category
          union all
          select 'party', w.party, p.locality, p.category, count(*)::int
          from projects as p cross join lateral jsonb_array_elements_text(p.pending_parties) as w(party)
          where p.status = 'active' group by w.party, p.locality, p.category
          order by 1, 2, 3, 4`.execute(db)
      ).rows;
    const kept = async () =>
      (await sql<{ kind: string; key: string; locality: string; category: string; n: number }>`
        select kind, key, locality, category, n::int from project_tallies where n <> 0 order by 1, 2, 3, 4`.execute(db)).rows;
    expect(await kept()).toEqual(await recount());
    expect((await kept()).filter((t) => t.kind === 'stage')).toEqual([
      { kind: 'stage', key: 'design', locality: 'jinshanwei', category: 'general', n: 2 },
      { kind: 'stage', key: 'design', locality: 'zhujing', category: 'general', n: 1 },
    ]);

    // A project of its own category taken through its life, written after each step as the worker writes it.
    const state = project(on('2025-10-09'), [], { category: 'small', locality: 'zhujing' });
    const steps: [string, Step][] = [
      ['applied', apply(on('2025-10-10'))],
      ['paused', correction('water', on('2025-10-13'))],
      ['supplemented', supplement(on('2025-10-14'))],
      ['one approved', approve('planning', on('2025-10-15'))],
      ['all approved', (st) => ['construction', 'water'].forEach((party) => approve(party as Party, on('2025-10-16'))(st))],
      ['withdrawn', (st) => void applyWithdrawal(st, { by: window, reason: '建设单位撤回' }, on('2025-10-17'))],
    ];
    const smallStages = async () => (await kept()).filter((t) => t.category === 'small');
    await writeProjectRecord(db, state, calendar, NOW);
    expect(await smallStages()).toEqual([]);
    const seen: Record<string, unknown> = {};
    for (const [label, step] of steps) {
      const before = structuredClone(state);
      step(state);
      await writeProjectRecord(db, state, calendar, NOW);
      seen[label] = await smallStages();
      expect({ label, kept: await kept() }).toEqual({ label, kept: await recount() });
      // The same snapshot again, and an older one arriving late, change no count.
      await writeProjectRecord(db, state, calendar, NOW);
      await writeProjectRecord(db, before, calendar, NOW).catch(() => undefined);
      expect({ label, kept: await smallStages() }).toEqual({ label, kept: seen[label] });
    }
    const small = (key: string, n: number, kind = 'party') => ({ kind, key, locality: 'zhujing', category: 'small', n });
    expect(seen).toEqual({
      applied: [small('construction', 1), small('planning', 1), small('water', 1), small('design', 1, 'stage')],
      paused: [small('construction', 1), small('planning', 1), small('water', 1), small('design', 1, 'stage')],
      supplemented: [small('construction', 1), small('planning', 1), small('water', 1), small('design', 1, 'stage')],
      'one approved': [small('construction', 1), small('water', 1), small('design', 1, 'stage')],
      // Design approved: the project moved on to a stage not yet applied for.
      'all approved': [],
      withdrawn: [],
    });
    // Kept in step with an open project removed by the owner too (its rows in the tables that refer to it first).
    const removed = project(on('2025-10-09'), [apply(on('2025-10-10'))], { category: 'small', locality: 'zhujing' });
    await writeProjectRecord(db, removed, calendar, NOW);
    expect(await smallStages()).toHaveLength(4);
    const referring = await sql<{ table: string }>`select conrelid::regclass::text as table from pg_constraint
      where contype = 'f' and confrelid = 'projects'::regclass`.execute(record.owner);
    for (const { table } of referring.rows) await sql`delete from ${sql.table(table)} where project_id = ${removed.project.id}`.execute(record.owner);
    await record.owner.deleteFrom('projects').where('id', '=', removed.project.id).execute();
    expect(await smallStages()).toEqual([]);
    expect(await kept()).toEqual(await recount());
    // The service may read the counts, never write them.
    await expect(sql`update project_tallies set n = n + 1`.execute(db)).rejects.toThrow(/permission denied/);
    await expect(sql`insert into project_tallies values ('stage', 'design', 'zhujing', 'small', 1)`.execute(db)).rejects.toThrow(/permission denied/);
  });
});

test('migration 0012 fills in when each open attempt opened and the counts, for projects recorded before it', async () => {
  const latest = await ownRecord();
  const old = await ownRecord({ upTo: '0011_open_attempts_by_acceptance' });
  try {
    const calendar = await loadCalendar(latest.service);
    for (const state of Object.values(scenarios)) await writeProjectRecord(latest.service, state, calendar, NOW);
    // The same rows as a service before 0012 recorded them.
    const projects = await latest.owner.selectFrom('projects').selectAll().execute();
    await old.owner
      .insertInto('projects')
      .values(projects.map(({ open_since: _, ...row }) => ({ ...row, state: JSON.stringify(row.state), pending_parties: JSON.stringify(row.pending_parties), clock_pauses: row.clock_pauses && JSON.stringify(row.clock_pauses) })) as never)
      .execute();
    await old.owner.insertInto('stage_attempts').values(await latest.owner.selectFrom('stage_attempts').selectAll().execute()).execute();
    const { Migrator } = await import('kysely');
    const { migrationProvider } = await import('../db/migrations');
    expect((await new Migrator({ db: old.owner, provider: migrationProvider }).migrateToLatest()).error).toBeUndefined();

    const facts = (db: Db) => db.selectFrom('projects').select(['id', 'open_since']).orderBy('id').execute();
    const counts = (db: Db) => db.selectFrom('project_tallies').select(['kind', 'key', 'locality', 'category', sql<number>`n::int`.as('n')]).where('n', '<>', 0).orderBy(['kind', 'key', 'locality', 'category']).execute();
    expect(await facts(old.service)).toEqual(await facts(latest.service));
    expect((await facts(old.service)).filter((r) => r.open_since !== null)).toHaveLength(3);
    expect(await counts(old.service)).toEqual(await counts(latest.service));
    expect(await counts(old.service)).toContainEqual({ kind: 'stage', key: 'design', locality: 'jinshanwei', category: 'general', n: 2 });
    // The statistics' open part read from either agrees (the sign-offs were not copied).
    const open = async (db: Db) => {
      const s = await stageStatistics(db, {}, calendar, NOW);
      return { open: s.open, pending: s.byParty.map((p) => [p.party, p.pending]).sort() };
    };
    expect(await open(old.service)).toEqual(await open(latest.service));
  } finally {
    await old.close();
    await latest.close();
  }
});

test('a median from counts per working day is the middle value, or the mean of the two middle ones, as percentile_cont takes it', () => {
  expect(summarizeBuckets([])).toEqual({ n: 0, total: 0, median: null });
  // 3, 3, 5 (given out of order)
  expect(summarizeBuckets([{ days: 5, n: 1 }, { days: 3, n: 2 }])).toEqual({ n: 3, total: 11, median: 3 });
  // 2, 4, 4, 9: the two middle ones are 4 and 4
  expect(summarizeBuckets([{ days: 9, n: 1 }, { days: 2, n: 1 }, { days: 4, n: 2 }])).toEqual({ n: 4, total: 19, median: 4 });
  // 1, 2: between them
  expect(summarizeBuckets([{ days: 2, n: 1 }, { days: 1, n: 1 }])).toEqual({ n: 2, total: 3, median: 1.5 });
});

test('the window defaults to this Shanghai year, or to the year of the one end given', () => {
  // 31 December 2025 20:00 UTC is already 1 January 2026 in Shanghai.
  const newYear = Date.parse('2025-12-31T20:00:00Z');
  expect(statsWindow({}, newYear)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  expect(statsWindow({ from: '2024-03-01' }, newYear)).toEqual({ from: '2024-03-01', to: '2024-12-31' });
  expect(statsWindow({ to: '2023-06-30' }, newYear)).toEqual({ from: '2023-01-01', to: '2023-06-30' });
});

describe('GET /api/stats over HTTP', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp('stats-open');
  });
  afterAll(async () => app?.stop());

  test('without from and to: this year, with asOf, the open attempts and the parties', async () => {
    const before = Date.now();
    const { status, body } = await app.call('GET', '/api/stats?locality=shanyang', 'dev-leader');
    expect(status).toBe(200);
    const year = shanghaiDate(before).slice(0, 4);
    expect(body).toMatchObject({ from: `${year}-01-01`, to: `${year}-12-31` });
    expect(Date.parse(body.asOf)).toBeGreaterThanOrEqual(before - 1000);
    expect(body.open.stages.map((s: { stage: string }) => s.stage)).toEqual(['design', 'permit', 'acceptance', 'connection']);
    expect(body.byParty.length).toBeGreaterThan(0);
    // As the OpenAPI document says, with no field it leaves out.
    expect(statsResponse.strict().parse(body)).toEqual(body);
    const all = await app.call('GET', '/api/stats', 'dev-leader');
    expect(statsResponse.strict().parse(all.body)).toEqual(all.body);
    // One end given: the other from its year.
    expect((await app.call('GET', '/api/stats?from=2024-05-01', 'dev-leader')).body).toMatchObject({ from: '2024-05-01', to: '2024-12-31' });
    // A bad end is named; only one end that is before the other is refused.
    expect((await app.call('GET', '/api/stats?to=someday', 'dev-leader')).body.issues).toEqual([{ path: 'query.to', message: expect.any(String) }]);
    expect((await app.call('GET', '/api/stats?from=2024-05-01&to=2024-04-30', 'dev-leader')).body.issues[0].path).toBe('query.to');
  });
});
