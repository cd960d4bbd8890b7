// projectApproval on the time-skipping test server, through the same Updates the API sends.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { startProject } from '../api/project-client';
import type { Party, Stage } from '../domain/codes';
import { stageStatus, type ProjectState, type SignOffInput } from '../domain/project';
import { REFUSED, recordSupplement, signOff, stateQuery, submitApplication, withdraw } from '../workflows/messages';
import type { projectApproval } from '../workflows/project-approval';
import { admin, projectInput, reviewer, utility, window } from './support/fixtures';
import { saveHistoryIfRecording } from './support/histories';
import { act, bundle, createTimeSkippingEnv, startWorker, uniqueTaskQueue } from './support/temporal';
import { startUtilityCompanies } from './support/utility-companies';
import { setFlagsFromString } from 'node:v8';
import { SHARE_ENV, Worker as Thread } from 'node:worker_threads';
import { workflowHeapMb } from '../worker/worker';

type Handle = WorkflowHandle<typeof projectApproval>;

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;
let taskQueue: string;
let worker: Awaited<ReturnType<typeof startWorker>>;
let companies: Awaited<ReturnType<typeof startUtilityCompanies>>;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle()]);
  taskQueue = uniqueTaskQueue('workflow');
  companies = await startUtilityCompanies();
  worker = await startWorker(env.nativeConnection, workflowBundle, taskQueue, { utilityEndpoints: companies.endpoints });
});

afterAll(async () => {
  await worker?.stop();
  await companies?.stop();
  await env?.teardown();
});

const start = (overrides: Parameters<typeof projectInput>[0] = {}) => startProject(env.client, taskQueue, projectInput(overrides));

const apply = (h: Handle, stage: Stage) => act(h, submitApplication, { stage, by: window });
const sign = (h: Handle, stage: Stage, party: Party, decision: SignOffInput['decision'], extra: Partial<SignOffInput> = {}) =>
  act(h, signOff, { stage, party, decision, by: stage === 'connection' ? utility(party) : reviewer(party), ...extra });
const approveAll = async (h: Handle, stage: Stage, parties: readonly Party[]) => {
  let state: ProjectState | undefined;
  for (const party of parties) state = await sign(h, stage, party, 'approve');
  return state as ProjectState;
};

async function expectRefused(action: Promise<unknown>, reason: RegExp): Promise<void> {
  const err = await action.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(REFUSED);
  expect((cause as ApplicationFailure).message).toMatch(reason);
}

/** What an action leaves behind: update events in history, and entries in the project's trail. */
async function traces(h: Handle): Promise<{ updateEvents: number; trail: number }> {
  const { events } = await h.fetchHistory();
  const updateEvents = (events ?? []).filter((e) => Object.keys(e).some((k) => k.startsWith('workflowExecutionUpdate'))).length;
  return { updateEvents, trail: (await h.query(stateQuery)).trail.length };
}

test('a general project walks design → permit → acceptance → connection, through a correction and a rejection', async () => {
  const h = await start();

  // Design: a correction pauses the stage until the window records the supplement.
  let state = await apply(h, 'design');
  expect(stageStatus(state, 'design')).toBe('under-review');
  state = await sign(h, 'design', 'planning', 'correction', { items: ['总平面图', '日照分析报告'] });
  expect(stageStatus(state, 'design')).toBe('correction');
  state = await act(h, recordSupplement, { stage: 'design', by: window, note: '已补齐' });
  expect(stageStatus(state, 'design')).toBe('under-review');
  state = await approveAll(h, 'design', ['water', 'planning', 'construction']);
  expect(stageStatus(state, 'design')).toBe('approved');
  expect(state.currentStage).toBe('permit');

  // Permit: a rejection closes attempt 1; the window submits again and attempt 2 is approved.
  await apply(h, 'permit');
  await sign(h, 'permit', 'construction', 'approve');
  state = await sign(h, 'permit', 'water', 'reject', { comment: '排水方案不符合要求' });
  expect(stageStatus(state, 'permit')).toBe('rejected');
  state = await apply(h, 'permit');
  expect(state.stages[1]?.attempts.map((a) => a.outcome)).toEqual(['rejected', 'open']);
  await approveAll(h, 'permit', ['construction', 'planning', 'water', 'civil-defense']);

  await apply(h, 'acceptance');
  await approveAll(h, 'acceptance', ['construction', 'planning', 'civil-defense', 'water', 'greening', 'archives']);

  // The permit pushed the project to its utility companies; connection opened on its own.
  state = await h.query(stateQuery);
  expect(stageStatus(state, 'connection')).toBe('under-review');
  expect(state.stages[3]?.attempts[0]?.submittedBy).toMatchObject({ id: 'system', role: 'system' });
  await expectRefused(apply(h, 'connection'), /already has an application under review/);
  // Sign-offs arrive in parallel, in any order.
  await Promise.all((['gas', 'power', 'water-supply'] as const).map((p) => sign(h, 'connection', p, 'approve')));

  const final = await h.result();
  expect(final.status).toBe('completed');
  expect(final.currentStage).toBeNull();
  expect(final.stages.map((s) => s.attempts.length)).toEqual([1, 2, 1, 1]);
  const design = final.stages[0]?.attempts[0];
  expect(design?.corrections[0]).toMatchObject({
    party: 'planning',
    items: ['总平面图', '日照分析报告'],
    requestedBy: reviewer('planning'),
    supplementedBy: window,
    supplementNote: '已补齐',
  });
  // Every accepted action records who did it, in order.
  expect(final.trail.map((t) => t.seq)).toEqual(final.trail.map((_, i) => i + 1));
  expect(final.trail[0]).toMatchObject({ action: 'registration', by: window });
  expect(final.trail.filter((t) => t.action === 'sign-off').every((t) => t.by.party === t.party)).toBe(true);
  expect(final.trail.at(-1)).toMatchObject({ action: 'sign-off', stage: 'connection' });
  expect(final.trail.filter((t) => t.by.role === 'system').map((t) => `${t.action}:${t.stage}`)).toEqual(['application:connection']);
  const notices = await worker.sink.read();
  expect(notices.filter((n) => n.key.startsWith(final.project.id)).map((n) => n.subject)).toContainEqual(expect.stringMatching(/全部阶段已通过，项目办结/));
  await saveHistoryIfRecording('general-four-stages', h);
});

test('an industrial project has no civil-defense sign-off and records its exemption', async () => {
  const h = await start({ category: 'industrial', locality: 'industrial-zone' });
  const state = await h.query(stateQuery);
  expect(state.stages.map((s) => s.parties)).toEqual([
    ['planning', 'construction', 'water'],
    ['construction', 'planning', 'water'],
    ['construction', 'planning', 'water', 'greening', 'archives'],
    ['power', 'water-supply', 'gas'],
  ]);
  expect(state.project.exemptions).toEqual([expect.stringContaining('civil-defense')]);
  await apply(h, 'design');
  await approveAll(h, 'design', ['planning', 'construction', 'water']);
  await apply(h, 'permit');
  await expectRefused(sign(h, 'permit', 'civil-defense', 'approve'), /civil-defense is not a required party of stage permit/);
  await h.executeUpdate(withdraw, { args: [{ by: window, reason: 'test over' }] });
});

test('a small project gets the simplified completion acceptance: planning and construction only', async () => {
  const h = await start({ category: 'small', utilities: ['power'] });
  for (const [stage, parties] of [
    ['design', ['planning', 'construction', 'water']],
    ['permit', ['construction', 'planning', 'water', 'civil-defense']],
  ] as const) {
    await apply(h, stage);
    await approveAll(h, stage, parties);
  }
  let state = await apply(h, 'acceptance');
  expect(state.stages[2]?.parties).toEqual(['planning', 'construction']);
  state = await approveAll(h, 'acceptance', ['planning', 'construction']);
  expect(state.currentStage).toBe('connection');
  expect(state.project.exemptions).toContainEqual(expect.stringContaining('简化竣工验收'));
  await sign(h, 'connection', 'power', 'approve');
  expect((await h.result()).status).toBe('completed');
  await saveHistoryIfRecording('small-simplified-acceptance', h);
});

test('every wrong action is refused with its reason and leaves no trace in history', async () => {
  const h = await start();
  const check = async (action: () => Promise<unknown>, reason: RegExp) => {
    const before = await traces(h);
    await expectRefused(action(), reason);
    expect(await traces(h)).toEqual(before);
  };

  await check(() => sign(h, 'design', 'planning', 'approve'), /stage design has no application to review/);
  await check(() => apply(h, 'permit'), /project is at stage design, not permit/);
  await apply(h, 'design');
  await check(() => apply(h, 'design'), /already has an application under review/);
  await check(() => sign(h, 'design', 'power', 'approve'), /power is not a required party of stage design \(required: planning, construction, water\)/);
  await sign(h, 'design', 'water', 'approve');
  await check(() => sign(h, 'design', 'water', 'approve'), /water already signed off stage design attempt 1/);
  await check(() => sign(h, 'design', 'water', 'reject', { comment: 'changed my mind' }), /water already signed off/);
  await check(() => sign(h, 'design', 'planning', 'correction', { items: [] }), /must list every missing item/);
  await check(() => h.executeUpdate(recordSupplement, { args: [{ stage: 'design', by: window }] }), /no correction awaiting a supplement/);
  await sign(h, 'design', 'planning', 'correction', { items: ['消防设计说明'] });
  await check(() => sign(h, 'design', 'construction', 'approve'), /paused for correction \(requested by planning\)/);
  await check(() => sign(h, 'design', 'planning', 'correction', { items: ['另一项'] }), /already requested a correction in attempt 1.*一次性告知/);
  await check(() => h.executeUpdate(recordSupplement, { args: [{ stage: 'permit', by: window }] }), /project is at stage design, not permit/);
  await check(() => h.executeUpdate(withdraw, { args: [{ by: window, reason: '  ' }] }), /needs a reason/);
  // Another party may add its own correction during the pause, so the applicant hears everything at once.
  await sign(h, 'design', 'construction', 'correction', { items: ['结构计算书'] });
  await h.executeUpdate(recordSupplement, { args: [{ stage: 'design', by: window }] });
  await sign(h, 'design', 'construction', 'reject', { comment: '结构不满足规范' });
  await check(() => sign(h, 'design', 'planning', 'approve'), /attempt 1 was rejected; the window must submit again/);

  await h.executeUpdate(withdraw, { args: [{ by: admin, reason: '建设单位撤回申请' }] });
  expect((await h.result()).status).toBe('withdrawn');
  // The workflow has closed: an action on it fails and changes nothing.
  const before = (await h.fetchHistory()).events?.length;
  await expect(apply(h, 'design')).rejects.toThrow();
  expect((await h.fetchHistory()).events?.length).toBe(before);
});

test('an accepted action answers with the project right after it, so the caller needs no query', async () => {
  const h = await start();
  const answer = await h.executeUpdate(submitApplication, { args: [{ stage: 'design', by: window }] });
  expect(answer.state?.trail.at(-1)).toMatchObject({ action: 'application', stage: 'design', by: window });
  expect(answer.state?.trail).toHaveLength(answer.seq);
  expect(stageStatus(answer.state as ProjectState, 'design')).toBe('under-review');
  // What a query reads once the change has settled (its record write, its notices change no state).
  expect(answer.state).toEqual(await h.query(stateQuery));
  const signed = await h.executeUpdate(signOff, { args: [{ stage: 'design', party: 'water', decision: 'approve', by: reviewer('water') }] });
  expect(signed.state?.stages[0]?.attempts[0]?.signOffs).toEqual([expect.objectContaining({ party: 'water', decision: 'approve' })]);
});

test('withdrawal ends the project and records who withdrew it and why', async () => {
  // A major project has its dedicated agent from registration (the API refuses one without).
  const h = await start({ major: true, agent: 'agent-01' });
  await apply(h, 'design');
  await approveAll(h, 'design', ['planning', 'construction', 'water']);
  await apply(h, 'permit');
  await sign(h, 'permit', 'planning', 'approve');
  const state = await act(h, withdraw, { by: window, reason: '项目取消' });
  expect(state.status).toBe('withdrawn');
  const final = await h.result();
  expect(final.withdrawal).toMatchObject({ by: window, reason: '项目取消' });
  expect(final.trail.at(-1)).toMatchObject({ action: 'withdrawal', stage: 'permit', by: window });
  const notices = await worker.sink.read();
  const mine = notices.filter((n) => n.key.startsWith(final.project.id));
  // The parties still pending on the permit hear that no sign-off is needed.
  expect(mine.filter((n) => /项目已撤回，无需签署/.test(n.subject)).map((n) => n.to).sort()).toEqual(
    ['party:civil-defense', 'party:construction', 'party:water'],
  );
  // Registered with it, the agent was told it follows the project, by name and locality.
  expect(mine.filter((n) => n.to === 'agent:agent-01' && !n.key.includes('/report/')).map((n) => n.subject)).toEqual([`【一口受理】${final.project.name}（朱泾镇）：您已成为本项目代办员`]);
  await saveHistoryIfRecording('withdrawn-during-permit', h);
});

test('a worker bounds its workflow thread’s heap by the projects it caches, and runs projects within it', async () => {
  // The heap limit a worker thread started now gets: the SDK starts its workflow thread the same way
  // (without resource limits), so it takes V8's flag as it stands when the worker is created.
  const threadHeapLimitMb = () =>
    new Promise<number>((resolve, reject) => {
      const thread = new Thread(`require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)`, { eval: true });
      thread.once('message', (bytes: number) => void thread.terminate().then(() => resolve(bytes / 1024 / 1024)));
      thread.once('error', reject);
    });
  const queue = uniqueTaskQueue('heap');
  const bounded = await startWorker(env.nativeConnection, workflowBundle, queue, { cachedWorkflows: 10 });
  try {
    const limit = await threadHeapLimitMb();
    // The old generation's limit, and V8's young generation beside it.
    expect(limit).toBeGreaterThanOrEqual(workflowHeapMb(10));
    expect(limit).toBeLessThan(workflowHeapMb(10) + 64);
    const h = await startProject(env.client, queue, projectInput());
    expect(stageStatus(await apply(h, 'design'), 'design')).toBe('under-review');
  } finally {
    await bounded.stop();
    // V8's own sizing again for threads started later in this process.
    setFlagsFromString('--max-old-space-size=0');
  }
  expect(await threadHeapLimitMb()).toBeGreaterThan(workflowHeapMb(10) + 64);
});

test("stack trace queries answer only when WORKFLOW_STACK_TRACES=on: the SDK's hook costs every promise a stack", async () => {
  const h = await start();
  await apply(h, 'design');
  // Off by default (patches/@temporalio+worker+*.patch): the SDK says so rather than answering.
  // (Said by the error itself, or by its cause when the query ran as a workflow task.)
  const refused = await h.query('__stack_trace').then(() => undefined, (err: Error & { cause?: Error }) => `${err.message} ${err.cause?.message ?? ''}`);
  expect(refused).toMatch(/stack traces are not enabled/);

  // A worker started with it on: its workflow thread takes a copy of the process's environment as it is
  // then. Jest gives tests a copy of their own, so the process's is set from a thread that shares it.
  const setProcessEnv = (value: string | null) =>
    new Promise<void>((resolve, reject) => {
      const code = `const v = require('node:worker_threads').workerData; if (v === null) delete process.env.WORKFLOW_STACK_TRACES; else process.env.WORKFLOW_STACK_TRACES = v;`;
      const thread = new Thread(code, { eval: true, env: SHARE_ENV, workerData: value });
      thread.once('exit', () => resolve());
      thread.once('error', reject);
    });
  const queue = uniqueTaskQueue('stack-traces');
  await setProcessEnv('on');
  let traced: Awaited<ReturnType<typeof startWorker>>;
  try {
    traced = await startWorker(env.nativeConnection, workflowBundle, queue);
  } finally {
    await setProcessEnv(null);
  }
  try {
    const t = await startProject(env.client, queue, projectInput());
    await apply(t, 'design');
    expect(await t.query<string>('__stack_trace')).toMatch(/projectApproval|longRunningLoop/);
  } finally {
    await traced.stop();
  }
});
