// /api/operations: what operators need each morning — the stuck list (admins; leaders read it) — and the
// reconciliation of a project whose record and workflow disagree (admins). The work is in operations/.
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { cachedCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { shanghaiDate } from '../domain/calendar';
import { TrailConflict } from '../db/record';
import { projectParams, reconcileBody, stuckQuery } from '../domain/schemas';
import { reconcileProject } from '../operations/reconcile';
import { findStuck, stuckPage, type StuckList, type StuckOptions } from '../operations/stuck';
import { authorizeRole } from './auth';
import { HttpError, parse } from './errors';

export interface OperationsDeps {
  client: Client;
  db: Db;
  /** The stuck list's thresholds (config/env.ts); defaults otherwise. */
  stuck?: Partial<StuckOptions>;
}

export function operationsRouter({ client, db, stuck }: OperationsDeps): Router {
  const router = Router();

  // A first page computes the list afresh (a scan of Temporal); the pages after it, asked for within a
  // minute, page through that same list — consistent pages, and one scan per look rather than per page.
  const lists = new Map<string, { at: number; list: StuckList }>();
  router.get('/stuck', async (req, res) => {
    authorizeRole(req, ['admin', 'leader'], 'read the stuck list');
    const { limit, cursor, ...filter } = parse(stuckQuery, req.query, 'query');
    const key = JSON.stringify(filter);
    const kept = lists.get(key);
    let list = cursor !== undefined && kept && Date.now() - kept.at < 60_000 ? kept.list : undefined;
    const calendar = await cachedCalendar(db);
    const now = Date.now();
    if (!list) {
      list = await findStuck({ db, client, calendar, now, ...(stuck && { options: stuck }) }, filter);
      lists.delete(key);
      lists.set(key, { at: Date.now(), list });
      // Only the latest few filters are kept.
      for (const old of lists.keys()) if (lists.size > 20) lists.delete(old);
    }
    const page = stuckPage(list, limit, cursor);
    // How long in the district's terms: working days from the case's start to today.
    const today = shanghaiDate(now);
    res.json({ ...page, entries: page.entries.map((e) => ({ ...e, sinceWorkingDays: calendar.workingDaysBetween(shanghaiDate(e.since), today) })) });
  });

  router.post('/projects/:id/reconcile', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorizeRole(req, ['admin'], 'reconcile a project');
    const { reason } = parse(reconcileBody, req.body, 'body');
    let result;
    try {
      result = await reconcileProject({ db, client, calendar: await cachedCalendar(db), now: Date.now() }, id, { by: by.id, reason });
    } catch (err) {
      // The completed workflow's trail rewrites what the record holds: the record keeps it; a person decides.
      if (err instanceof TrailConflict) throw new HttpError(409, 'refused', err.message, undefined, { code: 'trail-conflict' });
      throw err;
    }
    if (result.outcome === 'not-recorded') throw new HttpError(404, 'not-found', `the record has no project ${id}`);
    if (result.outcome === 'in-sync') {
      throw new HttpError(409, 'refused', `nothing to reconcile: the record says ${result.recorded} and Temporal says ${result.temporal}`, undefined, {
        code: 'nothing-to-reconcile',
        params: { recorded: result.recorded, temporal: result.temporal },
      });
    }
    res.locals.auditDetail = `reconcile: ${result.outcome} (Temporal: ${result.temporal}); reason: ${reason}`;
    res.json(result);
  });

  return router;
}
