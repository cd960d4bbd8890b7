// Reset: Temporal's repair for a project a bad deploy or a bug has stopped — back to the last workflow
// task that completed before the first failure (or an event an operator names), with every signal and
// Update received after that point applied again. The project's trail records it (a held note, applied
// when the new run starts), and the answer says what was kept.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import type { Actor, OperationNoteInput } from '../domain/project';
import { heldCommand, noteOperation, workflowIdFor } from '../workflows/messages';
import { describeProject } from './temporal';
import type { RefusalDetail } from '../domain/refusals';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;

/** Why a reset cannot be done as asked; the API answers with `status`, naming `field` when it is one. */
export class ResetRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly field?: string,
    /** A 409's code and facts, for words in the caller's language (domain/refusals.ts). */
    readonly refusal?: RefusalDetail,
  ) {
    super(message);
  }
}

export interface ResetRequest {
  projectId: string;
  reason: string;
  by: Actor;
  /** The id of a WorkflowTaskCompleted event of the current run; by default the last one before the first failure. */
  to?: number;
  /** Temporal deduplicates resets by it (an Idempotency-Key). */
  requestId?: string;
}

export interface ResetAnswer {
  workflowId: string;
  previousRunId: string;
  runId: string;
  resetTo: { eventId: number; type: string; at: string | null };
  /** Received after that point and applied again to the new run. */
  kept: { signals: { eventId: number; name: string }[]; updates: { eventId: number; name: string; id: string }[] };
  message: string;
}

const typeName = (e: HistoryEvent) => EventType[e.eventType ?? 0]?.replace(/^EVENT_TYPE_/, '') ?? 'UNKNOWN';
const eventTime = (e: HistoryEvent) => (e.eventTime?.seconds != null ? new Date(Number(e.eventTime.seconds) * 1000).toISOString() : null);
const FAILED_TASK = new Set([EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT]);

/** The reset point: the named event, or the last completed workflow task before the first failed one. */
export function resetPoint(events: HistoryEvent[], to?: number): HistoryEvent {
  const completed = (e: HistoryEvent) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
  if (to !== undefined) {
    const named = events.find((e) => Number(e.eventId) === to);
    if (!named || !completed(named)) throw new ResetRefused(400, `event ${to} is not a completed workflow task of the project's current run`, 'body.to');
    return named;
  }
  // The project is stuck when a workflow task failed after the last one that completed (Temporal writes
  // the first failure only). The failure a reset itself writes into the new run does not count.
  const lastCompleted = events.map(completed).lastIndexOf(true);
  const isFailure = (e: HistoryEvent) =>
    FAILED_TASK.has(e.eventType ?? 0) && e.workflowTaskFailedEventAttributes?.cause !== WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW;
  const firstFailure = events.findIndex((e, i) => i > lastCompleted && isFailure(e));
  if (firstFailure < 0) {
    throw new ResetRefused(409, "the project's workflow tasks are not failing: nothing to reset to by default (name a completed workflow task's event id in `to`)", undefined, { code: 'reset-not-failing' });
  }
  const point = events.slice(0, firstFailure).reverse().find(completed);
  if (!point) throw new ResetRefused(409, 'the project failed before its first workflow task completed: there is no earlier point to reset to', undefined, { code: 'reset-no-earlier-point' });
  return point;
}

/** Signals and Updates after the point: in the new run's history, what Temporal applied again. */
export function keptAfter(events: HistoryEvent[], point: HistoryEvent): ResetAnswer['kept'] {
  const after = events.filter((e) => Number(e.eventId) > Number(point.eventId));
  return {
    signals: after
      .filter((e) => e.workflowExecutionSignaledEventAttributes)
      .map((e) => ({ eventId: Number(e.eventId), name: e.workflowExecutionSignaledEventAttributes?.signalName ?? '' })),
    updates: after
      .filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateAdmittedEventAttributes)
      .map((e) => {
        const request = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest ?? e.workflowExecutionUpdateAdmittedEventAttributes?.request;
        return { eventId: Number(e.eventId), name: request?.input?.name ?? '', id: request?.meta?.updateId ?? '' };
      }),
  };
}

export async function resetProject(client: Client, { projectId, reason, by, to, requestId = randomUUID() }: ResetRequest): Promise<ResetAnswer> {
  const workflowId = workflowIdFor(projectId);
  const description = await describeProject(client, projectId);
  if (!description) throw new ResetRefused(404, `no project ${projectId} in Temporal`);
  const events = (await client.workflow.getHandle(workflowId, description.runId).fetchHistory()).events ?? [];
  // The same request again (an Idempotency-Key): the run it made is answered for, not reset once more.
  const marker = `[request ${requestId}]`;
  const made = events.find(
    (e) =>
      e.workflowTaskFailedEventAttributes?.cause === WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW &&
      e.workflowTaskFailedEventAttributes.failure?.message?.includes(marker),
  );
  if (made) return answerFor(client, workflowId, made.workflowTaskFailedEventAttributes?.baseRunId ?? '', description.runId, Number(made.eventId));
  const previousRunId = description.runId;
  const point = resetPoint(events, to);
  const { runId } = (await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId, runId: previousRunId },
    reason: `${by.id}: ${reason} ${marker}`,
    workflowTaskFinishEventId: Long.fromValue(point.eventId ?? 0),
    requestId,
    resetReapplyType: temporal.api.enums.v1.ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE,
  })) as temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse;
  if (!runId) throw new Error(`Temporal reset ${workflowId} without naming the new run`);
  const answer = await answerFor(client, workflowId, previousRunId, runId, Number(point.eventId));
  // Into the trail: held, so that it is applied once the new run runs, whichever build is deployed.
  const note: OperationNoteInput = { operation: 'reset', reason, detail: answer.message.replace(/^reset /, '').replace(/; activities.*$/, ''), by };
  await client.workflow.getHandle(workflowId, runId).signal(heldCommand, { name: noteOperation.name, updateId: `reset/${runId}`, input: note });
  return answer;
}

/** What a reset did, read from the runs: the point in the base run, and what the new run received after it
 *  (signals that arrived while a workflow task was in flight were still buffered in the old run when it
 *  was read before the reset, and Temporal carries those over too). */
async function answerFor(client: Client, workflowId: string, previousRunId: string, runId: string, pointId: number): Promise<ResetAnswer> {
  const [base, fresh] = await Promise.all([previousRunId, runId].map(async (run) => (await client.workflow.getHandle(workflowId, run).fetchHistory()).events ?? []));
  const point: HistoryEvent = base?.find((e) => Number(e.eventId) === pointId) ?? { eventId: Long.fromNumber(pointId) };
  const kept = keptAfter(fresh ?? [], point);
  const summary =
    `to event #${pointId} (${typeName(point)}${eventTime(point) ? ` at ${eventTime(point)}` : ''}); ` +
    `kept ${kept.signals.length} signal(s) and ${kept.updates.length} update(s) received after it`;
  return {
    workflowId,
    previousRunId,
    runId,
    resetTo: { eventId: pointId, type: typeName(point), at: eventTime(point) },
    kept,
    message: `reset ${summary}; activities and timers after that point run again`,
  };
}
