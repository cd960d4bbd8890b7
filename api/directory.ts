// /api/directory: the liaison directory that notices are addressed to — read by the window, leaders and
// admins; each post's people replaced by an admin, as a new version with who, when, why and what.
import { Router } from 'express';
import type { Principals } from '../config/principals';
import type { Db } from '../db/connect';
import { changePost, currentDirectory, directoryHistory } from '../db/directory';
import { addressee, isPost, postBody, postParams } from '../domain/directory';
import { z } from '../domain/zod';
import { authorizeRole } from './auth';
import { HttpError, parse } from './errors';

export const historyQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z
      .string()
      .regex(/^[1-9][0-9]{0,9}$/, 'must be a nextCursor from an earlier page')
      .optional(),
  })
  .strict();

const names = (people: { name: string; email: string }[]) => people.map(addressee).join(', ') || 'nobody';

export function directoryRouter({ db, principals }: { db: Db; principals: Principals }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    authorizeRole(req, ['admin', 'leader', 'window'], 'read the liaison directory');
    res.json(await currentDirectory(db));
  });

  router.get('/history', async (req, res) => {
    authorizeRole(req, ['admin'], "read the liaison directory's history");
    const { limit, cursor } = parse(historyQuery, req.query, 'query');
    const { versions, more } = await directoryHistory(db, { limit, before: cursor === undefined ? undefined : Number(cursor) });
    res.json({ versions, ...(more && { nextCursor: String(versions.at(-1)!.version) }) });
  });

  // A post id holds a slash (party:planning/liaison): sent as it is or encoded (%2F), both reach here.
  router.put('/posts/*post', async (req, res) => {
    const by = authorizeRole(req, ['admin'], 'change the liaison directory');
    const { post } = parse(postParams, req.params, 'params');
    if (!isPost(post)) throw new HttpError(404, 'not-found', `no directory post ${post} (e.g. party:planning/liaison, locality:zhujing, coordination-group, agent-station, window)`);
    const body = parse(postBody, req.body, 'body');
    const unknown = body.people.flatMap((p, i) => (p.principalId !== undefined && !principals.find(p.principalId) ? [{ path: `body.people.${i}.principalId`, message: `no principal ${p.principalId}` }] : []));
    if (unknown.length > 0) throw new HttpError(400, 'invalid-request', `invalid ${unknown.map((u) => u.path).join(', ')}`, unknown);
    const changed = await changePost(db, { post, people: body.people, by: by.id, reason: body.reason });
    res.locals.auditDetail = `directory ${post} version ${changed.version}: ${names(changed.before)} → ${names(changed.after)}${body.reason ? `; reason: ${body.reason}` : ''}`;
    res.json({ post, version: changed.version, people: changed.after });
  });

  return router;
}
