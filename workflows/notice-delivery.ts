// noticeDelivery: one notice to its people by e-mail and webhook (activities/channel-delivery.ts), started
// by the activity that recorded the notice. Its own workflow, so that a channel that keeps failing is
// retried here — for a day — and never holds up the project; the inbox has the notice meanwhile.
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { Delivery } from '../activities/notification-sink';

const { sendToChannels } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 60 },
});

export async function noticeDelivery(delivery: Delivery): Promise<{ emailed: string[]; webhooks: number }> {
  return sendToChannels(delivery);
}
