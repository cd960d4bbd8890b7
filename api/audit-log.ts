// /api/audit: the audit log as a whole, for admins. GET /api/audit reads it across projects, newest first,
// filtered by who, what, which project, outcome and Shanghai dates (a project's agent reads that project's
// entries at /api/projects/:id/audit; across projects there is no such tie, so admins only). GET
// /api/audit/verify recomputes its hash chain (db/audit.ts) — the same check as `npm run ops --
// audit-verify`.
import { Router } from 'express';
import type { Principals } from '../config/principals';
import { auditPage, verifyAuditChain } from '../db/audit';
import type { Db } from '../db/connect';
import { AUDIT_ACTIONS, AUDIT_ACTION_NAMES, AUDIT_OUTCOMES, auditActionOf } from '../domain/audit-actions';
import { MAX_DATE, MIN_DATE, startOfShanghaiDay } from '../domain/calendar';
import { text } from '../domain/schemas';
import { z } from '../domain/zod';
import { authorizeRole } from './auth';
import { parse } from './errors';

const DAY_MS = 86_400_000;
const shanghaiDay = z.iso
  .date('must be a date, YYYY-MM-DD')
  .refine((d) => d >= MIN_DATE && d <= MAX_DATE, `must be between ${MIN_DATE} and ${MAX_DATE}`)
  .describe('a Shanghai date, YYYY-MM-DD (inclusive)');

export const auditLogQuery = z
  .object({
    actor: text(100).optional().describe("the principal's id (e.g. admin-01)"),
    action: z.enum(AUDIT_ACTION_NAMES).optional().describe('what was done: the commands of that kind (domain/audit-actions.ts)'),
    project: z.uuid('must be a project id (UUID)').optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional().describe('accepted, or why not'),
    from: shanghaiDay.optional(),
    to: shanghaiDay.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().regex(/^\d{1,18}$/, "must be the previous page's nextCursor").optional().describe("the previous page's nextCursor: the entries written before it"),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

const time = z.string().describe('ISO time (UTC)');
export const auditPageSchema = z
  .object({
    entries: z.array(
      z.object({
        seq: z.string().describe("the entry's place in the hash chain"),
        at: time,
        principalId: z.string().nullable(),
        principalName: z.string().nullable().describe("the principal's name, when the principals file knows it"),
        principalRole: z.string().nullable(),
        method: z.string(),
        path: z.string(),
        action: z.enum(AUDIT_ACTION_NAMES).nullable().describe('what the command was, when it is one of the known kinds'),
        projectId: z.string().nullable(),
        projectName: z.string().nullable().describe("the project's name in the record"),
        outcome: z.string().describe(`${AUDIT_OUTCOMES.join(' · ')}`),
        status: z.number().int(),
        detail: z.string().nullable().describe("what the command said: a repair's reason, a refusal's message"),
      }),
    ),
    nextCursor: z.string().optional().describe('pass as cursor for the next (older) page'),
  })
  .openapi('AuditPage');

export function auditLogRouter({ db, principals }: { db: Db; principals: Principals }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    authorizeRole(req, ['admin'], 'read the audit log across projects');
    const { limit, cursor, actor, action, project, outcome, from, to } = parse(auditLogQuery, req.query, 'query');
    const entries = await auditPage(
      db,
      {
        ...(actor !== undefined && { actor }),
        ...(action !== undefined && { action: AUDIT_ACTIONS[action] }),
        ...(project !== undefined && { projectId: project }),
        ...(outcome !== undefined && { outcome }),
        ...(from !== undefined && { from: new Date(startOfShanghaiDay(from)) }),
        ...(to !== undefined && { to: new Date(startOfShanghaiDay(to) + DAY_MS) }),
      },
      { limit, ...(cursor !== undefined && { before: cursor }) },
    );
    const last = entries[entries.length - 1];
    res.json({
      entries: entries.map((e) => ({
        ...e,
        principalName: (e.principalId !== null && principals.find(e.principalId)?.name) || null,
        action: auditActionOf(e.method, e.path) ?? null,
      })),
      ...(entries.length === limit && last && { nextCursor: last.seq }),
    });
  });

  router.get('/verify', async (req, res) => {
    authorizeRole(req, ['admin'], 'verify the audit log');
    res.json(await verifyAuditChain(db));
  });
  return router;
}
