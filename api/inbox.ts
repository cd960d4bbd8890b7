// /api/inbox: the signed-in person's notices (unread first, in their language), marking one read, and
// taking charge of an escalation, correction or reminder (acknowledge), which is also recorded on the
// project. A notice outside the person's inbox is 404: whose notices exist is not disclosed.
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { ACKNOWLEDGEABLE, acknowledged, inbox, inboxNotice, markNotice, type NoticeKind } from '../db/notices';
import type { Db } from '../db/connect';
import type { NoticeContent } from '../domain/notice-texts';
import type { AcknowledgementInput, Actor } from '../domain/project';
import { inboxQuery, noticeParams } from '../domain/schemas';
import { ActionRefused, sendAction } from '../operations/actions';
import { acknowledgeNotice } from '../workflows/messages';
import { HttpError, parse } from './errors';

export interface InboxDeps {
  db: Db;
  /** Temporal (sealed), to record an acknowledgement on the project. */
  client: Client;
  acceptTimeoutMs: number;
  /** Where the console is (PUBLIC_URL), for the notices' links. */
  publicUrl?: string;
}

/** What a notice asked someone to take charge of, as the project records it. */
function acknowledgement(id: string, kind: NoticeKind, content: NoticeContent | null, by: Actor): AcknowledgementInput {
  const m = content?.message;
  const facts = m && (m.t === 'escalation' ? { stage: m.stage, party: m.party, tier: m.tier } : m.t === 'correction-requested' ? { stage: m.stage, party: m.party } : m.t === 'reminder' ? { stage: m.stage } : {});
  return { notice: id, kind: kind as AcknowledgementInput['kind'], ...facts, by };
}

export function inboxRouter({ db, client, acceptTimeoutMs, publicUrl }: InboxDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { kind, project, unread, limit, cursor, lang } = parse(inboxQuery, req.query, 'query');
    res.json(
      await inbox(db, req.actor as Actor, {
        limit,
        ...(kind && { kind }),
        ...(project && { project }),
        ...(unread !== undefined && { unread }),
        ...(cursor && { cursor }),
        ...(lang && { language: lang }),
        ...(publicUrl && { publicUrl }),
      }),
    );
  });

  const mark = (acknowledge: boolean) =>
    router.post(`/:id/${acknowledge ? 'acknowledge' : 'read'}`, async (req, res) => {
      const { id } = parse(noticeParams, req.params, 'params');
      const actor = req.actor as Actor;
      const notice = await inboxNotice(db, actor, id);
      if (!notice) throw new HttpError(404, 'not-found', `no notice ${id} in your inbox`);
      if (acknowledge && !(ACKNOWLEDGEABLE as readonly string[]).includes(notice.kind as NoticeKind)) {
        throw new HttpError(409, 'refused', `a ${notice.kind} notice is read, not taken charge of (acknowledge: ${ACKNOWLEDGEABLE.join(', ')})`, undefined, {
          code: 'notice-not-acknowledgeable',
          params: { kind: notice.kind },
        });
      }
      res.locals.auditDetail = `${acknowledge ? 'acknowledged' : 'read'} notice ${id} (${notice.kind}${notice.project_id ? `, project ${notice.project_id}` : ''})`;
      // Taking charge is recorded on the project first (once per person and notice: the Update's id says
      // so), then in the inbox; a project that takes no more actions leaves it to the inbox.
      let onProject: 'recorded' | 'already' | 'held' | 'closed' | undefined;
      if (acknowledge && notice.project_id) {
        if (await acknowledged(db, actor, id)) onProject = 'already';
        else {
          const input = acknowledgement(id, notice.kind as NoticeKind, notice.content as NoticeContent | null, actor);
          try {
            const outcome = await sendAction({ client, db, acceptTimeoutMs }, notice.project_id, acknowledgeNotice, input, `acknowledge/${id}/${actor.id}`);
            onProject = outcome.held ? 'held' : 'recorded';
          } catch (err) {
            if (!(err instanceof ActionRefused)) throw err;
            if (err.status === 503) throw new HttpError(503, 'busy', `${err.message}; send it again`);
            if (err.status === 403) throw new HttpError(403, 'forbidden', err.message);
            onProject = 'closed';
          }
        }
      }
      res.json({ id, kind: notice.kind, projectId: notice.project_id, ...(await markNotice(db, actor, id, acknowledge, new Date())), ...(onProject && { onProject }) });
    });
  mark(false);
  mark(true);

  return router;
}
