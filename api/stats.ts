// /api/stats: what the district publishes (统计分析) — per stage, the stages decided in a window, the
// average and median working days used (correction time excluded), and how many exceeded the limit;
// also by locality. Beside them what is still open (as of `asOf`, so an overdue stage nobody decided
// cannot hide), and per department how long its sign-offs take and how many wait for it. Read from the
// record and aggregated in SQL: a year of a district's attempts is never loaded into the process.
import { Router } from 'express';
import { sql, type RawBuilder } from 'kysely';
import { z } from '../domain/zod';
import { shanghaiDate, startOfShanghaiDay, type WorkingCalendar } from '../domain/calendar';
import { CATEGORIES, LOCALITIES, PARTIES, STAGES } from '../domain/codes';
import { cachedCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { calendarRow, listedUsedDays } from '../db/list-filters';
import { serviceDate } from '../domain/schemas';
import { parse } from './errors';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const statsQuery = z
  .object({
    from: serviceDate.optional().describe('first day of the window (Shanghai); default 1 January of `to`’s year, or of this year'),
    to: serviceDate.optional().describe('last day of the window (Shanghai); default 31 December of `from`’s year, or of this year'),
    locality: z.enum(LOCALITIES).optional(),
    category: z.enum(CATEGORIES).optional(),
  })
  .strict()
  // Compared only once both are dates (zod still runs the check when a field failed).
  .refine((q) => !q.from || !q.to || !ISO_DATE.test(q.from) || !ISO_DATE.test(q.to) || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

/** The window a query asks for: given days as they are; a missing end from the other end's year, or
 *  this (Shanghai) year. */
export function statsWindow(q: { from?: string | undefined; to?: string | undefined }, now: number): { from: string; to: string } {
  const today = shanghaiDate(now);
  return { from: q.from ?? `${(q.to ?? today).slice(0, 4)}-01-01`, to: q.to ?? `${(q.from ?? today).slice(0, 4)}-12-31` };
}

export interface StageStats {
  stage: string;
  decided: number;
  averageWorkingDays: number | null;
  medianWorkingDays: number | null;
  exceeded: number;
}

export interface OpenStageStats {
  stage: string;
  /** Attempts applied for and not decided, on active projects. */
  open: number;
  /** Of them, those whose working days used so far exceed the limit (red). */
  overLimit: number;
  /** The earliest accepted of them, with its clock so far (pauses excluded, as the project's clock). */
  oldest: { project: string; name: string; locality: string; acceptedOn: string; workingDaysUsed: number | null; limitDays: number | null } | null;
}

export interface PartyStats {
  party: string;
  /** Sign-offs (approve or reject) given in the window. */
  signedOff: number;
  /** Working days from the attempt's acceptance to the sign-off, correction pauses before it excluded. */
  medianWorkingDays: number | null;
  averageWorkingDays: number | null;
  /** Open attempts of active projects waiting for this party now (a correction pause included). */
  pending: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const num = (v: unknown): number => Number(v);

/** A timestamptz column's Shanghai date, as shanghaiDate computes it. */
const shanghaiDay = (column: string) => sql<string>`((${sql.ref(column)} at time zone 'UTC') + interval '8 hours')::date`;

/** The query's locality and category filters, on `table`'s columns of those names. */
function projectFilters(q: z.infer<typeof statsQuery>, table = 'projects'): RawBuilder<unknown> {
  return sql.join(
    [sql`true`, ...(q.locality ? [sql`${sql.ref(`${table}.locality`)} = ${q.locality}`] : []), ...(q.category ? [sql`${sql.ref(`${table}.category`)} = ${q.category}`] : [])],
    sql` and `,
  );
}

/** A count of values per whole number of working days. PostgreSQL hashes such an aggregation; a median
 *  taken in SQL (percentile_cont) sorts every row first, which over a year of a district's sign-offs
 *  took most of the statistics' time. */
interface Bucket {
  days: number;
  n: number;
}

/** How many values, their sum, and their median as percentile_cont(0.5) takes it: the middle value, or
 *  the mean of the two middle ones. */
export function summarizeBuckets(buckets: readonly Bucket[]): { n: number; total: number; median: number | null } {
  const sorted = [...buckets].sort((a, b) => a.days - b.days);
  const n = sorted.reduce((sum, b) => sum + b.n, 0);
  const total = sorted.reduce((sum, b) => sum + b.days * b.n, 0);
  if (n === 0) return { n, total, median: null };
  /** The k-th smallest value (from 0). */
  const kth = (k: number): number => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.n;
      if (k < seen) return b.days;
    }
    throw new Error(`no value ${k} of ${n}`);
  };
  return { n, total, median: n % 2 === 1 ? kth((n - 1) / 2) : (kth(n / 2 - 1) + kth(n / 2)) / 2 };
}

/** summarizeBuckets over rows as the driver returns them (counts may come as text). */
const summarizeRows = (rows: readonly { days: string | number; n: string | number }[]) => summarizeBuckets(rows.map((r) => ({ days: num(r.days), n: num(r.n) })));

interface DecidedRow {
  stage: string;
  locality: string;
  days: string | number;
  n: string | number;
  exceeded: string | number;
}

/** Decided attempts per stage, and per stage and locality: counted per working days used in SQL, summed
 *  up here. */
async function decided(db: Db, q: z.infer<typeof statsQuery>, window: { from: string; to: string }) {
  const { rows } = await sql<DecidedRow>`
    select a.stage, projects.locality, a.working_days_used as days, count(*) as n,
      count(*) filter (where a.limit_days is not null and a.working_days_used > a.limit_days) as exceeded
    from stage_attempts as a join projects on projects.id = a.project_id
    where a.outcome in ('approved', 'rejected')
      and a.decided_at >= ${new Date(startOfShanghaiDay(window.from))} and a.decided_at < ${new Date(startOfShanghaiDay(window.to) + 24 * 60 * 60 * 1000)}
      and ${projectFilters(q)}
    group by a.stage, projects.locality, a.working_days_used`.execute(db);
  const summary = (stage: string, subset: DecidedRow[]): StageStats => {
    const { n, total, median } = summarizeRows(subset);
    return {
      stage,
      decided: n,
      // The sum divided here, as before, so that averages round exactly as they always did.
      averageWorkingDays: n ? round1(total / n) : null,
      medianWorkingDays: median,
      exceeded: subset.reduce((sum, r) => sum + num(r.exceeded), 0),
    };
  };
  const localities = [...new Set(rows.map((r) => r.locality))].sort();
  return {
    decided: rows.reduce((sum, r) => sum + num(r.n), 0),
    stages: STAGES.map((stage) => summary(stage, rows.filter((r) => r.stage === stage))),
    byLocality: localities.map((locality) => ({ locality, stages: STAGES.map((stage) => summary(stage, rows.filter((r) => r.stage === stage && r.locality === locality))) })),
  };
}

interface TallyRow {
  key: string;
  locality: string;
  category: string;
  n: string | number;
}

/** The counts the record keeps as projects change (migration 0012): per stage its open attempts, or
 *  per party the open attempts waiting for it, by locality and category, within the filters. */
async function tallies(db: Db, q: z.infer<typeof statsQuery>, kind: 'stage' | 'party'): Promise<TallyRow[]> {
  const { rows } = await sql<TallyRow>`select key, locality, category, n from project_tallies
    where kind = ${kind} and n > 0 and ${projectFilters(q, 'project_tallies')}`.execute(db);
  return rows;
}

interface GroupRow {
  stage: string;
  locality: string;
  n: number;
  over: number;
}

type Oldest = NonNullable<OpenStageStats['oldest']>;

interface OldestRow {
  stage: string;
  /** Null: the stage's oldest over every locality. */
  locality: string | null;
  oldest: Oldest | string;
}

/** Open attempts of active projects now: the stage a project is at, per stage and locality; the stage's
 *  figures are their sums. Nothing here reads every open project: the counts are the record's tallies; a
 *  clock is evaluated in SQL, as the list evaluates it (the same calendar, pauses and today), only for
 *  attempts whose limit has passed in calendar days, the only ones that can be red; each group's oldest
 *  is the first entry of its range in an index (migration 0012). (Evaluating every open attempt's clock
 *  made the statistics several times slower with 10,000 open.) */
async function open(db: Db, q: z.infer<typeof statsQuery>, calendar: WorkingCalendar, now: number) {
  const counted = await tallies(db, q, 'stage');
  const { rows: red } = await sql<{ stage: string; locality: string; over: string | number }>`
    select projects.current_stage as stage, projects.locality, count(*) as over
    from projects
      cross join ${calendarRow(calendar, now)}
      cross join lateral (select ${listedUsedDays()} as used) as u
    where projects.status = 'active' and projects.open_since is not null
      and projects.clock_accepted_on + projects.clock_limit_days < ${shanghaiDate(now)}::date
      and u.used > projects.clock_limit_days and ${projectFilters(q)}
    group by projects.current_stage, projects.locality`.execute(db);
  const groups: GroupRow[] = [];
  for (const t of counted) {
    const group = groups.find((g) => g.stage === t.key && g.locality === t.locality);
    if (group) group.n += num(t.n);
    else groups.push({ stage: t.key, locality: t.locality, n: num(t.n), over: num(red.find((r) => r.stage === t.key && r.locality === t.locality)?.over ?? 0) });
  }
  const ranges = counted.map((t) => sql`(${t.key}, ${t.locality}, ${t.category})`);
  const { rows: oldest } = ranges.length
    ? await sql<OldestRow>`
        with firsts as (
          select g.stage, projects.locality, projects.open_since, projects.id,
            json_build_object('project', projects.id, 'name', projects.name, 'locality', projects.locality,
              'acceptedOn', ${shanghaiDay('projects.open_since')}, 'workingDaysUsed', u.used, 'limitDays', projects.clock_limit_days) as oldest
          from (values ${sql.join(ranges)}) as g(stage, locality, category)
            cross join lateral (
              select id from projects
              where status = 'active' and open_since is not null and current_stage = g.stage and locality = g.locality and category = g.category
              order by open_since, id limit 1) as first
            join projects on projects.id = first.id
            cross join ${calendarRow(calendar, now)}
            cross join lateral (select ${listedUsedDays()} as used) as u)
        select * from (select distinct on (stage, locality) stage, locality, oldest from firsts order by stage, locality, open_since, id) as per_locality
        union all
        select * from (select distinct on (stage) stage, null, oldest from firsts order by stage, open_since, id) as per_stage`.execute(db)
    : { rows: [] };
  const described = (r: OldestRow | undefined): Oldest | null => (r ? (typeof r.oldest === 'string' ? (JSON.parse(r.oldest) as Oldest) : r.oldest) : null);
  const totals = (subset: GroupRow[]) => ({ open: subset.reduce((s, r) => s + r.n, 0), overLimit: subset.reduce((s, r) => s + r.over, 0) });
  const summary = (stage: string, subset: GroupRow[], first: OldestRow | undefined): OpenStageStats => ({ stage, ...totals(subset), oldest: described(first) });
  const find = (stage: string, locality: string | null) => oldest.find((r) => r.stage === stage && r.locality === locality);
  const localities = [...new Set(groups.map((r) => r.locality))].sort();
  return {
    ...totals(groups),
    stages: STAGES.map((stage) => summary(stage, groups.filter((r) => r.stage === stage), find(stage, null))),
    byLocality: localities.map((locality) => ({
      locality,
      ...totals(groups.filter((r) => r.locality === locality)),
      stages: STAGES.map((stage) => summary(stage, groups.filter((r) => r.stage === stage && r.locality === locality), find(stage, locality))),
    })),
  };
}

/**
 * Each sign-off (approve or reject) given in the window, with the working days it took: from the
 * attempt's acceptance to the sign-off less the correction pauses begun before it, counted when the record
 * wrote it (signOffWorkingDays). A query of (project_id, stage, attempt, party, signed_on, days); also the
 * forecast's history.
 */
export function signOffDays(q: z.infer<typeof statsQuery>, window: { from: string; to: string }): RawBuilder<unknown> {
  // Every sign-off has its project (a foreign key): joined only to filter by it.
  const filtered = q.locality !== undefined || q.category !== undefined;
  return sql`
    select s.project_id, s.stage, s.attempt, s.party, ${shanghaiDay('s.at')} as signed_on, s.working_days as days
    from sign_offs as s
    ${filtered ? sql`join projects on projects.id = s.project_id` : sql``}
    where s.decision in ('approve', 'reject') and s.working_days is not null
      and s.at >= ${new Date(startOfShanghaiDay(window.from))} and s.at < ${new Date(startOfShanghaiDay(window.to) + 24 * 60 * 60 * 1000)}
      and ${filtered ? projectFilters(q) : sql`true`}`;
}

/** Per party: its sign-offs in the window with the working days they took (signOffDays), and the open
 *  attempts waiting for it now. */
async function parties(db: Db, q: z.infer<typeof statsQuery>, window: { from: string; to: string }): Promise<PartyStats[]> {
  const { rows: signed } = await sql<{ party: string; days: string | number; n: string | number }>`
    select party, days, count(*) as n from (${signOffDays(q, window)}) as signed group by party, days`.execute(db);
  const waiting = await tallies(db, q, 'party');
  const stats = PARTIES.map((party): PartyStats => {
    const { n, total, median } = summarizeRows(signed.filter((r) => r.party === party));
    return {
      party,
      signedOff: n,
      medianWorkingDays: median,
      averageWorkingDays: n ? round1(total / n) : null,
      pending: waiting.filter((r) => r.key === party).reduce((sum, r) => sum + num(r.n), 0),
    };
  });
  // Slowest first: which department's sign-offs take longest; parties with none last, in code order.
  return stats
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (b.s.medianWorkingDays ?? -1) - (a.s.medianWorkingDays ?? -1) || a.i - b.i)
    .map(({ s }) => s);
}

/** The statistics at `now` (default: the time of the call) with `calendar` (default: the service's). */
export async function stageStatistics(db: Db, q: z.infer<typeof statsQuery>, calendar?: WorkingCalendar, now = Date.now()) {
  calendar ??= await cachedCalendar(db);
  const window = statsWindow(q, now);
  // PostgreSQL's JIT compiler judges these aggregations costly enough to compile, and took seconds to
  // do it for queries that run in a fraction of that (100,000 attempts); off for these reads only. The
  // three parts are independent, so each runs in a transaction of its own, side by side on the pool's
  // connections (the embedded database takes them one after another).
  const withoutJit = <T>(part: (tx: Db) => Promise<T>) =>
    db.transaction().execute(async (tx) => {
      await sql`set local jit = off`.execute(tx);
      return part(tx);
    });
  const [decidedStats, openStats, byParty] = await Promise.all([
    withoutJit((tx) => decided(tx, q, window)),
    withoutJit((tx) => open(tx, q, calendar, now)),
    withoutJit((tx) => parties(tx, q, window)),
  ]);
  return {
    from: window.from,
    to: window.to,
    ...decidedStats,
    asOf: new Date(now).toISOString(),
    open: openStats,
    byParty,
  };
}

export function statsRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = parse(statsQuery, req.query, 'query');
    res.json(await stageStatistics(db, q));
  });
  return router;
}

// ---- the answer's schema (OpenAPI) ----

const stageStatsSchema = z.object({
  stage: z.enum(STAGES),
  decided: z.number().int(),
  averageWorkingDays: z.number().nullable(),
  medianWorkingDays: z.number().nullable(),
  exceeded: z.number().int().describe('decided after more working days than the limit'),
});
const openStageSchema = z.object({
  stage: z.enum(STAGES),
  open: z.number().int().describe('attempts applied for and not decided, on active projects'),
  overLimit: z.number().int().describe('of them, those whose working days used so far exceed the limit (red)'),
  oldest: z
    .object({
      project: z.string(),
      name: z.string(),
      locality: z.string(),
      acceptedOn: z.string().describe('Shanghai date'),
      workingDaysUsed: z.number().int().nullable().describe('so far, correction pauses excluded, as the project’s clock'),
      limitDays: z.number().int().nullable(),
    })
    .nullable()
    .describe('the earliest accepted open attempt'),
});
export const statsResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    decided: z.number().int(),
    stages: z.array(stageStatsSchema).describe('attempts decided (approved or rejected) in the window, per stage'),
    byLocality: z.array(z.object({ locality: z.string(), stages: z.array(stageStatsSchema) })).describe('the same for each locality with a decision in the window'),
    asOf: z.string().describe('the instant the open attempts and pending counts were taken'),
    open: z
      .object({
        open: z.number().int(),
        overLimit: z.number().int(),
        stages: z.array(openStageSchema),
        byLocality: z.array(z.object({ locality: z.string(), open: z.number().int(), overLimit: z.number().int(), stages: z.array(openStageSchema) })),
      })
      .describe('open attempts as of asOf, whatever the window (locality and category filters apply)'),
    byParty: z
      .array(
        z.object({
          party: z.enum(PARTIES),
          signedOff: z.number().int().describe('approvals and rejections given in the window'),
          medianWorkingDays: z.number().nullable().describe('from the attempt’s acceptance to the sign-off, correction pauses before it excluded'),
          averageWorkingDays: z.number().nullable(),
          pending: z.number().int().describe('open attempts waiting for the party as of asOf'),
        }),
      )
      .describe('every party, slowest median first'),
  })
  .openapi('Statistics');
