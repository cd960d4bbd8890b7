// Records every command (POST, PUT, PATCH, DELETE under /api) in the audit log before its answer leaves:
// the answer's end is held until the entry has been committed, so an action answered just before a crash
// is in the log. That covers commands refused before they reach a route (not JSON, too large) and those
// whose caller hung up (the answer is still produced, and recorded). Not recorded: 401s — anyone can send
// them, so they are counted (one_window_unauthenticated_requests_total) rather than stored.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { appendAudit, type AuditEntry } from '../db/audit';
import type { Db } from '../db/connect';
import type { Metrics } from './metrics';

const AUDITED = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const OUTCOMES: Record<number, string> = { 400: 'invalid', 403: 'forbidden', 404: 'not-found', 409: 'refused', 413: 'invalid', 415: 'invalid' };
const PROJECT_ID = /^\/api\/(?:operations\/)?projects\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;
/** Longer paths and details are cut (ending in …): a caller does not decide how much the log grows. */
export const MAX_PATH = 512;
export const MAX_DETAIL = 1024;
/** Waits before the second and third attempt to write an entry. */
const RETRY_DELAYS_MS = [50, 250];

const cap = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function auditCommands(db: Db, logger: Logger, metrics: Metrics): RequestHandler {
  async function write(entry: AuditEntry): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await appendAudit(db, entry);
      } catch (err) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          // Answering anyway: the action has happened; refusing to say so would not undo it.
          metrics.auditWriteFailures.inc();
          logger.error({ err, entry }, 'audit log write failed; the command was answered without its audit entry');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  return (req, res, next) => {
    if (!AUDITED.has(req.method)) return next();
    const at = new Date().toISOString();
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    let held = false;
    res.end = ((...args: unknown[]) => {
      if (held) return end(...args);
      held = true;
      const status = res.statusCode;
      if (status === 401) return end(...args);
      const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
      const created = status === 201 ? (res.getHeader('location') as string | undefined) : undefined;
      const detail = res.locals.auditDetail as string | undefined;
      void write({
        at,
        principalId: req.actor?.id ?? null,
        principalRole: req.actor?.role ?? null,
        method: req.method,
        path: cap(path, MAX_PATH),
        projectId: PROJECT_ID.exec(created ?? path)?.[1] ?? null,
        outcome: status < 400 ? 'accepted' : (OUTCOMES[status] ?? 'error'),
        status,
        detail: detail === undefined ? null : cap(detail, MAX_DETAIL),
      })
        .then(() => end(...args))
        .catch((err: unknown) => logger.error({ err }, 'answering after the audit entry failed'));
      return res;
    }) as typeof res.end;
    next();
  };
}
