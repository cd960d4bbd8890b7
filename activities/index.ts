// Activities, built by a factory so the worker injects real dependencies and tests inject local ones.
import { log } from '@temporalio/activity';
import type { Delivery, NotificationSink } from './notification-sink';

export interface ActivityDeps {
  sink: NotificationSink;
}

export function createActivities({ sink }: ActivityDeps) {
  return {
    async notify(delivery: Delivery): Promise<void> {
      await sink.deliver(delivery);
      log.info('notice delivered', { key: delivery.key, to: delivery.to });
    },
  };
}
