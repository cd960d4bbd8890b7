// Activities of the housekeeping workflow: they act on Temporal and the record together, so they need the
// worker's own Temporal client (ActivityDeps.client) and fail, saying so, without one.
import { ApplicationFailure, log } from '@temporalio/activity';
import { cachedCalendar } from '../db/calendar';
import { shanghaiDate } from '../domain/calendar';
import type { Locality } from '../domain/codes';
import { composeDigest } from '../operations/digest';
import { reconcileOutOfSync, type ReconcileOutcome } from '../operations/reconcile';
import { findStuck } from '../operations/stuck';
import type { ActivityDeps } from './index';

/** Who reconciliations by housekeeping are recorded as. */
export const HOUSEKEEPING_ACTOR = 'system:housekeeping';
export const DIGEST_TO = ['role:leader', 'role:admin'] as const;

/** Each run passes the workflow's own time; `locality` keeps a run to one locality (all by default). */
export interface HousekeepingStep {
  now: number;
  locality?: Locality;
}

export function createOperationsActivities({ db, client, sink, stuck }: ActivityDeps) {
  const temporal = () => {
    if (client) return client;
    throw ApplicationFailure.nonRetryable('housekeeping needs a Temporal client: this worker was started without one (ActivityDeps.client)', 'NoTemporalClient');
  };
  return {
    /** Brings every project the record says active, but whose workflow is closed or gone, to what Temporal says. */
    async reconcileOutOfSync({ now, locality }: HousekeepingStep): Promise<{ checked: number; reconciled: { projectId: string; outcome: ReconcileOutcome }[] }> {
      const result = await reconcileOutOfSync(
        { db, client: temporal(), calendar: await cachedCalendar(db), now },
        { by: HOUSEKEEPING_ACTOR, reason: 'housekeeping: the record said active while Temporal had closed the workflow', ...(locality && { locality }) },
      );
      if (result.reconciled.length > 0) log.info('housekeeping reconciled projects', { reconciled: result.reconciled.map((r) => `${r.projectId}: ${r.outcome.outcome}`) });
      return result;
    },

    /** Once per working day (the first run of the day), the stuck list's digest to leaders and admins. */
    async sendStuckDigest({ now, locality }: HousekeepingStep): Promise<{ date: string; sent: boolean; reason?: string; total?: number }> {
      const calendar = await cachedCalendar(db);
      const date = shanghaiDate(now);
      if (!calendar.isWorkingDay(date)) return { date, sent: false, reason: 'not a working day' };
      const key = `digest/${date}${locality ? `/${locality}` : ''}`;
      // Composing it scans Temporal: done once a day, not on every run.
      if (sink.has && (await Promise.all(DIGEST_TO.map((to) => sink.has?.(`${key}/${to}`)))).every(Boolean)) return { date, sent: false, reason: 'already sent today' };
      const list = await findStuck({ db, client: temporal(), calendar, now, ...(stuck && { options: stuck }) }, locality ? { locality } : {});
      const subject = composeDigest(date, list);
      for (const to of DIGEST_TO) await sink.deliver({ key: `${key}/${to}`, to, subject });
      return { date, sent: true, total: list.entries.length };
    },
  };
}
