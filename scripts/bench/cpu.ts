// CPU per action: what each action costs this process (API, worker, embedded database: every thread)
// and the dev server, raw Temporal's and one-window's, each measured alone on a quiet stack. Far steadier
// than latency on a busy two-core machine, where one action's latency is mostly waiting for the others.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { portHolder } from '../../temporal/ports';
import { pool } from './common';
import { close, decide, rawProject } from './raw-workflow';
import { registration, type Stack } from './stack';

/** Milliseconds of CPU (user and system) a process has used, from /proc (Linux); NaN elsewhere. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, 100 per second
  } catch {
    return NaN;
  }
}
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Per kind of action: ms of this process's CPU and of the dev server's, per action. */
export type CpuPerAction = Map<string, { ours: number; server: number }>;

export async function cpuPerAction(stack: Stack, count: number, concurrency: number): Promise<CpuPerAction> {
  const serverPid = portHolder(Number(stack.serverAddress.split(':').pop()))?.pid;
  const perAction: CpuPerAction = new Map();
  // Each phase starts once the last one's work (record writes, notices) is done, and ends once its own is.
  const settle = () => sleep(3_000);
  const phase = async (kind: string, job: (i: number) => Promise<unknown>) => {
    await settle();
    const [ours, server] = [ownCpuMs(), serverPid ? processCpuMs(serverPid) : NaN];
    await pool(count, concurrency, async (i) => void (await job(i)));
    await settle();
    perAction.set(kind, { ours: (ownCpuMs() - ours) / count, server: serverPid ? (processCpuMs(serverPid) - server) / count : NaN });
  };
  const { rawClient, rawTaskQueue, call } = stack;
  const rawIds = Array.from({ length: count }, () => `raw-${randomUUID()}`);
  await phase('raw start', (i) => rawClient.workflow.start(rawProject, { taskQueue: rawTaskQueue, workflowId: rawIds[i] as string }));
  await phase('raw update', (i) => rawClient.workflow.getHandle(rawIds[i] as string).executeUpdate(decide, { args: [{ party: 'planning', decision: 'approve' }] }));
  const ids: string[] = [];
  await phase('registration', async () => ids.push((await call<{ id: string }>('POST', '/api/projects', 'dev-window', registration('cpu'))).id));
  await phase('design application', (i) => call('POST', `/api/projects/${ids[i]}/stages/design/application`, 'dev-window', {}));
  await phase('sign-off', (i) => call('POST', `/api/projects/${ids[i]}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve' }));
  await pool(count, concurrency, async (i) => void (await rawClient.workflow.getHandle(rawIds[i] as string).signal(close)));
  return perAction;
}
