// Side by side at each concurrency: the raw baseline (start, Update with a validator, query, straight
// from the client) and one-window over HTTP (registration, design application, sign-off, project read).
import { randomUUID } from 'node:crypto';
import { pool, Timings } from './common';
import { close, decide, rawProject, read } from './raw-workflow';
import { registration, type Stack } from './stack';

export interface LevelFigures {
  concurrency: number;
  timings: Timings;
  /** Starts and registrations per second. */
  rawStartRate: number;
  registrationRate: number;
}

export async function latencyLevel(stack: Stack, concurrency: number, count: number): Promise<LevelFigures> {
  const timings = new Timings();
  const { rawClient, rawTaskQueue, call } = stack;

  const rawIds = Array.from({ length: count }, () => `raw-${randomUUID()}`);
  const rawSeconds = await pool(count, concurrency, async (i) => {
    await timings.time('raw start', () => rawClient.workflow.start(rawProject, { taskQueue: rawTaskQueue, workflowId: rawIds[i] as string }));
  });
  await pool(count, concurrency, async (i) => {
    await timings.time('raw update', () => rawClient.workflow.getHandle(rawIds[i] as string).executeUpdate(decide, { args: [{ party: 'planning', decision: 'approve' }] }));
  });
  await pool(count, concurrency, async (i) => {
    await timings.time('raw query', () => rawClient.workflow.getHandle(rawIds[i] as string).query(read));
  });

  const ids: string[] = [];
  const registrationSeconds = await pool(count, concurrency, async () => {
    const { id } = await timings.time('registration', () => call<{ id: string }>('POST', '/api/projects', 'dev-window', registration(`c${concurrency}`)));
    ids.push(id);
  });
  await pool(count, concurrency, async (i) => {
    await timings.time('design application', () => call('POST', `/api/projects/${ids[i]}/stages/design/application`, 'dev-window', {}));
  });
  await pool(count, concurrency, async (i) => {
    await timings.time('sign-off', () => call('POST', `/api/projects/${ids[i]}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve' }));
  });
  await pool(count, concurrency, async (i) => {
    await timings.time('project read', () => call('GET', `/api/projects/${ids[i]}`, 'dev-leader'));
  });

  // The baseline's workflows end, so they hold nothing of the worker's from here on.
  await pool(count, concurrency, async (i) => void (await rawClient.workflow.getHandle(rawIds[i] as string).signal(close)));
  return { concurrency, timings, rawStartRate: count / rawSeconds, registrationRate: count / registrationSeconds };
}
