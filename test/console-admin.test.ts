// The admin's pages in a real headless Chromium against the real stack, with a real local HTTP server
// standing in for the utility companies: a project's pushes fail for real, the stuck list (卡件处置)
// shows them, a repair the workflow refuses shows its reason and changes nothing, the admin retries the
// other push once its company is back and the case is gone; the audit log (审计日志) shows the retry with
// the admin's name, and its hash chain verifies. Needs the console built (npm test builds it first).
import { temporal } from '@temporalio/proto';
import { DEFAULT_POLICY } from '../domain/policy';
import { workflowIdFor } from '../workflows/messages';
import type { ProjectView } from '../domain/project';
import { ADMIN_MENU, signIn, useConsole } from './support/console';
import { eventually } from './support/eventually';
import { startUtilityCompanies } from './support/utility-companies';

jest.setTimeout(240_000);

let companies: Awaited<ReturnType<typeof startUtilityCompanies>>;
// Registered before useConsole's: the companies are up before the worker is told where they are.
beforeAll(async () => {
  companies = await startUtilityCompanies({ gas: { down: true }, 'water-supply': { down: true } });
});
afterAll(async () => {
  await companies?.stop();
});

// Two attempts 2 s apart: a company that is down is given up on quickly.
const harness = useConsole('console-admin', { utilityEndpoints: () => companies.endpoints, policy: { ...DEFAULT_POLICY, pushAttempts: 2 } });
const { call, newPage, screenshot } = harness;

const project = async (id: string) => (await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-admin')).body;

/** Applies for the stage and has every party approve it, through the API. */
async function pass(id: string, stage: string): Promise<void> {
  expect((await call('POST', `/api/projects/${id}/stages/${stage}/application`, 'dev-window', {})).status).toBe(200);
  const parties = (await project(id)).stages.find((s) => s.stage === stage)?.parties ?? [];
  for (const party of parties) expect((await call('POST', `/api/projects/${id}/stages/${stage}/sign-offs`, `dev-${party}`, { party, decision: 'approve' })).status).toBe(200);
}

test('the admin retries a failed push from the stuck list; a refused repair shows why; the audit log shows the retry by name', async () => {
  const name = `朱泾镇 卡件处置测试厂房 ${Date.now().toString(36)}`;
  const registered = await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海朱泾某某制造有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'zhujing',
    utilities: ['gas', 'water-supply'],
  });
  expect(registered.status).toBe(201);
  const id = registered.body.id as string;
  await pass(id, 'design');
  await pass(id, 'permit');
  // The permit pushes the project to both companies, which are down: both pushes fail for real.
  const failed = await eventually(() => project(id), (p) => p.pushes.length === 2 && p.pushes.every((push) => push.status === 'failed'), 900);
  expect(failed.pushes.map((p) => [p.company, p.status, p.error])).toEqual(
    expect.arrayContaining([
      ['gas', 'failed', expect.stringMatching(/503/)],
      ['water-supply', 'failed', expect.stringMatching(/503/)],
    ]),
  );

  const page = await newPage();
  await signIn(page, harness.base, '管理员 王磊');
  // The admin starts at the stuck list, the first entry of the menu.
  await page.getByRole('heading', { name: '卡件处置' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/admin/stuck');
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(ADMIN_MENU);
  // Filtered to failed pushes in Zhujing; other test files' cases come and go, so rows are found by name.
  await page.getByRole('combobox', { name: '卡件类型' }).click();
  await page.getByTitle(/^推送失败/).click();
  await page.getByRole('combobox', { name: '属地' }).fill('朱泾');
  await page.keyboard.press('Enter');
  const rows = page.getByRole('row').filter({ hasText: name });
  const gasRow = rows.filter({ hasText: '燃气公司' });
  const waterRow = rows.filter({ hasText: '供水公司' });
  await gasRow.waitFor();
  await waterRow.waitFor();
  expect(await gasRow.textContent()).toMatch(/推送失败.*已 \d+ 个工作日.*对象：燃气公司.*已尝试 2 次.*错误：.*503.*管理员.*重试推送/);
  await screenshot(page, 'admin-01-stuck-list');

  // Water supply's company comes back and someone else's retry delivers it while the page still shows the
  // case: the page's retry is refused with the workflow's reason, and the list stays as it was.
  companies.recover('water-supply');
  expect((await call('POST', `/api/projects/${id}/pushes/water-supply/retry`, 'dev-admin', { reason: '供水公司接口已恢复（接口调用）' })).status).toBe(200);
  await eventually(() => project(id), (p) => p.pushes.find((push) => push.company === 'water-supply')?.status === 'delivered', 300);
  await waterRow.getByRole('button', { name: '重试推送' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`重试推送：${name}`).waitFor();
  // A repair says why: the dialog will not send without a reason.
  await dialog.getByRole('button', { name: '重试推送' }).click();
  await dialog.getByText('必填').waitFor();
  await dialog.getByLabel('处置理由（记入项目轨迹和审计日志）').fill('供水公司确认接口已恢复');
  await dialog.getByRole('button', { name: '重试推送' }).click();
  const refusal = dialog.getByRole('alert');
  await refusal.getByText('审批流程拒绝了此操作').waitFor();
  expect(await refusal.textContent()).toContain('原因：向供水公司的推送状态为“已送达”，只有推送失败的才能重新推送');
  await screenshot(page, 'admin-02-stuck-refused');
  await dialog.getByRole('button', { name: '取消' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect(await waterRow.count()).toBe(1);

  // Gas is back: the admin retries from the list, confirms with the reason, and the case is gone.
  companies.recover('gas');
  await gasRow.getByRole('button', { name: '重试推送' }).click();
  await dialog.getByLabel('处置理由（记入项目轨迹和审计日志）').fill('燃气公司确认接口已恢复');
  await dialog.getByRole('button', { name: '重试推送' }).click();
  await page.getByText(`重试推送已完成：${name}`).waitFor();
  // The push is delivered (the workflow sends it again), and the stuck list no longer has either case.
  await eventually(() => project(id), (p) => p.pushes.every((push) => push.status === 'delivered'), 300);
  for (let i = 0; i < 100 && (await rows.count()) > 0; i++) {
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: '刷新' }).click();
  }
  expect(await rows.count()).toBe(0);
  expect(companies.received.filter((r) => r.company === 'gas').at(-1)?.key).toBe(`${id}/utility-push/gas`);
  // The project page says so.
  await page.goto(`${harness.base}/projects/${id}`);
  await page.getByRole('tab', { name: /市政推送/ }).click();
  expect(await page.getByRole('row', { name: /燃气公司/ }).textContent()).toContain('已送达');

  // The audit log: the retry with the admin's name, and the refused one; filtered to this project.
  await page.getByRole('menuitem', { name: '审计日志' }).click();
  await page.getByRole('heading', { name: '审计日志' }).waitFor();
  await page.getByRole('searchbox', { name: '项目编号' }).fill(id);
  await page.keyboard.press('Enter');
  // Typed, as a person would in a long list: the dropdown shows only the options in view.
  await page.getByRole('combobox', { name: '操作', exact: true }).fill('重试推送');
  await page.getByTitle('重试推送', { exact: true }).click();
  const retries = page.getByRole('row').filter({ hasText: '重试推送' });
  const accepted = retries.filter({ hasText: '燃气公司确认接口已恢复' });
  await accepted.waitFor();
  // The detail in Chinese, worded from what the retry carried: the company by its name, the reason as typed.
  expect(await accepted.textContent()).toMatch(/管理员 王磊.*管理员 · admin-01.*重试推送.*\/pushes\/gas\/retry.*已受理 · 200.*重新推送到燃气公司；理由：燃气公司确认接口已恢复/);
  expect(await accepted.textContent()).not.toContain('retry push to');
  expect(await accepted.getByRole('link').textContent()).toBe(name);
  // A refused command is recorded with the workflow's reason for refusing it.
  // A refused command keeps the workflow's reason as the server recorded it, as a smaller secondary line.
  expect(await retries.filter({ hasText: '被拒绝' }).textContent()).toMatch(/管理员 王磊.*\/pushes\/water-supply\/retry.*被拒绝 · 409.*服务器记录：the push to water-supply is delivered; only a failed push is sent again/);
  expect(await retries.count()).toBe(3);
  await page.getByRole('button', { name: '校验哈希链' }).click();
  await page.getByText(/审计日志完整：已校验 \d+ 条，最后一条序号 \d+/).waitFor();
  await screenshot(page, 'admin-03-audit-log');

  // In English every string of the console's own changes; the project's and people's names and the
  // reasons they wrote stay as written.
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Stuck cases', 'Projects', 'Register', 'Dashboard', 'Green channel', 'Construction-start campaigns', 'Calendar', 'Directory', 'Audit log', 'Notices']);
  await page.getByRole('row', { name: /Push retried.*Refused · 409/ }).waitFor();
  const data = [name, '管理员 王磊', '燃气公司确认接口已恢复', '供水公司接口已恢复（接口调用）', '中文'];
  const visible = data.reduce((text, value) => text.split(value).join(''), await page.locator('body').innerText());
  expect(visible.match(/[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+/g)).toBeNull();
  await page.getByRole('menuitem', { name: 'Stuck cases' }).click();
  await page.getByRole('heading', { name: 'Stuck cases' }).waitFor();
  await page.getByRole('combobox', { name: 'Kind of case' }).waitFor();
  await screenshot(page, 'admin-04-stuck-english');
  // Nothing went wrong in the browser but the refusal it was shown.
  expect(harness.errors().filter((e) => !/status of 409/.test(e))).toEqual([]);
});

test("a reset in Chinese: the audit log words what it carried, the project's trail words the reset from its facts", async () => {
  const name = `朱泾镇 重置演练厂房 ${Date.now().toString(36)}`;
  const registered = await call('POST', '/api/projects', 'dev-window', {
    name,
    applicant: { name: '上海朱泾某某制造有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'zhujing',
    utilities: ['gas'],
  });
  expect(registered.status).toBe(201);
  const id = registered.body.id as string;
  const reset = `/api/operations/projects/${id}/reset`;
  // Nothing is failing: a reset by default is refused (recorded); one to the first completed workflow task
  // is done, and noted in the project's trail.
  expect((await call('POST', reset, 'dev-admin', { reason: '演练：默认重置' })).body.refusal).toEqual({ code: 'reset-not-failing' });
  const completed = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
  const history = await eventually(() => harness.service.client.workflow.getHandle(workflowIdFor(id)).fetchHistory(), (h) => (h.events ?? []).some((e) => e.eventType === completed), 100);
  const to = Number(history.events?.find((e) => e.eventType === completed)?.eventId);
  expect((await call('POST', reset, 'dev-admin', { reason: '演练：重置到受理后', to })).status).toBe(200);
  await eventually(() => project(id), (p) => p.trail.some((e) => e.action === 'operation'), 300);

  const page = await newPage();
  await signIn(page, harness.base, '管理员 王磊');
  await page.getByRole('menuitem', { name: '审计日志' }).click();
  await page.getByRole('heading', { name: '审计日志' }).waitFor();
  await page.getByRole('searchbox', { name: '项目编号' }).fill(id);
  await page.keyboard.press('Enter');
  // This project's entries: until the search has answered, the log shows other tests' resets too.
  const resets = page.getByRole('row').filter({ hasText: '重置流程' }).filter({ hasText: id });
  const done = resets.filter({ hasText: '已受理' });
  await done.waitFor();
  expect(await done.getByRole('cell').last().textContent()).toBe(`重置流程到第 ${to} 号事件；理由：演练：重置到受理后`);
  const refused = resets.filter({ hasText: '被拒绝' });
  expect(await refused.textContent()).toMatch(/被拒绝 · 409.*服务器记录：the project's workflow tasks are not failing/);
  await screenshot(page, 'admin-05-audit-reset');

  // The project's trail: the reset as a person reads it, the time in Shanghai, the reason as typed.
  await page.goto(`${harness.base}/projects/${id}`);
  await page.getByRole('heading', { name }).waitFor();
  const entry = page.getByText(new RegExp(`^重置到第 ${to} 号事件（流程任务完成，\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}），其后收到的 0 个信号、0 个更新已重新应用；理由：演练：重置到受理后$`));
  await entry.waitFor();
  expect(await page.getByText(/received after it|WORKFLOW_TASK_COMPLETED/).count()).toBe(0);
  await entry.scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-06-trail-reset');

  // In English, the same facts in English; only what people wrote stays in Chinese.
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByText(new RegExp(`^Reset to event ${to} \\(workflow task completed, .*\\); 0 signal\\(s\\) and 0 update\\(s\\) received after it applied again; reason: 演练：重置到受理后$`)).waitFor();
  await page.getByRole('button', { name: /中文/ }).click();
  await page.close();
});
