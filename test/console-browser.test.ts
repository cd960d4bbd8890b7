// The web console in a real headless Chromium against the real stack (API serving the built console,
// worker, Temporal dev server, the suite's record database): what a person sees and does. Screenshots of
// each page go to test-results/screenshots. Needs the console built (npm test builds it first).
import { CONSOLE_DIR } from '../api/console';
import { rowOnceListed, signIn as signInAt, signOut, useConsole } from './support/console';
import { startApp } from './support/app';
import { startIdentityProvider } from './support/oidc-provider';
import { createOidcVerifier } from '../config/oidc';

jest.setTimeout(180_000);

const harness = useConsole('console');
const { call, newPage, screenshot } = harness;
const signIn = (page: Parameters<typeof signInAt>[0], name: string) => signInAt(page, harness.base, name);

test('the window registers a project and opens design; a reviewer approves from the worklist; the project shows the sign-off; English everywhere after the switch', async () => {
  const page = await newPage();
  const name = `金山卫镇 控制台测试厂房 ${Date.now().toString(36)}`;

  // Unsigned, every address leads to sign-in, which offers the development identities.
  await page.goto(`${harness.base}/projects/00000000-0000-4000-8000-000000000000`);
  await page.getByRole('heading', { name: '登录' }).waitFor();
  await screenshot(page, '01-sign-in');
  await signIn(page, '综合窗口 张敏');
  // The window's menu and identity.
  await page.getByText('综合窗口', { exact: true }).first().waitFor();
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['受理列表', '补正待补', '受理登记', '通知']);

  await page.getByRole('menuitem', { name: '受理登记' }).click();
  await page.getByRole('heading', { name: '受理登记' }).waitFor();
  await page.getByLabel('项目名称', { exact: true }).fill(name);
  await page.getByLabel('建设单位').fill('上海金山卫某某制造有限公司');
  // The credit code's check character is verified as it is typed.
  await page.getByLabel('统一社会信用代码').fill('91310000MA1FL4B24H');
  await page.getByText('校验码应为“G”，实为“H”').waitFor();
  await page.getByLabel('统一社会信用代码').fill('91310000MA1FL4B24G');
  await page.getByText('校验通过').waitFor();
  await page.getByRole('combobox', { name: '项目类别' }).click();
  await page.getByTitle('工业项目').click();
  await page.getByText('工业项目免配建民防工程').waitFor();
  await page.getByRole('combobox', { name: '属地' }).fill('金山卫');
  await page.keyboard.press('Enter');
  await page.getByLabel('燃气公司').check();
  await screenshot(page, '02-register');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByText(`已登记：${name}`).waitFor();
  await page.getByRole('button', { name: '申报设计方案阶段' }).click();
  await page.getByText('设计方案阶段已申报').waitFor();
  await page.getByRole('button', { name: '查看项目' }).click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  const projectUrl = page.url();

  // The project page: design under review with its clock; planning and construction still to sign.
  await page.getByRole('heading', { name }).waitFor();
  await page.getByRole('heading', { name: /设计方案 · 审批中/ }).waitFor();
  expect(await page.getByRole('row', { name: /区规划资源局/ }).textContent()).toContain('待签署');
  await page.getByText(/\/ 15 个工作日/).waitFor();
  await screenshot(page, '03-project-window');
  // The intake list has it, with its stage, status and clock.
  await page.getByRole('menuitem', { name: '受理列表' }).click();
  const listed = await rowOnceListed(page, name);
  expect(await listed.textContent()).toMatch(/金山卫镇.*工业项目.*设计方案.*审批中.*正常.*已用 0 \/ 时限 15 个工作日/);
  await screenshot(page, '03b-intake-list');
  await signOut(page);

  // The planning reviewer finds it in the worklist and approves.
  await signIn(page, '区规划资源局 审批员');
  expect(page.url()).toBe(`${harness.base}/worklist`);
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['待办', '已办', '项目', '通知']);
  await page.getByText('区规划资源局', { exact: true }).first().waitFor();
  const row = await rowOnceListed(page, name);
  await screenshot(page, '04-worklist');
  await row.getByRole('button', { name: '签署' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`签署：${name} · 设计方案`).waitFor();
  // A correction lists its items; a rejection needs its reason — the dialog says so before sending.
  await dialog.getByText('补正', { exact: true }).click();
  await dialog.getByLabel('材料 1').waitFor();
  await dialog.getByText('不同意', { exact: true }).click();
  await dialog.getByRole('button', { name: '提交' }).click();
  await dialog.getByText('不同意时须写明理由').waitFor();
  await dialog.getByText('同意', { exact: true }).click();
  await dialog.getByText('不同意时须写明理由').waitFor({ state: 'hidden' });
  await screenshot(page, '05-sign-off-dialog');
  await dialog.getByRole('button', { name: '提交' }).click();
  await page.getByText('已签署').waitFor();
  await dialog.waitFor({ state: 'hidden' });
  const id = projectUrl.split('/').pop() as string;

  // A refusal shows the server's reason in the person's language, and the dialog stays as it was: the
  // water reviewer's dialog is open while a colleague signs for the same department elsewhere.
  await signOut(page);
  await signIn(page, '区水务局 审批员');
  await (await rowOnceListed(page, name)).getByRole('button', { name: '签署' }).click();
  await dialog.getByText(`签署：${name} · 设计方案`).waitFor();
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-water', { decision: 'approve', comment: '同意（另一窗口）' })).status).toBe(200);
  await dialog.getByRole('button', { name: '提交' }).click();
  const refusal = dialog.getByRole('alert');
  await refusal.getByText('审批流程拒绝了此操作').waitFor();
  // In Chinese: the API's refusal code (already-signed) worded by the console, not the server's English.
  expect(await refusal.textContent()).toContain('原因：区水务局已签署设计方案阶段第 1 次申报（同意）');
  await screenshot(page, '05b-sign-off-refused');
  await dialog.getByRole('button', { name: '取消' }).click();

  // The project page shows the approval with who signed; construction is still pending.
  await page.goto(projectUrl);
  const planning = page.getByRole('row', { name: /区规划资源局/ });
  await planning.getByText('同意').waitFor();
  expect(await planning.textContent()).toContain('区规划资源局 审批员');
  expect(await page.getByRole('row', { name: /区水务局/ }).textContent()).toContain('同意（另一窗口）');
  expect(await page.getByRole('row', { name: /区建管委/ }).textContent()).toContain('待签署');
  await page.getByRole('tab', { name: '办理记录' }).click();
  await screenshot(page, '06-project-signed');

  // English: every string of the console's own changes; only the project's and people's names stay.
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: /Design scheme · Under review/ }).waitFor();
  await page.getByRole('row', { name: /Planning and Natural Resources Bureau/ }).getByText('Approve').waitFor();
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['To do', 'Done', 'Projects', 'Notices']);
  // The switch back names its language in that language (中文), as language switches do.
  const data = [name, '上海金山卫某某制造有限公司', '区规划资源局 审批员', '区水务局 审批员', '同意（另一窗口）', '综合窗口 张敏', '免配建民防工程', '中文'];
  const visible = data.reduce((text, value) => text.split(value).join(''), await page.locator('body').innerText());
  expect(visible.match(/[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+/g)).toBeNull();
  await screenshot(page, '07-project-english');
  // Remembered: a reload stays in English.
  await page.reload();
  await page.getByRole('heading', { name: /Design scheme/ }).waitFor();
  await page.close();
  // Nothing broke on the way: the one refusal the test provoked (409) is the only failed request.
  expect(harness.errors().filter((e) => !/status of 409 \(Conflict\)/.test(e))).toEqual([]);
  expect(harness.errors().length).toBe(1);
});

test('a reviewer asks for a correction listing two items on the project page; the window records the supplement and review resumes', async () => {
  const name = `漕泾镇 补正测试项目 ${Date.now().toString(36)}`;
  const { body } = await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海漕泾某某有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'caojing',
    utilities: ['power'],
  });
  await call('POST', `/api/projects/${body.id}/stages/design/application`, 'dev-window', {});
  const page = await newPage();
  await signIn(page, '区建管委 审批员');
  await page.goto(`${harness.base}/projects/${body.id}`);
  await page.getByRole('button', { name: '签署本单位意见' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('补正', { exact: true }).click();
  await dialog.getByLabel('材料 1').fill('总平面图');
  await dialog.getByRole('button', { name: '添加一项' }).click();
  await dialog.getByLabel('材料 2').fill('日照分析报告');
  await dialog.getByLabel('意见说明').fill('请一次补齐');
  await screenshot(page, '08-correction-dialog');
  await dialog.getByRole('button', { name: '提交' }).click();
  await dialog.waitFor({ state: 'hidden' });
  // The stage is paused; the correction lists both items, and construction's row says it waits for them.
  await page.getByRole('heading', { name: /设计方案 · 补正中/ }).waitFor();
  const items = page.getByRole('listitem').filter({ hasText: /^(总平面图|日照分析报告)$/ });
  expect(await items.allTextContents()).toEqual(['总平面图', '日照分析报告']);
  expect(await page.getByRole('row', { name: /区建管委/ }).textContent()).toContain('待补正');
  await signOut(page);

  await signIn(page, '综合窗口 张敏');
  // The window's notices (通知, in its menu): the correction in Chinese with every item to collect; it
  // takes charge of it, which the project records.
  await page.getByText('通知', { exact: true }).first().click();
  const notice = page.getByRole('listitem').filter({ hasText: name }).filter({ hasText: '要求补正' });
  await notice.getByText('请办理：请一次性收齐补正材料：总平面图；日照分析报告。').waitFor();
  await screenshot(page, '09a-inbox');
  await notice.getByRole('button', { name: '确认接手' }).click();
  await notice.getByText(/已于 .* 确认接手/).waitFor();
  expect(await notice.getByRole('button', { name: '确认接手' }).count()).toBe(0);
  await notice.getByRole('link', { name: new RegExp(name) }).click();
  await page.getByRole('button', { name: '补正材料已补齐' }).click();
  await page.getByRole('dialog').getByRole('textbox').fill('申请人已补交两项材料');
  await page.getByRole('dialog').getByRole('button', { name: '提交' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.getByRole('heading', { name: /设计方案 · 审批中/ }).waitFor();
  await page.getByText(/已补正：综合窗口 张敏 · .* · 申请人已补交两项材料/).waitFor();
  await screenshot(page, '09-supplemented');

  // The window withdraws the project: a reason is required, and the page then says it is withdrawn and why.
  await page.getByRole('button', { name: '撤回项目' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '提交' }).click();
  await page.getByRole('dialog').getByText('必填').waitFor();
  await page.getByRole('dialog').getByLabel('撤回原因').fill('建设单位申请撤回');
  await page.getByRole('dialog').getByRole('button', { name: '提交' }).click();
  await page.getByText('已撤回：建设单位申请撤回').waitFor();
  expect(await page.getByRole('button', { name: '撤回项目' }).count()).toBe(0);
  await page.close();
  expect(harness.errors()).toEqual([]);
});

test("the agent's 我的项目 lists the projects it follows with each stage's light, time limit and the next report date", async () => {
  const name = `漕泾镇 代办测试项目 ${Date.now().toString(36)}`;
  const { body } = await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海漕泾某某有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'caojing',
    utilities: ['power'],
    agent: 'agent-01',
  });
  await call('POST', `/api/projects/${body.id}/stages/design/application`, 'dev-window', {});
  const project = (await call('GET', `/api/projects/${body.id}`, 'dev-agent')).body;
  const page = await newPage();
  await signIn(page, '代办员 李娜');
  await page.getByText('我的项目', { exact: true }).first().click();
  // Found by its name: other test files give agent-01 projects too, and the list puts the reddest first.
  const row = await rowOnceListed(page, name);
  const text = await row.textContent();
  expect(text).toContain('设计方案');
  expect(text).toContain('正常');
  expect(text).toContain('每两周');
  // The next report, in Shanghai's date, as the project itself says.
  expect(text).toContain(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(project.nextReportAt)));
  await screenshot(page, '11-agent-mine');
  await row.getByRole('link', { name }).click();
  await page.getByRole('heading', { name: /设计方案 · 审批中/ }).waitFor();
  await page.close();
  expect(harness.errors()).toEqual([]);
});

test("an invalid request is worded in the reader's language with the field named; a page whose chunk fails to load says so, the menu still works, and a reload brings it", async () => {
  const name = `金山卫镇 错误提示测试项目 ${Date.now().toString(36)}`;
  await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海金山卫某某有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'jinshanwei',
    utilities: ['power'],
    agent: 'agent-01',
  });
  const page = await newPage();
  await signIn(page, '代办员 李娜');
  // From 我的项目 to the project's reports, where the agent hands the project over (within the console,
  // so that both pages' chunks are loaded before the network drops below).
  const mine = await rowOnceListed(page, name);
  await mine.getByRole('link', { name: /进度报告/ }).click();
  await page.getByRole('heading', { name }).waitFor();

  // Handing over to an account that is no agent: the server answers 400 naming body.agent; the person
  // reads it in Chinese, the field by the console's label, the server's English only as a smaller line.
  await page.getByRole('button', { name: '移交代办员' }).click();
  const dialog = page.getByRole('dialog', { name: '移交代办员' });
  await dialog.getByLabel('接手的代办员（账号）').fill('agent-99');
  await dialog.getByRole('button', { name: '确认移交' }).click();
  const invalid = dialog.getByRole('alert').filter({ hasText: '请求内容有误' });
  await invalid.waitFor();
  await invalid.getByText('请检查：代办员', { exact: true }).waitFor();
  await invalid.getByText('服务器说明：body.agent: no agent with id agent-99', { exact: true }).waitFor();
  expect(await invalid.textContent()).not.toContain('原因：');
  await screenshot(page, '13-handover-invalid-agent');
  await dialog.getByRole('button', { name: '取消' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // The notices page's chunk cannot be fetched (the network dropped): the page says so, with a reload;
  // the menu and the rest of the shell stay.
  const chunks = '**/assets/*.js';
  await page.route(chunks, (route) => route.abort('internetdisconnected'));
  await page.getByRole('menuitem', { name: '通知' }).click();
  const failed = page.getByRole('alert').filter({ hasText: '此页面未能显示' });
  await failed.waitFor();
  await failed.getByText('可能是网络中断，或控制台刚刚更新。请重新加载此页面；菜单中的其他页面仍可打开。').waitFor();
  await failed.getByRole('button', { name: '重新加载' }).waitFor();
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['我的项目', '项目', '通知']);
  await screenshot(page, '14-page-chunk-failed');

  // Another page from the menu (its chunk already loaded) shows: leaving the failed page clears it.
  // (Found by its name again: 我的项目 pages 20 at a time, and agent-01 follows every file's projects.)
  await page.getByRole('menuitem', { name: '我的项目' }).click();
  await rowOnceListed(page, name);
  expect(await page.getByText('此页面未能显示').count()).toBe(0);

  // Back on the notices with the network back: the reload button brings the page.
  await page.getByRole('menuitem', { name: '通知' }).click();
  await failed.waitFor();
  await page.unroute(chunks);
  await failed.getByRole('button', { name: '重新加载' }).click();
  await page.getByRole('heading', { name: '通知', exact: true }).waitFor();
  expect(page.url()).toBe(`${harness.base}/inbox`);
  expect(await page.getByText('此页面未能显示').count()).toBe(0);
  await page.close();
  // What the browser reported: the refused hand-over, and the page chunk that did not load — nothing else.
  expect(harness.errors().filter((e) => !/status of 400 \(Bad Request\)|net::ERR_INTERNET_DISCONNECTED|Failed to fetch dynamically imported module: \S+\/assets\/InboxPage-/.test(e))).toEqual([]);
});

test('without development identities the sign-in asks for a token, and a wrong one is refused with the reason', async () => {
  const plain = await startApp('console-token', { consoleDir: CONSOLE_DIR });
  // Closed before the app stops, however the test ends: an open page holds connections the app's close waits for.
  const page = await newPage();
  try {
    await page.goto(`${plain.url}/`);
    const token = page.getByLabel('访问令牌');
    await token.fill('not-a-token');
    await page.getByRole('button', { name: '登录' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByText('未登录或令牌无效').waitFor();
    // The server's reason only as the smaller secondary line: the headline says it in the reader's language.
    expect(await refusal.textContent()).toContain('服务器说明：unknown token');
    await screenshot(page, '10-sign-in-token-refused');
    await token.fill('dev-leader');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('me-name').filter({ hasText: '领导 陈刚' }).waitFor();
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['驾驶舱', '项目', '通知']);
    await page.close();
    // The failed requests are the refused sign-in and the sign-in page's question for development
    // identities, which a service without them answers 404.
    expect(harness.errors().filter((e) => !/status of (401 \(Unauthorized\)|404 \(Not Found\))/.test(e))).toEqual([]);
    expect(harness.errors().length).toBe(2);
  } finally {
    await page.context().close();
    await plain.stop();
  }
});

test("with an identity provider configured, a person signs in at the provider's login page and comes back signed in", async () => {
  const audience = 'one-window-console';
  const idp = await startIdentityProvider(audience, { users: { 'liu.fang': { sub: 'liu.fang', name: '刘芳', one_window_role: 'reviewer', one_window_party: 'water' } } });
  const claims = { id: 'sub', name: 'name', role: 'one_window_role', party: 'one_window_party', locality: 'one_window_locality' };
  const app = await startApp('console-oidc', { consoleDir: CONSOLE_DIR, oidc: createOidcVerifier({ issuer: idp.issuer, audience, clockSkewSeconds: 60, claims, requireHttps: false }) });
  try {
    const page = await newPage();
    await page.goto(`${app.url}/worklist`);
    await page.getByRole('button', { name: '统一身份认证登录' }).click();
    // The provider's own page: an unknown user is refused there, a known one sent back with a code.
    await page.getByRole('heading', { name: '统一身份认证' }).waitFor();
    expect(new URL(page.url()).origin).toBe(idp.issuer);
    expect(new URL(page.url()).searchParams.get('code_challenge_method')).toBe('S256');
    await page.getByLabel('用户名').fill('liu.fang');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('me-name').filter({ hasText: '刘芳' }).waitFor();
    // Back where the person was going, as the provider's claims say: water's reviewer.
    expect(new URL(page.url()).pathname).toBe('/worklist');
    expect(new URL(page.url()).search).toBe('');
    await page.getByText('区水务局', { exact: true }).first().waitFor();
    await page.getByRole('heading', { name: '待办' }).waitFor();
    await screenshot(page, '12-signed-in-at-provider');
    // A code replayed (a stale bookmark of the return address) is refused with the reason, not a blank page.
    await signOut(page);
    await page.goto(`${app.url}/sign-in?code=stale&state=stale`);
    await page.getByRole('alert').getByText(/not started in this browser tab/).waitFor();
    await page.close();
    // The only failed requests: the sign-in page's question for development identities, which a service
    // without them answers 404, each time the page is shown.
    expect(harness.errors().filter((e) => !/status of 404 \(Not Found\)/.test(e))).toEqual([]);
  } finally {
    await app.stop();
    await idp.stop();
  }
});
