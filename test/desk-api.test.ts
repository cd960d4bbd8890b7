// The API behind the console's daily desks: the window's corrections queue (status=correction, oldest
// first, each project with what to collect), a department's done list (GET /api/sign-offs, its own party
// only), and the workflow's refusals answered with a stable code beside the English reason. Real projects
// through the API and a real worker (locality shanyang, names unique to this run).
import { projectPageSchema, reportsSchema, signOffPageSchema } from '../api/responses';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';

jest.setTimeout(120_000);

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('desk-api');
});
afterAll(async () => {
  await service?.stop();
});

const call = apiCaller(() => service.port);
const tag = Date.now().toString(36);
const stagePath = (id: string, what: string) => `/api/projects/${id}/stages/design/${what}`;

async function register(name: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海山阳某某置业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'shanyang',
    utilities: ['power'],
    agent: 'agent-01',
    ...overrides,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const ok = async (method: string, path: string, token: string, body: unknown) => {
  const res = await call(method, path, token, body);
  expect({ status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ status: 200, body: 'ok' });
};
const ids = (res: { body: { projects: { id: string }[] } }) => res.body.projects.map((p) => p.id);

describe('the corrections queue (补正待补)', () => {
  const name = `山阳镇 补正队列 ${tag}`;
  const queue = (extra = '') => `/api/projects?status=correction&name=${encodeURIComponent(name)}${extra}`;

  test('status=correction&order=oldest: the paused projects, oldest first, each with every item to collect; a supplement takes one out', async () => {
    const first = await register(`${name} 甲`);
    const second = await register(`${name} 乙`);
    for (const id of [first, second]) await ok('POST', stagePath(id, 'application'), 'dev-window', {});
    await ok('POST', stagePath(first, 'sign-offs'), 'dev-planning', { decision: 'correction', items: ['总平面图', '日照分析报告'] });
    await ok('POST', stagePath(second, 'sign-offs'), 'dev-planning', { decision: 'correction', items: ['总平面图'] });
    await ok('POST', stagePath(second, 'sign-offs'), 'dev-water', { decision: 'correction', items: ['排水接管证明'] });

    // Until the record has every correction (water's on the second project came last).
    const oldest = await eventually(
      () => call('GET', queue('&order=oldest'), 'dev-window'),
      (res) => res.body.projects?.length === 2 && res.body.projects[1].openCorrections?.length === 2,
    );
    expect(oldest.status).toBe(200);
    expect(ids(oldest)).toEqual([first, second]);
    // As the OpenAPI document says, field for field (parsing drops whatever the schema leaves out).
    expect(projectPageSchema.parse(oldest.body)).toEqual(oldest.body);
    const [a, b] = oldest.body.projects;
    expect(a.openCorrections).toEqual([
      expect.objectContaining({ party: 'planning', items: ['总平面图', '日照分析报告'], requestedBy: expect.objectContaining({ id: 'reviewer-planning' }), requestedAt: expect.any(String) }),
    ]);
    expect(b.openCorrections.map((c: { party: string; items: string[] }) => [c.party, c.items])).toEqual([
      ['planning', ['总平面图']],
      ['water', ['排水接管证明']],
    ]);
    expect(a.clock).toEqual(expect.objectContaining({ limitDays: 15, pausedDays: expect.any(Number) }));
    // The default order is still newest first; pages cut in the asked order.
    expect(ids(await call('GET', queue(), 'dev-window'))).toEqual([second, first]);
    const page1 = await call('GET', queue('&order=oldest&limit=1'), 'dev-window');
    expect(ids(page1)).toEqual([first]);
    expect(ids(await call('GET', queue(`&order=oldest&limit=1&cursor=${page1.body.nextCursor}`), 'dev-window'))).toEqual([second]);
    expect((await call('GET', queue('&order=sideways'), 'dev-window')).body.issues).toEqual([expect.objectContaining({ path: 'query.order' })]);

    // The supplement answers every open correction of the stage: the project leaves the queue.
    await ok('POST', stagePath(first, 'supplements'), 'dev-window', { note: '已补齐' });
    const after = await eventually(
      () => call('GET', queue('&order=oldest'), 'dev-window'),
      (res) => res.body.projects?.length === 1,
    );
    expect(ids(after)).toEqual([second]);
    const resumed = await call('GET', `/api/projects?name=${encodeURIComponent(`${name} 甲`)}`, 'dev-window');
    expect(resumed.body.projects[0]).toEqual(expect.objectContaining({ status: 'under-review', openCorrections: [] }));
  });
});

describe('the done list (已办): GET /api/sign-offs', () => {
  const name = `山阳镇 已办 ${tag}`;

  test("a party's own decisions, newest first, with a correction's items; paginated and filtered; nobody else's", async () => {
    const one = await register(`${name} 一`);
    const two = await register(`${name} 二`);
    for (const id of [one, two]) await ok('POST', stagePath(id, 'application'), 'dev-window', {});
    await ok('POST', stagePath(one, 'sign-offs'), 'dev-planning', { decision: 'approve', comment: '符合规划' });
    await ok('POST', stagePath(two, 'sign-offs'), 'dev-planning', { decision: 'correction', items: ['总平面图', '日照分析报告'] });
    await ok('POST', stagePath(one, 'sign-offs'), 'dev-water', { decision: 'reject', comment: '排水方案不可行' });
    const mine = new Set([one, two]);

    // Other test files sign for planning meanwhile: look at this test's projects among the newest.
    const listed = await eventually(
      () => call('GET', '/api/sign-offs?limit=200', 'dev-planning'),
      (res) => res.body.signOffs?.filter((s: { project: { id: string } }) => mine.has(s.project.id)).length === 2,
    );
    expect(listed.status).toBe(200);
    expect(signOffPageSchema.parse(listed.body)).toEqual(listed.body);
    const own = listed.body.signOffs.filter((s: { project: { id: string } }) => mine.has(s.project.id));
    expect(own).toEqual([
      expect.objectContaining({
        project: { id: two, name: `${name} 二`, locality: 'shanyang', status: 'correction' },
        stage: 'design',
        attempt: 1,
        party: 'planning',
        decision: 'correction',
        items: ['总平面图', '日照分析报告'],
        by: expect.objectContaining({ id: 'reviewer-planning', name: expect.any(String) }),
      }),
      expect.objectContaining({ project: expect.objectContaining({ id: one }), decision: 'approve', comment: '符合规划' }),
    ]);
    // Newest first, throughout.
    const times = listed.body.signOffs.map((s: { at: string }) => s.at);
    expect([...times].sort().reverse()).toEqual(times);
    // Only planning's: water's rejection is water's to see.
    expect(listed.body.signOffs.every((s: { party: string }) => s.party === 'planning')).toBe(true);
    // Water's rejection came last: the record may write it a moment after planning's.
    const water = await eventually(
      () => call('GET', '/api/sign-offs?decision=reject&limit=200', 'dev-water'),
      (res) => res.body.signOffs?.some((s: { project: { id: string } }) => mine.has(s.project.id)),
    );
    expect(water.body.signOffs.filter((s: { project: { id: string } }) => mine.has(s.project.id))).toEqual([
      expect.objectContaining({ party: 'water', decision: 'reject', comment: '排水方案不可行' }),
    ]);
    expect(water.body.signOffs.every((s: { decision: string }) => s.decision === 'reject')).toBe(true);

    // Pages follow one another without overlap, in the same order.
    const first = await call('GET', '/api/sign-offs?limit=2', 'dev-planning');
    expect(first.body.signOffs).toHaveLength(2);
    const second = await call('GET', `/api/sign-offs?limit=2&cursor=${first.body.nextCursor}`, 'dev-planning');
    const key = (s: { project: { id: string }; stage: string; attempt: number; decision: string }) => `${s.project.id}/${s.stage}/${s.attempt}/${s.decision}`;
    const keys1 = first.body.signOffs.map(key);
    for (const s of second.body.signOffs) {
      expect(keys1).not.toContain(key(s));
      expect(s.at <= first.body.signOffs[1].at).toBe(true);
    }

    // Only a department or company has a done list; the party is never the caller's to choose.
    expect((await call('GET', '/api/sign-offs', 'dev-window')).status).toBe(403);
    expect((await call('GET', '/api/sign-offs', 'dev-leader')).status).toBe(403);
    expect((await call('GET', '/api/sign-offs?party=water', 'dev-planning')).status).toBe(400);
    const badCursor = await call('GET', '/api/sign-offs?cursor=abc', 'dev-planning');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.issues).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
    expect((await call('GET', '/api/sign-offs?decision=maybe', 'dev-planning')).body.issues).toEqual([expect.objectContaining({ path: 'query.decision' })]);
  });
});

describe("the workflow's refusals carry a stable code", () => {
  test('409 paused-for-correction, 409 cadence-unchanged, 403 not-the-agent: each with its facts and the English reason as before', async () => {
    const id = await register(`山阳镇 拒绝代码 ${tag}`);
    await ok('POST', stagePath(id, 'application'), 'dev-window', {});
    await ok('POST', stagePath(id, 'sign-offs'), 'dev-planning', { decision: 'correction', items: ['总平面图', '日照分析报告'] });

    const paused = await call('POST', stagePath(id, 'sign-offs'), 'dev-water', { decision: 'approve' });
    expect(paused.status).toBe(409);
    expect(paused.body).toEqual({
      error: 'refused',
      message: 'stage design is paused for correction (requested by planning); record the supplement first',
      refusal: { code: 'paused-for-correction', params: { stage: 'design', parties: ['planning'] } },
    });

    const reports = await call('GET', `/api/projects/${id}/reports`, 'dev-agent');
    expect(reportsSchema.parse(reports.body)).toEqual(reports.body);
    expect(reports.body).toEqual(expect.objectContaining({ agent: 'agent-01', cadence: 'biweekly', nextReportAt: expect.any(String) }));

    const same = await call('PUT', `/api/projects/${id}/report-cadence`, 'dev-agent', { cadence: 'biweekly' });
    expect(same.status).toBe(409);
    expect(same.body.refusal).toEqual({ code: 'cadence-unchanged', params: { cadence: 'biweekly' } });
    expect(same.body.message).toBe('reports are already biweekly');

    const other = await call('PUT', `/api/projects/${id}/report-cadence`, 'dev-agent-2', { cadence: 'weekly' });
    expect(other.status).toBe(403);
    expect(other.body).toEqual(expect.objectContaining({ error: 'forbidden', refusal: { code: 'not-the-agent', params: { agent: 'agent-01' } } }));

    // A refusal the API decides itself (not the workflow) has no code: the reason stands alone.
    const bad = await call('POST', stagePath(id, 'sign-offs'), 'dev-water', { decision: 'correction', items: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.refusal).toBeUndefined();
  });
});
