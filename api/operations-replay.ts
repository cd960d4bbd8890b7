// POST /api/operations/projects/:id/replay (admin): replays the project's live history against the
// workflow code this process runs, so an operator can check one project before or after a deploy without
// a shell. The code is bundled once, on first use (it takes seconds).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Router } from 'express';
import { operationBody, projectParams } from '../domain/schemas';
import { currentBundle, describeDivergence, fetchHistory, replayOne } from '../operations/replay';
import { workflowIdFor } from '../workflows/messages';
import { authorize } from './auth';
import { HttpError, parse } from './errors';

export function operationsReplayRouter({ client }: { client: Client }): Router {
  const router = Router();
  router.post('/projects/:id/replay', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    authorize(req, 'check-replay');
    parse(operationBody, req.body ?? {}, 'body');
    const workflowId = workflowIdFor(id);
    const history = await fetchHistory(client, workflowId).catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5) {
        throw new HttpError(404, 'not-found', `no project ${id} in Temporal (never registered, or its history has been deleted)`);
      }
      throw err;
    });
    const verdict = await replayOne(await currentBundle(), history);
    if (verdict.ok) {
      res.locals.auditDetail = 'compatible';
      res.json({ workflowId, compatible: true });
      return;
    }
    const { kind, error, divergingEvent } = verdict;
    res.locals.auditDetail = `incompatible: ${divergingEvent ? `${describeDivergence(divergingEvent)}: ` : ''}${error}`;
    res.json({ workflowId, compatible: false, kind, error, ...(divergingEvent && { divergingEvent }) });
  });
  return router;
}
