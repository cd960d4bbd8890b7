// The public record of projects: written only by the recordProject activity (idempotent upserts keyed by
// natural keys, a snapshot never replaced by an older one), read by the API's lists, by GET when Temporal
// no longer holds a closed project, and by the statistics.
import { sql, type Insertable, type InsertQueryBuilder, type InsertResult } from 'kysely';
import type { StageClock, WorkingCalendar } from '../domain/calendar';
import { attemptClock, clockOfAttempt, signOffWorkingDays, currentAttempt, listedStage, nextReportTime, openCorrections, overallStatus, stageRecord, type Correction, type ProgressReport, type ProjectState, type TrailEntry } from '../domain/project';
import type { Cadence } from '../domain/policy';
import { encodeCursor, type ListPosition, type ListQuery } from '../domain/schemas';
import type { ReadScope } from '../domain/access';
import { snapshotVersion } from '../domain/record';
import type { Db } from './connect';
import type { Database } from './schema';
import { listFacts, listedLight, listedUrgency, pendingFor, withPush } from './list-filters';
import type { Party } from '../domain/codes';

const upsert = <T extends string>(...columns: T[]) => Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)]));

/**
 * Writes the project's snapshot and its rows, as of `now` (the workflow's time). Safe to run any number
 * of times: a snapshot older than the one recorded changes nothing, and a decided attempt's figures are
 * frozen at its first recording (a later calendar or green channel does not rewrite the past).
 */
/** The public record keeps a project's trail append-only: a snapshot whose trail neither extends nor
 *  precedes the recorded one rewrites the past (say, a Temporal reset that dropped an accepted action). */
export class TrailConflict extends Error {}

type TrailKey = Pick<TrailEntry, 'seq' | 'action' | 'stage' | 'party'> & { by: { id: string } };
const sameEntry = (a: TrailKey, b: TrailKey) => a.seq === b.seq && a.action === b.action && a.by.id === b.by.id && a.stage === b.stage && a.party === b.party;

export async function writeProjectRecord(db: Db, state: ProjectState, calendar: WorkingCalendar, now: number): Promise<void> {
  const { project } = state;
  const before = await db.selectFrom('projects').select(sql<TrailKey[]>`state -> 'trail'`.as('trail')).where('id', '=', project.id).executeTakeFirst();
  if (before) {
    const [shorter, longer] = before.trail.length <= state.trail.length ? [before.trail, state.trail] : [state.trail, before.trail];
    const diverges = shorter.findIndex((entry, i) => !sameEntry(entry, longer[i] as TrailKey));
    if (diverges >= 0) {
      throw new TrailConflict(
        `project ${project.id}: the workflow's trail differs from the recorded one at entry ${diverges + 1} (recorded ${before.trail[diverges]?.action ?? 'nothing'}, now ${state.trail[diverges]?.action ?? 'nothing'}); the record keeps what it has`,
      );
    }
  }
  const version = snapshotVersion(state);
  const closedAt = state.completedAt ?? state.withdrawal?.at ?? state.termination?.at ?? null;
  const row = {
    id: project.id,
    name: project.name,
    applicant_name: project.applicant.name,
    applicant_uscc: project.applicant.uscc,
    category: project.category,
    locality: project.locality,
    major: project.major,
    agent: state.agent,
    status: state.status,
    overall_status: overallStatus(state),
    current_stage: state.currentStage,
    listed_stage: listedStage(state),
    registered_by: project.registeredBy.id,
    registered_at: project.registeredAt,
    closed_at: closedAt,
    version,
    state: JSON.stringify(state),
    updated_at: new Date(now),
    ...listFacts(state),
  };
  const applied = await db
    .insertInto('projects')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet(upsert(...(Object.keys(row).filter((c) => c !== 'id') as (keyof typeof row)[])))
        .where('projects.version', '<=', version),
    )
    .returning('id')
    .executeTakeFirst();
  // A newer snapshot is already recorded (this is a late retry): its rows are newer too.
  if (!applied) return;

  // One statement per table, however long the project's life: a row per attempt, sign-off, report…
  // written one by one made every write slower as the project aged (the simulation spent most of its
  // time there). Rows with the same key keep the last, as writing them in turn did.
  const id = project.id;
  const attempts = state.stages.flatMap((record) => record.attempts.map((attempt) => ({ stage: record.stage, attempt })));
  await insertRows(
    db,
    'stage_attempts',
    attempts.map(({ stage, attempt }) => {
      const clock = clockOfAttempt(state, stage, attempt, calendar, now);
      return {
        project_id: id,
        stage,
        attempt: attempt.number,
        submitted_by: attempt.submittedBy.id,
        submitted_at: attempt.submittedAt,
        outcome: attempt.outcome,
        decided_at: attempt.decidedAt ?? null,
        limit_days: clock?.limitDays ?? null,
        paused_working_days: clock?.pausedDays ?? 0,
        working_days_used: clock?.usedDays ?? 0,
        deadline: clock?.deadline ?? null,
      };
    }),
    (r) => `${r.stage}/${r.attempt}`,
    (q) =>
      q.onConflict((oc) =>
        oc
          .columns(['project_id', 'stage', 'attempt'])
          .doUpdateSet(upsert('outcome', 'decided_at', 'limit_days', 'paused_working_days', 'working_days_used', 'deadline'))
          .where('stage_attempts.decided_at', 'is', null),
      ),
  );
  await insertRows(
    db,
    'sign_offs',
    attempts.flatMap(({ stage, attempt }) =>
      attempt.signOffs.map((s) => ({
        project_id: id,
        stage,
        attempt: attempt.number,
        party: s.party,
        decision: s.decision,
        comment: s.comment ?? null,
        by_id: s.by.id,
        at: s.at,
        // Counted once, when first recorded, with the calendar then (as a decided attempt's figures are),
        // so that the statistics per party read it rather than work it out for every sign-off.
        working_days: signOffWorkingDays(attempt, s.at, calendar),
      })),
    ),
    // The first sign-off of a party in an attempt is the one kept (DO NOTHING), as before.
    (r) => `${r.stage}/${r.attempt}/${r.party}`,
    (q) => q.onConflict((oc) => oc.columns(['project_id', 'stage', 'attempt', 'party']).doNothing()),
    'first',
  );
  await insertRows(
    db,
    'corrections',
    attempts.flatMap(({ stage, attempt }) =>
      attempt.corrections.map((c) => ({
        project_id: id,
        stage,
        attempt: attempt.number,
        party: c.party,
        items: JSON.stringify(c.items),
        requested_by: c.requestedBy.id,
        requested_at: c.requestedAt,
        supplemented_by: c.supplementedBy?.id ?? null,
        supplemented_at: c.supplementedAt ?? null,
      })),
    ),
    (r) => `${r.stage}/${r.attempt}/${r.party}`,
    (q) => q.onConflict((oc) => oc.columns(['project_id', 'stage', 'attempt', 'party']).doUpdateSet(upsert('supplemented_by', 'supplemented_at'))),
  );
  await insertRows(
    db,
    'progress_reports',
    state.reports.map((r) => ({ project_id: id, seq: r.seq, at: r.at, recipient: r.to, cadence: r.cadence, body: JSON.stringify(r) })),
    (r) => String(r.seq),
    (q) => q.onConflict((oc) => oc.columns(['project_id', 'seq']).doNothing()),
    'first',
  );
  await insertRows(
    db,
    'escalations',
    state.escalations.map((e) => ({ project_id: id, stage: e.stage, attempt: e.attempt, party: e.party, tier: e.tier, at: e.at, pending_days: e.pendingDays, notified: JSON.stringify(e.notified) })),
    (r) => `${r.stage}/${r.attempt}/${r.party}/${r.tier}`,
    (q) => q.onConflict((oc) => oc.columns(['project_id', 'stage', 'attempt', 'party', 'tier']).doUpdateSet(upsert('notified'))),
  );
  await insertRows(
    db,
    'utility_pushes',
    state.pushes.map((p) => ({ project_id: id, company: p.company, idempotency_key: p.key, status: p.status, started_at: p.startedAt, settled_at: p.settledAt ?? null, error: p.error ?? null })),
    (r) => r.company,
    (q) => q.onConflict((oc) => oc.columns(['project_id', 'company']).doUpdateSet(upsert('status', 'settled_at', 'error'))),
  );
}

/** Inserts the rows in one statement, none if there are none. A key twice in one statement would make
 *  ON CONFLICT DO UPDATE fail, so each key keeps one row: the last (an upsert's outcome when written in
 *  turn) or the first (DO NOTHING's). */
async function insertRows<T extends keyof Database & string, R extends Insertable<Database[T]>>(
  db: Db,
  table: T,
  rows: R[],
  key: (row: R) => string,
  conflict: (q: InsertQueryBuilder<Database, T, InsertResult>) => InsertQueryBuilder<Database, T, InsertResult>,
  keep: 'first' | 'last' = 'last',
): Promise<void> {
  const byKey = new Map<string, R>();
  for (const row of rows) if (keep === 'last' || !byKey.has(key(row))) byKey.set(key(row), row);
  if (byKey.size === 0) return;
  await conflict(db.insertInto(table).values([...byKey.values()] as never)).execute();
}

export async function readProjectRecord(db: Db, id: string): Promise<ProjectState | undefined> {
  const row = await db.selectFrom('projects').select('state').where('id', '=', id).executeTakeFirst();
  return row?.state as unknown as ProjectState | undefined;
}

const RECORDED_POLL_MS = 25;

/** Whether the record holds `id` at `version` or later, asked again until it does or `ms` have passed
 *  (a list that shows its caller's own change: GET /api/projects?recorded=). */
export async function untilRecorded(db: Db, { id, version }: { id: string; version: number }, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const row = await db.selectFrom('projects').select('version').where('id', '=', id).executeTakeFirst();
    if (row && row.version >= version) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, RECORDED_POLL_MS));
  }
}

export interface ProjectSummary {
  id: string;
  name: string;
  stage: string;
  status: string;
  locality: string;
  category: string;
  major: boolean;
  agent: string | null;
  registeredAt: string;
  closedAt?: string;
  /** 审批时限 of the open stage: working days used, deadline, light. */
  clock: StageClock | null;
  /** The agent's report cadence and when the next report is due (null once closed). */
  cadence: Cadence;
  nextReportAt: string | null;
  /** The open stage's corrections still awaiting the supplement (一次性告知: each with its items). */
  openCorrections: Correction[];
}

/** Every progress report the record keeps for a project, oldest first. */
export async function projectReports(db: Db, id: string): Promise<ProgressReport[]> {
  const rows = await db.selectFrom('progress_reports').select('body').where('project_id', '=', id).orderBy('seq').execute();
  return rows.map((r) => r.body as unknown as ProgressReport);
}

export interface ProjectPage {
  projects: ProjectSummary[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

/** What a list may be narrowed to besides the query's filters (operations batches): these ids, open projects only. */
export interface ListNarrowing {
  ids?: string[];
  openOnly?: boolean;
}

/** The business list, from the record, limited to what the caller may read: newest first, oldest first,
 *  or by urgency (q.order). */
export async function listProjects(
  db: Db,
  q: ListQuery & { agent?: string; pending?: Party } & ListNarrowing,
  scope: ReadScope,
  calendar: WorkingCalendar,
  now: number,
): Promise<ProjectPage> {
  // Newest first by default; oldest first for a queue worked from its front (补正待补); a worklist by
  // urgency (待办, 我的项目), each page cut after the last key shown (listedUrgency).
  const urgency = listedUrgency(calendar, now);
  const direction = q.order === 'oldest' ? 'asc' : 'desc';
  let query = db.selectFrom('projects').selectAll().select(urgency.as('urgency')).limit(q.limit + 1);
  query = q.order === 'urgency' ? query.orderBy('urgency').orderBy('id') : query.orderBy('registered_at', direction).orderBy('id', direction);
  if ('agent' in scope) query = query.where('agent', '=', scope.agent);
  if (q.ids) query = query.where('id', 'in', q.ids);
  if (q.openOnly) query = query.where('status', '=', 'active');
  // A department or company reads the projects whose plan names it (any stage).
  if ('party' in scope) query = query.where(sql<boolean>`state -> 'stages' @> ${JSON.stringify([{ parties: [scope.party] }])}::jsonb`);
  // A cursor of the other order is refused by the API (api/projects.ts); here it starts nothing.
  const cursor = q.cursor;
  if (cursor?.by === 'urgency') {
    query = query.where(sql<boolean>`(${urgency}, projects.id) > (${`{${cursor.key.join(',')}}`}::int[], ${cursor.id}::uuid)`);
  } else if (cursor) {
    const { registeredAt, id } = cursor;
    const after = direction === 'asc' ? '>' : '<';
    query = query.where((eb) => eb.or([eb('registered_at', after, new Date(registeredAt)), eb.and([eb('registered_at', '=', new Date(registeredAt)), eb('id', after, id)])]));
  }
  if (q.stage) query = query.where('listed_stage', '=', q.stage);
  if (q.status) query = query.where('overall_status', '=', q.status);
  if (q.locality) query = query.where('locality', '=', q.locality);
  if (q.category) query = query.where('category', '=', q.category);
  // Searched as text: LIKE's wildcards in the query are matched as themselves.
  if (q.name) query = query.where(sql<boolean>`name ilike ${`%${q.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`);
  if (q.major !== undefined) query = query.where('major', '=', q.major);
  if (q.agent) query = query.where('agent', '=', q.agent);
  // The worklist filters, in SQL before the page is cut (db/list-filters.ts).
  if (q.light) query = query.where(listedLight(calendar, now), '=', q.light);
  if (q.pending) query = query.where(pendingFor(q.pending));
  if (q.push) query = query.where(withPush(q.push));
  const found = await query.execute();
  const rows = found.slice(0, q.limit);
  const last = rows[rows.length - 1];
  const position = (row: NonNullable<typeof last>): ListPosition =>
    q.order === 'urgency' ? { by: 'urgency', key: row.urgency, id: row.id } : { by: 'registration', registeredAt: new Date(row.registered_at).toISOString(), id: row.id };
  const nextCursor = found.length > q.limit && last ? encodeCursor(position(last)) : undefined;
  const projects = rows.map((r) => {
    const state = r.state as unknown as ProjectState;
    const open = state.currentStage ? stageRecord(state, state.currentStage) : undefined;
    return {
      id: r.id,
      name: r.name,
      stage: r.listed_stage,
      status: r.overall_status,
      locality: r.locality,
      category: r.category,
      major: r.major,
      agent: r.agent,
      registeredAt: new Date(r.registered_at).toISOString(),
      ...(r.closed_at && { closedAt: new Date(r.closed_at).toISOString() }),
      clock: open ? attemptClock(state, open, calendar, now) : null,
      cadence: state.cadence,
      nextReportAt: nextReportTime(state),
      openCorrections: open && state.status === 'active' ? openCorrections(currentAttempt(open)) : [],
    };
  });
  return { projects, ...(nextCursor && { nextCursor }) };
}

