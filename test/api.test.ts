// The HTTP API over real HTTP, against the suite's Temporal dev server and a real worker.
import { loadUtilityEndpoints } from '../config/utility-endpoints';
import type { ProjectView } from '../domain/project';
import { eventually } from './support/eventually';
import { apiCaller, type Answer } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  // The worker pushes permitted projects to the API's development inbox, as with `npm start`.
  service = await startService('api', {
    devUtilityInbox: true,
    utilityEndpoints: (port) => loadUtilityEndpoints({ PORT: port, UTILITY_ENDPOINTS_FILE: undefined }),
  });
});

afterAll(async () => {
  await service?.stop();
});

const call = apiCaller(() => service.port);


const registration = {
  name: '山阳镇 小型仓库',
  applicant: { name: '上海山阳某某物流有限公司', uscc: '91350100M000100Y43' },
  category: 'small',
  locality: 'shanyang',
  utilities: ['power'],
};

async function register(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/api/projects', 'dev-window', { ...registration, ...overrides });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const stage = (id: string, name: string, what: string) => `/api/projects/${id}/stages/${name}/${what}`;
const approve = (id: string, s: string, party: string, token = `dev-${party}`) =>
  call('POST', stage(id, s, 'sign-offs'), token, { party, decision: 'approve' });


test('health, the OpenAPI document and the browsable docs need no token', async () => {
  expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok', temporal: 'ok' } });
  const doc = await call('GET', '/api/openapi.json');
  expect(doc.status).toBe(200);
  expect(Object.keys(doc.body.paths)).toEqual(
    expect.arrayContaining([
      '/api/projects',
      '/api/projects/{id}',
      '/api/projects/{id}/stages/{stage}/sign-offs',
      '/api/projects/{id}/withdrawal',
      '/api/projects/{id}/report-cadence',
      '/api/projects/{id}/reports',
      '/api/projects/{id}/green-channel',
      '/api/projects/{id}/escalations',
      '/api/projects/{id}/audit',
      '/api/calendar/working-days',
      '/api/calendar/deadline',
      '/api/calendar/{year}',
      '/api/stats',
    ]),
  );
  expect(doc.body.components.schemas.Registration.properties.applicant).toBeDefined();
  const docs = await call('GET', '/api/docs/');
  expect(docs.status).toBe(200);
  expect(docs.body).toContain('swagger-ui');
});

test('every /api call needs a known bearer token', async () => {
  expect(await call('GET', '/api/projects')).toMatchObject({ status: 401, body: { error: 'unauthenticated' } });
  expect(await call('GET', '/api/projects', 'not-a-token')).toMatchObject({ status: 401, body: { message: 'unknown token' } });
  expect(await call('GET', '/api/nothing-here', 'dev-window')).toMatchObject({ status: 404, body: { error: 'not-found' } });
});

test('registration validates every field and names the ones that fail', async () => {
  const bad = await call('POST', '/api/projects', 'dev-window', {
    ...registration,
    applicant: { name: '某公司', uscc: '91350100M000100Y44' },
    locality: 'atlantis',
    utilities: [],
    extra: 1,
  });
  expect(bad.status).toBe(400);
  expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body', 'body.applicant.uscc', 'body.locality', 'body.utilities']);
  expect(bad.body.issues.find((i: { path: string }) => i.path === 'body.applicant.uscc').message).toMatch(/check character should be '3'/);
  expect(await call('POST', '/api/projects', 'dev-window', '{"name": ')).toMatchObject({ status: 400, body: { error: 'malformed-json' } });
  // PostgreSQL cannot store NUL: control characters are refused before they reach a project.
  const nul = await call('POST', '/api/projects', 'dev-window', { ...registration, name: 'a\u0000b' });
  expect(nul).toMatchObject({ status: 400, body: { issues: [{ path: 'body.name', message: 'must not contain control characters' }] } });
  expect(await call('POST', '/api/projects', 'dev-window')).toMatchObject({ status: 400, body: { error: 'invalid-request' } });
  expect(await call('POST', '/api/projects', 'dev-planning', registration)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  // A major project is on the green channel from the start, which its dedicated agent steers.
  expect(await call('POST', '/api/projects', 'dev-window', { ...registration, major: true })).toMatchObject({
    status: 400,
    body: { issues: [{ path: 'body.agent', message: expect.stringMatching(/major project .* dedicated agent/) }] },
  });

  const ok = await call('POST', '/api/projects', 'dev-window', { ...registration, applicant: { name: '某公司', uscc: '91350100m000100y43' } });
  expect(ok.status).toBe(201);
  expect(ok.headers.get('location')).toBe(`/api/projects/${ok.body.id}`);
  expect(ok.body.plan.acceptance.parties).toEqual(['planning', 'construction']);
  const project = await call<ProjectView>('GET', `/api/projects/${ok.body.id}`, 'dev-leader');
  expect(project.body.project).toMatchObject({ applicant: { uscc: '91350100M000100Y43' }, registeredBy: { id: 'window-01', role: 'window' } });
  expect(project.body.overallStatus).toBe('awaiting-application');
});

test('a project goes through all four stages over HTTP, each action recorded with who did it', async () => {
  const id = await register();
  expect((await call('POST', stage(id, 'design', 'application'), 'dev-window', { note: '申报材料齐全' })).status).toBe(200);
  const correction = await call<ProjectView>('POST', stage(id, 'design', 'sign-offs'), 'dev-water', {
    party: 'water',
    decision: 'correction',
    items: ['排水设计图'],
  });
  expect(correction.body.stages[0]).toMatchObject({ status: 'correction', openCorrections: [{ party: 'water', items: ['排水设计图'] }] });
  expect((await call('POST', stage(id, 'design', 'supplements'), 'dev-window', { note: '已补充' })).body.stages[0].status).toBe('under-review');
  // A reviewer's token names its department, so the party may be left out.
  const own = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'approve' });
  expect(own.body.stages[0].pendingParties).toEqual(['construction', 'water']);
  for (const party of ['construction', 'water']) expect((await approve(id, 'design', party)).status).toBe(200);

  await call('POST', stage(id, 'permit', 'application'), 'dev-window', {});
  const rejected = await call('POST', stage(id, 'permit', 'sign-offs'), 'dev-civil-defense', { party: 'civil-defense', decision: 'reject', comment: '人防方案缺失' });
  expect(rejected.body.stages[1].status).toBe('rejected');
  await call('POST', stage(id, 'permit', 'application'), 'dev-window', { note: '重新申报' });
  for (const party of ['construction', 'planning', 'water', 'civil-defense']) await approve(id, 'permit', party);

  await call('POST', stage(id, 'acceptance', 'application'), 'dev-window', {});
  const pending = await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-leader');
  expect(pending.body.stages[2]?.pendingParties).toEqual(['planning', 'construction']);
  await approve(id, 'acceptance', 'planning');
  // An admin records a department's decision only as a proxy (代录), with its document and a reason.
  const proxy = { reference: '区建管委〔2026〕12号', reason: '部门系统故障，按书面意见代录' };
  expect((await approve(id, 'acceptance', 'construction', 'dev-admin')).body.issues[0].path).toBe('body.proxy');
  const proxied = await call('POST', stage(id, 'acceptance', 'sign-offs'), 'dev-admin', { party: 'construction', decision: 'approve', proxy });
  expect(proxied.body.stages[2].attempts[0].signOffs.find((s: { party: string }) => s.party === 'construction')).toMatchObject({ by: { id: 'admin-01' }, proxy });
  expect(proxied.body.trail.at(-2).detail).toMatch(/代录 proxy by admin-01, ref 区建管委〔2026〕12号/);

  // Acceptance approved: connection opened on its own, the permit having been pushed to the company.
  const connecting = await call('GET', `/api/projects/${id}`, 'dev-window');
  expect(connecting.body.stages[3]).toMatchObject({ status: 'under-review', pendingParties: ['power'] });
  const inbox = await eventually(
    () => call('GET', '/dev/utility-inbox', 'dev-window'),
    (a) => a.body.received.some((r: { key: string }) => r.key === `${id}/utility-push/power`),
  );
  expect(inbox.body.received.find((r: { key: string }) => r.key === `${id}/utility-push/power`).body.project.id).toBe(id);
  const done = await approve(id, 'connection', 'power');
  expect(done.body).toMatchObject({ status: 'completed', overallStatus: 'completed', currentStage: null });
  const trail = done.body.trail;
  expect(trail.map((t: { action: string; by: { id: string } }) => `${t.action}:${t.by.id}`)).toEqual([
    'registration:window-01',
    'application:window-01',
    'sign-off:reviewer-water',
    'supplement:window-01',
    'sign-off:reviewer-planning',
    'sign-off:reviewer-construction',
    'sign-off:reviewer-water',
    'application:window-01',
    'sign-off:reviewer-civil-defense',
    'application:window-01',
    'sign-off:reviewer-construction',
    'sign-off:reviewer-planning',
    'sign-off:reviewer-water',
    'sign-off:reviewer-civil-defense',
    'application:window-01',
    'sign-off:reviewer-planning',
    'sign-off:admin-01',
    'application:system',
    'sign-off:utility-power',
  ]);
  expect(done.body.pushes).toMatchObject([{ company: 'power', status: 'delivered' }]);
  // Once closed, the project still reads, and refuses actions with the reason.
  expect((await call('GET', `/api/projects/${id}`, 'dev-leader')).body.status).toBe('completed');
  const late = await call('POST', `/api/projects/${id}/withdrawal`, 'dev-window', { reason: 'too late' });
  expect(late).toMatchObject({ status: 409, body: { error: 'refused', message: expect.stringMatching(/is completed/) } });
});

test('a reviewer signs only for its own department, a utility only for its company', async () => {
  const id = await register({ category: 'general', utilities: ['power', 'gas'] });
  await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
  const before = (await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-window')).body.trail.length;

  const planningForWater = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { party: 'water', decision: 'approve' });
  expect(planningForWater).toMatchObject({ status: 403, body: { error: 'forbidden', message: expect.stringMatching(/planning only, not for water/) } });
  expect((await call('POST', stage(id, 'design', 'sign-offs'), 'dev-power', { party: 'gas', decision: 'approve' })).status).toBe(403);
  for (const token of ['dev-window', 'dev-agent', 'dev-leader']) {
    expect((await call('POST', stage(id, 'design', 'sign-offs'), token, { party: 'water', decision: 'approve' })).status).toBe(403);
  }
  for (const token of ['dev-planning', 'dev-agent', 'dev-leader', 'dev-power']) {
    expect((await call('POST', stage(id, 'design', 'application'), token, {})).status).toBe(403);
    expect((await call('POST', stage(id, 'design', 'supplements'), token, {})).status).toBe(403);
    expect((await call('POST', `/api/projects/${id}/withdrawal`, token, { reason: 'x' })).status).toBe(403);
  }
  // None of the refused calls left a trace.
  expect((await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-window')).body.trail).toHaveLength(before);
});

test('wrong actions answer 400, 404 or 409 with the field or the reason, and change nothing', async () => {
  const id = await register();
  const unknown = '6f1c2c9e-3b1a-4c47-9a55-1f9a8f6d2b10';
  expect(await call('GET', `/api/projects/${unknown}`, 'dev-window')).toMatchObject({ status: 404, body: { error: 'not-found' } });
  expect((await call('POST', stage(unknown, 'design', 'application'), 'dev-window', {})).status).toBe(404);
  expect(await call('GET', '/api/projects/not-a-uuid', 'dev-window')).toMatchObject({ status: 400, body: { issues: [{ path: 'params.id' }] } });
  expect(await call('POST', stage(id, 'demolition', 'application'), 'dev-window', {})).toMatchObject({
    status: 400,
    body: { issues: [{ path: 'params.stage' }] },
  });
  const noItems = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { party: 'planning', decision: 'correction', items: [] });
  expect(noItems).toMatchObject({ status: 400, body: { issues: [{ path: 'body.items' }] } });
  const noReason = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { party: 'planning', decision: 'reject' });
  expect(noReason).toMatchObject({ status: 400, body: { issues: [{ path: 'body.comment' }] } });
  expect((await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { party: 'moon', decision: 'approve' })).status).toBe(400);
  expect(await call('POST', stage(id, 'design', 'sign-offs'), 'dev-admin', { decision: 'approve' })).toMatchObject({ status: 400, body: { issues: [{ path: 'body.party' }] } });
  const manyItems = Array.from({ length: 101 }, (_, i) => `item ${i}`);
  expect((await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'correction', items: manyItems })).body.issues[0].path).toBe('body.items');

  const notOpen = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { party: 'planning', decision: 'approve' });
  expect(notOpen).toMatchObject({ status: 409, body: { error: 'refused', message: 'stage design has no application to review' } });
  expect((await call('POST', stage(id, 'permit', 'application'), 'dev-window', {})).body.message).toMatch(/project is at stage design, not permit/);
  await call('POST', stage(id, 'design', 'application'), 'dev-window', {});
  const civil = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-admin', { party: 'civil-defense', decision: 'approve', proxy: { reference: 'x', reason: 'y' } });
  expect(civil).toMatchObject({ status: 409, body: { message: expect.stringMatching(/civil-defense is not a required party of stage design/) } });
  await approve(id, 'design', 'planning');
  expect((await approve(id, 'design', 'planning')).body.message).toMatch(/planning already signed off stage design attempt 1/);

  const state = await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-window');
  expect(state.body.trail.map((t) => t.action)).toEqual(['registration', 'application', 'sign-off']);
});

test('the same Idempotency-Key applies a retried action once, and never swallows a different one', async () => {
  const id = await register();
  const retry = { 'idempotency-key': `key-${id}` };
  const first = await call('POST', stage(id, 'design', 'application'), 'dev-window', {}, retry);
  const second = await call('POST', stage(id, 'design', 'application'), 'dev-window', {}, retry);
  expect([first.status, second.status]).toEqual([200, 200]);
  expect(second.body.stages[0].attempts).toHaveLength(1);
  // Without the key, the repeat is a second application and is refused.
  expect((await call('POST', stage(id, 'design', 'application'), 'dev-window', {})).status).toBe(409);
  // The same key on a different request (another caller, route and body) is that request, applied.
  const signed = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { decision: 'approve' }, retry);
  expect(signed.body.stages[0].pendingParties).toEqual(['construction', 'water']);
  expect(signed.body.trail.at(-1)).toMatchObject({ action: 'sign-off', party: 'planning', by: { id: 'reviewer-planning' } });
  const tooLong = await call('POST', stage(id, 'design', 'supplements'), 'dev-window', {}, { 'idempotency-key': 'k'.repeat(5000) });
  expect(tooLong).toMatchObject({ status: 400, body: { issues: [{ path: 'headers.idempotency-key' }] } });

  // A retried registration names the same project instead of registering it twice.
  const key = { 'idempotency-key': `register-${id}` };
  const a = await call('POST', '/api/projects', 'dev-window', registration, key);
  const b = await call('POST', '/api/projects', 'dev-window', registration, key);
  expect([a.status, b.status]).toEqual([201, 201]);
  expect(b.body.id).toBe(a.body.id);
  expect((await call('GET', `/api/projects/${a.body.id}`, 'dev-window')).body.trail).toHaveLength(1);
});

test('a body that is not a JSON object is named as such: wrong content type, null, too large', async () => {
  const res = await fetch(`http://127.0.0.1:${service.port}/api/projects`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-window', 'content-type': 'text/plain' },
    body: JSON.stringify(registration),
  });
  expect(res.status).toBe(415);
  expect(await res.json()).toMatchObject({ error: 'unsupported-media-type', message: expect.stringMatching(/application\/json.*text\/plain/) });
  expect(await call('POST', '/api/projects', 'dev-window', 'null')).toMatchObject({ status: 400, body: { issues: [{ path: 'body', message: 'must be a JSON object' }] } });
  expect(await call('POST', '/api/projects', 'dev-window', '[1]')).toMatchObject({ status: 400, body: { issues: [{ path: 'body' }] } });
  const huge = await call('POST', '/api/projects', 'dev-window', { ...registration, name: 'x'.repeat(300_000) });
  expect(huge).toMatchObject({ status: 413, body: { error: 'payload-too-large', message: expect.stringMatching(/256kb/) } });
});

test('withdrawal ends a project; the list filters by stage, status, locality, category and major', async () => {
  const locality = 'tinglin';
  const kept = await register({ locality, category: 'general', major: true, agent: 'agent-01' });
  const gone = await register({ locality, category: 'general' });
  expect((await call('POST', `/api/projects/${gone}/withdrawal`, 'dev-window', {})).body.issues[0].path).toBe('body.reason');
  await call('POST', stage(gone, 'design', 'application'), 'dev-window', {});
  const withdrawn = await call('POST', `/api/projects/${gone}/withdrawal`, 'dev-window', { reason: '建设单位申请撤回' });
  expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawal: { by: { id: 'window-01' }, reason: '建设单位申请撤回' } });
  // The stage it was withdrawn in says so, and nobody is left waiting to sign.
  expect(withdrawn.body.stages[0]).toMatchObject({ status: 'withdrawn', pendingParties: [], attempts: [{ outcome: 'withdrawn' }] });
  const again = await call('POST', `/api/projects/${gone}/withdrawal`, 'dev-window', { reason: 'again' });
  expect(again).toMatchObject({ status: 409, body: { message: expect.stringMatching(/withdrawn/) } });

  const list = (query: string) => call('GET', `/api/projects?locality=${locality}&${query}`, 'dev-leader');
  const ids = (answer: Answer) => answer.body.projects.map((p: { id: string }) => p.id).sort();
  const withdrawnList = await eventually(() => list('status=withdrawn'), (a) => a.body.projects.length === 1);
  expect(ids(withdrawnList)).toEqual([gone]);
  expect(withdrawnList.body.projects[0]).toMatchObject({ name: registration.name, stage: 'design', category: 'general', major: false });
  expect(ids(await list('major=true'))).toEqual([kept]);
  expect(ids(await list('stage=design&category=general')).length).toBe(2);
  expect(ids(await list('category=small'))).toEqual([]);
  expect(await call('GET', '/api/projects?major=yes&limit=0', 'dev-leader')).toMatchObject({ status: 400 });
  // recorded= names a project (and a version): anything else is refused, naming it.
  for (const bad of ['yes', `${kept}@`, `${kept}@x`, `${kept}@1@2`]) {
    expect(await call('GET', `/api/projects?recorded=${encodeURIComponent(bad)}`, 'dev-leader')).toMatchObject({ status: 400, body: { issues: [{ path: 'query.recorded' }] } });
  }
  // A version the record does not reach in time: the list answers what it holds after the wait, and says so.
  const late = await call('GET', `/api/projects?locality=${locality}&major=true&recorded=${kept}@999999`, 'dev-leader');
  expect(late).toMatchObject({ status: 200, body: { projects: [{ id: kept }] } });
  expect(late.headers.get('x-one-window-recorded')).toBe('false');
  // Just the id (after a registration, whose answer has no version): once the record holds the project at all.
  const fresh = await register({ locality, category: 'small' });
  const afterRegistration = await call('GET', `/api/projects?locality=${locality}&category=small&recorded=${fresh}`, 'dev-leader');
  expect(afterRegistration.headers.get('x-one-window-recorded')).toBe('true');
  expect(ids(afterRegistration)).toEqual([fresh]);
});

test('agents follow their projects: assignment, report cadence, reports; admins put a project on the green channel', async () => {
  expect(await call('POST', '/api/projects', 'dev-window', { ...registration, agent: 'window-01' })).toMatchObject({
    status: 400,
    body: { issues: [{ path: 'body.agent', message: 'no agent with id window-01' }] },
  });
  const id = await register({ agent: 'agent-01' });
  const cadence = (token: string, value: string) => call('PUT', `/api/projects/${id}/report-cadence`, token, { cadence: value });

  expect(await cadence('dev-agent-2', 'weekly')).toMatchObject({ status: 403, body: { message: expect.stringMatching(/agent-02 is not the agent of project .* \(agent-01 is\)/) } });
  expect((await cadence('dev-planning', 'weekly')).status).toBe(403);
  expect((await cadence('dev-agent', 'monthly')).body.issues[0].path).toBe('body.cadence');
  expect((await cadence('dev-agent', 'weekly')).body).toMatchObject({ cadence: 'weekly' });
  expect(await cadence('dev-agent', 'weekly')).toMatchObject({ status: 409, body: { message: 'reports are already weekly' } });

  const reports = await call('GET', `/api/projects/${id}/reports`, 'dev-agent');
  expect(reports.body).toMatchObject({ agent: 'agent-01', cadence: 'weekly', reports: [] });
  // Weekly from registration (no report yet).
  const registeredAt = (await call('GET', `/api/projects/${id}`, 'dev-agent')).body.project.registeredAt;
  expect(new Date(reports.body.nextReportAt).getTime() - new Date(registeredAt).getTime()).toBe(7 * 24 * 60 * 60 * 1000);

  // Another agent cannot take it over; an admin can hand it over; then the new agent steers it.
  expect((await call('PUT', `/api/projects/${id}/agent`, 'dev-agent-2', { agent: 'agent-02' })).status).toBe(403);
  expect((await call('PUT', `/api/projects/${id}/agent`, 'dev-admin', { agent: 'nobody' })).body.issues[0]).toMatchObject({ path: 'body.agent' });
  expect((await call('PUT', `/api/projects/${id}/agent`, 'dev-admin', { agent: 'agent-02' })).body.agent).toBe('agent-02');
  expect((await cadence('dev-agent-2', 'biweekly')).status).toBe(200);

  expect((await call('POST', `/api/projects/${id}/green-channel`, 'dev-agent-2', { agent: 'agent-02' })).status).toBe(403);
  const green = await call('POST', `/api/projects/${id}/green-channel`, 'dev-admin', { agent: 'agent-01' });
  expect(green.body).toMatchObject({ agent: 'agent-01', greenChannel: { by: { id: 'admin-01' } }, project: { major: true } });
  expect((await call('POST', `/api/projects/${id}/green-channel`, 'dev-admin', { agent: 'agent-01' })).status).toBe(409);
  expect((await call('GET', `/api/projects/${id}/escalations`, 'dev-leader')).body).toMatchObject({ major: true, escalations: [] });
  // Read your own writes: the answer's version, given to the list, makes it wait for the record to hold
  // the change (the worker writes it moments after the answer), so the first read already lists it.
  const version = Number(green.headers.get('x-one-window-version'));
  expect(version).toBeGreaterThan(1);
  const listed = await call('GET', `/api/projects?major=true&locality=${registration.locality}&recorded=${id}@${version}`, 'dev-leader');
  expect(listed.headers.get('x-one-window-recorded')).toBe('true');
  expect(listed.body.projects.find((p: { id: string }) => p.id === id)).toMatchObject({ major: true, agent: 'agent-01' });
  const trail = (await call('GET', `/api/projects/${id}`, 'dev-admin')).body.trail.map((t: { action: string; by: { id: string } }) => `${t.action}:${t.by.id}`);
  expect(trail).toEqual(['registration:window-01', 'report-cadence:agent-01', 'agent-assignment:admin-01', 'report-cadence:agent-02', 'green-channel:admin-01']);
});
