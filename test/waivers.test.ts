// Fee waivers (费用减免) end to end over HTTP: the catalogue grants items at registration, only the
// collecting department's reviewers enter the assessed amount, the waived amount follows the catalogue's
// rule (never a guessed rate), and leaders read the district's figures by category and locality.
import { loadWaiverCatalogue } from '../config/fee-waivers';
import { waiverCatalogue, type WaiverCatalogue } from '../domain/waivers';
import { projectWaiversResponse, waiverResponse, waiverStatsResponse } from '../api/waivers';
import { eventually } from './support/eventually';
import { apiCaller, registerProject } from './support/http';
import { startService } from './support/service';

const shipped = loadWaiverCatalogue();
// The district has set one rate (say, in its own notice): half of the construction commission's fees.
const configured: WaiverCatalogue = {
  items: shipped.items.map((i) => (i.item === 'small-construction-fees' ? { ...i, categories: { small: { kind: 'reduced' as const, rate: 0.5 } } } : i)),
};

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('waivers', { waiverCatalogue: configured });
});
afterAll(async () => {
  await service?.stop();
});
const call = apiCaller(() => service.port);
const unique = () => Math.random().toString(36).slice(2, 8);

test('the shipped catalogue cites its source for every item and invents no rate', () => {
  expect(shipped.items.map((i) => [i.item, i.department, i.categories])).toEqual([
    ['small-construction-fees', 'construction', { small: { kind: 'reduced', rate: null } }],
    ['small-water-fees', 'water', { small: { kind: 'reduced', rate: null } }],
    ['small-civil-defense-fees', 'civil-defense', { small: { kind: 'reduced', rate: null } }],
    ['industrial-civil-defense-works', 'civil-defense', { industrial: { kind: 'exempt' } }],
  ]);
  for (const item of shipped.items) expect(item.basis).toContain('小型项目费用减免以及工业项目免配建民防工程');
  // A catalogue that names an unknown department, a rate above 1 or the same item twice is refused.
  const [first] = shipped.items;
  expect(waiverCatalogue.safeParse({ items: [{ ...first, department: 'police' }] }).success).toBe(false);
  expect(waiverCatalogue.safeParse({ items: [{ ...first, categories: { small: { kind: 'reduced', rate: 1.5 } } }] }).success).toBe(false);
  expect(waiverCatalogue.safeParse({ items: [first, first] }).success).toBe(false);
});

test('a small project gets its three departments’ reductions; each department assesses its own, and an unset rate waives nothing yet', async () => {
  const id = await registerProject(call, { name: `山阳镇 小型仓库 ${unique()}`, category: 'small', locality: 'shanyang', agent: 'agent-01' });
  const read = await call('GET', `/api/projects/${id}/waivers`, 'dev-agent');
  expect(read.status).toBe(200);
  projectWaiversResponse.strict().parse(read.body);
  expect(read.body.items.map((w: { item: string; department: string; kind: string; grantedBy: string }) => [w.item, w.department, w.kind, w.grantedBy])).toEqual([
    ['small-civil-defense-fees', 'civil-defense', 'reduced', 'window-01'],
    ['small-construction-fees', 'construction', 'reduced', 'window-01'],
    ['small-water-fees', 'water', 'reduced', 'window-01'],
  ]);
  expect(read.body.items[1]).toMatchObject({ basis: expect.stringContaining('区建管委'), assessedAmount: null, waivedAmount: null, rule: { kind: 'reduced', rate: 0.5 } });

  const path = (item: string) => `/api/projects/${id}/waivers/${item}/assessment`;
  // Only the collecting department: not another department, not the window, not an admin.
  for (const token of ['dev-water', 'dev-window', 'dev-admin', 'dev-leader']) {
    expect((await call('PUT', path('small-construction-fees'), token, { amount: 100 })).status).toBe(403);
  }
  // Bad input names the field and changes nothing.
  for (const amount of [-1, 1.234, '100']) {
    const bad = await call('PUT', path('small-construction-fees'), 'dev-construction', { amount });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('body.amount');
  }
  expect((await call('PUT', path('no-such-fee'), 'dev-construction', { amount: 1 })).status).toBe(404);

  const construction = await call('PUT', path('small-construction-fees'), 'dev-construction', { amount: 12345.67, note: '建管〔2092〕7号' });
  expect(construction.status).toBe(200);
  waiverResponse.strict().parse(construction.body);
  // Half, rounded to the fen.
  expect(construction.body).toMatchObject({ assessedAmount: 12345.67, rate: 0.5, waivedAmount: 6172.84, assessedBy: 'reviewer-construction', note: '建管〔2092〕7号' });
  const water = await call('PUT', path('small-water-fees'), 'dev-water', { amount: 800 });
  expect(water.body).toMatchObject({ assessedAmount: 800, rate: null, waivedAmount: null, assessedBy: 'reviewer-water' });

  // The assessment is in the audit log with who made it.
  const audit = await eventually(
    () => call('GET', `/api/audit?project=${id}&action=fee-assessment&outcome=accepted`, 'dev-admin'),
    (a) => a.body.entries?.length === 2,
  );
  expect(audit.body.entries.map((e: { principalId: string; detail: string }) => [e.principalId, e.detail]).sort()).toEqual([
    ['reviewer-construction', 'assessed small-construction-fees at 12345.67 yuan'],
    ['reviewer-water', 'assessed small-water-fees at 800 yuan'],
  ]);
});

test('an industrial project’s civil-defense works are waived in full, assessed by the office that is no party to its stages', async () => {
  const id = await registerProject(call, { name: `朱泾镇 工业厂房 ${unique()}`, category: 'industrial', locality: 'zhujing' });
  // The civil-defense office does not review an industrial project, yet reads and assesses its waiver.
  expect((await call('GET', `/api/projects/${id}`, 'dev-civil-defense')).status).toBe(403);
  const read = await call('GET', `/api/projects/${id}/waivers`, 'dev-civil-defense');
  expect(read.body.items.map((w: { item: string }) => w.item)).toEqual(['industrial-civil-defense-works']);
  expect((await call('GET', `/api/projects/${id}/waivers`, 'dev-gas')).status).toBe(403);
  const assessed = await call('PUT', `/api/projects/${id}/waivers/industrial-civil-defense-works/assessment`, 'dev-civil-defense', { amount: 2000000.5 });
  expect(assessed.body).toMatchObject({ kind: 'exempt', assessedAmount: 2000000.5, waivedAmount: 2000000.5, assessedBy: 'reviewer-civil-defense' });
  // A registration retried with its Idempotency-Key grants nothing twice.
  const retried = { name: `朱泾镇 工业仓库 ${unique()}`, applicant: { name: '上海朱泾某某制造有限公司', uscc: '91310000MA1FL4B24G' }, category: 'industrial', locality: 'zhujing', utilities: ['power'] };
  const key = { 'idempotency-key': `waivers-${unique()}` };
  const first = await call('POST', '/api/projects', 'dev-window', retried, key);
  const again = await call('POST', '/api/projects', 'dev-window', retried, key);
  expect(again.body.id).toBe(first.body.id);
  expect((await call('GET', `/api/projects/${first.body.id}/waivers`, 'dev-window')).body.items).toHaveLength(1);
  // A general project waives nothing.
  const general = await registerProject(call, { name: `朱泾镇 商业楼 ${unique()}`, locality: 'zhujing' });
  expect((await call('GET', `/api/projects/${general}/waivers`, 'dev-window')).body.items).toEqual([]);
});

test('leaders read the waivers granted and amounts by category and locality', async () => {
  type Stats = ReturnType<typeof waiverStatsResponse.parse>;
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const stats = async (): Promise<Stats> => {
    const answer = await call('GET', `/api/waivers/stats?from=${today}&to=${today}`, 'dev-leader');
    expect(answer.status).toBe(200);
    return waiverStatsResponse.strict().parse(answer.body);
  };
  const row = (s: Stats, category: string, locality: string) => s.rows.find((r) => r.category === category && r.locality === locality);
  const before = await stats();
  // Other test files register projects here too, but only this one assesses fees: amounts change by ours alone.
  const id = await registerProject(call, { name: `山阳镇 小型配套用房 ${unique()}`, category: 'small', locality: 'shanyang' });
  await call('PUT', `/api/projects/${id}/waivers/small-construction-fees/assessment`, 'dev-construction', { amount: 300 });
  await call('PUT', `/api/projects/${id}/waivers/small-civil-defense-fees/assessment`, 'dev-civil-defense', { amount: 50.5 });
  // Counted once the worker has written the project to the record.
  const after = await eventually(stats, (s) => (row(s, 'small', 'shanyang')?.granted ?? 0) >= (row(before, 'small', 'shanyang')?.granted ?? 0) + 3);
  const [b, a] = [row(before, 'small', 'shanyang'), row(after, 'small', 'shanyang')];
  expect(a).toBeDefined();
  expect((a?.assessedAmount ?? 0) - (b?.assessedAmount ?? 0)).toBeCloseTo(350.5, 2);
  expect((a?.waivedAmount ?? 0) - (b?.waivedAmount ?? 0)).toBeCloseTo(150, 2);
  expect((a?.rateMissing ?? 0) - (b?.rateMissing ?? 0)).toBe(1);
  expect(after.items.find((i) => i.item === 'small-construction-fees')?.department).toBe('construction');
  expect(after.totals.granted).toBe(after.rows.reduce((n, r) => n + r.granted, 0));

  // Another year holds nothing of today's; a window ending before it starts is refused; others may not read it.
  expect((await call('GET', '/api/waivers/stats?from=2087-01-01&to=2087-12-31', 'dev-admin')).body.totals).toMatchObject({ granted: 0, waivedAmount: 0 });
  const backwards = await call('GET', '/api/waivers/stats?from=2087-02-01&to=2087-01-01', 'dev-leader');
  expect(backwards.status).toBe(400);
  expect(backwards.body.issues[0].path).toBe('query.to');
  expect((await call('GET', '/api/waivers/stats', 'dev-window')).status).toBe(403);
});
