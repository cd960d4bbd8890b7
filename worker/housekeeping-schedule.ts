// The Temporal Schedule that runs housekeeping (workflows/housekeeping.ts) every few minutes. Created by
// every worker at start, idempotently: an existing schedule is kept (paused stays paused) and only its
// interval is brought to HOUSEKEEPING_EVERY_MINUTES when that changed. Visible, pausable and triggerable
// in the Temporal UI (Schedules) like any other.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const housekeepingScheduleId = (taskQueue: string): string => `housekeeping-${taskQueue}`;

export async function ensureHousekeepingSchedule(client: Client, { taskQueue, everyMinutes }: { taskQueue: string; everyMinutes: number }): Promise<'created' | 'updated' | 'unchanged'> {
  const scheduleId = housekeepingScheduleId(taskQueue);
  const every = everyMinutes * 60_000;
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every }] },
      // workflows/housekeeping.ts
      action: { type: 'startWorkflow', workflowType: 'housekeeping', args: [{}], taskQueue, workflowId: scheduleId },
      // One run at a time; a run missed while the service was down is not made up beyond one interval.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: every },
      memo: { purpose: 'one-window housekeeping: reconcile the record with Temporal, daily stuck-list digest' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = (await handle.describe()).spec.intervals ?? [];
  if (current.length === 1 && current[0]?.every === every) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec: { intervals: [{ every }] }, policies: { ...previous.policies, catchupWindow: every } }));
  return 'updated';
}
