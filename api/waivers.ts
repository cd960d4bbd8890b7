// Fee waivers (费用减免): a project's granted items, the collecting department's assessed amount, and the
// district's figures (/api/waivers/stats). Record-only: nothing here reaches a workflow.
import { Router, type Request } from 'express';
import { z } from '../domain/zod';
import { readRefusal } from '../domain/access';
import { CATEGORIES, DEPARTMENTS, LOCALITIES } from '../domain/codes';
import type { Actor, ProjectState } from '../domain/project';
import { projectParams, serviceDate, text } from '../domain/schemas';
import { LIMITS } from '../domain/limits';
import { assessedYuan, fenToYuan, yuanToFen, type WaiverCatalogue, type WaiverRule } from '../domain/waivers';
import type { Db } from '../db/connect';
import { assessWaiver, projectWaivers, waiverStatistics, type ProjectWaiverRow, type WaiverFigures } from '../db/waivers';
import { authorizeRole } from './auth';
import { HttpError, parse } from './errors';
import { statsWindow } from './stats';

export const waiverParams = projectParams.extend({ item: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be a fee item code') });
export const assessmentBody = z
  .object({
    amount: assessedYuan.describe('the assessed fee in yuan (元), before the waiver'),
    note: text(LIMITS.commentChars).optional().describe('e.g. the assessment document’s number'),
  })
  .strict();
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const waiverStatsQuery = z
  .object({ from: serviceDate.optional(), to: serviceDate.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || !ISO_DATE.test(q.from) || !ISO_DATE.test(q.to) || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

/** The rule an assessment applies: the catalogue's as it stands now for the project's category; an item
 *  since dropped from the catalogue keeps its granted kind, with no rate. */
function ruleNow(catalogue: WaiverCatalogue, item: string, category: string, grantedKind: string): WaiverRule {
  const rule = catalogue.items.find((i) => i.item === item)?.categories[category as (typeof CATEGORIES)[number]];
  if (rule) return rule;
  return grantedKind === 'exempt' ? { kind: 'exempt' } : { kind: 'reduced', rate: null };
}

function waiverView(catalogue: WaiverCatalogue, category: string, row: ProjectWaiverRow) {
  const entry = catalogue.items.find((i) => i.item === row.item);
  return {
    item: row.item,
    name: entry?.name ?? null,
    department: row.department,
    kind: row.kind,
    basis: entry?.basis ?? null,
    source: entry?.source ?? null,
    rule: ruleNow(catalogue, row.item, category, row.kind),
    grantedBy: row.grantedBy,
    grantedAt: row.grantedAt,
    assessedAmount: row.assessedFen === null ? null : fenToYuan(row.assessedFen),
    rate: row.rate,
    waivedAmount: row.waivedFen === null ? null : fenToYuan(row.waivedFen),
    assessedBy: row.assessedBy,
    assessedAt: row.assessedAt,
    note: row.note,
  };
}

export interface WaiverRouteDeps {
  db: Db;
  catalogue: WaiverCatalogue;
  /** The project's live state (api/projects.ts): who may read it, its category. */
  readState: (id: string) => Promise<{ state: ProjectState }>;
}

/** GET and PUT under /api/projects/:id/waivers, added to the projects router. */
export function addProjectWaiverRoutes(router: Router, { db, catalogue, readState }: WaiverRouteDeps): void {
  /** The project's state and waivers, for a caller who may read the project or collects one of its fees
   *  (an industrial project's civil-defense office is no party to its stages, yet assesses its item). */
  async function readable(req: Request, id: string) {
    const { state } = await readState(id);
    const rows = await projectWaivers(db, id);
    const actor = req.actor as Actor;
    const collects = actor.role === 'reviewer' && rows.some((r) => r.department === actor.party);
    const refusal = collects ? null : readRefusal(actor, state);
    if (refusal) throw new HttpError(403, 'forbidden', refusal);
    return { state, rows };
  }

  router.get('/:id/waivers', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const { state, rows } = await readable(req, id);
    res.json({ project: id, category: state.project.category, items: rows.map((r) => waiverView(catalogue, state.project.category, r)) });
  });

  router.put('/:id/waivers/:item/assessment', async (req, res) => {
    const { id, item } = parse(waiverParams, req.params, 'params');
    // Only the collecting department's own reviewers: an assessment is theirs to make, not a proxy's.
    const by = authorizeRole(req, ['reviewer'], 'enter an assessed fee');
    const { state, rows } = await readable(req, id);
    const row = rows.find((r) => r.item === item);
    if (!row) throw new HttpError(404, 'not-found', `project ${id} has no fee waiver ${item}`);
    if (row.department !== by.party) throw new HttpError(403, 'forbidden', `${item} is assessed by ${row.department}, not ${by.party ?? 'no department'}`);
    const body = parse(assessmentBody, req.body, 'body');
    const rule = ruleNow(catalogue, item, state.project.category, row.kind);
    await assessWaiver(db, id, item, { assessedFen: yuanToFen(body.amount), rule, note: body.note }, by, new Date().toISOString());
    res.locals.auditDetail = `assessed ${item} at ${body.amount} yuan`;
    const [updated] = (await projectWaivers(db, id)).filter((r) => r.item === item);
    res.json(waiverView(catalogue, state.project.category, updated as ProjectWaiverRow));
  });
}

const yuan = (f: WaiverFigures) => ({
  granted: f.granted,
  projects: f.projects,
  assessed: f.assessed,
  assessedAmount: fenToYuan(f.assessedFen),
  waivedAmount: fenToYuan(f.waivedFen),
  rateMissing: f.rateMissing,
});

/** /api/waivers: the figures a district reports upward (leaders and admins). */
export function waiversRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/stats', async (req, res) => {
    authorizeRole(req, ['leader', 'admin'], 'read the fee-waiver figures');
    const q = parse(waiverStatsQuery, req.query, 'query');
    const stats = await waiverStatistics(db, statsWindow(q, Date.now()));
    res.json({
      from: stats.from,
      to: stats.to,
      totals: yuan(stats.totals),
      rows: stats.rows.map((r) => ({ category: r.category, locality: r.locality, ...yuan(r) })),
      items: stats.items.map((r) => ({ item: r.item, department: r.department, ...yuan(r) })),
    });
  });
  return router;
}

// ---- the answers' schemas (OpenAPI) ----

const ruleSchema = z.union([
  z.object({ kind: z.literal('exempt') }),
  z.object({ kind: z.literal('reduced'), rate: z.number().nullable().describe('share waived; null: not configured, so no amount is computed') }),
]);
export const waiverResponse = z
  .object({
    item: z.string(),
    name: z.object({ zh: z.string(), en: z.string() }).nullable().describe('null: the item is no longer in the catalogue'),
    department: z.enum(DEPARTMENTS).describe('the collecting department'),
    kind: z.enum(['exempt', 'reduced']).describe('as granted at registration'),
    basis: z.string().nullable().describe('the legal basis, as the catalogue words it'),
    source: z.string().nullable(),
    rule: ruleSchema.describe('the rule an assessment entered now applies'),
    grantedBy: z.string().describe('who registered the project (the catalogue decided the items)'),
    grantedAt: z.string(),
    assessedAmount: z.number().nullable().describe('yuan; null until the department enters it'),
    rate: z.number().nullable().describe('the rate the waived amount was computed with'),
    waivedAmount: z.number().nullable().describe('yuan; null until assessed, or when a reduction has no configured rate'),
    assessedBy: z.string().nullable(),
    assessedAt: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi('FeeWaiver');
export const projectWaiversResponse = z
  .object({ project: z.string(), category: z.enum(CATEGORIES), items: z.array(waiverResponse) })
  .openapi('ProjectFeeWaivers');
const figures = {
  granted: z.number().int().describe('waivers granted (project × item)'),
  projects: z.number().int(),
  assessed: z.number().int().describe('of them, assessed by their department'),
  assessedAmount: z.number().describe('yuan'),
  waivedAmount: z.number().describe('yuan'),
  rateMissing: z.number().int().describe('assessed, but a reduction without a configured rate: no amount waived is counted'),
};
export const waiverStatsResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    totals: z.object(figures),
    rows: z.array(z.object({ category: z.enum(CATEGORIES), locality: z.enum(LOCALITIES), ...figures })).describe('by category and locality'),
    items: z.array(z.object({ item: z.string(), department: z.enum(DEPARTMENTS), ...figures })).describe('by fee item'),
  })
  .openapi('FeeWaiverStatistics');

type Json = (schema: z.ZodType, description: string) => object;

export function registerWaiverPaths(
  registry: { registerPath(route: object): void; register<T extends z.ZodType>(name: string, schema: T): T },
  { security, json, errors }: { security: object[]; json: Json; errors: object },
): void {
  registry.registerPath({
    method: 'get',
    path: '/api/projects/{id}/waivers',
    summary: 'The fee waivers (费用减免) the project was granted at registration, with their basis and the assessed and waived amounts',
    description: "Allowed: whoever may read the project, and the reviewers of a department that collects one of its fees.",
    security,
    request: { params: projectParams },
    responses: { 200: json(projectWaiversResponse, 'The waivers'), ...errors },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/projects/{id}/waivers/{item}/assessment',
    summary: 'Enter (or correct) the assessed fee of a waived item; the waived amount follows from the catalogue’s rule (exempt: all of it; reduced: the configured rate, none while unset)',
    description: "Allowed: reviewers of the item's collecting department only. 404: the project has no such waiver.",
    security,
    request: { params: waiverParams, body: { content: { 'application/json': { schema: registry.register('FeeAssessment', assessmentBody) } } } },
    responses: { 200: json(waiverResponse, 'The waiver as it now stands'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/waivers/stats',
    summary: 'Fee waivers granted in the window (by registration day, Asia/Shanghai) and their assessed and waived amounts, by category and locality and by item',
    description: 'Allowed: leader, admin. The window defaults to this year, as /api/stats.',
    security,
    request: { query: waiverStatsQuery },
    responses: { 200: json(waiverStatsResponse, 'The figures'), ...errors },
  });
}
