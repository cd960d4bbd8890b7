// The English switch in a real headless Chromium against the real stack: switched once on the sign-in
// page (the choice is remembered), every page of each role's menu and a project page show no Chinese
// except names of people, places and projects. Screenshots en-<role>-<page> go to test-results/screenshots,
// checked with axe-core. Needs the console built (npm test builds it first). Locality jinshanwei.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DEV_PRINCIPALS_FILE } from '../config/principals';
import { eventually } from './support/eventually';
import { registerProject } from './support/http';
import { useConsole } from './support/console';

jest.setTimeout(180_000);

const harness = useConsole('console-english');
const { call, newPage, screenshot } = harness;
const tag = Date.now().toString(36);

/** Every `name` in a development data file (the people of the principals and the liaison directory). */
const namesIn = (file: string): string[] => typedIn(JSON.parse(readFileSync(file, 'utf8')));

/** What people typed (names, comments, reasons, items, notes), anywhere in a JSON value: it is shown as
 *  typed, in whatever language it was typed in. */
const TYPED = new Set(['name', 'comment', 'reason', 'detail', 'note', 'items']);
function typedIn(data: unknown): string[] {
  const typed: string[] = [];
  const walk = (value: unknown, key?: string): void => {
    if (typeof value === 'string') {
      if (key !== undefined && TYPED.has(key)) typed.push(value);
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(data);
  return typed;
}

/** What other test files type into the shared record meanwhile (they share its lists): every project's
 *  name, and the names, comments, reasons and notes the API gives the pages this test visits. */
async function typedInRecord(): Promise<string[]> {
  const typed: string[] = [];
  for (let cursor: string | undefined, more = true; more; ) {
    const { body } = await call('GET', `/api/projects?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'dev-admin');
    typed.push(...body.projects.map((p: { name: string }) => p.name));
    cursor = body.nextCursor;
    more = cursor !== undefined;
  }
  const answers = await Promise.all([
    call('GET', '/api/campaigns', 'dev-admin'),
    call('GET', '/api/directory', 'dev-admin'),
    call('GET', '/api/audit?limit=200', 'dev-admin'),
    call('GET', '/api/sign-offs?limit=200', 'dev-construction'),
    call('GET', '/api/operations/stuck?limit=200', 'dev-admin'),
    // The window's 补正待补 queue lists each paused project's open correction items.
    call('GET', '/api/projects?status=correction&limit=500', 'dev-window'),
  ]);
  for (const { body } of answers) typed.push(...typedIn(body));
  // Notices: the API words them in English; what Chinese is left in its answer is what people typed (an
  // item, a reason, a campaign's name) or a notice stored before notices carried their facts.
  const inboxes = await Promise.all(['dev-window', 'dev-construction', 'dev-agent', 'dev-leader', 'dev-admin'].map((token) => call('GET', '/api/inbox?lang=en&limit=200', token)));
  for (const { body } of inboxes) {
    for (const n of (body.notices ?? []) as { subject: string; lines: string[] }[]) typed.push(...[n.subject, ...n.lines].flatMap((line) => line.match(CJK) ?? []));
  }
  return typed;
}

// Chinese characters, CJK punctuation and full-width forms: none of it belongs in the English console.
const CJK = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+/g;

/** What the page shows that is Chinese, once the names of people, places and projects are taken out. */
async function chineseOn(page: Page, names: readonly string[]): Promise<string[]> {
  // The switch back names its language in that language (中文), as language switches do: the first 中文 on
  // the page (in the header, or on the sign-in card). Anywhere else it is a leak.
  const text = (await page.locator('body').innerText()).replace('中文', ' ');
  // Longest first, so a name is not half taken out by a shorter one inside it.
  const visible = [...names].sort((a, b) => b.length - a.length).reduce((rest, name) => rest.split(name).join(' '), text);
  return visible.match(CJK) ?? [];
}

/** Waits until nothing on the page is still loading (antd's spinners and skeletons). */
async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
  await eventually(
    () => page.locator('.ant-spin-spinning, .ant-skeleton, .ant-table-placeholder .ant-spin').count(),
    (n) => n === 0,
  );
}

test("in English every page of each role's menu and a project page show no Chinese but names", async () => {
  // The data the pages show: a major industrial project (green channel, campaign, a correction taken
  // charge of from the inbox and supplemented, a sign-off, an agent) and one awaiting a sign-off.
  const name = `金山卫镇 英文巡检 ${tag}`;
  const applicant = '上海金山卫某某制造有限公司';
  const campaign = `冬季集中开工 ${tag}`;
  const items = ['总平面图'];
  const id = await registerProject(call, { name, applicant: { name: applicant, uscc: '91310000MA1FL4B24G' }, category: 'industrial', major: true, agent: 'agent-01' }, { design: true });
  const second = `${name} 乙`;
  const waiting = await registerProject(call, { name: second, applicant: { name: applicant, uscc: '91310000MA1FL4B24G' } }, { design: true });
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'correction', items })).status).toBe(200);
  const notice = await eventually(
    () => call('GET', `/api/inbox?project=${id}&kind=correction`, 'dev-window'),
    (r) => r.body.notices?.length > 0,
  );
  expect((await call('POST', `/api/inbox/${notice.body.notices[0].id}/acknowledge`, 'dev-window', {})).status).toBe(200);
  expect((await call('POST', `/api/projects/${id}/stages/design/supplements`, 'dev-window', {})).status).toBe(200);
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-construction', { decision: 'approve' })).status).toBe(200);
  await eventually(
    () => call('GET', `/api/projects?name=${encodeURIComponent(name)}`, 'dev-admin'),
    (r) => r.body.projects?.length === 2,
  );
  const startDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + 30 * 86_400_000));
  expect((await call('POST', '/api/campaigns', 'dev-admin', { name: campaign, startDate, projects: [{ id, source: 'key-industrial-plan' }] })).status).toBe(201);
  expect(waiting).toBeDefined();

  // Names of people, places and projects: this test's own, and the people of the development data.
  const names = [name, second, applicant, campaign, ...items, ...namesIn(DEV_PRINCIPALS_FILE), ...namesIn('config/liaisons.dev.json')];
  const leaks: Record<string, string[]> = {};
  const check = async (page: Page, shot: string) => {
    await settled(page);
    // What other files typed meanwhile is looked up only when something is left (it takes a while).
    let found = await chineseOn(page, names);
    if (found.length > 0) found = await chineseOn(page, [...names, ...(await typedInRecord())]);
    if (found.length > 0) leaks[shot] = found;
    await screenshot(page, shot);
  };

  const page = await newPage();
  // The calendar asks for next year's holiday schedule, which is not loaded yet (the page says so): the only 404 expected.
  const notFound: string[] = [];
  page.on('response', (r) => void (r.status() === 404 && notFound.push(new URL(r.url()).pathname)));
  await page.goto(`${harness.base}/`);
  await page.getByRole('heading', { name: '登录' }).waitFor();
  // Once: remembered from here on.
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await check(page, 'en-sign-in');

  // Each role's menu in English, asserted exactly.
  const roles: [role: string, person: string, menu: string[]][] = [
    ['window', '综合窗口 张敏', ['Intake', 'Awaiting supplements', 'Register', 'Notices']],
    ['reviewer', '区建管委 审批员', ['To do', 'Done', 'Projects', 'Notices']],
    ['agent', '代办员 李娜', ['My projects', 'Projects', 'Notices']],
    ['leader', '领导 陈刚', ['Dashboard', 'Projects', 'Notices']],
    ['admin', '管理员 王磊', ['Stuck cases', 'Projects', 'Register', 'Dashboard', 'Green channel', 'Construction-start campaigns', 'Calendar', 'Directory', 'Audit log', 'Notices']],
  ];
  for (const [role, person, menu] of roles) {
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('combobox', { name: 'Identity' }).fill(person);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('me-name').filter({ hasText: person }).waitFor();
    // The project page first: each menu page then replaces a different one, which shows when it is in.
    await page.goto(`${harness.base}/projects/${id}`);
    await page.getByRole('heading', { name }).waitFor();
    await check(page, `en-${role}-project`);
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(menu);
    for (const entry of menu) {
      const before = await page.getByRole('main').innerText();
      await page.getByRole('menuitem', { name: entry, exact: true }).click();
      await eventually(() => page.getByRole('main').innerText(), (now) => now !== before);
      await check(page, `en-${role}-${entry.toLowerCase().replace(/[^a-z]+/g, '-')}`);
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
  }

  // Back in Chinese, the trail reads Chinese too: the console words what the server records in English.
  await page.getByRole('combobox', { name: 'Identity' }).fill('管理员 王磊');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in before leaving the page: a goto while the sign-in is still answering lands on the sign-in.
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.goto(`${harness.base}/projects/${id}`);
  await page.getByRole('button', { name: /中文/ }).click();
  await page.getByRole('tab', { name: '办理记录' }).waitFor();
  const trail = await page.getByRole('tabpanel', { name: '办理记录' }).innerText();
  expect(trail).toContain('确认接手：补正 · 区规划资源局（通知');
  expect(trail).toContain(`纳入集中开工“${campaign}”（开工日 ${startDate}）`);
  expect(trail).not.toMatch(/took charge|joined campaign/);
  expect(await page.getByText('减免', { exact: true }).locator('..').innerText()).toMatch(/免配建民防工程$/);
  await screenshot(page, 'zh-admin-project');
  await page.close();
  expect(leaks).toEqual({});
  expect(notFound.filter((path) => !/^\/api\/calendar\/\d{4}$/.test(path))).toEqual([]);
  expect(harness.errors().filter((e) => !/status of 404 \(Not Found\)/.test(e))).toEqual([]);
});
