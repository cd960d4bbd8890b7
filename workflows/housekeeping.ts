// housekeeping: run by a Temporal Schedule every few minutes (worker/housekeeping-schedule.ts). It brings
// the record to what Temporal says for projects closed behind its back, and once a working day sends
// leaders and admins the stuck list's digest. Its own time is passed to the activities, so "today" is the
// workflow's (the time-skipping server's, in tests).
import { proxyActivities } from '@temporalio/workflow';
import type { createOperationsActivities, HousekeepingStep } from '../activities/operations';

const { reconcileOutOfSync, sendStuckDigest } = proxyActivities<ReturnType<typeof createOperationsActivities>>({
  // A scan of a few thousand projects takes seconds; a run that cannot finish gives way to the next one.
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

export type HousekeepingInput = Omit<HousekeepingStep, 'now'>;

export async function housekeeping(input: HousekeepingInput = {}) {
  const reconciled = await reconcileOutOfSync({ now: Date.now(), ...input });
  const digest = await sendStuckDigest({ now: Date.now(), ...input });
  return { reconciled, digest };
}
