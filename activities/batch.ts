// One project's step of an operations batch (workflows/batch.ts), through the worker's sealed client: the
// same Updates, signals and reset an admin's single request sends, with ids derived from the batch so a
// retried step applies once. A step the project refuses fails for good, with the project's reason; every
// step is also in the project's audit log (method BATCH), as the admin's action it is.
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import { uuidFrom } from '../api/idempotency';
import { appendAudit } from '../db/audit';
import type { Db } from '../db/connect';
import type { BatchRequest } from '../domain/batch';
import { ResetRefused, resetProject } from '../operations/reset';
import { calendarChanged, remindPending, stateQuery, withdraw, workflowIdFor } from '../workflows/messages';

type Step = BatchRequest & { projectId: string; batchId: string };

const REFUSED = 'BatchStepRefused';

/** An id from the batch and the project: Temporal deduplicates a retried step by it. */
const stepId = (batchId: string, projectId: string): string => uuidFrom(createHash('sha256').update(`${batchId}/${projectId}`).digest('hex'));

/** Why the project (or Temporal) refused the step, or undefined for a failure worth retrying. */
function refusal(err: unknown, projectId: string): string | undefined {
  if (err instanceof ApplicationFailure && err.type === REFUSED) return err.message;
  if (err instanceof WorkflowUpdateFailedError) return err.cause?.message ?? err.message;
  if (err instanceof ResetRefused) return err.message;
  if (err instanceof WorkflowNotFoundError) return `project ${projectId} is not running in Temporal`;
  return undefined;
}

export function batchActivities(client: Client | undefined, db: Db) {
  const audit = (step: Step, status: number, detail: string) =>
    appendAudit(db, {
      at: new Date().toISOString(),
      principalId: step.by.id,
      principalRole: step.by.role,
      method: 'BATCH',
      path: `${step.batchId} ${step.action}`,
      projectId: step.projectId,
      outcome: status < 400 ? 'accepted' : 'refused',
      status,
      detail: detail.slice(0, 1024),
    });

  async function act({ action, reason, by, year, projectId, batchId }: Step): Promise<void> {
    if (!client) throw ApplicationFailure.nonRetryable('this worker has no Temporal client with the seal key: it cannot run batches', REFUSED);
    const handle = client.workflow.getHandle(workflowIdFor(projectId));
    const updateId = stepId(batchId, projectId);
    switch (action) {
      case 'calendar':
        await handle.signal(calendarChanged, year ?? new Date().getFullYear());
        return;
      case 'directory':
      case 'renotify': {
        // The stage the project is at now; the activity reads the liaison directory as it stands.
        const { currentStage } = await handle.query(stateQuery);
        if (!currentStage) throw ApplicationFailure.nonRetryable(`project ${projectId} has no open stage`, REFUSED);
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
  }

  return {
    async batchStep(step: Step): Promise<void> {
      try {
        await act(step);
      } catch (err) {
        const why = refusal(err, step.projectId);
        if (why === undefined) throw err;
        await audit(step, 409, why);
        throw ApplicationFailure.nonRetryable(why, REFUSED);
      }
      await audit(step, 200, step.reason);
    },
  };
}
