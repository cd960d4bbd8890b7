// 集中开工 campaigns through the API on real servers (dev server, worker, embedded record): declared, read and
// changed by an admin only; each member project's workflow told by an Update (weekly until the start
// date); projects added and removed while it runs; the agent told; refusals naming their fields; and a
// change the API recorded but could not send is sent when it starts again. The switch over months is in
// test/long-running.test.ts (time-skipping server).
import { campaignListSchema, campaignSchema } from '../api/campaigns';
import { reportsSchema } from '../api/responses';
import { shanghaiDate } from '../domain/calendar';
import { DAY_MS } from '../domain/policy';
import { deliverCampaigns } from '../operations/campaigns';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';

jest.setTimeout(120_000);

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('campaigns');
});
afterAll(async () => {
  await service?.stop();
});

const call = apiCaller(() => service.port);
const tag = Date.now().toString(36);
const inDays = (n: number) => shanghaiDate(Date.now() + n * DAY_MS);

async function register(name: string): Promise<string> {
  const res = await call('POST', '/api/projects', 'dev-window', {
    name: `金山卫镇 集中开工 ${name} ${tag}`,
    applicant: { name: '上海金山卫某某制造有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'industrial',
    locality: 'jinshanwei',
    utilities: ['gas'],
    agent: 'agent-01',
  });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  // Campaigns take projects from the record.
  await eventually(
    () => service.db.selectFrom('projects').select('id').where('id', '=', id).executeTakeFirst(),
    (row) => row !== undefined,
  );
  return id;
}
const reports = async (id: string) => reportsSchema.parse((await call('GET', `/api/projects/${id}/reports`, 'dev-admin')).body);

test('declare, read, add and remove while it runs: each project switches to weekly and back, and its agent is told', async () => {
  const [a, b, c] = (await Promise.all(['甲', '乙', '丙'].map(register))) as [string, string, string];
  const startDate = inDays(30);
  const declared = await call('POST', '/api/campaigns', 'dev-admin', {
    name: `2026 冬季集中开工 ${tag}`,
    startDate,
    projects: [
      { id: a, source: 'key-industrial-plan' },
      { id: b, source: 'full-agency-list' },
    ],
  });
  expect(declared.status).toBe(201);
  const campaign = campaignSchema.parse(declared.body);
  expect(declared.headers.get('location')).toBe(`/api/campaigns/${campaign.id}`);
  expect(campaign).toMatchObject({ startDate, phase: 'preparation', declaredBy: 'admin-01', changedBy: 'admin-01', removed: [] });
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((x, y) => x.id.localeCompare(y.id));
  expect(byId(campaign.projects).map((p) => [p.id, p.source, p.addedBy, p.delivery])).toEqual(
    byId([
      { id: a, row: [a, 'key-industrial-plan', 'admin-01', 'applied'] },
      { id: b, row: [b, 'full-agency-list', 'admin-01', 'applied'] },
    ]).map((x) => x.row),
  );
  // The members report weekly now, naming the campaign; the others do not.
  for (const id of [a, b]) expect(await reports(id)).toMatchObject({ cadence: 'weekly', campaign: { id: campaign.id, startDate, phase: 'preparation' }, cadenceSetBy: { kind: 'campaign', by: campaign.id } });
  expect(await reports(c)).toMatchObject({ cadence: 'biweekly', campaign: null });

  // While it runs: c joins, a leaves, and the date moves.
  const later = inDays(40);
  const changed = await call('PATCH', `/api/campaigns/${campaign.id}`, 'dev-admin', { add: [{ id: c, source: 'full-agency-list' }], remove: [a], startDate: later });
  expect(changed.status).toBe(200);
  const after = campaignSchema.parse(changed.body);
  expect(after.startDate).toBe(later);
  expect(after.projects.map((p) => [p.id, p.delivery])).toEqual([
    [b, 'applied'],
    [c, 'applied'],
  ]);
  expect(after.removed.map((p) => [p.id, p.removedBy, p.delivery])).toEqual([[a, 'admin-01', 'applied']]);
  expect(await reports(a)).toMatchObject({ cadence: 'biweekly', campaign: null });
  expect(await reports(b)).toMatchObject({ cadence: 'weekly', campaign: { startDate: later } });
  expect(await reports(c)).toMatchObject({ cadence: 'weekly', campaign: { id: campaign.id } });

  // The agent heard of each change to its projects, in its inbox.
  const inbox = await eventually(
    () => call('GET', `/api/inbox?project=${a}&lang=en`, 'dev-agent'),
    (r) => (r.body.notices ?? []).filter((n: { subject: string }) => /campaign/.test(n.subject)).length === 2,
  );
  expect(inbox.body.notices.filter((n: { subject: string }) => /campaign/.test(n.subject)).map((n: { subject: string }) => n.subject).sort()).toEqual([
    expect.stringMatching(/joined the construction-start campaign .* \(starting \d{4}-\d{2}-\d{2}\); progress reports now come weekly/),
    expect.stringMatching(/left campaign .*; progress reports now come every two weeks/),
  ]);

  // Read by those who plan or follow projects; the list has it.
  const list = await call('GET', '/api/campaigns', 'dev-leader');
  expect(list.status).toBe(200);
  expect(campaignListSchema.parse(list.body).campaigns.find((x) => x.id === campaign.id)?.projects.map((p) => p.id)).toEqual([b, c]);
  expect((await call('GET', `/api/campaigns/${campaign.id}`, 'dev-agent')).body.name).toBe(`2026 冬季集中开工 ${tag}`);

  // Another campaign may not take a project still preparing for this one.
  const clash = await call('POST', '/api/campaigns', 'dev-admin', { name: `重复 ${tag}`, startDate: later, projects: [{ id: b, source: 'key-industrial-plan' }] });
  expect(clash.status).toBe(409);
  expect(clash.body.refusal).toEqual({ code: 'campaign-project-unavailable' });
  expect(clash.body.issues).toEqual([{ path: 'body.projects.0.id', message: expect.stringContaining('already in campaign') }]);

  // The audit log has who did what.
  const audit = await service.db.selectFrom('audit_log').select(['principal_id', 'method', 'path', 'detail']).where('path', 'like', `/api/campaigns%`).where('outcome', '=', 'accepted').execute();
  expect(audit.filter((e) => e.path === `/api/campaigns/${campaign.id}`)).toEqual([
    { principal_id: 'admin-01', method: 'PATCH', path: `/api/campaigns/${campaign.id}`, detail: expect.stringContaining(`added ${c}`) },
  ]);
});

test('refusals name their field and change nothing; only an admin writes', async () => {
  const a = await register('丁');
  const bad = async (body: unknown, status: number, paths: string[]) => {
    const res = await call('POST', '/api/campaigns', 'dev-admin', body);
    expect({ status: res.status, paths: (res.body.issues ?? []).map((i: { path: string }) => i.path) }).toEqual({ status, paths });
  };
  await bad({ startDate: inDays(5) }, 400, ['body.name']);
  await bad({ name: 'x', startDate: '2026-02-30' }, 400, ['body.startDate']);
  await bad({ name: 'x', startDate: inDays(-1) }, 400, ['body.startDate']);
  await bad({ name: 'x', startDate: inDays(5), projects: [{ id: a, source: 'rumour' }] }, 400, ['body.projects.0.source']);
  await bad({ name: 'x', startDate: inDays(5), projects: [{ id: a, source: 'full-agency-list' }, { id: a, source: 'full-agency-list' }] }, 400, ['body.projects']);
  await bad({ name: 'x', startDate: inDays(5), projects: [{ id: '00000000-0000-4000-8000-000000000000', source: 'full-agency-list' }] }, 400, ['body.projects.0.id']);
  await bad({ name: 'x', startDate: inDays(5), extra: 1 }, 400, ['body']);
  expect(await reports(a)).toMatchObject({ cadence: 'biweekly', campaign: null });

  const created = await call('POST', '/api/campaigns', 'dev-admin', { name: `空 ${tag}`, startDate: inDays(5) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const patch = async (body: unknown, status: number, paths: string[]) => {
    const res = await call('PATCH', `/api/campaigns/${id}`, 'dev-admin', body);
    expect({ status: res.status, paths: (res.body.issues ?? []).map((i: { path: string }) => i.path) }).toEqual({ status, paths });
  };
  await patch({}, 400, ['body']);
  await patch({ remove: [a] }, 400, ['body.remove.0']);
  await patch({ startDate: inDays(-3) }, 400, ['body.startDate']);
  expect((await call('PATCH', `/api/campaigns/00000000-0000-4000-8000-000000000000`, 'dev-admin', { name: 'y' })).status).toBe(404);
  expect((await call('GET', `/api/campaigns/not-a-uuid`, 'dev-admin')).status).toBe(400);

  for (const token of ['dev-window', 'dev-agent', 'dev-leader', 'dev-planning']) {
    expect((await call('PATCH', `/api/campaigns/${id}`, token, { add: [{ id: a, source: 'full-agency-list' }] })).status).toBe(403);
  }
  expect((await call('GET', '/api/campaigns', 'dev-planning')).status).toBe(403);
  expect((await call('GET', `/api/campaigns/${id}`, 'dev-admin')).body.projects).toEqual([]);
});

test('a change recorded but not yet sent (the API stopped between the record and the Updates) is sent when the API starts', async () => {
  const a = await register('戊');
  const id = '7f3c2a10-0000-4000-8000-' + Date.now().toString(16).padStart(12, '0').slice(-12);
  const now = new Date();
  // What POST /api/campaigns writes before it tells anyone.
  await service.db.insertInto('campaigns').values({ id, name: `中断 ${tag}`, start_date: inDays(20), declared_by: 'admin-01', declared_at: now, changed_by: 'admin-01', changed_at: now }).execute();
  await service.db.insertInto('campaign_projects').values({ campaign_id: id, project_id: a, source: 'key-industrial-plan', added_by: 'admin-01', added_at: now }).execute();
  expect((await call('GET', `/api/campaigns/${id}`, 'dev-admin')).body.projects.map((p: { delivery: string }) => p.delivery)).toEqual(['pending']);
  expect(await reports(a)).toMatchObject({ cadence: 'biweekly', campaign: null });

  // What api/main.ts runs at start-up.
  const outcomes = await deliverCampaigns({ client: service.client, db: service.db, acceptTimeoutMs: 10_000 });
  expect(outcomes).toEqual(expect.arrayContaining([{ campaign: id, project: a, outcome: 'applied' }]));
  expect(await reports(a)).toMatchObject({ cadence: 'weekly', campaign: { id } });
  expect((await call('GET', `/api/campaigns/${id}`, 'dev-admin')).body.projects.map((p: { delivery: string }) => p.delivery)).toEqual(['applied']);
  // Sent again, it changes nothing (one trail entry).
  await service.db.updateTable('campaign_projects').set({ synced: false }).where('campaign_id', '=', id).execute();
  await deliverCampaigns({ client: service.client, db: service.db, acceptTimeoutMs: 10_000 }, id);
  const project = await call('GET', `/api/projects/${a}`, 'dev-admin');
  expect(project.body.trail.filter((t: { action: string }) => t.action === 'campaign')).toHaveLength(1);
});
