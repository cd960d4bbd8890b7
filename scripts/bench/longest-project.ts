// The longest realistic project, for `npm run bench`: two years on the time-skipping server — a major
// project on the green channel, corrections listing every missing item, rejections and resubmissions,
// weekly and biweekly reports, escalations up the ladder — then what Temporal keeps of it: events and
// bytes per run (continue-as-new included), the largest event, the state's size, and how long a replay takes.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { FileNotificationSink } from '../../activities/notification-sink';
import { startProject } from '../../api/project-client';
import type { Db } from '../../db/connect';
import type { Party, Stage } from '../../domain/codes';
import { utf8Bytes } from '../../domain/limits';
import { DEFAULT_POLICY } from '../../domain/policy';
import { registrationInput, type Actor } from '../../domain/project';
import { generateSealKeys } from '../../temporal/command-seal';
import { sealedTimeSkippingEnv } from '../../temporal/time-skipping';
import { bundleWorkflows } from '../../worker/bundle';
import { workflowSpanSinks } from '../../tracing/temporal';
import { createWorker } from '../../worker/worker';
import { recordSupplement, setReportCadence, signOff, submitApplication } from '../../workflows/messages';

const window: Actor = { id: 'window-01', role: 'window' };
const agent: Actor = { id: 'agent-01', role: 'agent' };
const reviewer = (party: Party): Actor => ({ id: `reviewer-${party}`, role: party === 'power' ? 'utility' : 'reviewer', party });
const PLAN: Record<Stage, Party[]> = {
  design: ['planning', 'construction', 'water'],
  permit: ['construction', 'planning', 'water', 'civil-defense'],
  acceptance: ['construction', 'planning', 'civil-defense', 'water', 'greening', 'archives'],
  connection: ['power'],
};

export interface LongestProjectFigures {
  runs: { events: number; bytes: number; largestEvent: number }[];
  stateBytes: number;
  replayMs: number;
}

export async function longestProject(db: Db, progress: (step: string) => void = () => undefined): Promise<LongestProjectFigures> {
  const seal = generateSealKeys();
  const env = await sealedTimeSkippingEnv(seal.signer);
  const taskQueue = `longest-${randomUUID()}`;
  const workflowBundle = await bundleWorkflows(seal.keys);
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle,
    activities: {
      sink: new FileNotificationSink(join(mkdtempSync(join(tmpdir(), 'one-window-longest-')), 'n.jsonl')),
      db,
           utilityEndpoints: {},
      pushTimeoutMs: 1_000,
      sealKeys: seal.keys,
    },
  });
  try {
    return await worker.runUntil(async () => {
      const input = registrationInput(
        { name: '金山工业区 重大产业项目 二期', applicant: { name: '上海金山某某新材料有限公司', uscc: '91310000MA1FL4B24G' }, category: 'general', major: true, locality: 'industrial-zone', utilities: ['power'], agent: 'agent-01' },
        randomUUID(),
        window,
        new Date(await env.currentTimeMs()).toISOString(),
        DEFAULT_POLICY,
      );
      const h = await startProject(env.client, taskQueue, input);
      const firstRunId = h.firstExecutionRunId;
      const items = (round: number) => Array.from({ length: 12 }, (_, i) => `第${round}轮 缺少材料 ${i + 1}：请补充加盖公章的原件扫描件及说明`);
      let weekly = false;
      const weeks = async (n: number) => {
        await env.sleep(`${n * 7} days`);
        weekly = !weekly;
        await h.executeUpdate(setReportCadence, { args: [{ cadence: weekly ? 'weekly' : 'biweekly', by: agent }] });
      };
      for (const stage of ['design', 'permit', 'acceptance'] as const) {
        // Two rejected attempts, each after corrections by every party; then the approved one.
        for (let attempt = 1; attempt <= 3; attempt++) {
          progress(`${stage}, attempt ${attempt}`);
          await h.executeUpdate(submitApplication, { args: [{ stage, by: window, note: `第${attempt}次申报` }] });
          await weeks(2); // slow sign-offs climb the ladder meanwhile
          for (const party of PLAN[stage]) {
            await h.executeUpdate(signOff, { args: [{ stage, party, decision: 'correction', items: items(attempt), comment: '一次性告知所有缺件', by: reviewer(party) }] });
          }
          await weeks(3);
          await h.executeUpdate(recordSupplement, { args: [{ stage, by: window, note: '已按清单补齐' }] });
          if (attempt < 3) {
            await h.executeUpdate(signOff, { args: [{ stage, party: PLAN[stage][0] as Party, decision: 'reject', comment: '方案需调整后重新申报', by: reviewer(PLAN[stage][0] as Party) }] });
            await weeks(4);
          } else {
            for (const party of PLAN[stage]) await h.executeUpdate(signOff, { args: [{ stage, party, decision: 'approve', by: reviewer(party) }] });
            await weeks(6);
          }
        }
      }
      await weeks(10);
      await h.executeUpdate(signOff, { args: [{ stage: 'connection', party: 'power', decision: 'approve', by: reviewer('power') }] });
      const state = await h.result();

      // Every run of the project, oldest first, with what Temporal keeps of each.
      const runs: LongestProjectFigures['runs'] = [];
      const histories = [];
      // Followed through continue-as-new (the test server has no visibility list), on a connection that
      // accepts answers past gRPC's default 4 MB, so an oversized run is measured rather than refused.
      const reader = new Client({ connection: await Connection.connect({ address: env.address, channelArgs: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 } }) });
      for (let runId: string | undefined = firstRunId; runId; ) {
        const history = await reader.workflow.getHandle(h.workflowId, runId).fetchHistory();
        histories.push({ workflowId: h.workflowId, history });
        runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
        // Bytes as Temporal stores and counts them: each event protobuf-encoded.
        const sizes = (history.events ?? []).map((e) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length);
        runs.push({ events: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0), largestEvent: Math.max(...sizes) });
      }
      await reader.connection.close();
      const started = performance.now();
      for (const { workflowId, history } of histories) await Worker.runReplayHistory({ workflowBundle, sinks: workflowSpanSinks() }, history, workflowId);
      return { runs, stateBytes: utf8Bytes(JSON.stringify(state)), replayMs: performance.now() - started };
    });
  } finally {
    await env.teardown();
  }
}
