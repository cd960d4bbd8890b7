// Records every command (POST, PUT, DELETE under /api) in the audit log once its answer is known —
// including those refused before they reach a route (no token, not JSON, too large), and those whose
// caller hung up before the answer (the answer is still produced, and recorded).
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { appendAudit } from '../db/audit';
import type { Db } from '../db/connect';

const OUTCOMES: Record<number, string> = { 400: 'invalid', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 409: 'refused', 413: 'invalid', 415: 'invalid' };
const PROJECT_ID = /^\/api\/projects\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;

export function auditCommands(db: Db, logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const at = new Date().toISOString();
    let recorded = false;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      if (!recorded) {
        recorded = true;
        record();
      }
      return end(...args);
    }) as typeof res.end;
    const record = () => {
      const status = res.statusCode;
      const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
      const created = status === 201 ? (res.getHeader('location') as string | undefined) : undefined;
      const projectId = PROJECT_ID.exec(created ?? path)?.[1] ?? null;
      appendAudit(db, {
        at,
        principalId: req.actor?.id ?? null,
        principalRole: req.actor?.role ?? null,
        method: req.method,
        path,
        projectId,
        outcome: status < 400 ? 'accepted' : (OUTCOMES[status] ?? 'error'),
        status,
        detail: (res.locals.auditDetail as string | undefined) ?? null,
      }).catch((err: unknown) => logger.error({ err, method: req.method, path }, 'audit log write failed'));
    };
    next();
  };
}
