// Telling running projects that a year's working-day schedule changed. One signal per project inside the
// request took 29 s for 1,476 projects; a Temporal batch operation signals them in the background on the
// server, and the caller gets its job id and progress at once. Temporal keeps the job, so any API instance
// finds a year's jobs by listing them (job ids carry the year and the start time) and reads progress with
// describeBatchOperation. The listing follows a new job only after a moment, so the instance that started
// one also remembers its id.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { WORKFLOW_TYPE, calendarChanged } from '../workflows/messages';
import { HttpError } from './errors';

const { BatchOperationState } = temporal.api.enums.v1;

export interface Propagation {
  jobId: string;
  state: 'starting' | 'running' | 'completed' | 'failed';
  /** Projects signalled so far, projects whose signal failed (e.g. closed meanwhile), projects to signal. */
  completed: number;
  failed: number;
  total: number;
  startedAt?: string;
  closedAt?: string;
}

export interface CalendarPropagation {
  /** Starts signalling every running project; answers once the server has accepted the job. */
  start(year: number, by: string): Promise<Propagation>;
  /** The latest job started for `year`, with its progress; undefined if none. */
  latest(year: number): Promise<Propagation | undefined>;
}

export const RUNNING_PROJECTS = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
const jobPrefix = (year: number) => `calendar-${year}-`;
/** When a job was started, from its id: calendar-<year>-<ms in base 36>-<random>. */
const startedMs = (jobId: string): number => parseInt(jobId.split('-')[2] ?? '', 36) || 0;
const STATES: Record<number, Propagation['state']> = {
  [BatchOperationState.BATCH_OPERATION_STATE_RUNNING]: 'running',
  [BatchOperationState.BATCH_OPERATION_STATE_COMPLETED]: 'completed',
  [BatchOperationState.BATCH_OPERATION_STATE_FAILED]: 'failed',
};
const count = (n: { toString(): string } | null | undefined): number => Number(n?.toString() ?? 0);
const iso = (ts: Parameters<typeof optionalTsToMs>[0]): string | undefined => {
  const ms = optionalTsToMs(ts);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};
// gRPC status codes under which the schedule is saved but the job could not be started now.
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

export interface PropagationOptions {
  /** Operations per second of each job; the server's own limit (worker.BatcherRPS) applies too. */
  maxOperationsPerSecond?: number;
}

export function calendarPropagation(client: Client, { maxOperationsPerSecond }: PropagationOptions = {}): CalendarPropagation {
  const namespace = client.options.namespace;
  const startedHere = new Map<number, string>();

  async function describe(jobId: string): Promise<Propagation> {
    try {
      const d = await client.workflowService.describeBatchOperation({ namespace, jobId });
      const startedAt = iso(d.startTime);
      const closedAt = iso(d.closeTime);
      return {
        jobId,
        state: STATES[d.state] ?? 'starting',
        completed: count(d.completeOperationCount),
        failed: count(d.failureOperationCount),
        total: count(d.totalOperationCount),
        ...(startedAt && { startedAt }),
        ...(closedAt && { closedAt }),
      };
    } catch (err) {
      // Accepted but not yet visible: the job has not started running.
      if ((err as { code?: number }).code === 5) return { jobId, state: 'starting', completed: 0, failed: 0, total: 0 };
      throw err;
    }
  }

  return {
    async start(year, by) {
      const jobId = `${jobPrefix(year)}${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
      try {
        await client.workflowService.startBatchOperation({
          namespace,
          jobId,
          visibilityQuery: RUNNING_PROJECTS,
          reason: `working-day schedule for ${year} loaded by ${by}`,
          signalOperation: {
            signal: calendarChanged.name,
            input: { payloads: await encodeToPayloads(client.options.loadedDataConverter, year) },
            identity: client.options.identity,
          },
          ...(maxOperationsPerSecond !== undefined && { maxOperationsPerSecond }),
        });
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code !== RESOURCE_EXHAUSTED && code !== UNAVAILABLE && code !== DEADLINE_EXCEEDED) throw err;
        const why = code === RESOURCE_EXHAUSTED ? 'the namespace runs as many batch operations as it allows' : 'Temporal did not answer';
        throw new HttpError(503, 'propagation-not-started', `the schedule for ${year} is saved, but running projects were not told (${why}); repeat this PUT shortly`);
      }
      startedHere.set(year, jobId);
      return describe(jobId);
    },

    async latest(year) {
      let latest = startedHere.get(year);
      let nextPageToken: Uint8Array | undefined;
      // Jobs are few (one per schedule loaded); the bound only guards against a runaway listing.
      for (let page = 0; page < 50; page++) {
        const res = await client.workflowService.listBatchOperations({ namespace, pageSize: 100, ...(nextPageToken && { nextPageToken }) });
        for (const { jobId } of res.operationInfo) {
          if (jobId?.startsWith(jobPrefix(year)) && (latest === undefined || startedMs(jobId) > startedMs(latest))) latest = jobId;
        }
        if (!res.nextPageToken?.length) break;
        nextPageToken = res.nextPageToken;
      }
      return latest === undefined ? undefined : describe(latest);
    },
  };
}
