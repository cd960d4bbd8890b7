// operationsBatch: one admin's batch over many projects (re-read the calendar, remind pending parties,
// reset, withdraw), durable like any workflow: it goes on through restarts, several projects at a time,
// and answers its progress by query. Each project's step is an activity (activities/batch.ts) that acts
// through the sealed client, so every step is an ordinary, recorded action by the admin who asked.
import { ActivityFailure, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { BatchInput, BatchProgress } from '../domain/batch';

export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress');

const { batchStep } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** Projects handled at once: enough to finish a district's batch in minutes, few enough not to crowd out
 *  the human actions on the same task queue. */
const AT_ONCE = 4;

export async function operationsBatch(input: BatchInput): Promise<BatchProgress> {
  const progress: BatchProgress = { ...input.request, projectIds: input.projectIds, total: input.projectIds.length, done: 0, failed: 0, failures: [], status: 'running' };
  setHandler(batchProgressQuery, () => progress);
  const queue = [...input.projectIds];
  const lane = async () => {
    for (let projectId = queue.shift(); projectId; projectId = queue.shift()) {
      try {
        await batchStep({ ...input.request, projectId, batchId: input.batchId });
        progress.done++;
      } catch (err) {
        progress.failed++;
        const message = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
        // The answer keeps the first failures; the count keeps them all.
        if (progress.failures.length < 100) progress.failures.push({ projectId, message });
      }
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, lane));
  progress.status = 'completed';
  return progress;
}
