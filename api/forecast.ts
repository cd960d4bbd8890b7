// /api/forecast: the red-light forecast (红灯预测) — the open stages likely to exceed their limit, with the
// party holding each up, when its sign-off is expected and how likely the stage is to turn red, soonest
// first. The model is domain/forecast.ts; this reads its inputs from the public record: the past year's
// sign-offs with their working days (as /api/stats counts them), the open attempts with their clocks (as
// the lists evaluate them), and each party's queue now. Leaders and admins see every project; an agent
// the projects it follows (the queues and history are the district's, whoever reads).
import { Router } from 'express';
import { sql } from 'kysely';
import { cachedCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { calendarRow, listedUsedDays } from '../db/list-filters';
import { shanghaiDate, type WorkingCalendar } from '../domain/calendar';
import { LOCALITIES, PARTIES, STAGES, type Locality, type Party, type Stage } from '../domain/codes';
import { buildHistory, DEFAULT_FORECAST_OPTIONS, forecastStage, HISTORY_DAYS, type PastSignOff } from '../domain/forecast';
import { z } from '../domain/zod';
import { authorizeRole } from './auth';
import { parse } from './errors';
import { signOffDays } from './stats';

export const forecastQuery = z
  .object({
    threshold: z.coerce.number().min(0).max(1).default(0.5).describe('the least probability of exceeding the limit listed (0–1, default 0.5)'),
    locality: z.enum(LOCALITIES).optional(),
    stage: z.enum(STAGES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const partyForecastSchema = z.object({
  party: z.enum(PARTIES),
  expectedOn: z.string().describe('the Shanghai date its sign-off is expected (the weighted median)'),
  pExceeds: z.number().describe('probability that its sign-off comes after the limit'),
  evidence: z.number().describe('its own past sign-offs on this stage behind the estimate, weighted by recency (0: the stage’s pool or the prior)'),
});

export const forecastEntrySchema = z
  .object({
    projectId: z.uuid(),
    projectName: z.string(),
    locality: z.enum(LOCALITIES),
    stage: z.enum(STAGES),
    attempt: z.number().int(),
    limitDays: z.number().int(),
    usedDays: z.number().int().describe('working days used so far, corrections excluded'),
    paused: z.boolean().describe('a correction is awaiting its supplement: forecast as if the clock resumed today'),
    holdingParty: z.enum(PARTIES).describe('the pending party most likely to push the stage over its limit'),
    expectedOn: z.string().describe("the Shanghai date the holding party's sign-off is expected"),
    redOn: z.string().describe('the Shanghai date the light turns red if the stage is not decided before'),
    pExceeds: z.number().describe('probability that the stage exceeds its limit'),
    parties: z.array(partyForecastSchema).describe('every pending party'),
  })
  .openapi('ForecastEntry');

export const forecastResponse = z
  .object({
    asOf: z.string().describe('ISO time (UTC)'),
    threshold: z.number(),
    historySignOffs: z.number().int().describe('past sign-offs the model learned from (the past year)'),
    forecasts: z.array(forecastEntrySchema).describe('soonest red first, then the most likely'),
  })
  .openapi('Forecast');

type Query = z.infer<typeof forecastQuery>;
type Entry = z.infer<typeof forecastEntrySchema>;
const round2 = (n: number) => Math.round(n * 100) / 100;

interface OpenRow {
  id: string;
  name: string;
  locality: Locality;
  stage: Stage;
  attempt: number;
  limit_days: number;
  used: number | string;
  paused: boolean;
  pending: Party[] | string;
}

export async function redLightForecast(db: Db, q: Query, scope: { agent?: string }, calendar: WorkingCalendar, now: number): Promise<z.infer<typeof forecastResponse>> {
  const today = shanghaiDate(now);
  const from = shanghaiDate(now - HISTORY_DAYS * 24 * 60 * 60 * 1000);
  const { rows: past } = await sql<{ party: string; stage: string; signed_on: string | Date; days: number | string }>`
    select party, stage, signed_on, days from (${signOffDays({}, { from, to: today })}) as signed`.execute(db);
  const signOffs: PastSignOff[] = past.map((r) => ({
    party: r.party,
    stage: r.stage,
    workingDays: Number(r.days),
    // A date column comes back as a Date at midnight UTC from pg, as text from PGlite.
    decidedOn: typeof r.signed_on === 'string' ? r.signed_on.slice(0, 10) : r.signed_on.toISOString().slice(0, 10),
  }));
  const { rows: queueRows } = await sql<{ party: string; n: string | number }>`
    select w.party, count(*) as n from projects cross join lateral jsonb_array_elements_text(projects.pending_parties) as w(party)
    where projects.status = 'active' group by w.party`.execute(db);
  const queues = Object.fromEntries(queueRows.map((r) => [r.party, Number(r.n)]));
  const where = [sql`true`];
  if (scope.agent !== undefined) where.push(sql`projects.agent = ${scope.agent}`);
  if (q.locality) where.push(sql`projects.locality = ${q.locality}`);
  if (q.stage) where.push(sql`a.stage = ${q.stage}`);
  // Open attempts not yet red, waiting for someone, with the clock the lists show.
  const { rows } = await sql<OpenRow>`
    select projects.id, projects.name, projects.locality, a.stage, a.attempt, projects.clock_limit_days as limit_days, u.used,
      projects.clock_paused_since is not null as paused, projects.pending_parties as pending
    from projects
    join stage_attempts as a on a.project_id = projects.id and a.stage = projects.current_stage and a.outcome = 'open'
    cross join ${calendarRow(calendar, now)}
    cross join lateral (select ${listedUsedDays()} as used) as u
    where projects.status = 'active' and jsonb_array_length(projects.pending_parties) > 0
      and u.used is not null and u.used <= projects.clock_limit_days and ${sql.join(where, sql` and `)}`.execute(db);
  const history = buildHistory(signOffs, today, calendar, DEFAULT_FORECAST_OPTIONS);
  const forecasts = rows.flatMap((r): Entry[] => {
    const pending = typeof r.pending === 'string' ? (JSON.parse(r.pending) as Party[]) : r.pending;
    const f = forecastStage(history, calendar, { stage: r.stage, limitDays: r.limit_days, usedDays: Number(r.used), pending }, queues);
    if (!f || f.pExceeds < q.threshold) return [];
    return [
      {
        projectId: r.id,
        projectName: r.name,
        locality: r.locality,
        stage: r.stage,
        attempt: r.attempt,
        limitDays: r.limit_days,
        usedDays: Number(r.used),
        paused: r.paused,
        holdingParty: f.holdingParty as Party,
        expectedOn: f.expectedOn,
        redOn: f.redOn,
        pExceeds: round2(f.pExceeds),
        parties: f.parties.map((p) => ({ party: p.party as Party, expectedOn: p.expectedOn, pExceeds: round2(p.pExceeds), evidence: p.evidence })),
      },
    ];
  });
  forecasts.sort((a, b) => a.redOn.localeCompare(b.redOn) || b.pExceeds - a.pExceeds || a.projectId.localeCompare(b.projectId));
  return { asOf: new Date(now).toISOString(), threshold: q.threshold, historySignOffs: signOffs.length, forecasts: forecasts.slice(0, q.limit) };
}

export function forecastRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = authorizeRole(req, ['leader', 'admin', 'agent'], 'read the red-light forecast');
    const query = parse(forecastQuery, req.query, 'query');
    res.json(await redLightForecast(db, query, actor.role === 'agent' ? { agent: actor.id } : {}, await cachedCalendar(db), Date.now()));
  });
  return router;
}
