// /api/audit: the audit log as a whole. GET /api/audit/verify recomputes its hash chain (db/audit.ts) —
// the same check as `npm run ops -- audit-verify` — for admins.
import { Router } from 'express';
import { verifyAuditChain } from '../db/audit';
import type { Db } from '../db/connect';
import { authorizeRole } from './auth';

export function auditLogRouter({ db }: { db: Db }): Router {
  const router = Router();
  router.get('/verify', async (req, res) => {
    authorizeRole(req, ['admin'], 'verify the audit log');
    res.json(await verifyAuditChain(db));
  });
  return router;
}
