// The leader's dashboard (领导驾驶舱) in a real headless Chromium against the real stack: the statistics
// per stage and per locality show what GET /api/stats answers, the red and yellow lists and the
// escalations across projects and the red-light forecast render with the projects seeded here, and the English switch changes the
// page's words. The record database is shared with test files running alongside, so the figures are
// compared with the API's answer of the moment, never with constants.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { loadCalendar } from '../db/calendar';
import { writeProjectRecord } from '../db/record';
import { shanghaiDate, startOfShanghaiDay, type WorkingCalendar } from '../domain/calendar';
import { dueEscalations } from '../domain/long-running';
import { DEFAULT_POLICY } from '../domain/policy';
import { applyApplication, applySignOff, applyWithdrawal, newProjectState, registrationInput, type ProjectState } from '../domain/project';
import { eventually } from './support/eventually';
import { reviewer, window as windowClerk } from './support/fixtures';
import { signIn, useConsole } from './support/console';

jest.setTimeout(240_000);

const recorded: ProjectState[] = [];
// Declared before the harness, so that it runs while the harness's database is still open.
afterAll(async () => {
  const db = harness.service.db;
  const calendar = await loadCalendar(db);
  for (const state of recorded) {
    applyWithdrawal(state, { reason: '测试结束', by: windowClerk }, new Date().toISOString());
    await writeProjectRecord(db, state, calendar, Date.now());
  }
});

const harness = useConsole('leader');
const { call, newPage, screenshot } = harness;

const YEAR = shanghaiDate(Date.now()).slice(0, 4);
const THIS_YEAR = `from=${YEAR}-01-01&to=${YEAR}-12-31`;
const tag = Date.now().toString(36);

interface Figures {
  stage: string;
  decided: number;
  averageWorkingDays: number | null;
  medianWorkingDays: number | null;
  exceeded: number;
}
interface Stats {
  stages: Figures[];
  byLocality: { locality: string; stages: Figures[] }[];
}

const registration = (name: string) => ({
  name,
  applicant: { name: '上海朱泾某某置业有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'general',
  locality: 'zhujing',
  utilities: ['power'],
});

/** Registers a project through the API and has the design stage decided: approved by every design
 *  department, or rejected by planning. */
async function decidedDesign(name: string, outcome: 'approve' | 'reject'): Promise<string> {
  const registered = await call<{ id: string }>('POST', '/api/projects', 'dev-window', registration(name));
  expect(registered.status).toBe(201);
  const { id } = registered.body;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  const signers = outcome === 'approve' ? ['dev-planning', 'dev-construction', 'dev-water'] : ['dev-planning'];
  for (const token of signers) {
    const body = outcome === 'approve' ? { decision: 'approve' } : { decision: 'reject', comment: '不符合控制性详细规划' };
    expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, token, body)).status).toBe(200);
  }
  return id;
}

/** The Shanghai date `n` working days before today. */
function workingDaysAgo(calendar: WorkingCalendar, n: number): string {
  const today = shanghaiDate(Date.now());
  let day = today;
  for (let i = 1; calendar.workingDaysBetween(day, today) < n; i++) day = shanghaiDate(Date.now() - i * 86_400_000);
  return day;
}

/**
 * A project whose design stage was accepted `used` working days ago and is still under review: a red or
 * yellow light cannot come about in a test's minutes, so the project is built with the domain's own
 * transitions at those instants and written by the record writer, as the workflow would have recorded
 * it (with the escalation its ladder would have made by now). It has no workflow: it is withdrawn in the
 * record when the test ends, so it lingers in no one's open lists.
 */
function recordedProject(name: string, calendar: WorkingCalendar, used: number): ProjectState {
  const accepted = workingDaysAgo(calendar, used);
  const at = (day: string) => new Date(startOfShanghaiDay(day) + 10 * 3_600_000).toISOString();
  const input = registrationInput({ ...registration(name), category: 'general', major: false, locality: 'zhujing', utilities: ['power'] }, randomUUID(), windowClerk, at(accepted), DEFAULT_POLICY);
  const state = newProjectState(input.project, input.plan, { policy: input.policy, autoConnection: true });
  applyApplication(state, { stage: 'design', by: windowClerk }, at(accepted));
  const now = Date.now();
  for (const e of dueEscalations(state, DEFAULT_POLICY, now, calendar)) state.escalations.push({ ...e, notified: ['朱泾镇 属地联络员 <zhujing.liaison@jinshan.example>'] });
  return state;
}

/** A design stage accepted `used` working days ago, signed by the departments in `signs` after as
 *  many working days each, recorded as recordedProject is (for the red-light forecast's history). */
function signedProject(name: string, calendar: WorkingCalendar, used: number, signs: ['planning' | 'construction' | 'water', number][]): ProjectState {
  const state = recordedProject(name, calendar, used);
  const accepted = workingDaysAgo(calendar, used);
  for (const [party, days] of signs) {
    applySignOff(state, { stage: 'design', party, decision: 'approve', by: reviewer(party) }, new Date(startOfShanghaiDay(calendar.deadline(accepted, days)) + 11 * 3_600_000).toISOString());
  }
  return state;
}

/** The cells of a table row, as text. */
const cells = async (page: Page, table: string, row: string) => page.getByRole('table', { name: table }).getByRole('row', { name: new RegExp(`^${row}`) }).getByRole('cell').allTextContents();
const shown = (f: Figures, limit: number) => [String(limit), String(f.decided), f.averageWorkingDays === null ? '—' : String(f.averageWorkingDays), f.medianWorkingDays === null ? '—' : String(f.medianWorkingDays), String(f.exceeded)];
const LIMITS = DEFAULT_POLICY.stageLimitDays;

test("the leader's dashboard shows the statistics the API gives, the red and yellow lists and the escalations; English after the switch", async () => {
  // Seeded through the API: three design stages decided in zhujing, one of them rejected.
  const names = [`朱泾镇 驾驶舱甲 ${tag}`, `朱泾镇 驾驶舱乙 ${tag}`, `朱泾镇 驾驶舱丙 ${tag}`];
  const ids = [await decidedDesign(names[0]!, 'approve'), await decidedDesign(names[1]!, 'approve'), await decidedDesign(names[2]!, 'reject')];
  // The record follows the workflow: wait until it shows every one decided.
  await eventually(
    async () => Promise.all(ids.map(async (id) => (await call<{ stages: { stage: string; status: string }[] }>('GET', `/api/projects/${id}`, 'dev-leader')).body.stages[0]?.status)),
    (statuses) => statuses.every((s) => s === 'approved' || s === 'rejected'),
    300,
  );
  // An industrial project in zhujing whose civil-defense works (waived in full) the office has assessed.
  const industrial = await call<{ id: string }>('POST', '/api/projects', 'dev-window', { ...registration(`朱泾镇 驾驶舱工业 ${tag}`), category: 'industrial' });
  expect((await call('PUT', `/api/projects/${industrial.body.id}/waivers/industrial-civil-defense-works/assessment`, 'dev-civil-defense', { amount: 1000 })).status).toBe(200);
  const stats = () => call<Stats>('GET', `/api/stats?${THIS_YEAR}&locality=zhujing`, 'dev-leader');
  await eventually(stats, (a) => (a.body.stages.find((s) => s.stage === 'design')?.decided ?? 0) >= 3, 300);

  // Red (20 working days of 15) and yellow (12 of 15) projects, the red one escalated to the liaison.
  const calendar = await loadCalendar(harness.service.db);
  const red = recordedProject(`朱泾镇 超期项目 ${tag}`, calendar, 20);
  const yellow = recordedProject(`朱泾镇 预警项目 ${tag}`, calendar, 12);
  expect(red.escalations.map((e) => `${e.party}:${e.tier}`).sort()).toEqual(['construction:liaison', 'planning:liaison', 'water:liaison']);
  // For the red-light forecast: water took 18 working days of design's 15 on two projects lately, and a
  // third has waited 6 days for water alone.
  const late = [1, 2].map((n) => signedProject(`朱泾镇 水务迟签${n} ${tag}`, calendar, 25 + n, [['planning', 2], ['construction', 3], ['water', 18]]));
  const waiting = signedProject(`朱泾镇 待水务 ${tag}`, calendar, 6, [['planning', 1], ['construction', 2]]);
  for (const state of [red, yellow, ...late, waiting]) {
    recorded.push(state);
    await writeProjectRecord(harness.service.db, state, calendar, Date.now());
  }

  const page = await newPage();
  await signIn(page, harness.base, '领导 陈刚');
  // The dashboard is the leader's home, first in the menu.
  await page.getByRole('heading', { name: '领导驾驶舱' }).waitFor();
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['驾驶舱', '项目', '通知']);
  await page.getByRole('img', { name: '各阶段平均与中位用时（工作日）与时限对照图' }).waitFor();

  // By locality (design, this year): zhujing's row shows the API's figures. Other test files decide
  // stages meanwhile, so the page is refreshed until it and the API agree on one moment.
  const byLocality = async (table = '各属地办理情况', row = '朱泾镇') => {
    const design = (await stats()).body.byLocality.find((b) => b.locality === 'zhujing')?.stages.find((s) => s.stage === 'design');
    return { api: design && shown(design, LIMITS.design), page: (await cells(page, table, row)).slice(1) };
  };
  const agreed = async (table?: string, row?: string, refresh = '刷新') => {
    let compared = await byLocality(table, row);
    for (let i = 0; i < 10 && JSON.stringify(compared.api) !== JSON.stringify(compared.page); i++) {
      await page.getByRole('button', { name: refresh }).click();
      await page.waitForTimeout(500);
      compared = await byLocality(table, row);
    }
    return compared;
  };
  const compared = await agreed();
  expect(compared.page).toEqual(compared.api);
  expect(Number(compared.page[1])).toBeGreaterThanOrEqual(3);
  // Every one of the 11 localities is a row, those with nothing decided too.
  expect(await page.getByRole('table', { name: '各属地办理情况' }).getByRole('row').count()).toBe(12);
  await page.getByRole('heading', { name: '各属地办理情况' }).waitFor();
  await screenshot(page, 'leader-01-dashboard-all-localities');

  // Narrowed to zhujing: the per-stage table is the API's per-stage answer for it, every stage.
  await page.getByRole('combobox', { name: '按属地' }).click();
  await page.getByTitle('朱泾镇').click();
  const byStage = async () => {
    const answer = (await stats()).body.stages;
    const rows = await Promise.all(['设计方案', '施工许可', '竣工验收', '市政接入'].map(async (label) => (await cells(page, '各阶段办理情况', label)).slice(1)));
    return { api: (['design', 'permit', 'acceptance', 'connection'] as const).map((s) => shown(answer.find((f) => f.stage === s)!, LIMITS[s])), page: rows };
  };
  let stages = await byStage();
  for (let i = 0; i < 10 && JSON.stringify(stages.api) !== JSON.stringify(stages.page); i++) {
    await page.getByRole('button', { name: '刷新' }).click();
    await page.waitForTimeout(500);
    stages = await byStage();
  }
  expect(stages.page).toEqual(stages.api);

  // The red and yellow lists, each project linking to its page.
  const redList = page.getByRole('table', { name: '超期项目（红灯）' });
  const redRow = redList.getByRole('row', { name: new RegExp(`超期项目 ${tag}`) });
  await redRow.waitFor();
  expect(await redRow.textContent()).toMatch(/朱泾镇.*设计方案.*已用 20 \/ 时限 15 个工作日/);
  expect(await redRow.getByRole('link').getAttribute('href')).toBe(`/projects/${red.project.id}`);
  const yellowRow = page.getByRole('table', { name: '预警项目（黄灯）' }).getByRole('row', { name: new RegExp(`预警项目 ${tag}`) });
  await yellowRow.waitFor();
  expect(await yellowRow.textContent()).toMatch(/已用 12 \/ 时限 15 个工作日/);
  expect(await redList.getByText(`预警项目 ${tag}`).count()).toBe(0);

  // The escalations: the red project's three departments, each at the liaison's rung, nobody in charge yet.
  const escalations = page.getByRole('table', { name: '提级督办' });
  for (const department of ['区规划资源局', '区建管委', '区水务局']) {
    const row = escalations.getByRole('row', { name: new RegExp(`超期项目 ${tag}.*${department}`) });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/设计方案.*联络员.*20.*朱泾镇 属地联络员.*尚无人接办/);
  }
  // The red-light forecast: the project waiting for water, held up by water, as GET /api/forecast says.
  const forecast = await call<{ forecasts: { projectId: string; holdingParty: string; pExceeds: number; expectedOn: string }[] }>('GET', '/api/forecast?locality=zhujing', 'dev-leader');
  const expected = forecast.body.forecasts.find((f) => f.projectId === waiting.project.id);
  expect(expected).toMatchObject({ holdingParty: 'water', pExceeds: expect.any(Number) });
  const forecastRow = page.getByRole('table', { name: '红灯预测' }).getByRole('row', { name: new RegExp(`待水务 ${tag}`) });
  await forecastRow.waitFor();
  expect(await forecastRow.textContent()).toMatch(new RegExp(`设计方案区水务局6 / 15${expected?.expectedOn}.*${Math.round((expected?.pExceeds ?? 0) * 100)} %`));
  await screenshot(page, 'leader-02-dashboard-zhujing');

  // 费用减免统计 (zhujing, this year): the industrial row shows what GET /api/waivers/stats answers.
  const waivers = async () => {
    const row = (await call<{ rows: { category: string; locality: string; granted: number; assessed: number; waivedAmount: number }[] }>('GET', `/api/waivers/stats?${THIS_YEAR}`, 'dev-leader')).body.rows.find(
      (r) => r.category === 'industrial' && r.locality === 'zhujing',
    );
    return { api: row && [String(row.granted), String(row.assessed)], page: (await cells(page, '费用减免统计', '工业项目')).slice(2, 4), waived: row?.waivedAmount ?? 0 };
  };
  let waived = await waivers();
  for (let i = 0; i < 10 && JSON.stringify(waived.api) !== JSON.stringify(waived.page); i++) {
    await page.getByRole('button', { name: '刷新' }).click();
    await page.waitForTimeout(500);
    waived = await waivers();
  }
  expect(waived.page).toEqual(waived.api);
  expect(waived.waived).toBeGreaterThanOrEqual(1000);
  // Each column says what it holds: a count of waivers, a count of them assessed, two sums in yuan.
  expect(await page.getByRole('table', { name: '费用减免统计' }).getByRole('columnheader').allTextContents()).toEqual(['类别', '属地', '减免事项数', '其中已核定', '核定金额', '减免金额', '已核定但比例未设定']);
  await page.getByRole('table', { name: '费用减免统计' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'leader-02b-dashboard-waivers');

  // English: the dashboard's own words change; the names of projects and people stay.
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Dashboard', 'Projects', 'Notices']);
  await page.getByRole('img', { name: 'Average and median working days per stage against the time limit' }).waitFor();
  await page.getByRole('heading', { name: 'By locality' }).waitFor();
  // The same figures in English, again as the API answers at the moment (other files keep deciding stages).
  const english = await agreed('By locality', 'Zhujing', 'Refresh');
  expect(english.page).toEqual(english.api);
  await page.getByRole('table', { name: 'Over the time limit (red)' }).getByRole('row', { name: new RegExp(`超期项目 ${tag}`) }).getByText('20 of 15 working days used', { exact: false }).waitFor();
  await page.getByRole('table', { name: 'Escalations' }).getByRole('row', { name: /Water/ }).first().waitFor();
  // The page's own words, without the tables' rows (other test files' projects and people, in Chinese,
  // may be listed there): headings, hints, filters, the charts' text and every column header.
  // (A string, evaluated in the page: the tests are compiled without the DOM's types.)
  const words = String(await page.evaluate("(() => { const main = document.querySelector('main').cloneNode(true); main.querySelectorAll('tbody').forEach((b) => b.remove()); return main.textContent; })()"));
  expect(words).toContain('Time limit (working days)');
  // The waivers' columns in English: no two headed alike (the count assessed and the amount assessed were both "Assessed").
  expect(await page.getByRole('table', { name: 'Fee waivers' }).getByRole('columnheader').allTextContents()).toEqual([
    'Category',
    'Locality',
    'Waivers granted',
    'Of which assessed',
    'Assessed amount',
    'Amount waived',
    'Assessed, rate not set',
  ]);
  expect(words.match(/[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+/g)).toBeNull();
  // In the seeded rows, only the project's name and the person told stay Chinese.
  const redEnglish = await page.getByRole('table', { name: 'Escalations' }).getByRole('row', { name: new RegExp(`超期项目 ${tag}.*Water`) }).textContent();
  expect(redEnglish?.replace(`朱泾镇 超期项目 ${tag}`, '').replace('朱泾镇 属地联络员', '')).toMatch(/^Zhujing.*Design scheme.*Liaison.*20.*Nobody yet$/);
  await screenshot(page, 'leader-03-dashboard-english');
  await page.close();
  expect(harness.errors()).toEqual([]);
});
