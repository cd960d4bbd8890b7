// Reconciliation: when the record says a project is active but Temporal has closed its workflow (or no
// longer has it), the record is brought to what Temporal says — never further. A completed workflow's
// result is its final state; a terminated, timed-out, failed or cancelled one is recorded as terminated,
// with the closing event's time, identity and reason; a workflow Temporal does not know is noted as
// missing, and no closure is invented. Every reconciliation leaves a note on the project.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connect';
import { addProjectNote, latestNotes } from '../db/operations';
import { readProjectRecord, writeProjectRecord } from '../db/record';
import type { WorkingCalendar } from '../domain/calendar';
import type { ProjectState } from '../domain/project';
import { LOCALITIES } from '../domain/codes';
import { WORKFLOW_TYPE, workflowIdFor } from '../workflows/messages';
import { describeProject, isAbnormalClose, mapLimit, terminationOf } from './temporal';

export interface ReconcileDeps {
  db: Db;
  client: Client;
  calendar: WorkingCalendar;
  now: number;
}

export type ReconcileOutcome =
  | { outcome: 'completed'; temporal: 'COMPLETED' }
  | { outcome: 'terminated'; temporal: string; termination: NonNullable<ProjectState['termination']> }
  | { outcome: 'missing'; temporal: 'not found'; alreadyNoted: boolean }
  /** Nothing to do: the record does not say active, or the workflow runs. */
  | { outcome: 'in-sync'; temporal: string; recorded: string }
  | { outcome: 'not-recorded' };

/** Brings one project's record to what Temporal says; `by` and `reason` go into the project's note. */
export async function reconcileProject(deps: ReconcileDeps, projectId: string, { by, reason }: { by: string; reason: string }): Promise<ReconcileOutcome> {
  const { db, client, calendar, now } = deps;
  const recorded = await readProjectRecord(db, projectId);
  if (!recorded) return { outcome: 'not-recorded' };
  const description = await describeProject(client, projectId);
  const temporalStatus = description?.status.name ?? 'not found';
  if (recorded.status !== 'active' || temporalStatus === 'RUNNING') return { outcome: 'in-sync', temporal: temporalStatus, recorded: recorded.status };
  const at = new Date(now).toISOString();

  if (!description) {
    // Gone from Temporal (deleted, or the namespace lost it): only a note; the stuck list keeps showing it.
    const alreadyNoted = (await latestNotes(db, [projectId])).get(projectId)?.some((n) => n.kind === 'missing-in-temporal') ?? false;
    if (!alreadyNoted) {
      await addProjectNote(db, projectId, { at, by, kind: 'missing-in-temporal', note: `Temporal has no workflow ${workflowIdFor(projectId)} while the record says active; nothing was closed. ${reason}` });
    }
    return { outcome: 'missing', temporal: 'not found', alreadyNoted };
  }

  if (temporalStatus === 'COMPLETED') {
    const final = (await client.workflow.getHandle(workflowIdFor(projectId)).result()) as ProjectState;
    await writeProjectRecord(db, final, calendar, now);
    await addProjectNote(db, projectId, { at, by, kind: 'reconciled-completed', note: `the record took the completed workflow's final state (${final.status}). ${reason}` });
    return { outcome: 'completed', temporal: 'COMPLETED' };
  }

  if (!isAbnormalClose(temporalStatus)) return { outcome: 'in-sync', temporal: temporalStatus, recorded: recorded.status };
  const termination = await terminationOf(client, projectId, temporalStatus);
  // The recorded state as it was, closed: the same snapshot version, so a later write by the workflow (a
  // Temporal reset that runs it again) replaces this.
  await writeProjectRecord(db, { ...recorded, status: 'terminated', termination }, calendar, now);
  await addProjectNote(db, projectId, {
    at,
    by,
    kind: 'reconciled-terminated',
    note: `recorded as terminated: Temporal says ${temporalStatus} at ${termination.at}${termination.by ? ` by ${termination.by}` : ''} (${termination.reason}). ${reason}`,
  });
  return { outcome: 'terminated', temporal: temporalStatus, termination };
}

/** Every project the record says active whose workflow is closed or gone, reconciled (housekeeping). */
export async function reconcileOutOfSync(
  deps: ReconcileDeps,
  { by, reason, locality, concurrency = 16 }: { by: string; reason: string; locality?: string; concurrency?: number },
): Promise<{ checked: number; reconciled: { projectId: string; outcome: ReconcileOutcome }[] }> {
  const { db, client } = deps;
  let query = db.selectFrom('projects').select('id').where('status', '=', 'active');
  if (locality) query = query.where('locality', '=', locality);
  const ids = (await query.execute()).map((r) => r.id);
  // One visibility listing of the running projects spares a describe of each: only the others (closed,
  // gone, or started too recently to be listed) are looked at one by one.
  const running = new Set<string>();
  const known = locality !== undefined && (LOCALITIES as readonly string[]).includes(locality) ? locality : undefined;
  const listing = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'${known ? ` AND ProjectLocality = '${known}'` : ''}`;
  try {
    for await (const w of client.workflow.list({ query: listing, pageSize: 1000 })) running.add(w.workflowId);
  } catch {
    // A server without visibility (the time-skipping test server): every project is described instead.
    running.clear();
  }
  const suspects = ids.filter((id) => !running.has(workflowIdFor(id)));
  const outcomes = await mapLimit(suspects, concurrency, async (projectId) => {
    const description = await describeProject(client, projectId);
    if (description?.status.name === 'RUNNING') return undefined;
    return { projectId, outcome: await reconcileProject(deps, projectId, { by, reason }) };
  });
  // What changed: a project already noted as missing is not news.
  const reconciled = outcomes.filter(
    (o): o is NonNullable<typeof o> => o !== undefined && o.outcome.outcome !== 'in-sync' && !(o.outcome.outcome === 'missing' && o.outcome.alreadyNoted),
  );
  return { checked: ids.length, reconciled };
}
