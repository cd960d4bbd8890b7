// Batches: one admin action over the projects a filter picks (the project list's own filters, or ids),
// run by the operationsBatch workflow — or, for the calendar's signal, by Temporal's own batch operation. The set is fixed when the batch is asked for, and a batch names
// its maximum size: a filter that matches more is refused, so a typo cannot withdraw a district.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { WorkingCalendar } from '../domain/calendar';
import type { Party } from '../domain/codes';
import { BATCH_MAX, type BatchAction, type BatchProgress, type BatchRequest } from '../domain/batch';
import { listQuery, type ListQuery } from '../domain/schemas';
import type { Db } from '../db/connect';
import { listProjects } from '../db/record';
import { batchProgressQuery, operationsBatch } from '../workflows/batch';
import { calendarChanged, workflowIdFor } from '../workflows/messages';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import type { RefusalDetail } from '../domain/refusals';

export class BatchRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    /** The request field at fault, for a 400. */
    readonly field?: string,
    /** A 409's code and facts, for words in the caller's language (domain/refusals.ts). */
    readonly refusal?: RefusalDetail,
  ) {
    super(message);
  }
}

export type BatchFilter = Omit<ListQuery, 'limit' | 'cursor' | 'pending'> & { pending?: Party; ids?: string[] };

export interface BatchAsk extends BatchRequest {
  filter: BatchFilter;
  /** The most projects the caller means to touch. */
  max: number;
}

const BATCH_PREFIX = 'operations-batch-';
/** A signal batch is Temporal's own batch operation (the server signals; no worker is involved). */
const SIGNAL_PREFIX = 'operations-signal-';
const { BatchOperationState } = temporal.api.enums.v1;
const count = (n: { toString(): string } | null | undefined): number => Number(n?.toString() ?? 0);

/** The projects the filter picks, from the record (at most max + 1: enough to refuse). Closed projects are
 *  not picked except by a reset (which may bring a terminated one back). */
async function pick(db: Db, filter: BatchFilter, action: BatchAction, max: number, calendar: WorkingCalendar, now: number): Promise<string[]> {
  const found: string[] = [];
  let cursor: ListQuery['cursor'] | undefined;
  do {
    const page = await listProjects(db, { ...filter, openOnly: action !== 'reset', limit: 500, ...(cursor && { cursor }) }, { all: true }, calendar, now);
    found.push(...page.projects.map((p) => p.id));
    cursor = page.nextCursor ? listQuery.shape.cursor.parse(page.nextCursor) : undefined;
  } while (cursor && found.length <= max);
  return found;
}

export async function startBatch(
  { client, db, taskQueue, calendar, now = Date.now() }: { client: Client; db: Db; taskQueue: string; calendar: WorkingCalendar; now?: number },
  ask: BatchAsk,
  key?: string,
): Promise<{ id: string; total: number; projectIds: string[] }> {
  const idempotent = key !== undefined;
  const batchKey = key ?? randomUUID();
  // The same batch asked again (an Idempotency-Key): answered from the batch it started, never run twice.
  if (idempotent) {
    const existing = await batchProgress(client, `${ask.action === 'calendar' ? SIGNAL_PREFIX : BATCH_PREFIX}${batchKey}`).catch((err: unknown) => {
      if (err instanceof BatchRefused && err.status === 404) return undefined;
      throw err;
    });
    if (existing) return { id: existing.id, total: existing.total, projectIds: existing.projectIds };
  }
  const limit = BATCH_MAX[ask.action as BatchAction];
  if (ask.max > limit) throw new BatchRefused(400, `a ${ask.action} batch may touch at most ${limit} projects (max ${ask.max} asked)`, 'body.max');
  const projectIds = await pick(db, ask.filter, ask.action, ask.max, calendar, now);
  if (projectIds.length === 0) throw new BatchRefused(409, `the filter picks no ${ask.action === 'reset' ? '' : 'open '}project`, undefined, { code: 'batch-picks-none' });
  if (projectIds.length > ask.max) {
    throw new BatchRefused(409, `the filter picks more than the batch's maximum of ${ask.max} projects: narrow it, or name a larger max`, undefined, { code: 'batch-too-large', params: { max: ask.max } });
  }
  const request: BatchRequest = { action: ask.action, reason: ask.reason, by: ask.by, ...(ask.year !== undefined && { year: ask.year }) };
  if (ask.action === 'calendar') {
    const id = `${SIGNAL_PREFIX}${batchKey}`;
    await client.workflowService
      .startBatchOperation({
        namespace: client.options.namespace,
        jobId: id,
        executions: projectIds.map((projectId) => ({ workflowId: workflowIdFor(projectId) })),
        reason: `${ask.by.id}: ${ask.reason}`,
        signalOperation: {
          signal: calendarChanged.name,
          input: { payloads: await encodeToPayloads(client.options.loadedDataConverter, ask.year) },
          identity: `${ask.by.id} (one-window batch)`,
        },
      })
      .catch((err: unknown) => {
        // The same batch asked again (same Idempotency-Key).
        if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
      });
    signalBatches.set(id, { ...request, projectIds });
    return { id, total: projectIds.length, projectIds };
  }
  const id = `${BATCH_PREFIX}${batchKey}`;
  await client.workflow
    .start(operationsBatch, { taskQueue, workflowId: id, args: [{ batchId: id, request, projectIds }], workflowIdReusePolicy: 'REJECT_DUPLICATE' })
    .catch((err: unknown) => {
      // The same batch asked again (same Idempotency-Key): it is already running or done.
      if ((err as { name?: string }).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    });
  return { id, total: projectIds.length, projectIds };
}

const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;
/** What a signal batch was asked for: Temporal's job keeps only its reason (kept here, in this process, for
 *  the answer; another process answers from the job alone). */
const signalBatches = new Map<string, BatchRequest & { projectIds: string[] }>();

async function signalProgress(client: Client, id: string): Promise<BatchProgress & { id: string }> {
  const d = await client.workflowService.describeBatchOperation({ namespace: client.options.namespace, jobId: id }).catch((err: unknown) => {
    if ((err as { code?: number }).code === NOT_FOUND) throw new BatchRefused(404, `no batch ${id}`);
    throw err;
  });
  const asked = signalBatches.get(id);
  const done = d.state === BatchOperationState.BATCH_OPERATION_STATE_COMPLETED || d.state === BatchOperationState.BATCH_OPERATION_STATE_FAILED;
  return {
    id,
    action: 'calendar',
    projectIds: asked?.projectIds ?? [],
    reason: asked?.reason ?? d.reason ?? '',
    by: asked?.by ?? { id: d.identity ?? 'unknown', role: 'admin' },
    ...(asked?.year !== undefined && { year: asked.year }),
    total: count(d.totalOperationCount),
    done: count(d.completeOperationCount),
    failed: count(d.failureOperationCount),
    failures: [],
    status: done ? 'completed' : 'running',
  };
}

export async function batchProgress(client: Client, id: string): Promise<BatchProgress & { id: string }> {
  if (id.startsWith(SIGNAL_PREFIX)) return signalProgress(client, id);
  if (!id.startsWith(BATCH_PREFIX)) throw new BatchRefused(404, `no batch ${id}`);
  try {
    return { id, ...(await client.workflow.getHandle(id).query(batchProgressQuery)) };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) throw new BatchRefused(404, `no batch ${id}`);
    throw err;
  }
}
