// /api/operations: the operators' repairs that act on Temporal itself (admins; each with a reason, in the
// audit log and the project's trail).
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { projectParams, resetBody } from '../domain/schemas';
import { ResetRefused, resetProject } from '../operations/reset';
import { authorize } from './auth';
import { HttpError, parse } from './errors';
import { requestDigest, uuidFrom } from './idempotency';

export function operationsRepairsRouter({ client }: { client: Client }): Router {
  const router = Router();

  router.post('/projects/:id/reset', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorize(req, 'repair');
    const body = parse(resetBody, req.body, 'body');
    res.locals.auditDetail = `reset${body.to !== undefined ? ` to event ${body.to}` : ''}: ${body.reason}`;
    try {
      const digest = requestDigest(req, by, body);
      res.json(await resetProject(client, { projectId: id, by, reason: body.reason, ...(body.to !== undefined && { to: body.to }), ...(digest && { requestId: uuidFrom(digest) }) }));
    } catch (err) {
      if (!(err instanceof ResetRefused)) throw err;
      if (err.field) throw new HttpError(400, 'invalid-request', `invalid ${err.field}`, [{ path: err.field, message: err.message }]);
      throw new HttpError(err.status, err.status === 404 ? 'not-found' : 'refused', err.message);
    }
  });

  return router;
}
