// The operators' repairs over real HTTP, against the suite's dev server, a real worker and a real local
// HTTP server standing in for the utility companies: a failed push sent again, a reminder to the parties
// still pending, and a cancellation requested in Temporal turned into a recorded withdrawal.
import { DEFAULT_POLICY } from '../domain/policy';
import type { ProjectView } from '../domain/project';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { startUtilityCompanies } from './support/utility-companies';

let companies: Awaited<ReturnType<typeof startUtilityCompanies>>;
let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  companies = await startUtilityCompanies({ gas: { down: true } });
  // Two attempts 2 s apart: a company that is down is given up quickly.
  service = await startService('repairs', { utilityEndpoints: () => companies.endpoints, policy: { ...DEFAULT_POLICY, pushAttempts: 2 } });
});

afterAll(async () => {
  await service?.stop();
  await companies?.stop();
});

const call = apiCaller(() => service.port);
const stage = (id: string, name: string, what: string) => `/api/projects/${id}/stages/${name}/${what}`;
const project = async (id: string) => (await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-admin')).body;

async function register(utilities: string[] = ['power']): Promise<string> {
  const res = await call('POST', '/api/projects', 'dev-window', {
    name: '枫泾镇 运维测试厂房',
    applicant: { name: '上海枫泾某某制造有限公司', uscc: '91350100M000100Y43' },
    category: 'general',
    locality: 'fengjing',
    utilities,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Applies for the stage and has every party approve it. */
async function pass(id: string, name: string): Promise<void> {
  expect((await call('POST', stage(id, name, 'application'), 'dev-window', {})).status).toBe(200);
  const parties = (await project(id)).stages.find((s) => s.stage === name)?.parties ?? [];
  for (const party of parties) expect((await call('POST', stage(id, name, 'sign-offs'), `dev-${party}`, { party, decision: 'approve' })).status).toBe(200);
}

test('a failed push is sent again by an admin, with the same key, once the company is back; the window is told', async () => {
  const id = await register(['gas']);
  await pass(id, 'design');
  await pass(id, 'permit');
  const failed = await eventually(() => project(id), (p) => p.pushes[0]?.status === 'failed', 300);
  expect(failed.pushes[0]).toMatchObject({ company: 'gas', error: expect.stringMatching(/HTTP 503/) });

  // The stuck list shows it, with the repair that applies.
  const stuck = () => call('GET', '/api/operations/stuck?kind=push-failed&locality=fengjing', 'dev-admin');
  // The list reads the record, which follows the workflow a moment later.
  const found = await eventually(stuck, (r) => r.body.entries.some((e: { projectId: string }) => e.projectId === id));
  const listed = found.body.entries.find((e: { projectId: string }) => e.projectId === id);
  expect(listed).toMatchObject({ kind: 'push-failed', repairs: [{ action: 'retry-push', method: 'POST', path: `/api/projects/${id}/pushes/gas/retry` }] });
  expect(JSON.stringify(listed.evidence)).toMatch(/HTTP 503/);

  const retry = `/api/projects/${id}/pushes/gas/retry`;
  expect((await call('POST', retry, 'dev-window', { reason: '燃气公司已恢复' })).status).toBe(403);
  const missing = await call('POST', retry, 'dev-admin', {});
  expect(missing.status).toBe(400);
  expect(missing.body.issues[0].path).toBe('body.reason');
  expect((await call('POST', `/api/projects/${id}/pushes/telecom/retry`, 'dev-admin', { reason: 'x' })).body.message).toMatch(/no push to telecom/);

  companies.recover('gas');
  const before = companies.received.filter((r) => r.company === 'gas').length;
  const retried = await call<ProjectView>('POST', retry, 'dev-admin', { reason: '燃气公司接口已恢复' }, { 'idempotency-key': `retry-${id}` });
  expect(retried.status).toBe(200);
  const delivered = await eventually(() => project(id), (p) => p.pushes[0]?.status === 'delivered', 300);
  expect(delivered.pushes[0]).toMatchObject({ retries: 1, key: `${id}/utility-push/gas` });
  expect(delivered.trail.find((t) => t.action === 'push-retry')).toMatchObject({ by: { id: 'admin-01' }, party: 'gas', detail: expect.stringContaining('燃气公司接口已恢复') });

  // The same request again applies once; a new one is refused: the push is delivered.
  expect((await call('POST', retry, 'dev-admin', { reason: '燃气公司接口已恢复' }, { 'idempotency-key': `retry-${id}` })).status).toBe(200);
  expect((await call('POST', retry, 'dev-admin', { reason: '再试' })).body.message).toMatch(/delivered/);
  const after = companies.received.filter((r) => r.company === 'gas').slice(before);
  expect(after).toHaveLength(1);
  expect(after[0]?.key).toBe(`${id}/utility-push/gas`);

  expect((await eventually(stuck, (r) => !r.body.entries.some((e: { projectId: string }) => e.projectId === id))).body.entries).not.toContainEqual(
    expect.objectContaining({ projectId: id }),
  );
  const notices = await eventually(() => service.sink.read(), (n) => n.some((d) => d.key === `${id}/utility-push/gas/delivered/1`));
  expect(notices.find((d) => d.key === `${id}/utility-push/gas/delivered/1`)?.to).toBe('window');
  const audit = await call('GET', `/api/projects/${id}/audit`, 'dev-admin');
  expect(audit.body.entries).toEqual(
    expect.arrayContaining([expect.objectContaining({ path: retry, outcome: 'accepted', principalId: 'admin-01', detail: expect.stringContaining('燃气公司接口已恢复') })]),
  );
}, 90_000);

test('an admin reminds the parties still pending on a stage; the reminder goes to their liaisons and is in the trail', async () => {
  const id = await register();
  expect((await call('POST', stage(id, 'design', 'application'), 'dev-window', {})).status).toBe(200);
  expect((await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { party: 'planning', decision: 'approve' })).status).toBe(200);

  expect((await call('POST', stage(id, 'design', 'reminders'), 'dev-leader', { reason: '已超期' })).status).toBe(403);
  expect((await call('POST', stage(id, 'permit', 'reminders'), 'dev-admin', { reason: '已超期' })).body.message).toMatch(/not permit/);
  const reminded = await call<ProjectView>('POST', stage(id, 'design', 'reminders'), 'dev-admin', { reason: '请于本周内签署' });
  expect(reminded.status).toBe(200);
  const entry = reminded.body.trail.find((t) => t.action === 'reminder');
  const pending = reminded.body.stages[0]?.pendingParties ?? [];
  expect(pending.length).toBeGreaterThan(0);
  expect(pending).not.toContain('planning');
  expect(entry).toMatchObject({ by: { id: 'admin-01' }, stage: 'design', detail: `${pending.join(', ')}: 请于本周内签署` });

  const audit = await call('GET', `/api/projects/${id}/audit`, 'dev-admin');
  expect(audit.body.entries.map((e: { principalId: string; outcome: string; detail: string | null }) => [e.principalId, e.outcome, e.detail])).toEqual(
    expect.arrayContaining([
      ['leader-01', 'forbidden', expect.stringMatching(/may not repair/)],
      ['admin-01', 'accepted', 'remind the parties pending on design: 请于本周内签署'],
    ]),
  );
  // The activity tells them one after another: wait for all.
  const notices = await eventually(() => service.sink.read(), (n) => n.filter((d) => d.key.startsWith(`${id}/reminder/${entry?.seq}/`)).length >= pending.length + 1);
  const sent = notices.filter((d) => d.key.startsWith(`${id}/reminder/${entry?.seq}/`));
  // One per pending party's liaison, and the locality's liaison.
  expect(sent.length).toBe(pending.length + 1);
  expect(sent[0]?.subject).toMatch(/^【一口受理】枫泾镇 运维测试厂房（枫泾镇）：催办：/);
  expect(sent[0]?.message).toMatchObject({ t: 'reminder', stage: 'design', reason: '请于本周内签署' });
}, 60_000);

test('a cancellation requested in Temporal becomes a recorded withdrawal; reads and writes answer consistently', async () => {
  const id = await register();
  expect((await call('POST', stage(id, 'design', 'application'), 'dev-window', {})).status).toBe(200);
  const handle = service.client.workflow.getHandle(`project-${id}`);
  await handle.cancel();

  const withdrawn = await eventually(() => project(id), (p) => p.status === 'withdrawn', 300);
  expect(withdrawn.withdrawal).toMatchObject({ by: { id: expect.stringMatching(/^temporal/), role: 'system' }, reason: expect.stringMatching(/cancellation requested in Temporal/) });
  expect(withdrawn.trail[withdrawn.trail.length - 1]).toMatchObject({ action: 'withdrawal' });
  expect(withdrawn.stages[0]?.attempts[0]?.outcome).toBe('withdrawn');
  // The run ended as a withdrawn project does, not as a cancelled workflow.
  expect((await eventually(() => handle.describe(), (d) => d.status.name !== 'RUNNING')).status.name).toBe('COMPLETED');

  const signOff = await call('POST', stage(id, 'design', 'sign-offs'), 'dev-planning', { party: 'planning', decision: 'approve' });
  expect(signOff.status).toBe(409);
  expect(signOff.body.message).toMatch(/withdrawn/);
  const listed = await eventually(
    () => call('GET', '/api/projects?locality=fengjing&limit=100', 'dev-admin'),
    (a) => a.body.projects.some((p: { id: string; status: string }) => p.id === id && p.status === 'withdrawn'),
  );
  expect(listed.status).toBe(200);
}, 60_000);
