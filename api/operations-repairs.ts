// /api/operations: the operators' repairs that act on Temporal itself (admins; each with a reason, in the
// audit log and the project's trail).
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { batchBody, batchParams, projectParams, resetBody } from '../domain/schemas';
import { cachedCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { BatchRefused, batchProgress, startBatch } from '../operations/batch';
import { ResetRefused, resetProject } from '../operations/reset';
import { authorize, authorizeRole } from './auth';
import { HttpError, parse } from './errors';
import { requestDigest, uuidFrom } from './idempotency';

export function operationsRepairsRouter({ client, db, taskQueue }: { client: Client; db: Db; taskQueue: string }): Router {
  const router = Router();

  router.post('/batches', async (req, res) => {
    const by = authorize(req, 'repair');
    const { filter, ...body } = parse(batchBody, req.body, 'body');
    res.locals.auditDetail = `batch ${body.action} (max ${body.max}) ${JSON.stringify(filter)}: ${body.reason}`;
    const digest = requestDigest(req, by, { filter, ...body });
    try {
      const { pending, ...rest } = filter;
      if (pending === 'me') throw new HttpError(400, 'invalid-request', 'invalid body.filter.pending', [{ path: 'body.filter.pending', message: "name the party: 'me' is a reviewer's own worklist" }]);
      const ask = { ...body, by, filter: { ...rest, ...(pending && { pending }) }, ...(body.action === 'calendar' && { year: body.year ?? new Date().getFullYear() }) };
      const started = await startBatch({ client, db, taskQueue, calendar: await cachedCalendar(db) }, ask, digest ? uuidFrom(digest) : undefined);
      res.locals.auditDetail = `batch ${started.id} ${body.action} on ${started.total} project(s) (max ${body.max}): ${body.reason}`;
      res.status(202).location(`/api/operations/batches/${started.id}`).json({ id: started.id, action: body.action, total: started.total, projectIds: started.projectIds });
    } catch (err) {
      if (!(err instanceof BatchRefused)) throw err;
      if (err.field) throw new HttpError(400, 'invalid-request', `invalid ${err.field}`, [{ path: err.field, message: err.message }]);
      throw new HttpError(err.status, 'refused', err.message, undefined, err.refusal);
    }
  });

  router.get('/batches/:id', async (req, res) => {
    authorizeRole(req, ['admin', 'leader'], 'read operations batches');
    const { id } = parse(batchParams, req.params, 'params');
    try {
      res.json(await batchProgress(client, id));
    } catch (err) {
      if (!(err instanceof BatchRefused)) throw err;
      throw new HttpError(err.status, 'not-found', err.message);
    }
  });

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
      throw new HttpError(err.status, err.status === 404 ? 'not-found' : 'refused', err.message, undefined, err.refusal);
    }
  });

  return router;
}
