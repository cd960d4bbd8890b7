// operations/: what operators run against live projects, shared by the API (api/operations-*.ts) and the
// command line (scripts/). Here: replaying real histories against a workflow build, to learn before a
// deploy whether the new code takes the same path the running projects took (`npm run replay`,
// POST /api/operations/projects/:id/replay).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Client, HistoryAndWorkflowId } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundle } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleOptions, bundleWorkflows } from '../worker/bundle';
import { workflowSpanSinks } from '../tracing/temporal';
import { WORKFLOW_TYPE } from '../workflows/messages';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** How many histories one visibility query may bring back. */
export const QUERY_LIMIT = { default: 100, max: 1000 } as const;

// ---- histories from files ----

/**
 * A history saved as JSON: the export of `temporal workflow show --output json` or a saved fixture
 * (test/fixtures/histories), both protobuf JSON. The workflow id is the one the history names (the CLI's
 * export has it), else the project's own id from the registration in its input (saved fixtures), else
 * the file's name.
 */
export function historyFromFile(path: string): HistoryAndWorkflowId {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not a history file: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { events?: unknown }).events)) {
    throw new Error(`${path}: not a history file: no "events" list (export one with temporal workflow show --output json)`);
  }
  const history = historyFromJSON(json) as History;
  return { workflowId: workflowIdOf(history) ?? basename(path).replace(/\.json$/, ''), history: history as HistoryAndWorkflowId['history'] };
}

function workflowIdOf(history: History): string | undefined {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (started?.workflowId) return started.workflowId;
  const data = started?.input?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    const id = (JSON.parse(Buffer.from(data).toString('utf8')) as { project?: { id?: unknown } }).project?.id;
    return typeof id === 'string' ? `project-${id}` : undefined;
  } catch {
    return undefined;
  }
}

// ---- histories from the server ----

/** The history of one workflow (its latest run: the one a new worker would meet). */
export async function fetchHistory(client: Client, workflowId: string): Promise<HistoryAndWorkflowId> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return { workflowId, history };
}

/** A visibility query, restricted to projects. */
export function projectQuery(query?: string): string {
  const own = `WorkflowType='${WORKFLOW_TYPE}'`;
  return query === undefined || query.trim() === '' ? own : `${own} AND (${query})`;
}

/** The open projects' query: the ones a deploy would meet. */
export const OPEN_PROJECTS = "ExecutionStatus='Running'";

/**
 * The histories of the projects a visibility query finds (e.g. `ProjectStatus='under-review'`), at most
 * `limit` (default 100, at most 1000), in the server's order (newest start first).
 */
export async function* queryHistories(client: Client, query: string | undefined, limit: number = QUERY_LIMIT.default): AsyncGenerator<HistoryAndWorkflowId> {
  if (!Number.isInteger(limit) || limit < 1 || limit > QUERY_LIMIT.max) throw new RangeError(`limit must be a whole number from 1 to ${QUERY_LIMIT.max} (got ${limit})`);
  let count = 0;
  for await (const item of client.workflow.list({ query: projectQuery(query), pageSize: Math.min(limit, 100) }).intoHistories({ concurrency: 5 })) {
    yield item;
    if (++count >= limit) return;
  }
}

// ---- replay ----

/** The history event where the replayed code first went another way than the recorded run. */
export interface DivergingEvent {
  eventId: number;
  /** As Temporal names it, e.g. `ActivityTaskScheduled`. */
  eventType: string;
  activityType?: string;
  timerId?: string;
  markerName?: string;
  /** For a patch marker (`core_patch`): the change id. */
  patchId?: string;
  updateName?: string;
}

export type ReplayVerdict =
  | { workflowId: string; ok: true }
  | {
      workflowId: string;
      ok: false;
      /** `nondeterminism`: the code does not take the recorded path. `other`: replay failed for another
       *  reason (the workflow code threw, an unknown workflow type, an SDK problem). */
      kind: 'nondeterminism' | 'other';
      /** The SDK core's own message where there is one (e.g. `[TMPRL1100] Nondeterminism error: …`). */
      error: string;
      divergingEvent?: DivergingEvent;
    };

/**
 * Bundles a workflow build for replay: the current code by default, or a candidate's workflows folder (a
 * new release's `workflows/`, sources or compiled), with that folder's own interceptors when it has them
 * — they record commands too. The seal keys are read only by Update validators, which never run on
 * replay: any key set will do.
 */
export async function bundleForReplay(workflowsPath?: string): Promise<WorkflowBundle> {
  if (workflowsPath === undefined) return bundleWorkflows({});
  const folder = resolve(workflowsPath);
  if (!existsSync(folder)) throw new Error(`no workflow code at ${folder}`);
  const interceptors = ['interceptors.ts', 'interceptors.js'].map((f) => join(folder, f)).find((f) => statSync(folder).isDirectory() && existsSync(f));
  const options = bundleOptions({}, folder);
  return bundleWorkflowCode({
    ...options,
    ...(interceptors && { workflowInterceptorModules: [interceptors] }),
    logger: new DefaultLogger('WARN'),
  });
}

let current: Promise<WorkflowBundle> | undefined;

/** The code this process runs, bundled once (it takes seconds), on first use. */
export function currentBundle(): Promise<WorkflowBundle> {
  current ??= bundleForReplay().catch((err: unknown) => {
    current = undefined;
    throw err;
  });
  return current;
}

/** Replays each history against `workflowBundle`, one verdict per history, in order. */
export async function* replayHistories(
  workflowBundle: WorkflowBundle,
  histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>,
): AsyncGenerator<ReplayVerdict> {
  // The replay worker answers only with the workflow id; the verdict needs the history to locate the
  // event. It replays one history at a time, so its answers come in the order the histories went in.
  const pending: History[] = [];
  async function* remembered(): AsyncGenerator<HistoryAndWorkflowId> {
    for await (const item of histories) {
      pending.push(item.history as History);
      yield item;
    }
  }
  for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'one-window-replay', sinks: workflowSpanSinks() }, remembered())) {
    const history = pending.shift();
    if (!result.error) {
      yield { workflowId: result.workflowId, ok: true };
      continue;
    }
    const error = coreMessage(result.error.message);
    const divergingEvent = history && locateDivergence(error, history);
    yield {
      workflowId: result.workflowId,
      ok: false,
      kind: result.error instanceof DeterminismViolationError ? 'nondeterminism' : 'other',
      error,
      ...(divergingEvent && { divergingEvent }),
    };
  }
}

/** Replays one history. */
export async function replayOne(workflowBundle: WorkflowBundle, item: HistoryAndWorkflowId): Promise<ReplayVerdict> {
  for await (const verdict of replayHistories(workflowBundle, [item])) return verdict;
  throw new Error(`replay of ${item.workflowId} gave no result`);
}

/** The SDK wraps core's failure in a debug dump (`Failure { failure: Some(Failure { message: "…", …`):
 *  keep core's message, which is what names the problem. */
export function coreMessage(message: string): string {
  const inner = /message: "((?:[^"\\]|\\.)*)"/.exec(message)?.[1];
  return inner === undefined ? message : inner.replace(/\\(.)/g, '$1');
}

/**
 * The event a determinism error is about. Core names it in most messages (`… does not handle this event:
 * HistoryEvent(id: 8, WorkflowExecutionUpdateAccepted)`, `No command scheduled for event HistoryEvent(id:
 * 5, …)`); a patch marker that the code no longer asks for is named by its change id, so it is looked up
 * in the history.
 */
export function locateDivergence(error: string, history: History): DivergingEvent | undefined {
  const events = history.events ?? [];
  const id = /HistoryEvent\(id: (\d+)/.exec(error)?.[1];
  if (id !== undefined) {
    const event = events.find((e) => Number(e.eventId) === Number(id));
    return event && describeEvent(event, events);
  }
  const patch = /patch marker encountered for change (.+?), but/.exec(error)?.[1];
  if (patch !== undefined) {
    const event = events.find((e) => patchIdOf(e) === patch);
    return event && describeEvent(event, events);
  }
  return undefined;
}

function patchIdOf(event: HistoryEvent): string | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_patch') return undefined;
  const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    return (JSON.parse(Buffer.from(data).toString('utf8')) as { id?: string }).id;
  } catch {
    return undefined;
  }
}

/** `EVENT_TYPE_ACTIVITY_TASK_SCHEDULED` → `ActivityTaskScheduled`. */
function eventTypeName(event: HistoryEvent): string {
  const name = temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType);
  return name
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

function describeEvent(event: HistoryEvent, events: HistoryEvent[]): DivergingEvent {
  const byId = (id: unknown) => events.find((e) => Number(e.eventId) === Number(id));
  const a = event;
  // An activity's or a timer's later events point back at the event that scheduled or started it.
  const scheduledId =
    a.activityTaskStartedEventAttributes?.scheduledEventId ??
    a.activityTaskCompletedEventAttributes?.scheduledEventId ??
    a.activityTaskFailedEventAttributes?.scheduledEventId ??
    a.activityTaskTimedOutEventAttributes?.scheduledEventId ??
    a.activityTaskCancelRequestedEventAttributes?.scheduledEventId ??
    a.activityTaskCanceledEventAttributes?.scheduledEventId;
  const activityType = (a.activityTaskScheduledEventAttributes ?? (scheduledId != null ? byId(scheduledId)?.activityTaskScheduledEventAttributes : undefined))?.activityType?.name;
  const timerId = a.timerStartedEventAttributes?.timerId ?? a.timerFiredEventAttributes?.timerId ?? a.timerCanceledEventAttributes?.timerId;
  const markerName = a.markerRecordedEventAttributes?.markerName;
  const patchId = patchIdOf(a);
  const updateName = a.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
  return {
    eventId: Number(a.eventId),
    eventType: eventTypeName(a),
    ...(activityType && { activityType }),
    ...(timerId && { timerId }),
    ...(markerName && { markerName }),
    ...(patchId && { patchId }),
    ...(updateName && { updateName }),
  };
}

/** `#8 WorkflowExecutionUpdateAccepted (update signOff)`, for people. */
export function describeDivergence(e: DivergingEvent): string {
  const details = [
    e.activityType && `activity ${e.activityType}`,
    e.timerId && `timer ${e.timerId}`,
    e.patchId ? `patch ${e.patchId}` : e.markerName && `marker ${e.markerName}`,
    e.updateName && `update ${e.updateName}`,
  ].filter(Boolean);
  return `#${e.eventId} ${e.eventType}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}
