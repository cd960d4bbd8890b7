// One project's step of an operations batch (workflows/batch.ts), through the worker's sealed client: the
// same Updates, signals and reset an admin's single request sends, with ids derived from the batch so a
// retried step applies once. A step the project refuses fails for good, with the project's reason.
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import type { BatchRequest } from '../domain/batch';
import { ResetRefused, resetProject } from '../operations/reset';
import { calendarChanged, remindPending, stateQuery, withdraw, workflowIdFor } from '../workflows/messages';

const refused = (message: string) => ApplicationFailure.nonRetryable(message, 'BatchStepRefused');

/** A UUID-shaped id from the batch and the project: Temporal deduplicates a retried step by it. */
function stepId(batchId: string, projectId: string): string {
  const hex = createHash('sha256').update(`${batchId}/${projectId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function batchActivities(client: Client | undefined) {
  return {
    async batchStep({ action, reason, by, year, projectId, batchId }: BatchRequest & { projectId: string; batchId: string }): Promise<void> {
      if (!client) throw refused('this worker has no Temporal client with the seal key: it cannot run batches');
      const handle = client.workflow.getHandle(workflowIdFor(projectId));
      const updateId = stepId(batchId, projectId);
      try {
        switch (action) {
          case 'calendar':
            await handle.signal(calendarChanged, year ?? new Date().getFullYear());
            return;
          case 'directory':
          case 'renotify': {
            // The stage the project is at now; the activity reads the liaison directory as it stands.
            const { currentStage } = await handle.query(stateQuery);
            if (!currentStage) throw refused(`project ${projectId} has no open stage`);
            const why = action === 'directory' ? `联络名单已更新 the liaison directory changed: ${reason}` : reason;
            await handle.executeUpdate(remindPending, { args: [{ stage: currentStage, reason: why, by }], updateId });
            return;
          }
          case 'withdraw':
            await handle.executeUpdate(withdraw, { args: [{ reason, by }], updateId });
            return;
          case 'reset':
            await resetProject(client, { projectId, reason, by, requestId: updateId });
            return;
        }
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) throw refused(err.cause?.message ?? err.message);
        if (err instanceof ResetRefused) throw refused(err.message);
        if (err instanceof WorkflowNotFoundError) throw refused(`project ${projectId} is not running in Temporal`);
        throw err;
      }
    },
  };
}
