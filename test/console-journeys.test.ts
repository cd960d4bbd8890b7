// The journeys no other browser test walks, each in a real headless Chromium against the real stack: a
// utility company signing off the connection stage from its worklist (待办) and finding it in its done
// list (已办); two reviewers each signing the design stage in the browser until the stage is approved;
// the agent reading a delivered progress report in the project's timeline. The earlier stages are driven
// through the API; a real local HTTP server stands in for the utility companies the permit pushes to.
// Screenshots go to test-results/screenshots, checked with axe-core. Needs the console built.
import type { Page } from 'playwright-core';
import { DAY_MS, DEFAULT_POLICY } from '../domain/policy';
import type { ProjectView } from '../domain/project';
import { eventually } from './support/eventually';
import { rowOnceListed, signIn as signInAt, signOut, useConsole } from './support/console';
import { startUtilityCompanies } from './support/utility-companies';

jest.setTimeout(120_000);

let companies: Awaited<ReturnType<typeof startUtilityCompanies>>;
// Registered before useConsole's: the companies are up before the worker is told where they are.
beforeAll(async () => {
  companies = await startUtilityCompanies();
});
afterAll(async () => {
  await companies?.stop();
});

// A report falls due 12 seconds after registration (and every 12 seconds after it), so the agent's journey
// sees a delivered one; each test withdraws what it left open, so no timer outlives this file's worker.
const REPORT_EVERY_MS = 12_000;
const policy = { ...DEFAULT_POLICY, reportEveryDays: { biweekly: REPORT_EVERY_MS / DAY_MS, weekly: REPORT_EVERY_MS / DAY_MS } };
const harness = useConsole('console-journeys', { utilityEndpoints: () => companies.endpoints, policy });
const { call, newPage, screenshot } = harness;
const signIn = (page: Page, name: string) => signInAt(page, harness.base, name);
const tag = Date.now().toString(36);

const project = async (id: string) => (await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-admin')).body;
let registered: string[] = [];
async function register(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { status, body } = await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海山阳某某实业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'shanyang',
    utilities: ['gas'],
    ...extra,
  });
  expect(status).toBe(201);
  registered.push(body.id);
  return body.id as string;
}
const apply = async (id: string, stage: string) => expect((await call('POST', `/api/projects/${id}/stages/${stage}/application`, 'dev-window', {})).status).toBe(200);
const approve = async (id: string, stage: string, party: string) =>
  expect((await call('POST', `/api/projects/${id}/stages/${stage}/sign-offs`, `dev-${party}`, { party, decision: 'approve' })).status).toBe(200);
/** Applies for the stage and has every party approve it, through the API. */
async function pass(id: string, stage: string): Promise<void> {
  await apply(id, stage);
  for (const party of (await project(id)).stages.find((s) => s.stage === stage)?.parties ?? []) await approve(id, stage, party);
}
/** Clicks Refresh until the row shows (the lists read the record, which follows the workflow by a moment). */
async function untilVisible(page: Page, row: ReturnType<Page['getByRole']>) {
  for (let i = 0; i < 100 && !(await row.isVisible()); i++) {
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: /刷新|Refresh/ }).click();
  }
  await row.waitFor();
}
/** Clicks Refresh until the list's empty text shows (a signed project leaves the worklist once the record has it). */
async function untilEmpty(page: Page) {
  const empty = page.getByText('没有等待本单位签署的项目');
  for (let i = 0; i < 100 && !(await empty.isVisible()); i++) {
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: '刷新' }).click();
  }
  await empty.waitFor();
}

afterEach(async () => {
  // Withdrawn, a project's report timer stops (its workflow would otherwise wake every few seconds for good).
  for (const id of registered) {
    if ((await project(id)).status === 'active') expect((await call('POST', `/api/projects/${id}/withdrawal`, 'dev-window', { reason: '测试结束' })).status).toBe(200);
  }
  registered = [];
});

test('the gas company finds the connection stage in 待办, opens the project and approves it; the project is completed and the sign-off is in 已办', async () => {
  const name = `山阳镇 燃气接入 ${tag}`;
  const id = await register(name);
  await pass(id, 'design');
  await pass(id, 'permit');
  await pass(id, 'acceptance');
  // The permit pushed the project to the gas company; with acceptance approved, connection opens on its own.
  const connecting = await eventually(() => project(id), (p) => p.currentStage === 'connection' && p.stages.find((s) => s.stage === 'connection')?.pendingParties.includes('gas') === true, 300);
  expect(connecting.stages.find((s) => s.stage === 'connection')?.status).toBe('under-review');
  expect(companies.received.filter((r) => r.key === `${id}/utility-push/gas`).length).toBeGreaterThan(0);

  const page = await newPage();
  await signIn(page, '燃气公司');
  // A utility company starts at its worklist; its menu is a reviewer's.
  expect(new URL(page.url()).pathname).toBe('/worklist');
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['待办', '已办', '项目', '通知']);
  const row = await rowOnceListed(page, name);
  expect(await row.textContent()).toMatch(/市政接入.*审批中.*山阳镇.*正常.*已用 0 \/ 时限 3 个工作日/);
  await screenshot(page, 'journey-01-utility-worklist');

  // Opened from the worklist: the connection stage with the gas company pending, signed on the page.
  await row.getByRole('link', { name }).click();
  await page.getByRole('heading', { name }).waitFor();
  await page.getByRole('heading', { name: /市政接入 · 审批中/ }).waitFor();
  expect(await page.getByRole('row', { name: /燃气公司/ }).textContent()).toContain('待签署');
  await page.getByRole('button', { name: '签署本单位意见' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`签署：${name} · 市政接入`).waitFor();
  await dialog.getByText('同意', { exact: true }).click();
  await dialog.getByLabel('意见说明').fill('具备通气条件，同意接入');
  await screenshot(page, 'journey-02-utility-sign-off');
  await dialog.getByRole('button', { name: '提交' }).click();
  await dialog.waitFor({ state: 'hidden' });
  // The last party of the last stage: the project is completed, the sign-off shown with who signed.
  await page.getByRole('heading', { name: /市政接入 · 已通过/ }).waitFor();
  const gas = page.getByRole('row', { name: /燃气公司/ });
  expect(await gas.textContent()).toMatch(/同意.*燃气公司.*具备通气条件，同意接入/);
  await page.getByText('已办结', { exact: true }).first().waitFor();
  expect((await project(id)).status).toBe('completed');
  expect(await page.getByRole('button', { name: '签署本单位意见' }).count()).toBe(0);

  // 已办: the approval with its comment, who signed, and the project's status now.
  await page.getByRole('menuitem', { name: '已办' }).click();
  await page.getByRole('heading', { name: '已办' }).waitFor();
  const done = page.getByRole('row', { name: new RegExp(name) });
  await untilVisible(page, done);
  expect(await done.textContent()).toMatch(/山阳镇.*市政接入 · 第 1 次申报.*同意.*具备通气条件，同意接入.*燃气公司.*\d{4}-\d{2}-\d{2} \d{2}:\d{2}.*已办结/);
  await screenshot(page, 'journey-03-utility-done');
  // And no longer in 待办.
  await page.getByRole('menuitem', { name: '待办' }).click();
  await page.getByRole('searchbox', { name: '按项目名称搜索' }).fill(name);
  await page.keyboard.press('Enter');
  await untilEmpty(page);
  await page.close();
  expect(harness.errors()).toEqual([]);
});

test('two reviewers each sign the design stage in the browser — construction from 待办, water on the project page — and the page shows the stage approved', async () => {
  const name = `山阳镇 双审批员签署 ${tag}`;
  const id = await register(name);
  await apply(id, 'design');
  // Planning's sign-off in the browser is console-browser's journey; here it is given through the API.
  await approve(id, 'design', 'planning');

  // Construction approves from its worklist, with a comment.
  const page = await newPage();
  await signIn(page, '区建管委 审批员');
  const row = await rowOnceListed(page, name);
  expect(await row.textContent()).toMatch(/设计方案.*审批中.*山阳镇.*正常/);
  await row.getByRole('button', { name: '签署' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`签署：${name} · 设计方案`).waitFor();
  await dialog.getByLabel('意见说明').fill('建设条件符合要求');
  await screenshot(page, 'journey-04-construction-sign-off');
  // Signed, the project leaves construction's worklist at once: the page drops the row rather than reading
  // the list again, which the record (written a moment after the answer) might still show waiting.
  const listReads: string[] = [];
  const onRequest = (request: { url(): string }) => {
    if (/\/api\/projects\?.*pending=me/.test(request.url())) listReads.push(request.url());
  };
  page.on('request', onRequest);
  await dialog.getByRole('button', { name: '提交' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText('没有等待本单位签署的项目').waitFor({ timeout: 5_000 });
  page.off('request', onRequest);
  expect(listReads).toEqual([]);
  await screenshot(page, 'journey-04-construction-signed');
  await signOut(page);

  // Water opens the project from its worklist: planning and construction have approved, with who signed.
  await signIn(page, '区水务局 审批员');
  await (await rowOnceListed(page, name)).getByRole('link', { name }).click();
  await page.getByRole('heading', { name: /设计方案 · 审批中/ }).waitFor();
  expect(await page.getByRole('row', { name: /区建管委/ }).textContent()).toMatch(/同意.*区建管委 审批员.*建设条件符合要求/);
  expect(await page.getByRole('row', { name: /区规划资源局/ }).textContent()).toMatch(/同意.*区规划资源局 审批员/);
  expect(await page.getByRole('row', { name: /区水务局/ }).textContent()).toContain('待签署');
  await page.getByRole('button', { name: '签署本单位意见' }).click();
  await dialog.getByText(`签署：${name} · 设计方案`).waitFor();
  await dialog.getByLabel('意见说明').fill('排水方案可行');
  await dialog.getByRole('button', { name: '提交' }).click();
  await dialog.waitFor({ state: 'hidden' });
  // The last of the three: design is approved, and the page moves on to the permit, awaiting its application.
  await page.getByRole('heading', { name: /施工许可 · 待申报/ }).waitFor();
  await page.getByRole('button', { name: /设计方案/ }).click();
  await page.getByRole('heading', { name: /设计方案 · 已通过/ }).waitFor();
  for (const [party, by] of [
    ['区规划资源局', '区规划资源局 审批员'],
    ['区建管委', '区建管委 审批员'],
    ['区水务局', '区水务局 审批员'],
  ]) expect(await page.getByRole('row', { name: new RegExp(party as string) }).textContent()).toMatch(new RegExp(`同意.*${by}`));
  await page.getByRole('tab', { name: '办理记录' }).click();
  await screenshot(page, 'journey-05-design-approved');
  const stage = (await project(id)).stages.find((s) => s.stage === 'design');
  expect(stage?.status).toBe('approved');
  expect(stage?.attempts[0]?.signOffs.map((s) => [s.party, s.by.id])).toEqual(
    expect.arrayContaining([
      ['construction', 'reviewer-construction'],
      ['water', 'reviewer-water'],
    ]),
  );
  await page.close();
  expect(harness.errors()).toEqual([]);
});

test("the agent opens a delivered progress report from 我的项目: the stage, its status and light, each pending sign-off's working days", async () => {
  const name = `山阳镇 进度报告送达 ${tag}`;
  const id = await register(name, { agent: 'agent-01' });
  await apply(id, 'design');
  await approve(id, 'design', 'planning');
  // The test policy's first report falls due REPORT_EVERY_MS after the registration.
  const { reports } = (await eventually(() => call('GET', `/api/projects/${id}/reports`, 'dev-agent'), (r) => r.body.reports.length > 0, 300)).body;
  expect(reports[0]).toMatchObject({ seq: 1, stage: 'design', stageStatus: 'under-review', to: 'agent:agent-01' });
  expect(reports[0].pending.map((p: { party: string }) => p.party).sort()).toEqual(['construction', 'water']);

  const page = await newPage();
  await signIn(page, '代办员 李娜');
  // Found by its name: other test files give agent-01 projects too, and the list puts the reddest first.
  const row = await rowOnceListed(page, name);
  await row.getByRole('link', { name: '进度报告', exact: true }).click();
  await page.getByRole('heading', { name }).waitFor();
  const first = page.getByRole('listitem').filter({ hasText: '第 1 份进度报告' });
  await first.waitFor();
  const text = await first.textContent();
  // The stage, its status and its light then (a day or none of 15 working days: 正常), each pending sign-off's days.
  expect(text).toContain('设计方案 · 审批中 · 正常');
  // The days as the report counted them (0 unless Shanghai's midnight fell between registration and report).
  const names: Record<string, string> = { construction: '区建管委', water: '区水务局' };
  expect(text).toContain(`待签署：${reports[0].pending.map((p: { party: string; days: number }) => `${names[p.party]} ${p.days} 个工作日`).join('、')}`);
  expect(text).toContain('每两周');
  await first.scrollIntoViewIfNeeded();
  await screenshot(page, 'journey-06-agent-report');
  await page.close();
  expect(harness.errors()).toEqual([]);
});

test('the admin records the planning approval a department sent on paper as 代录: 依据 is required, a stale row is refused with why, the page and trail show who recorded it; a reviewer has no 代录', async () => {
  const name = `山阳镇 代录规划意见 ${tag}`;
  const id = await register(name);
  await apply(id, 'design');
  const reference = `规划〔2026〕${tag}号`;
  const reason = '区规划资源局书面意见已送达窗口，系统账号暂不可用';

  // A reviewer signs only for its own department: no 代录 anywhere on the page.
  const page = await newPage();
  await signIn(page, '区规划资源局 审批员');
  await page.goto(`${harness.base}/projects/${id}`);
  await page.getByRole('heading', { name: /设计方案 · 审批中/ }).waitFor();
  await page.getByRole('button', { name: '签署本单位意见' }).waitFor();
  expect(await page.getByRole('button', { name: /代录/ }).count()).toBe(0);
  expect(await page.getByRole('columnheader', { name: '操作' }).count()).toBe(0);
  await signOut(page);

  // The admin sees 代录 beside each pending party, and has no party of its own to sign for.
  await signIn(page, '管理员 王磊');
  await page.goto(`${harness.base}/projects/${id}`);
  await page.getByRole('heading', { name: /设计方案 · 审批中/ }).waitFor();
  for (const party of ['区规划资源局', '区建管委', '区水务局']) await page.getByRole('button', { name: `代录${party}意见` }).waitFor();
  expect(await page.getByRole('button', { name: '签署本单位意见' }).count()).toBe(0);
  await screenshot(page, 'journey-07-admin-proxy-actions');

  // Without 依据 the dialog names the field and sends nothing.
  await page.getByRole('button', { name: '代录区规划资源局意见' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`代录区规划资源局意见：${name} · 设计方案`).waitFor();
  // Every decision the API takes as a proxy: approve, reject and correction.
  expect(await dialog.getByRole('radio').count()).toBe(3);
  for (const decision of ['同意', '不同意', '补正']) await dialog.getByRole('radio', { name: decision, exact: true }).waitFor({ state: 'attached' });
  expect(await dialog.getByRole('radio', { name: '同意', exact: true }).isChecked()).toBe(true);
  await dialog.getByLabel('意见说明').fill('同意设计方案');
  await dialog.getByLabel('代录原因').fill(reason);
  await dialog.getByRole('button', { name: '提交' }).click();
  await dialog.getByText('请填写代录依据（该单位书面意见的文号）').waitFor();
  await screenshot(page, 'journey-08-admin-proxy-missing-reference');
  await page.waitForTimeout(500);
  expect(await dialog.isVisible()).toBe(true);
  expect((await project(id)).stages.find((s) => s.stage === 'design')?.pendingParties).toEqual(['planning', 'construction', 'water']);

  // With it, the approval is recorded for planning by the admin, with the document and the reason.
  await dialog.getByLabel('代录依据（文号）').fill(reference);
  await screenshot(page, 'journey-09-admin-proxy-dialog');
  await dialog.getByRole('button', { name: '提交' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const planning = page.getByRole('row', { name: /区规划资源局/ });
  await planning.getByText('代录', { exact: true }).waitFor();
  expect(await planning.textContent()).toMatch(new RegExp(`同意.*管理员 王磊.*代录.*依据：${reference}；原因：${reason}.*同意设计方案`));
  expect(await planning.getByRole('button').count()).toBe(0);
  await page.getByRole('button', { name: '代录区建管委意见' }).waitFor();
  const signOff = (await project(id)).stages.find((s) => s.stage === 'design')?.attempts[0]?.signOffs.find((s) => s.party === 'planning');
  expect(signOff).toMatchObject({ decision: 'approve', comment: '同意设计方案', by: { id: 'admin-01' }, proxy: { reference, reason } });

  // The trail: a sign-off for planning by the admin, worded as 代录 with its basis and reason.
  await page.getByRole('tab', { name: '办理记录' }).click();
  const entry = page.getByRole('listitem').filter({ hasText: `依据：${reference}` });
  expect(await entry.textContent()).toMatch(new RegExp(`签署.*设计方案.*区规划资源局.*管理员 王磊 · 管理员.*同意（管理员 王磊 代录，依据：${reference}，原因：${reason}）`));
  await entry.scrollIntoViewIfNeeded();
  await screenshot(page, 'journey-10-admin-proxy-recorded');

  // Construction signs for itself while the admin's page still offers 代录 for it: the refusal says why
  // in the reader's words, and nothing changes.
  await approve(id, 'design', 'construction');
  await page.getByRole('button', { name: '代录区建管委意见' }).click();
  await dialog.getByText(`代录区建管委意见：${name} · 设计方案`).waitFor();
  await dialog.getByLabel('代录依据（文号）').fill('建管〔2026〕1号');
  await dialog.getByLabel('代录原因').fill('书面意见');
  await dialog.getByRole('button', { name: '提交' }).click();
  await dialog.getByRole('alert').filter({ hasText: '区建管委已签署设计方案阶段第 1 次申报（同意）' }).waitFor();
  await screenshot(page, 'journey-11-admin-proxy-refused');
  await dialog.getByRole('button', { name: '取消' }).click();
  expect((await project(id)).stages.find((s) => s.stage === 'design')?.attempts[0]?.signOffs.find((s) => s.party === 'construction')?.by.id).toBe('reviewer-construction');
  // Closed, the page reads the project again: construction's own sign-off, no 代录 left for it.
  await page.getByRole('row', { name: /区建管委/ }).getByText('区建管委 审批员').waitFor();
  expect(await page.getByRole('button', { name: '代录区建管委意见' }).count()).toBe(0);
  await page.getByRole('button', { name: '代录区水务局意见' }).waitFor();

  // In English: the same entry, recorded on planning's behalf with its basis and reason.
  await page.getByRole('button', { name: /English/ }).click();
  const planningEn = page.getByRole('row', { name: /Planning/ });
  await planningEn.getByText('Recorded on behalf', { exact: true }).waitFor();
  expect(await planningEn.textContent()).toMatch(new RegExp(`Approve.*管理员 王磊.*Recorded on behalf.*Basis: ${reference}; reason: ${reason}`));
  await page.getByRole('button', { name: 'Record on behalf of Water Affairs Bureau' }).waitFor();
  expect(await page.getByRole('listitem').filter({ hasText: `basis: ${reference}` }).textContent()).toContain(
    `Approve (recorded by 管理员 王磊 on the party's behalf, basis: ${reference}, reason: ${reason})`,
  );
  await screenshot(page, 'journey-12-admin-proxy-english');
  await page.getByRole('button', { name: /中文/ }).click();
  await signOut(page);

  // Planning's done list (已办) has the approval, with the admin as who recorded it.
  await signIn(page, '区规划资源局 审批员');
  await page.getByRole('menuitem', { name: '已办' }).click();
  await page.getByRole('heading', { name: '已办' }).waitFor();
  const done = page.getByRole('row', { name: new RegExp(name) });
  await untilVisible(page, done);
  expect(await done.textContent()).toMatch(/设计方案 · 第 1 次申报.*同意.*同意设计方案.*管理员 王磊/);
  await page.close();
  // The one refusal the test provoked, and nothing else.
  expect(harness.errors()).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
});
