// /api/stats: what the district publishes (统计分析) — per stage, the stages decided in a window, the
// average and median working days used (correction time excluded), and how many exceeded the limit;
// also by locality. Read from the record.
import { Router } from 'express';
import { z } from '../domain/zod';
import { startOfShanghaiDay } from '../domain/calendar';
import { CATEGORIES, LOCALITIES, STAGES } from '../domain/codes';
import type { Db } from '../db/connect';
import { serviceDate } from '../domain/schemas';
import { parse } from './errors';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const query = z
  .object({
    from: serviceDate,
    to: serviceDate,
    locality: z.enum(LOCALITIES).optional(),
    category: z.enum(CATEGORIES).optional(),
  })
  .strict()
  // Compared only once both are dates (zod still runs the check when a field failed).
  .refine((q) => !ISO_DATE.test(q.from) || !ISO_DATE.test(q.to) || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

export interface StageStats {
  stage: string;
  decided: number;
  averageWorkingDays: number | null;
  medianWorkingDays: number | null;
  exceeded: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function summarise(stage: string, rows: { used: number; limit: number | null }[]): StageStats {
  const used = rows.map((r) => r.used).sort((a, b) => a - b);
  const mid = used.length / 2;
  return {
    stage,
    decided: used.length,
    averageWorkingDays: used.length ? round1(used.reduce((a, b) => a + b, 0) / used.length) : null,
    medianWorkingDays: used.length ? (used.length % 2 ? (used[Math.floor(mid)] as number) : ((used[mid - 1] as number) + (used[mid] as number)) / 2) : null,
    exceeded: rows.filter((r) => r.limit !== null && r.used > r.limit).length,
  };
}

export async function stageStatistics(db: Db, q: z.infer<typeof query>) {
  let select = db
    .selectFrom('stage_attempts as a')
    .innerJoin('projects as p', 'p.id', 'a.project_id')
    .select(['a.stage', 'a.working_days_used as used', 'a.limit_days as limit', 'p.locality'])
    .where('a.outcome', 'in', ['approved', 'rejected'])
    .where('a.decided_at', '>=', new Date(startOfShanghaiDay(q.from)))
    .where('a.decided_at', '<', new Date(startOfShanghaiDay(q.to) + 24 * 60 * 60 * 1000));
  if (q.locality) select = select.where('p.locality', '=', q.locality);
  if (q.category) select = select.where('p.category', '=', q.category);
  const rows = await select.execute();
  const byStage = (subset: typeof rows) => STAGES.map((stage) => summarise(stage, subset.filter((r) => r.stage === stage)));
  const localities = [...new Set(rows.map((r) => r.locality))].sort();
  return {
    from: q.from,
    to: q.to,
    decided: rows.length,
    stages: byStage(rows),
    byLocality: localities.map((locality) => ({ locality, stages: byStage(rows.filter((r) => r.locality === locality)) })),
  };
}

export function statsRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await stageStatistics(db, parse(query, req.query, 'query')));
  });
  return router;
}
