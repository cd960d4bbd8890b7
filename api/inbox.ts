// /api/inbox: the signed-in person's notices (unread first), marking one read, and taking charge of an
// escalation, correction or reminder (acknowledge). A notice outside the person's inbox is 404: whose
// notices exist is not disclosed.
import { Router } from 'express';
import { ACKNOWLEDGEABLE, inbox, inboxNotice, markNotice, type NoticeKind } from '../db/notices';
import type { Db } from '../db/connect';
import type { Actor } from '../domain/project';
import { inboxQuery, noticeParams } from '../domain/schemas';
import { HttpError, parse } from './errors';

export function inboxRouter({ db }: { db: Db }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { kind, project, unread, limit, cursor } = parse(inboxQuery, req.query, 'query');
    res.json(await inbox(db, req.actor as Actor, { limit, ...(kind && { kind }), ...(project && { project }), ...(unread !== undefined && { unread }), ...(cursor && { cursor }) }));
  });

  const mark = (acknowledge: boolean) =>
    router.post(`/:id/${acknowledge ? 'acknowledge' : 'read'}`, async (req, res) => {
      const { id } = parse(noticeParams, req.params, 'params');
      const actor = req.actor as Actor;
      const notice = await inboxNotice(db, actor, id);
      if (!notice) throw new HttpError(404, 'not-found', `no notice ${id} in your inbox`);
      if (acknowledge && !(ACKNOWLEDGEABLE as readonly string[]).includes(notice.kind as NoticeKind)) {
        throw new HttpError(409, 'refused', `a ${notice.kind} notice is read, not taken charge of (acknowledge: ${ACKNOWLEDGEABLE.join(', ')})`);
      }
      res.locals.auditDetail = `${acknowledge ? 'acknowledged' : 'read'} notice ${id} (${notice.kind}${notice.project_id ? `, project ${notice.project_id}` : ''})`;
      res.json({ id, kind: notice.kind, projectId: notice.project_id, ...(await markNotice(db, actor, id, acknowledge, new Date())) });
    });
  mark(false);
  mark(true);

  return router;
}
