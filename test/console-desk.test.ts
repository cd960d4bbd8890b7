// The daily desks in a real headless Chromium against the real stack: the window's corrections queue
// (补正待补), a reviewer's done list (已办), and the agent's reports, cadence switch and hand-over. What a
// person sees and does; screenshots of each page go to test-results/screenshots, checked with axe-core.
// Needs the console built (npm test builds it first). Locality zhujing, names unique to this run.
import type { Page } from 'playwright-core';
import { eventually } from './support/eventually';
import { rowOnceListed, signIn as signInAt, signOut, useConsole } from './support/console';

jest.setTimeout(180_000);

const harness = useConsole('console-desk');
const { call, newPage, screenshot } = harness;
const signIn = (page: Page, name: string) => signInAt(page, harness.base, name);
const tag = Date.now().toString(36);

async function registerOnly(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { status, body } = await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海朱泾某某置业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'zhujing',
    utilities: ['power'],
    ...extra,
  });
  expect(status).toBe(201);
  return body.id as string;
}
const apply = async (id: string) => expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
/** Registered and applied for: the design stage waits for its parties. */
async function register(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const id = await registerOnly(name, extra);
  await apply(id);
  return id;
}
const askCorrection = async (id: string) =>
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'correction', items: ['总平面图', '日照分析报告'] })).status).toBe(200);
/** Clicks Refresh until the row shows (the lists read the record, which follows the workflow by a moment). */
async function untilVisible(page: Page, row: ReturnType<Page['getByRole']>) {
  for (let i = 0; i < 100 && !(await row.isVisible()); i++) {
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: /刷新|Refresh/ }).click();
  }
  await row.waitFor();
}
/** Every column of the page's tables says what it holds (an empty header leaves a screen reader guessing). */
async function headersNamed(page: Page) {
  const headers = await page.getByRole('columnheader').allTextContents();
  expect(headers.length).toBeGreaterThan(0);
  expect(headers.filter((h) => h.trim() === '')).toEqual([]);
}
const shanghaiDate = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(iso));

test('the window finds a correction of two items in 补正待补 and records the supplement there; a supplement already recorded elsewhere is refused in Chinese', async () => {
  const name = `朱泾镇 补正待补 ${tag}`;
  const id = await register(name);
  await askCorrection(id);
  const other = await register(`${name} 乙`);
  await askCorrection(other);

  const page = await newPage();
  await signIn(page, '综合窗口 张敏');
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['受理列表', '补正待补', '受理登记', '通知']);
  await page.getByRole('menuitem', { name: '补正待补' }).click();
  await page.getByRole('heading', { name: '补正待补' }).waitFor();
  // The queue: every item to collect, who asked and when, how long the stage has been paused.
  const row = await rowOnceListed(page, `${name} 乙`);
  const text = await row.textContent();
  expect(text).toContain('设计方案');
  expect(text).toContain('朱泾镇');
  expect(await row.getByRole('listitem').allTextContents()).toEqual(['总平面图', '日照分析报告']);
  expect(text).toMatch(/区规划资源局 审批员 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  expect(text).toMatch(/\d+ 个工作日 · 受理日 \d{4}-\d{2}-\d{2}/);
  await headersNamed(page);
  await screenshot(page, 'desk-01-corrections-queue');

  // Recorded here, answered at once: the project leaves the queue, and stays out after a refresh.
  await row.getByRole('button', { name: /登记补正材料/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`登记补正材料 · ${name} 乙`).waitFor();
  await dialog.getByLabel('补正说明').fill('申请人已补交两项材料');
  await screenshot(page, 'desk-02-record-supplement');
  await dialog.getByRole('button', { name: '提交' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText(`已登记补正材料：${name} 乙，审批恢复计时`).waitFor();
  await page.getByText('没有等待补正材料的项目').waitFor();
  const resumed = await eventually(
    () => call('GET', `/api/projects?status=correction&name=${encodeURIComponent(`${name} 乙`)}`, 'dev-window'),
    (res) => res.body.projects.length === 0,
  );
  expect(resumed.body.projects).toEqual([]);
  await page.getByRole('button', { name: '刷新' }).click();
  await page.getByText('没有等待补正材料的项目').waitFor();
  expect((await call('GET', `/api/projects/${other}`, 'dev-window')).body.stages[0].status).toBe('under-review');

  // The other project is supplemented by a colleague while this dialog is open: the refusal is worded in
  // Chinese from its code, and the queue is left as it was.
  const first = await rowOnceListed(page, name);
  await first.getByRole('button', { name: /登记补正材料/ }).click();
  expect((await call('POST', `/api/projects/${id}/stages/design/supplements`, 'dev-window', {})).status).toBe(200);
  await dialog.getByRole('button', { name: '提交' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: '审批流程拒绝了此操作' });
  await refusal.waitFor();
  expect(await refusal.textContent()).toContain('原因：设计方案阶段没有待补正的事项');
  await dialog.getByRole('button', { name: '取消' }).click();
  expect(await first.isVisible()).toBe(true);
  await screenshot(page, 'desk-03-supplement-refused');
  // In English, the queue's own words change; the project's name and items are data and stay.
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Awaiting supplements' }).waitFor();
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Intake', 'Awaiting supplements', 'Register', 'Notices']);
  expect(await page.getByRole('columnheader').allTextContents()).toEqual([
    'Project',
    'Stage',
    'Locality',
    'Light',
    'Items to collect (all at once)',
    'Asked by · when',
    'Paused',
    'Actions',
  ]);
  expect(await first.getByRole('button').textContent()).toBe('Record the supplement');
  await screenshot(page, 'desk-03b-corrections-english');
  await page.close();
  expect(harness.errors().filter((e) => !/status of 409 \(Conflict\)/.test(e))).toEqual([]);
});

test('a reviewer sees what its department signed in 已办: the decision, the comment or items, when, the project linked', async () => {
  const name = `朱泾镇 已办 ${tag}`;
  const approved = await register(`${name} 同意`);
  const corrected = await register(`${name} 补正`);
  expect((await call('POST', `/api/projects/${approved}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve', comment: '符合控制性详细规划' })).status).toBe(200);
  await askCorrection(corrected);

  const page = await newPage();
  await signIn(page, '区规划资源局 审批员');
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['待办', '已办', '项目', '通知']);
  // The worklist's columns, the time limit and the action included, have headers.
  await page.getByRole('heading', { name: '待办' }).waitFor();
  await headersNamed(page);
  expect(await page.getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining(['审批时限', '操作']));
  await page.getByRole('menuitem', { name: '已办' }).click();
  await page.getByRole('heading', { name: '已办' }).waitFor();
  // Newest first; other test files sign for planning too, so this test looks for its own rows.
  const approval = page.getByRole('row', { name: new RegExp(`${name} 同意`) });
  const correction = page.getByRole('row', { name: new RegExp(`${name} 补正`) });
  await untilVisible(page, approval);
  await untilVisible(page, correction);
  expect(await approval.textContent()).toMatch(/设计方案 · 第 1 次申报.*同意.*符合控制性详细规划.*区规划资源局 审批员.*\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  expect(await correction.getByRole('listitem').allTextContents()).toEqual(['总平面图', '日照分析报告']);
  expect(await correction.textContent()).toContain('补正中');
  // Filtered by decision on the server: only corrections.
  await page.getByRole('combobox', { name: '按意见' }).click();
  await page.getByTitle('补正', { exact: true }).click();
  await approval.waitFor({ state: 'hidden' });
  await correction.waitFor();
  expect(await page.getByRole('row').filter({ hasText: '同意' }).count()).toBe(0);
  await headersNamed(page);
  await screenshot(page, 'desk-04-done-list');
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Done' }).waitFor();
  expect(await page.getByRole('columnheader').allTextContents()).toEqual(['Project', 'Locality', 'Stage', 'Decision', 'Comment / items', 'By', 'Signed', 'Status']);
  expect(await correction.textContent()).toMatch(/Design scheme · Application 1.*Correction.*Paused for correction/);
  await page.getByRole('button', { name: /中文/ }).click();
  await page.getByRole('heading', { name: '已办' }).waitFor();
  await correction.getByRole('link', { name: `${name} 补正` }).click();
  await page.getByRole('heading', { name: /设计方案 · 补正中/ }).waitFor();
  await page.close();
  expect(harness.errors()).toEqual([]);
});

test("the agent sees the project's report timeline, switches to weekly reports, and hands it over to agent-02, who then has it in 我的项目", async () => {
  const name = `朱泾镇 代办移交 ${tag}`;
  const id = await register(name, { agent: 'agent-01' });
  const page = await newPage();
  await signIn(page, '代办员 李娜');
  const row = await rowOnceListed(page, name);
  await headersNamed(page);
  await row.getByRole('link', { name: /进度报告/ }).click();
  await page.getByRole('heading', { name }).waitFor();

  // The timeline: the registration, no report yet (the first is due two weeks after it), the next one.
  const before = (await call('GET', `/api/projects/${id}/reports`, 'dev-agent')).body;
  expect(before.reports).toEqual([]);
  await page.getByText(/\d{2}:\d{2} 登记受理（综合窗口 张敏）/).waitFor();
  await page.getByText('尚无进度报告').waitFor();
  await page.getByText(`下次报告 ${shanghaiDate(before.nextReportAt)}`, { exact: false }).waitFor();
  await page.getByText('（每两周）').waitFor();
  await screenshot(page, 'desk-05-agent-reports');

  // The cadence switch, confirmed first; the page shows the new cadence and next report date.
  await page.getByRole('button', { name: '改为每周' }).click();
  await page.getByText('将报告频率改为每周？下次报告从上一份报告起算。').waitFor();
  await screenshot(page, 'desk-06-cadence-confirm');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByText('报告频率已改为每周').waitFor();
  await page.getByText(/\d{2}:\d{2} 报告频率改为每周（代办员 李娜）/).waitFor();
  await page.getByText('（每周）').waitFor();
  const after = (await call('GET', `/api/projects/${id}/reports`, 'dev-agent')).body;
  expect(after.cadence).toBe('weekly');
  await page.getByText(`下次报告 ${shanghaiDate(after.nextReportAt)}`, { exact: false }).waitFor();
  await page.getByRole('button', { name: '改为每两周' }).waitFor();

  // The hand-over names the agent taking over; nothing is sent without one.
  await page.getByRole('button', { name: '移交代办员' }).click();
  const dialog = page.getByRole('dialog', { name: '移交代办员' });
  // The dialog's form is there before its button is pressed, as a person sees it.
  await dialog.getByLabel('接手的代办员（账号）').waitFor();
  await dialog.getByRole('button', { name: '确认移交' }).click();
  await dialog.getByText('请填写接手代办员的账号').waitFor();
  // An agent the service does not know is refused with the field named, and nothing changes.
  await dialog.getByLabel('接手的代办员（账号）').fill('agent-99');
  await dialog.getByRole('button', { name: '确认移交' }).click();
  await dialog.getByText(/body\.agent: no agent with id agent-99/).waitFor();
  // The agent is picked by name from the agents the service lists (typed in part, as a person would).
  await dialog.getByLabel('接手的代办员（账号）').fill('');
  await dialog.getByLabel('接手的代办员（账号）').pressSequentially('周洁');
  // Clicked once the list is narrowed to the typed name: emptied, the field offered both agents, 周洁
  // second; a click aimed there while the list narrowed to her alone landed on nothing.
  const shown = () => page.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents();
  expect(await eventually(shown, (texts) => texts.length === 1)).toEqual([expect.stringMatching(/^工业区代办员 周洁\s*agent-02$/)]);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').getByText(/^工业区代办员 周洁\s*agent-02$/).click();
  // The picked option's account replaces the typed name once the field re-renders, a moment after the click.
  const picked = await eventually(() => dialog.getByLabel('接手的代办员（账号）').inputValue(), (v) => v === 'agent-02');
  expect(picked).toBe('agent-02');
  await dialog.getByText('工业区代办员 周洁', { exact: true }).waitFor();
  await screenshot(page, 'desk-07-hand-over');
  await dialog.getByRole('button', { name: '确认移交' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText('已移交给 工业区代办员 周洁').waitFor();
  await page.getByText(/\d{2}:\d{2} 代办员改为 工业区代办员 周洁（代办员 李娜）/).waitFor();
  expect(await page.getByRole('button', { name: '移交代办员' }).count()).toBe(0);
  expect((await call('GET', `/api/projects/${id}`, 'dev-leader')).body.agent).toBe('agent-02');
  await screenshot(page, 'desk-08-handed-over');
  await signOut(page);

  // agent-02 now follows it, weekly; agent-01 no longer does.
  await signIn(page, '工业区代办员 周洁');
  const theirs = await rowOnceListed(page, name);
  expect(await theirs.textContent()).toContain('每周');
  await screenshot(page, 'desk-09-agent-02-mine');
  await page.close();
  expect((await call('GET', '/api/projects?agent=me&limit=500', 'dev-agent')).body.projects.map((p: { id: string }) => p.id)).not.toContain(id);
  // The one failed request is the refused unknown agent (400).
  expect(harness.errors().filter((e) => !/status of 400 \(Bad Request\)/.test(e))).toEqual([]);
});

test('an agent reads its notices 30 at a time: 加载更多 reads the next ones, and marking one read keeps the pages read', async () => {
  // Each project registered with agent-02 tells it so: 31 notices of ours, more than a page.
  const names = Array.from({ length: 31 }, (_, i) => `朱泾镇 通知分页项目 ${tag} ${i + 1}号`);
  for (const name of names) {
    const { status } = await call('POST', '/api/projects', 'dev-window', {
      name,
      applicant: { name: '上海朱泾某某置业有限公司', uscc: '91310000MA1FL4B24G' },
      category: 'general',
      locality: 'zhujing',
      utilities: ['power'],
      agent: 'agent-02',
    });
    expect(status).toBe(201);
  }
  const ours = (body: { notices: { subject: string }[] }) => body.notices.filter((n) => n.subject.includes(`通知分页项目 ${tag}`)).length;
  await eventually(() => call('GET', '/api/inbox?limit=200', 'dev-agent-2'), (r) => ours(r.body) === 31, 300);

  const page = await newPage();
  await signIn(page, '工业区代办员 周洁');
  await page.getByRole('menuitem', { name: '通知' }).click();
  await page.getByRole('heading', { name: '通知', exact: true }).waitFor();
  // Other files' notices to agent-02 may be among them: ours are counted by their projects' names.
  const shown = page.getByRole('main').getByRole('link', { name: new RegExp(`通知分页项目 ${tag}`) });
  const more = page.getByRole('button', { name: '加载更多' });
  await more.waitFor();
  expect(await shown.count()).toBeLessThan(31);
  while ((await shown.count()) < 31 && (await more.isVisible())) {
    const before = await shown.count();
    await more.click();
    await eventually(() => shown.count(), (n) => n > before || n === 31);
  }
  expect(await shown.count()).toBe(31);
  // The first of ours (registered first, so furthest down), marked read where it stands: the pages stay.
  const first = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: new RegExp(`${names[0]}（`) }) });
  await first.getByRole('button', { name: '标为已读' }).click();
  await first.getByRole('button', { name: '标为已读' }).waitFor({ state: 'detached' });
  expect(await shown.count()).toBe(31);
  await screenshot(page, 'desk-10-inbox-more');
  await page.close();
  expect(harness.errors()).toEqual([]);
});

test('a reviewer’s 待办 reads 20 at a time in its order: the page says whether more follow, and 下一页 / 上一页 reach them', async () => {
  // One more than a page waiting for planning (WORKLIST_PAGE in web/src/pages/Worklist.tsx), found by a
  // name of this run's own; registered, then applied for, a few at a time (an application takes the
  // longest: about 20 s for these on a busy machine).
  const prefix = `朱泾镇 待办分页 ${tag}`;
  const names = Array.from({ length: 21 }, (_, i) => `${prefix} ${String(i + 1).padStart(2, '0')}号`);
  const ids: string[] = [];
  for (let i = 0; i < names.length; i += 11) ids.push(...(await Promise.all(names.slice(i, i + 11).map((name) => registerOnly(name)))));
  for (let i = 0; i < ids.length; i += 6) await Promise.all(ids.slice(i, i + 6).map((id) => apply(id)));
  const ordered = await eventually(
    () => call('GET', `/api/projects?pending=me&order=urgency&limit=100&name=${encodeURIComponent(prefix)}`, 'dev-planning'),
    (r) => r.body.projects?.length === 21,
    300,
  );
  const expected = (ordered.body.projects as { name: string }[]).map((p) => p.name);

  const page = await newPage();
  await signIn(page, '区规划资源局 审批员');
  await page.getByRole('heading', { name: '待办' }).waitFor();
  await page.getByRole('searchbox', { name: '按项目名称搜索' }).fill(prefix);
  await page.keyboard.press('Enter');
  const status = page.getByRole('status').filter({ hasText: /项|页/ });
  await status.filter({ hasText: '第 1 页：第 1–20 项 · 后面还有，请翻到下一页' }).waitFor();
  const list = page.getByRole('table').first();
  const listed = async () => (await list.getByRole('link', { name: new RegExp(prefix) }).allTextContents());
  // The unsearched list may say the same of its own first page: wait for the search's rows (a row's only
  // link is its project's name).
  await eventually(async () => [await list.getByRole('link').count(), (await listed()).length], ([all, ours]) => all === 20 && ours === 20);
  // The first 20 in the server's order, then the 21st alone on page 2.
  expect(await listed()).toEqual(expected.slice(0, 20));
  expect(await page.getByRole('button', { name: '上一页' }).isDisabled()).toBe(true);
  await screenshot(page, 'desk-11-worklist-page-1');
  await page.getByRole('button', { name: '下一页' }).click();
  await status.filter({ hasText: '第 2 页：第 21–21 项 · 已是最后一页' }).waitFor();
  expect(await listed()).toEqual(expected.slice(20));
  expect(await page.getByRole('button', { name: '下一页' }).isDisabled()).toBe(true);
  await screenshot(page, 'desk-12-worklist-page-2');
  await page.getByRole('button', { name: '上一页' }).click();
  // In full: the second page's one row, shown until the first page's answer lands, is not it.
  await status.filter({ hasText: '第 1 页：第 1–20 项 · 后面还有，请翻到下一页' }).waitFor();
  expect(await listed()).toEqual(expected.slice(0, 20));
  // One that fits on a page says how many there are.
  await page.getByRole('searchbox', { name: '按项目名称搜索' }).fill(names[20] as string);
  await page.keyboard.press('Enter');
  await status.filter({ hasText: '共 1 项' }).waitFor();
  expect(await page.getByRole('button', { name: '下一页' }).count()).toBe(0);
  await page.close();
  expect(harness.errors()).toEqual([]);
});
