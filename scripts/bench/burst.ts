// A burst of progress reports: N projects with an agent, registered together on the time-skipping server,
// so their first reports (two weeks on) fall due at the same moment; time jumps past it and the wall-clock
// time until every report is delivered is measured. Then every history is read for workflow tasks that
// timed out or failed meanwhile.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { temporal } from '@temporalio/proto';
import { FileNotificationSink, type Delivery, type NotificationSink } from '../../activities/notification-sink';
import { startProject } from '../../api/project-client';
import type { Db } from '../../db/connect';
import { DEFAULT_POLICY } from '../../domain/policy';
import { registrationInput, type Actor } from '../../domain/project';
import { generateSealKeys } from '../../temporal/command-seal';
import { sealedTimeSkippingEnv } from '../../temporal/time-skipping';
import { bundleWorkflows } from '../../worker/bundle';
import { createWorker } from '../../worker/worker';
import { pool } from './common';

export interface BurstFigures {
  projects: number;
  delivered: number;
  seconds: number;
  taskTimeouts: number;
  taskFailures: number;
}

const window: Actor = { id: 'window-01', role: 'window' };
const EventType = temporal.api.enums.v1.EventType;

/** Counts the reports delivered, and passes every notice on to the file. */
class CountingSink implements NotificationSink {
  reports = 0;
  constructor(private readonly next: FileNotificationSink) {}
  async deliver(delivery: Delivery): Promise<void> {
    const had = await this.next.has(delivery.key);
    await this.next.deliver(delivery);
    if (!had && delivery.message?.t === 'report') this.reports += 1;
  }
  has(key: string): Promise<boolean> {
    return this.next.has(key);
  }
}

export async function reportBurst(db: Db, count: number, onProgress: (step: 'registered' | 'delivered', n: number) => void): Promise<BurstFigures> {
  const seal = generateSealKeys();
  const env = await sealedTimeSkippingEnv(seal.signer);
  const taskQueue = `burst-${randomUUID()}`;
  const sink = new CountingSink(new FileNotificationSink(join(mkdtempSync(join(tmpdir(), 'one-window-burst-')), 'n.jsonl')));
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: await bundleWorkflows(seal.keys),
    activities: { sink, db, utilityEndpoints: {}, pushTimeoutMs: 1_000, sealKeys: seal.keys },
  });
  try {
    return await worker.runUntil(async () => {
      const at = new Date(await env.currentTimeMs()).toISOString();
      const ids: string[] = [];
      await pool(count, 20, async (i) => {
        const input = registrationInput(
          { name: `朱泾镇 报告批量 ${i + 1}`, applicant: { name: '上海朱泾某某实业有限公司', uscc: '91310000MA1FL4B24G' }, category: 'general', major: false, locality: 'zhujing', utilities: ['power'], agent: 'agent-01' },
          randomUUID(),
          window,
          at,
          DEFAULT_POLICY,
        );
        ids.push((await startProject(env.client, taskQueue, input)).workflowId);
        onProgress('registered', ids.length);
      });
      // Time runs ahead whenever nothing is in progress, so it jumps to the reports' moment, and stands
      // still while they are delivered. Not env.sleep(): its one call lasts as long as the burst, and the
      // test server, which allows a keep-alive ping every five minutes, closes a connection pinged every
      // 30 s (the client's default) after about 90 s: the call was lost and the run hung, every report
      // delivered.
      const testService = env.connection.testService;
      if (!testService) throw new Error('the time-skipping server has no test service');
      const started = performance.now();
      await testService.unlockTimeSkipping({});
      // Bounded: ten minutes of wall-clock time at most.
      while (sink.reports < count && performance.now() - started < 600_000) {
        onProgress('delivered', sink.reports);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const seconds = (performance.now() - started) / 1000;
      await testService.lockTimeSkipping({});
      onProgress('delivered', sink.reports);
      let taskTimeouts = 0;
      let taskFailures = 0;
      await pool(ids.length, 20, async (i) => {
        const history = await env.client.workflow.getHandle(ids[i] as string).fetchHistory();
        for (const e of history.events ?? []) {
          if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) taskTimeouts += 1;
          if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) taskFailures += 1;
        }
      });
      return { projects: count, delivered: sink.reports, seconds, taskTimeouts, taskFailures };
    });
  } finally {
    await env.teardown();
  }
}
