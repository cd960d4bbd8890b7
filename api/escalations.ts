// /api/escalations: the escalations of every project at once, for the leader's dashboard (领导驾驶舱) —
// each slow sign-off once, at the highest rung of the liaison ladder it has reached, with the party that
// holds it, who was told, who took charge, and how long it has been pending. Read from the public record
// (the escalations table beside each project), so closed projects and deleted histories are still there.
import { Router } from 'express';
import { sql, type RawBuilder } from 'kysely';
import { cachedCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import type { WorkingCalendar } from '../domain/calendar';
import { CATEGORIES, LOCALITIES, PARTIES, STAGES, type Stage } from '../domain/codes';
import { TIERS } from '../domain/policy';
import { attemptClock, currentAttempt, stageRecord, type ProjectState } from '../domain/project';
import { z } from '../domain/zod';
import { authorizeRole } from './auth';
import { parse } from './errors';

/** Where a page ended: the sort key of its last row. Opaque to callers. */
interface Position {
  /** The negated rank of the highest tier (-3 main … -1 liaison), so that every key sorts ascending. */
  rank: number;
  since: string;
  projectId: string;
  stage: string;
  attempt: number;
  party: string;
}

const encode = (p: Position) => Buffer.from(JSON.stringify([p.rank, p.since, p.projectId, p.stage, p.attempt, p.party])).toString('base64url');

const cursor = z
  .string()
  .max(400)
  .transform((value, ctx): Position => {
    try {
      const [rank, since, projectId, stage, attempt, party] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
      if (
        typeof rank === 'number' && [-1, -2, -3].includes(rank) &&
        typeof since === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(since) && !Number.isNaN(Date.parse(since)) &&
        typeof projectId === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(projectId) &&
        typeof stage === 'string' && (STAGES as readonly string[]).includes(stage) &&
        typeof attempt === 'number' && Number.isInteger(attempt) && attempt > 0 &&
        typeof party === 'string' && (PARTIES as readonly string[]).includes(party)
      ) {
        return { rank, since, projectId, stage, attempt, party };
      }
    } catch {
      // falls through to the issue below
    }
    ctx.addIssue({ code: 'custom', message: "not a cursor this service gave out (use the previous page's nextCursor)" });
    return z.NEVER;
  });

export const escalationsQuery = z
  .object({
    pending: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true')
      .describe("true (the default): only sign-offs still pending on the project's open stage attempt; false: every escalation ever made"),
    locality: z.enum(LOCALITIES).optional(),
    category: z.enum(CATEGORIES).optional(),
    stage: z.enum(STAGES).optional(),
    party: z.enum(PARTIES).optional().describe('the department or utility company whose sign-off was escalated'),
    tier: z.enum(TIERS).optional().describe('the highest rung reached'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursor.optional().describe("the previous page's nextCursor: the page after it"),
  })
  .strict();

const time = z.string().describe('ISO time (UTC)');

export const escalationEntrySchema = z
  .object({
    projectId: z.uuid(),
    projectName: z.string(),
    locality: z.enum(LOCALITIES),
    category: z.enum(CATEGORIES),
    major: z.boolean(),
    stage: z.enum(STAGES),
    attempt: z.number().int(),
    party: z.enum(PARTIES).describe('who holds it: the department or utility company whose sign-off is awaited'),
    tier: z.enum(TIERS).describe('the highest rung of the ladder reached: liaison (联络员) → deputy (分管领导) → main (主要领导)'),
    since: time.describe('when it was first escalated'),
    escalatedAt: time.describe('when it reached its highest rung'),
    pendingDaysAtEscalation: z.number().describe('working days the sign-off had been pending when it reached its highest rung (corrections excluded)'),
    pending: z.boolean().describe("whether the sign-off is still awaited on the project's open stage attempt"),
    pendingDays: z.number().nullable().describe("working days pending as of now (the stage's clock, corrections excluded); null once no longer pending"),
    notified: z.array(z.string()).describe('who was told at the highest rung, as name <email>'),
    acknowledgements: z.array(z.object({ by: z.object({ id: z.string(), name: z.string().optional(), role: z.string() }), at: time })).describe('who took charge of it from their inbox, and when'),
  })
  .openapi('EscalationEntry');

export const escalationPageSchema = z
  .object({ escalations: z.array(escalationEntrySchema), nextCursor: z.string().optional().describe('pass as cursor for the next page') })
  .openapi('EscalationPage');

type Query = z.infer<typeof escalationsQuery>;
type Entry = z.infer<typeof escalationEntrySchema>;

const RANK = (tier: RawBuilder<unknown>) => sql<number>`(case ${tier} when 'main' then 3 when 'deputy' then 2 else 1 end)`;

interface Row {
  project_id: string;
  stage: Stage;
  attempt: number;
  party: Entry['party'];
  top: number;
  since: Date;
  latest_at: Date;
  pending_days: number;
  notified: string[] | string;
  name: string;
  locality: Entry['locality'];
  category: Entry['category'];
  major: boolean;
  is_pending: boolean;
  state: ProjectState | string;
}

export async function listEscalations(db: Db, q: Query, calendar: WorkingCalendar, now: number): Promise<{ escalations: Entry[]; nextCursor?: string }> {
  const where: RawBuilder<unknown>[] = [sql`true`];
  if (q.locality) where.push(sql`p.locality = ${q.locality}`);
  if (q.category) where.push(sql`p.category = ${q.category}`);
  if (q.stage) where.push(sql`g.stage = ${q.stage}`);
  if (q.party) where.push(sql`g.party = ${q.party}`);
  if (q.tier) where.push(sql`g.top = ${TIERS.indexOf(q.tier) + 1}`);
  if (q.pending) where.push(sql`pending.is_pending`);
  if (q.cursor) {
    const c = q.cursor;
    where.push(sql`(-g.top, g.since, g.project_id, g.stage, g.attempt, g.party) > (${c.rank}::int, ${c.since}::timestamptz, ${c.projectId}::uuid, ${c.stage}::text, ${c.attempt}::int, ${c.party}::text)`);
  }
  // One row per escalated sign-off (project, stage, attempt, party), at its highest rung; whether it is
  // still awaited is what the record keeps for the list's worklist filter (pending_parties of the open
  // stage) on the stage's latest attempt.
  const { rows } = await sql<Row>`
    select g.project_id, g.stage, g.attempt, g.party, g.top, g.since, t.at as latest_at, t.pending_days, t.notified,
      p.name, p.locality, p.category, p.major, pending.is_pending, p.state
    from (
      select project_id, stage, attempt, party, max(${RANK(sql.ref('tier'))}) as top, min(at) as since
      from escalations group by project_id, stage, attempt, party
    ) as g
    join projects as p on p.id = g.project_id
    join escalations as t on t.project_id = g.project_id and t.stage = g.stage and t.attempt = g.attempt and t.party = g.party
      and ${RANK(sql.ref('t.tier'))} = g.top
    cross join lateral (select (p.status = 'active' and p.current_stage = g.stage
      and p.pending_parties @> jsonb_build_array(g.party)
      and g.attempt = (select max(a.attempt) from stage_attempts as a where a.project_id = g.project_id and a.stage = g.stage)) as is_pending) as pending
    where ${sql.join(where, sql` and `)}
    order by -g.top, g.since, g.project_id, g.stage, g.attempt, g.party
    limit ${q.limit + 1}`.execute(db);
  const page = rows.slice(0, q.limit);
  const escalations = page.map((r): Entry => {
    const state = (typeof r.state === 'string' ? JSON.parse(r.state) : r.state) as ProjectState;
    const record = state.stages.find((s) => s.stage === r.stage);
    const clock = r.is_pending && record && currentAttempt(record)?.number === r.attempt ? attemptClock(state, stageRecord(state, r.stage), calendar, now) : null;
    return {
      projectId: r.project_id,
      projectName: r.name,
      locality: r.locality,
      category: r.category,
      major: r.major,
      stage: r.stage,
      attempt: r.attempt,
      party: r.party,
      tier: TIERS[r.top - 1] ?? 'liaison',
      since: new Date(r.since).toISOString(),
      escalatedAt: new Date(r.latest_at).toISOString(),
      pendingDaysAtEscalation: Number(r.pending_days),
      pending: r.is_pending,
      pendingDays: clock ? clock.usedDays : null,
      notified: typeof r.notified === 'string' ? (JSON.parse(r.notified) as string[]) : r.notified,
      // Taken charge of from an inbox: the project's trail keeps it (applyAcknowledgement).
      acknowledgements: state.trail
        .filter((t) => t.action === 'acknowledgement' && t.stage === r.stage && t.party === r.party && t.detail?.startsWith('took charge of the escalation') && Date.parse(t.at) >= Date.parse(new Date(r.since).toISOString()))
        .map((t) => ({ by: { id: t.by.id, role: t.by.role, ...(t.by.name !== undefined && { name: t.by.name }) }, at: t.at })),
    };
  });
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > q.limit && last
      ? encode({ rank: -last.top, since: new Date(last.since).toISOString(), projectId: last.project_id, stage: last.stage, attempt: last.attempt, party: last.party })
      : undefined;
  return { escalations, ...(nextCursor && { nextCursor }) };
}

export function escalationsRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    authorizeRole(req, ['leader', 'admin'], 'read the escalations of every project');
    const query = parse(escalationsQuery, req.query, 'query');
    res.json(await listEscalations(db, query, await cachedCalendar(db), Date.now()));
  });
  return router;
}
