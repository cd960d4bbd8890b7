// What operations read from Temporal about one project's workflow: its description, its closing event,
// and a bounded search of its history from the end (most of what operators need happened last).
import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { Termination } from '../domain/project';
import { workflowIdFor } from '../workflows/messages';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

export const isNotFound = (err: unknown): boolean => err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5; // gRPC NOT_FOUND

/** The workflow's description, or undefined when Temporal does not know it (never started, or deleted). */
export async function describeProject(client: Client, projectId: string): Promise<WorkflowExecutionDescription | undefined> {
  return client.workflow
    .getHandle(workflowIdFor(projectId))
    .describe()
    .catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
}

/** The first event, from the end of the history, that `match` accepts; at most `maxEvents` are read. */
export async function findFromEnd(client: Client, workflowId: string, match: (e: HistoryEvent) => boolean, maxEvents = 1000): Promise<HistoryEvent | undefined> {
  let nextPageToken: Uint8Array | undefined;
  for (let read = 0; read < maxEvents; ) {
    let page;
    try {
      page = await client.workflowService.getWorkflowExecutionHistoryReverse({
        namespace: client.options.namespace,
        execution: { workflowId },
        maximumPageSize: Math.min(200, maxEvents - read),
        ...(nextPageToken && { nextPageToken }),
      });
    } catch (err) {
      // The time-skipping test server has no reverse history: read forwards, keeping the last match.
      if ((err as { code?: number }).code === 12) return findLast(client, workflowId, match, maxEvents);
      throw err;
    }
    const events = page.history?.events ?? [];
    const found = events.find(match);
    if (found) return found;
    read += events.length;
    if (!page.nextPageToken?.length || events.length === 0) return undefined;
    nextPageToken = page.nextPageToken;
  }
  return undefined;
}

async function findLast(client: Client, workflowId: string, match: (e: HistoryEvent) => boolean, maxEvents: number): Promise<HistoryEvent | undefined> {
  let found: HistoryEvent | undefined;
  let nextPageToken: Uint8Array | undefined;
  for (let read = 0; read < maxEvents; ) {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId },
      maximumPageSize: 200,
      ...(nextPageToken && { nextPageToken }),
    });
    const events = page.history?.events ?? [];
    found = [...events].reverse().find(match) ?? found;
    read += events.length;
    if (!page.nextPageToken?.length || events.length === 0) break;
    nextPageToken = page.nextPageToken;
  }
  return found;
}

/** The workflow's closing event (Temporal finds it without reading the history). */
async function closingEvent(client: Client, workflowId: string): Promise<HistoryEvent | undefined> {
  const page = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId },
    historyEventFilterType: temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
  });
  return page.history?.events?.find(isClosingEvent);
}

export const eventTime = (e: HistoryEvent | undefined): string | undefined => {
  const ms = optionalTsToMs(e?.eventTime);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

const CLOSURES = {
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
} as const satisfies Record<string, Termination['closure']>;

export type AbnormalClose = keyof typeof CLOSURES;
export const isAbnormalClose = (status: string): status is AbnormalClose => status in CLOSURES;

/** How Temporal closed the workflow, in its own words: the closing event's time, identity and reason. */
export async function terminationOf(client: Client, projectId: string, status: AbnormalClose): Promise<Termination> {
  const workflowId = workflowIdFor(projectId);
  const closing = await closingEvent(client, workflowId);
  const closure = CLOSURES[status];
  const at = eventTime(closing) ?? new Date().toISOString();
  if (closing?.workflowExecutionTerminatedEventAttributes) {
    const a = closing.workflowExecutionTerminatedEventAttributes;
    return { closure, at, by: a.identity || null, reason: a.reason || 'terminated without a reason' };
  }
  if (closing?.workflowExecutionFailedEventAttributes) {
    return { closure, at, by: null, reason: closing.workflowExecutionFailedEventAttributes.failure?.message || 'the workflow failed' };
  }
  if (closing?.workflowExecutionTimedOutEventAttributes) return { closure, at, by: null, reason: 'the workflow ran past its execution timeout' };
  // A cancellation: who asked, and why, is on the request event before it.
  const request = await findFromEnd(client, workflowId, (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED, 1000);
  const asked = request?.workflowExecutionCancelRequestedEventAttributes;
  return { closure, at, by: asked?.identity || null, reason: asked?.cause || 'cancelled' };
}

function isClosingEvent(e: HistoryEvent): boolean {
  return (
    e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED ||
    e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED ||
    e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT ||
    e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED
  );
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping their order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  });
  await Promise.all(lanes);
  return results;
}
