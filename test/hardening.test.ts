// What an attacker found, each on real servers: a GET that froze the process, a character that poisoned
// a project, a keyed retry that resurrected a closed one, state that grew without bound, and Temporal's
// own front door trusting anyone.
import { randomUUID } from 'node:crypto';
import { Client, WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowClientInterceptor } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { LIMITS, STATE_IN_HISTORY } from '../domain/limits';
import type { ProjectView } from '../domain/project';
import { commandSealInterceptor, generateSealKeys, sealCommand } from '../temporal/command-seal';
import { SEAL_HEADER } from '../domain/seal';
import { defaultPayloadConverter } from '@temporalio/common';
import { startProject } from '../api/project-client';
import { SEAL_REFUSED, recordHealthQuery, signOff, stateQuery, submitApplication, withdraw, workflowIdFor } from '../workflows/messages';
import { admin, projectInput, reviewer, window } from './support/fixtures';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { act, testSeal } from './support/temporal';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('hardening');
});
afterAll(async () => {
  await service?.stop();
});
const call = apiCaller(() => service.port);

const registration = {
  name: '吕巷镇 标准厂房',
  applicant: { name: '上海亭林某某实业有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'general',
  locality: 'lvxiang',
  utilities: ['gas'],
};
const stage = (id: string, name: string, what: string) => `/api/projects/${id}/stages/${name}/${what}`;
async function register(overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<string> {
  const res = await call('POST', '/api/projects', 'dev-window', { ...registration, ...overrides }, headers);
  expect(res.status).toBe(201);
  return res.body.id as string;
}

test('dates are bounded: a far-future count answers 400 at once instead of freezing the process', async () => {
  const started = Date.now();
  const frozen = await call('GET', '/api/calendar/working-days?from=9999-12-30&to=9999-12-31', 'dev-window');
  expect(frozen).toMatchObject({ status: 400, body: { issues: [{ path: 'query.from' }, { path: 'query.to' }] } });
  expect((await call('GET', '/api/calendar/deadline?from=9999-12-20&days=10', 'dev-window')).body.issues[0].path).toBe('query.from');
  // Within the countable range, but the deadline would fall past it: refused, naming the field.
  expect((await call('GET', '/api/calendar/deadline?from=2099-12-20&days=10', 'dev-window')).body).toMatchObject({ issues: [{ path: 'query.days' }] });
  expect((await call('GET', '/api/calendar/working-days?from=2000-01-01&to=2099-12-31', 'dev-window')).body.issues[0]).toMatchObject({ path: 'query.to' });
  expect((await call('GET', '/api/stats?from=1900-01-01&to=2026-01-01', 'dev-leader')).body.issues[0].path).toBe('query.from');
  // The process still answers at once.
  expect((await call('GET', '/api/calendar/working-days?from=2026-09-30&to=2026-10-09', 'dev-window')).body.workingDays).toBe(2);
  expect(Date.now() - started).toBeLessThan(5_000);
});

test('ill-formed Unicode and invisible-only text are refused with the field named, and change nothing', async () => {
  const lone = (field: string) => `{"name":"亭林镇 厂房","applicant":{"name":"上海某某有限公司","uscc":"91310000MA1FL4B24G"},"category":"general","locality":"tinglin","utilities":["gas"],${field}}`;
  const badName = await call('POST', '/api/projects', 'dev-window', lone('"agent":"agent-01","name":"\\ud800"'));
  expect(badName.status).toBe(400);
  expect(badName.body.issues.map((i: { path: string }) => i.path)).toContain('body.name');
  for (const name of ['\u200b\u3000\u2060', '\u034f\u17b4\u17b5']) {
    const invisible = await call('POST', '/api/projects', 'dev-window', { ...registration, name });
    expect(invisible).toMatchObject({ status: 400, body: { issues: [{ path: 'body.name', message: 'must contain visible characters' }] } });
  }
  // C1 controls and noncharacters are no text either.
  for (const name of ['a\u0085b', 'a\uffffb', 'a\u{10ffff}b']) {
    expect((await call('POST', '/api/projects', 'dev-window', { ...registration, name })).body.issues[0]).toMatchObject({ path: 'body.name', message: 'must not contain control characters' });
  }

  const id = await register();
  await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
  const before = (await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-window')).body.trail.length;
  const correction = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', '{"decision":"correction","items":["总平面图","\\udfff"]}');
  expect(correction.body.issues[0].path).toBe('body.items.1');
  const comment = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', '{"decision":"reject","comment":"a\\ud83d"}');
  expect(comment.body.issues[0].path).toBe('body.comment');
  const note = await call('POST', stage(id, 'design', 'supplements'), 'dev-window', '{"note":"\\udc00"}');
  expect(note.body.issues[0].path).toBe('body.note');
  // A well-formed astral character (a surrogate pair) is text like any other.
  const pair = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'correction', items: ['日照分析 😀'] });
  expect(pair.status).toBe(200);
  expect((await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-window')).body.trail.length).toBe(before + 1);
});

test('a record write the database refuses holds up nothing: the project still acts, notifies and closes', async () => {
  // Data PostgreSQL cannot store, sent around the API (which refuses it) by a sealed client.
  const input = projectInput({ name: '坏数据 \ud800 项目' });
  const h = await startProject(service.client, service.taskQueue, input);
  await act(h, submitApplication, { stage: 'design', by: window });
  await act(h, signOff, { stage: 'design', party: 'planning', decision: 'approve', by: reviewer('planning') });
  const health = await eventually(
    () => h.query(recordHealthQuery),
    (r) => r.failure !== null,
  );
  expect(health.failure?.message).toMatch(/SQLSTATE 22/);
  await h.executeUpdate(withdraw, { args: [{ by: window, reason: '测试结束' }] });
  // Closing does not wait for a write that can never succeed.
  let timer: NodeJS.Timeout | undefined;
  const final = await Promise.race([h.result(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the project never closed')), 20_000)))]);
  clearTimeout(timer);
  expect(final).toMatchObject({ status: 'withdrawn' });
  expect(await service.db.selectFrom('projects').select('id').where('id', '=', input.project.id).executeTakeFirst()).toBeUndefined();
});

test('a keyed retry of a registration answers the first answer and never restarts a closed project', async () => {
  const key = { 'idempotency-key': `retry-${randomUUID()}` };
  const first = await call('POST', '/api/projects', 'dev-window', registration, key);
  const { id } = first.body;
  await call('POST', `/api/projects/${id}/withdrawal`, 'dev-window', { reason: '建设单位撤回' });
  const trail = (await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-window')).body.trail;
  // Before the record has it and after: both answer the first answer.
  const again = await call('POST', '/api/projects', 'dev-window', registration, key);
  expect(again).toMatchObject({ status: 201, body: first.body });
  const after = await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-window');
  expect(after.body).toMatchObject({ status: 'withdrawn', trail });
  const description = await service.client.workflow.getHandle(workflowIdFor(id)).describe();
  expect(description.status.name).toBe('COMPLETED');
  await eventually(
    () => service.db.selectFrom('projects').select('status').where('id', '=', id).executeTakeFirst(),
    (r) => r?.status === 'withdrawn',
  );
  expect(await call('POST', '/api/projects', 'dev-window', registration, key)).toMatchObject({ status: 201, body: first.body });
  // Express matches routes whatever their case; so does the key.
  expect(await call('POST', '/api/PROJECTS', 'dev-window', registration, key)).toMatchObject({ status: 201, body: first.body });
});

test('lists and text are bounded, Updates answer small, and a project cannot grow past its size limit', async () => {
  const id = await register();
  const applied = await call<ProjectView>('POST', stage(id, 'design', 'application'), 'dev-window', {});
  expect(applied.body.stages[0]).toMatchObject({ stage: 'design', status: 'under-review' });
  const tooMany = Array.from({ length: LIMITS.correctionItems + 1 }, (_, i) => `缺少材料 ${i}`);
  expect((await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'correction', items: tooMany })).body.issues[0].path).toBe('body.items');
  const tooLong = '长'.repeat(LIMITS.itemChars + 1);
  expect((await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'correction', items: [tooLong] })).body.issues[0].path).toBe('body.items.0');

  // The largest corrections the API allows, round after round, until the project is full.
  const items = (n: number) => Array.from({ length: LIMITS.correctionItems }, (_, i) => `${n}-${i} ${'缺'.repeat(LIMITS.itemChars - 12)}`);
  let refused: { status: number; body: { message: string } } | undefined;
  for (let round = 0; round < 40 && !refused; round++) {
    for (const party of ['planning', 'construction', 'water']) {
      const res = await call('POST', stage(id, 'design', 'sign-offs'), `dev-${party}`, { decision: 'correction', items: items(round) });
      if (res.status !== 200) {
        refused = res;
        break;
      }
      // Past the size an Update answers with, the API reads the project by query: still the project after it.
      expect(res.body.trail.at(-1)).toMatchObject({ action: 'sign-off', party, stage: 'design' });
    }
    if (refused) break;
    await call('POST', stage(id, 'design', 'supplements'), 'dev-window', {});
    const rejected = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'reject', comment: '退回' });
    if (rejected.status !== 200) refused = rejected;
    else await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
  }
  expect(refused).toMatchObject({ status: 409, body: { message: expect.stringMatching(/size limit/) } });

  // Every run (the visibility list may lag a moment). The record's writes carry no copy of the state
  // (LEAN_RECORD_PATCH), so a project at its size limit has had no need to continue as new by now: its
  // history is the Updates' own items and the notices.
  const runs = await eventually(
    async () => {
      const found: string[] = [];
      for await (const run of service.client.workflow.list({ query: `WorkflowId = '${workflowIdFor(id)}'` })) found.push(run.runId);
      return found;
    },
    (found) => found.length >= 1,
    100,
  );
  expect(runs.length).toBeGreaterThanOrEqual(1);
  const events = (await Promise.all(runs.map((runId) => service.client.workflow.getHandle(workflowIdFor(id), runId).fetchHistory()))).flatMap((h) => h.events ?? []);
  const sizes = events.map((e) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length);
  const completed = events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes);
  expect(completed.length).toBeGreaterThan(10);
  // An Update answers with the state only while it is small; once the corrections have made the project
  // larger, with its place in the trail alone.
  const answers = completed.map((e) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length);
  expect(answers[0]).toBeGreaterThan(1024);
  for (const size of answers) expect(size).toBeLessThan(STATE_IN_HISTORY.stateBytes + 1024);
  for (const size of answers.slice(-10)) expect(size).toBeLessThan(400);
  // No single event comes near Temporal's 512 KB payload warning (the state itself is at most 256 KB),
  // and no run near its 10 MB history warning.
  expect(Math.max(...sizes)).toBeLessThan(LIMITS.stateBytes * 1.2);
  for (const runId of runs) {
    const { raw } = await service.client.workflow.getHandle(workflowIdFor(id), runId).describe();
    expect(Number(raw.workflowExecutionInfo?.historySizeBytes)).toBeLessThan(4 * 1024 * 1024);
  }
});

describe("Temporal's front door: only the API's sealed commands act on a project", () => {
  const unsealed = () => new Client({ connection: service.client.connection });

  test('an Update sent straight through Temporal with a forged actor is refused and leaves no trace', async () => {
    const id = await register();
    await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
    const h = unsealed().workflow.getHandle(workflowIdFor(id));
    const before = (await h.query(stateQuery)).trail.length;
    const forged = await h
      .executeUpdate(signOff, { args: [{ stage: 'design', party: 'planning', decision: 'approve', by: { id: 'forged-nobody', role: 'admin' } }] })
      .then(() => undefined, (e: unknown) => e);
    expect(forged).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((forged as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe(SEAL_REFUSED);
    expect((await h.query(stateQuery)).trail.length).toBe(before);
  });

  test('a sealed command whose arguments were changed, or whose seal is stale or from another key, is refused', async () => {
    const id = await register();
    await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
    const { signer } = testSeal();
    // Seals the command as the API would, then sends something else under that seal.
    const tampering = (change: (args: unknown[]) => unknown[], at = () => Date.now()): WorkflowClientInterceptor => ({
      async startUpdate(input, next) {
        const updateId = randomUUID();
        const seal = sealCommand(signer, { kind: 'update', workflowId: input.workflowExecution.workflowId, name: input.updateName, id: updateId, args: input.args }, at());
        return next({ ...input, args: change(input.args), options: { ...input.options, updateId }, headers: { ...input.headers, [SEAL_HEADER]: defaultPayloadConverter.toPayload(seal) } });
      },
    });
    const send = async (interceptor: WorkflowClientInterceptor) => {
      const client = new Client({ connection: service.client.connection, interceptors: { workflow: [interceptor] } });
      const input = { stage: 'design' as const, party: 'planning' as const, decision: 'approve' as const, by: reviewer('planning') };
      return client.workflow.getHandle(workflowIdFor(id)).executeUpdate(signOff, { args: [input] }).then(() => 'accepted', (e: WorkflowUpdateFailedError) => e.cause?.message);
    };
    expect(await send(tampering((args) => [{ ...(args[0] as object), by: admin }]))).toMatch(/does not match/);
    expect(await send(tampering((args) => args, () => Date.now() - 20 * 60_000))).toMatch(/expired/);
    expect(await send(commandSealInterceptor(generateSealKeys().signer))).toMatch(/unknown key/);
    expect(await send(tampering((args) => args))).toBe('accepted');
  });

  test('an Update sent the moment a project is registered is accepted while its seal is still being checked', async () => {
    for (let i = 0; i < 5; i++) {
      const h = await startProject(service.client, service.taskQueue, projectInput());
      const state = await act(h, submitApplication, { stage: 'design', by: window });
      expect(state.stages[0]?.attempts).toHaveLength(1);
    }
  });

  test('an unsealed registration with an input of any shape fails at once instead of leaving a workflow task failing', async () => {
    const id = randomUUID();
    const h = await unsealed().workflow.start('projectApproval', { workflowId: workflowIdFor(id), taskQueue: service.taskQueue, args: [{ plan: [] }] });
    const err = await h.result().then(() => undefined, (e: unknown) => e);
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe(SEAL_REFUSED);
    expect((await call('GET', `/api/projects/${id}`, 'dev-window')).status).toBe(404);
  });

  test('a Temporal reset that drops an accepted action does not rewrite the record: the trail there is append-only', async () => {
    const id = await register();
    await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
    await call('POST', `/api/projects/${id}/withdrawal`, 'dev-window', { reason: '建设单位撤回' });
    const h = service.client.workflow.getHandle(workflowIdFor(id));
    await h.result();
    await eventually(
      () => service.db.selectFrom('projects').select('status').where('id', '=', id).executeTakeFirst(),
      (r) => r?.status === 'withdrawn',
    );
    // What an operator (or anyone reaching the frontend) can do: reset to the first workflow task, not
    // reapplying the Updates that came after it.
    const { events } = await h.fetchHistory();
    const firstTask = events?.find((e) => e.workflowTaskCompletedEventAttributes)?.eventId;
    const { runId } = await service.client.workflowService.resetWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: workflowIdFor(id) },
      workflowTaskFinishEventId: firstTask,
      reason: 'test: drop the withdrawal',
      requestId: randomUUID(),
      resetReapplyExcludeTypes: [temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE, temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL],
    });
    const reset = service.client.workflow.getHandle(workflowIdFor(id), runId ?? undefined);
    expect((await reset.query(stateQuery)).status).toBe('active');
    // The workflow, rewound, accepts a new application (the record's trail starts the same way, so it
    // keeps what it has) and a sign-off where the record has the withdrawal: refused, and said so.
    await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
    await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'approve' });
    const health = await eventually(
      () => reset.query(recordHealthQuery),
      (r) => r.failure !== null,
    );
    expect(health.failure?.message).toMatch(/trail differs from the recorded one at entry 3 \(recorded withdrawal, now sign-off\)/);
    expect(await service.db.selectFrom('projects').select('status').where('id', '=', id).executeTakeFirst()).toMatchObject({ status: 'withdrawn' });
    await call('POST', `/api/projects/${id}/withdrawal`, 'dev-window', { reason: 'test over' });
  });

  test('a registration started straight through Temporal ends itself and never reaches the record', async () => {
    const input = projectInput();
    const h = await startProject(unsealed(), service.taskQueue, input);
    const err = await h.result().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe(SEAL_REFUSED);
    expect(await service.db.selectFrom('projects').select('id').where('id', '=', input.project.id).executeTakeFirst()).toBeUndefined();
    expect((await call('GET', `/api/projects/${input.project.id}`, 'dev-window')).status).toBe(404);
    expect((await call('POST', stage(input.project.id, 'design', 'application'), 'dev-window', {})).status).toBe(404);
  });
});

test('reads are scoped to need: a party sees the projects it is party to, an agent its own, and lists page by cursor', async () => {
  const gas = await register({ utilities: ['gas'], agent: 'agent-02' });
  const industrial = await register({ category: 'industrial', utilities: ['power'] });
  // A company reads the projects that asked for it; a department those whose plan names it.
  expect((await call('GET', `/api/projects/${gas}`, 'dev-gas')).status).toBe(200);
  expect((await call('GET', `/api/projects/${gas}`, 'dev-power')).body).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/power is not a party/) });
  expect((await call('GET', `/api/projects/${industrial}/reports`, 'dev-civil-defense')).status).toBe(403);
  expect((await call('GET', `/api/projects/${gas}/escalations`, 'dev-civil-defense')).status).toBe(200);
  const listed = async (token: string) => {
    const ids: string[] = [];
    for (let cursor: string | undefined, page = 0; page < 100; page++) {
      const res = await call('GET', `/api/projects?locality=lvxiang&limit=2${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(res.status).toBe(200);
      ids.push(...res.body.projects.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return ids;
  };
  const everything = await listed('dev-leader');
  expect(new Set(everything).size).toBe(everything.length);
  expect(everything).toEqual(expect.arrayContaining([gas, industrial]));
  expect(await listed('dev-power')).not.toContain(gas);
  expect(await listed('dev-gas')).toContain(gas);
  expect(await listed('dev-gas')).not.toContain(industrial);
  expect(await listed('dev-civil-defense')).not.toContain(industrial);
  // An agent reads its own projects, whatever filter it asks for.
  expect((await call('GET', `/api/projects/${gas}`, 'dev-agent')).status).toBe(403);
  expect((await call('GET', `/api/projects/${gas}`, 'dev-agent-2')).status).toBe(200);
  expect(await listed('dev-agent')).not.toContain(gas);
  const agents = (await call('GET', '/api/projects?agent=agent-02&limit=500', 'dev-agent')).body.projects.map((p: { agent: string }) => p.agent);
  expect(new Set(agents)).toEqual(new Set([]));
  expect((await call('GET', '/api/projects?cursor=not-a-cursor', 'dev-leader')).body.issues[0].path).toBe('query.cursor');
  // Crafted cursors the database could not take are refused as such, not answered 500.
  const crafted = (position: unknown[]) => Buffer.from(JSON.stringify(position)).toString('base64url');
  for (const position of [
    ['2026-01-01T00:00:00Z', '-'.repeat(36)],
    ['+275760-09-13T00:00:00Z', '00000000-0000-0000-0000-000000000000'],
    ['-271821-04-20T00:00:00Z', '00000000-0000-0000-0000-000000000000'],
  ]) {
    expect(await call('GET', `/api/projects?cursor=${crafted(position)}`, 'dev-leader')).toMatchObject({ status: 400, body: { issues: [{ path: 'query.cursor' }] } });
  }
});
