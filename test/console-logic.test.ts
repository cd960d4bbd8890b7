// The console's view logic, without a browser: the worklist's order, the credit code's check as the form
// explains it, the stepper's states, the trail's codes in both languages, and a progress report's light.
import i18next from 'i18next';
import type { ProgressReport, Project, ProjectSummary, Schemas, StageView } from '../web/src/api/types';
import { en } from '../web/src/i18n/en';
import { zhCN } from '../web/src/i18n/zh-CN';
import { stepStatus } from '../web/src/stage-steps';
import { trailActor, trailDetail } from '../web/src/trail';
import { exemptionText } from '../web/src/exemptions';
import { refusalText } from '../web/src/refusal';
import { REFUSAL_CODES } from '../domain/refusals';
import { reportLight } from '../web/src/report-light';
import { byUrgency } from '../web/src/urgency';
import { FIRST, Latest, next, previous, shown } from '../web/src/cursor-pages';
import { usccProblem } from '../web/src/uscc';
import { figuresChartOption, limitMark, type MarkApi } from '../web/src/pages/dashboard-stats';

type TrailEntry = Schemas['TrailEntry'];

const summary = (name: string, clock: Partial<NonNullable<ProjectSummary['clock']>> | null): ProjectSummary => ({
  id: name,
  name,
  stage: 'design',
  status: 'under-review',
  locality: 'zhujing',
  category: 'general',
  major: false,
  agent: null,
  registeredAt: '2026-11-02T00:00:00.000Z',
  clock: clock && { acceptedOn: '2026-11-02', limitDays: 15, usedDays: 1, pausedDays: 0, deadline: '2026-11-23', light: 'green', ...clock },
  cadence: 'biweekly',
  nextReportAt: '2026-11-16T00:00:00.000Z',
  openCorrections: [],
});

test('the worklist puts red before yellow before green before no clock, then the oldest, then the most days used', () => {
  const list = [
    summary('green-new', { acceptedOn: '2026-11-20' }),
    summary('none', null),
    summary('yellow', { light: 'yellow', acceptedOn: '2026-11-21' }),
    summary('green-old-more', { acceptedOn: '2026-11-03', usedDays: 9 }),
    summary('red', { light: 'red', acceptedOn: '2026-11-25' }),
    summary('green-old-less', { acceptedOn: '2026-11-03', usedDays: 2 }),
  ];
  expect(list.sort(byUrgency).map((p) => p.name)).toEqual(['red', 'yellow', 'green-old-more', 'green-old-less', 'green-new', 'none']);
});

test("the credit code's problems, as the form words them; lower case and spaces are taken as the API takes them", () => {
  expect(usccProblem('91310000MA1FL4B24G')).toBeNull();
  expect(usccProblem(' 91310000ma1fl4b24g ')).toBeNull();
  expect(usccProblem('91310000MA1FL4B24')).toEqual({ kind: 'length', length: 17 });
  expect(usccProblem('91310000MA1FL4B2IG')).toEqual({ kind: 'char', char: 'I' });
  expect(usccProblem('91310000MA1FL4B24H')).toEqual({ kind: 'check', expected: 'G', actual: 'H' });
});

test('the stepper: approved is done, rejected an error, the open stage in progress, the rest waiting', () => {
  const stage = (status: StageView['status'], code: StageView['stage'] = 'design') => ({ stage: code, status }) as StageView;
  expect(stepStatus(stage('approved'), 'permit')).toBe('finish');
  expect(stepStatus(stage('rejected'), 'design')).toBe('error');
  expect(stepStatus(stage('correction'), 'design')).toBe('process');
  expect(stepStatus(stage('withdrawn'), 'design')).toBe('wait');
  expect(stepStatus(stage('not-open', 'permit'), 'design')).toBe('wait');
});

test("the trail's codes in the reader's language; free text as written", async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng: 'zh-CN', interpolation: { escapeValue: false } });
  const by = { id: 'window-01', role: 'window' as const };
  const entry = (action: TrailEntry['action'], detail: string) => ({ seq: 1, at: '2026-11-02T00:00:00Z', by, action, detail });
  expect(trailDetail(entry('application', 'attempt 2'), i18n.t)).toBe('第 2 次申报');
  expect(trailDetail(entry('sign-off', 'approve'), i18n.t)).toBe('同意');
  expect(trailDetail(entry('sign-off', 'approve (代录 proxy by admin-01, ref 规划〔2026〕1号: 书面意见)'), i18n.t)).toBe('同意（admin-01 代录，依据：规划〔2026〕1号，原因：书面意见）');
  expect(trailDetail(entry('report-cadence', 'weekly'), i18n.t)).toBe('每周');
  expect(trailDetail(entry('withdrawal', '建设单位撤回'), i18n.t)).toBe('建设单位撤回');
  // The server's English around the facts (domain/project.ts, domain/campaigns.ts), worded by the console.
  expect(trailDetail(entry('acknowledgement', 'took charge of the correction planning (notice 552)'), i18n.t)).toBe('确认接手：补正 · 区规划资源局（通知 552）');
  expect(trailDetail(entry('acknowledgement', 'took charge of the escalation water deputy (notice 9)'), i18n.t)).toBe('确认接手：督办提级 · 区水务局 · 分管领导（通知 9）');
  expect(trailDetail(entry('reminder', 'water, civil-defense: 请尽快签署'), i18n.t)).toBe('催办区水务局、区民防办：请尽快签署');
  expect(trailDetail(entry('push-retry', 'retry 2 (previous error: HTTP 503): 接口已恢复'), i18n.t)).toBe('第 2 次重新推送（上次错误：HTTP 503）：接口已恢复');
  expect(trailDetail(entry('green-channel', 'dedicated agent agent-01'), i18n.t)).toBe('专职代办员：agent-01');
  expect(trailDetail(entry('campaign', 'joined campaign 冬季集中开工 (start 2026-12-28)'), i18n.t)).toBe('纳入集中开工“冬季集中开工”（开工日 2026-12-28）');
  expect(trailDetail(entry('campaign', 'campaign 冬季集中开工 started 2026-12-28: reports biweekly'), i18n.t)).toBe('集中开工“冬季集中开工”于 2026-12-28 开工，恢复每两周一报');
  expect(trailActor({ id: 'campaign:c1', role: 'system', name: '集中开工 冬季' }, i18n.t)).toBe('集中开工 冬季');
  // A shape this console does not know is shown as recorded (a party it does not know, too).
  expect(trailDetail(entry('acknowledgement', 'took charge of the correction moon-base (notice 1)'), i18n.t)).toBe('took charge of the correction moon-base (notice 1)');
  expect(trailDetail(entry('operation', 'reset: to event 12 (卡住)'), i18n.t)).toBe('reset: to event 12 (卡住)');
  await i18n.changeLanguage('en');
  expect(trailDetail(entry('application', 'attempt 2'), i18n.t)).toBe('Application 2');
  expect(trailDetail(entry('sign-off', 'correction'), i18n.t)).toBe('Correction');
  expect(trailDetail(entry('acknowledgement', 'took charge of the correction planning (notice 552)'), i18n.t)).toBe('Took charge: Correction · Planning and Natural Resources Bureau (notice 552)');
  expect(trailDetail(entry('campaign', 'left campaign 冬季集中开工'), i18n.t)).toBe('Left campaign 冬季集中开工');
  expect(trailActor({ id: 'campaign:c1', role: 'system', name: '集中开工 冬季' }, i18n.t)).toBe('Campaign 冬季');
});

test("a project's exemptions worded from their codes in the reader's language, not the server's two languages", async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng: 'zh-CN', interpolation: { escapeValue: false } });
  const recorded = ['免配建民防工程 exempt from civil-defense works', '简化竣工验收 simplified completion acceptance', '费用减免 fee reduction: water', 'something new'];
  expect(recorded.map((e) => exemptionText(e, i18n.t))).toEqual(['免配建民防工程', '简化竣工验收', '区水务局费用减免', 'something new']);
  await i18n.changeLanguage('en');
  expect(recorded.map((e) => exemptionText(e, i18n.t))).toEqual(['Exempt from civil-defense works', 'Simplified completion acceptance', 'Fee reduction: Water Affairs Bureau', 'something new']);
});

test("the workflow's refusals by code, in the reader's language, with the facts they name; an unknown code leaves the server's words", async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng: 'zh-CN', interpolation: { escapeValue: false } });
  expect(refusalText({ code: 'paused-for-correction', params: { stage: 'design', parties: ['planning', 'water'] } }, i18n.t)).toBe('设计方案阶段因补正暂停（区规划资源局、区水务局提出），须先登记补正材料');
  // The reminder's refusal names no parties: the words that need none.
  expect(refusalText({ code: 'paused-for-correction', params: { stage: 'permit' } }, i18n.t)).toBe('施工许可阶段因补正暂停，须先由窗口收齐补正材料');
  expect(refusalText({ code: 'already-signed', params: { party: 'water', stage: 'design', attempt: 1, decision: 'approve' } }, i18n.t)).toBe('区水务局已签署设计方案阶段第 1 次申报（同意）');
  expect(refusalText({ code: 'push-not-failed', params: { company: 'gas', status: 'delivered' } }, i18n.t)).toBe('向燃气公司的推送状态为“已送达”，只有推送失败的才能重新推送');
  expect(refusalText({ code: 'not-the-agent', params: { agent: 'agent-01' } }, i18n.t)).toBe('您不是本项目的代办员（现由 agent-01 代办）');
  expect(refusalText(undefined, i18n.t)).toBeUndefined();
  // A code newer than this console: no words of ours, so the caller shows the server's.
  expect(refusalText({ code: 'some-new-rule' as never }, i18n.t)).toBeUndefined();
  await i18n.changeLanguage('en');
  expect(refusalText({ code: 'paused-for-correction', params: { stage: 'design', parties: ['planning'] } }, i18n.t)).toBe(
    'Design scheme is paused for a correction (asked by Planning and Natural Resources Bureau); record the supplement first',
  );
  // Every code the API can send has words in both languages, and no placeholder is left unfilled.
  for (const language of ['zh-CN', 'en']) {
    await i18n.changeLanguage(language);
    for (const code of REFUSAL_CODES) {
      const params = { stage: 'design', current: 'permit', status: 'completed', party: 'planning', company: 'gas', parties: ['planning'], required: ['planning'], decision: 'approve', cadence: 'weekly', action: 'report-cadence', agent: 'agent-01', attempt: 1, limit: 12, sent: 3, kb: 256, since: '2026-11-02T00:00:00Z', campaign: '春季集中开工', startDate: '2027-03-18', kind: 'report', recorded: 'active', temporal: 'RUNNING', max: 10 };
      const text = refusalText({ code, params }, i18n.t);
      expect({ code, language, text: text && /\{\{|\}\}/.test(text) ? 'unfilled' : typeof text }).toEqual({ code, language, text: 'string' });
    }
  }
});

test("a progress report's light: its longest-pending sign-off against the limit of the attempt open when it was made", () => {
  const attempt = (number: number, submittedAt: string, limitDays?: number) => ({ number, submittedAt, ...(limitDays !== undefined && { limitDays }) });
  // Design's first attempt (limit 15) was rejected; the second, after a green channel, was accepted with 10.
  const project = { stages: [{ stage: 'design', attempts: [attempt(1, '2026-11-02T01:00:00.000Z', 15), attempt(2, '2026-11-20T01:00:00.000Z', 10)] }] } as unknown as Project;
  const report = (at: string, days: number[], extra: Partial<ProgressReport> = {}): ProgressReport =>
    ({ seq: 1, at, to: 'agent:agent-01', cadence: 'biweekly', stage: 'design', stageStatus: 'under-review', pending: days.map((d, i) => ({ party: i ? 'water' : 'planning', days: d })), pendingIn: 'working-days', openCorrections: [], escalations: 0, nextReportAt: null, ...extra }) as ProgressReport;
  // The first attempt's limit: 11 of 15 is below 75 %, 12 reaches it, 16 is past it.
  expect(reportLight(project, report('2026-11-16T01:00:00.000Z', [11, 3]))).toBe('green');
  expect(reportLight(project, report('2026-11-16T01:00:00.000Z', [3, 12]))).toBe('yellow');
  expect(reportLight(project, report('2026-11-19T01:00:00.000Z', [16]))).toBe('red');
  // The second attempt's: 8 of 10 is yellow.
  expect(reportLight(project, report('2026-12-02T01:00:00.000Z', [8]))).toBe('yellow');
  // No light where the report cannot say: nothing pending, no stage, calendar days, no limit kept.
  expect(reportLight(project, report('2026-11-16T01:00:00.000Z', []))).toBeNull();
  expect(reportLight(project, report('2026-11-16T01:00:00.000Z', [3], { stage: null }))).toBeNull();
  expect(reportLight(project, report('2026-11-16T01:00:00.000Z', [3], { pendingIn: undefined }))).toBeNull();
  const old = { stages: [{ stage: 'design', attempts: [attempt(1, '2026-11-02T01:00:00.000Z')] }] } as unknown as Project;
  expect(reportLight(old, report('2026-11-16T01:00:00.000Z', [3]))).toBeNull();
});

test('a paged list shows only the latest request’s answer, and walks its cursor stack', async () => {
  // Two requests in flight, the earlier answering last: only the later one's answer counts.
  const latest = new Latest();
  expect(latest.any).toBe(false);
  const shownAnswers: string[] = [];
  const request = (answer: string, ms: number) => {
    const current = latest.begin();
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        if (current()) shownAnswers.push(answer);
        resolve();
      }, ms),
    );
  };
  await Promise.all([request('search 甲', 60), request('search 甲乙', 10)]);
  expect(shownAnswers).toEqual(['search 甲乙']);
  // A dialog's project list, opened after a search has begun, asks for no list of its own (use-project-search.ts).
  expect(latest.any).toBe(true);
  // Then a third, alone: it counts.
  await request('page 2', 1);
  expect(shownAnswers).toEqual(['search 甲乙', 'page 2']);

  // 下一页 from each page's nextCursor, 上一页 back, 第一页 from anywhere; the last page goes nowhere.
  let cursors = FIRST;
  expect(shown(cursors)).toBeUndefined();
  cursors = next(cursors, 'c2');
  cursors = next(cursors, 'c3');
  expect([shown(cursors), cursors.length]).toEqual(['c3', 3]);
  // A second click before page 3's answer has come: still page 3, not page 4.
  expect(next(cursors, 'c3')).toBe(cursors);
  expect(next(cursors, undefined)).toBe(cursors);
  cursors = previous(cursors);
  expect([shown(cursors), cursors.length]).toEqual(['c2', 2]);
  expect(previous(previous(cursors))).toEqual(FIRST);
});

test("the dashboard's chart draws each stage's time limit as its own short horizontal mark, none joined to the next", () => {
  const text = { categories: ['设计方案', '施工许可', '竣工验收', '市政接入'], average: '平均', median: '中位', limit: '时限', workingDays: '工作日', axisText: '#000', colours: { average: '#1', median: '#2', limit: '#c41d1d' } };
  const limits = [15, 20, 12, 5];
  const option = figuresChartOption(text, { average: [11.5, null, 8, 3], median: [12, null, 8, 2], limit: limits }, { bottom: 44 });
  // Bars for the figures; nothing drawn as a line from one category to another.
  expect(option.series.map((s) => s.type)).toEqual(['bar', 'bar', 'custom']);
  const limit = option.series[2] as unknown as { name: string; data: number[][]; renderItem: (params: unknown, api: MarkApi) => ReturnType<typeof limitMark> };
  expect(limit.name).toBe('时限');
  expect(limit.data).toEqual([[0, 15], [1, 20], [2, 12], [3, 5]]);
  // Drawn on a plot whose categories are 100 px wide bands and whose days are 10 px each: every mark is
  // flat at its own limit and stays inside its own category's band.
  for (const [i, days] of limits.entries()) {
    const api: MarkApi = { value: (d) => (d === 0 ? i : days), coord: ([x, y]) => [x * 100 + 50, 300 - y * 10], size: () => [100, 0] };
    const mark = limit.renderItem(undefined, api);
    expect(mark.type).toBe('line');
    expect(mark.shape.y1).toBe(300 - days * 10);
    expect(mark.shape.y2).toBe(mark.shape.y1);
    expect(mark.shape.x1).toBeGreaterThanOrEqual(i * 100);
    expect(mark.shape.x2).toBeLessThanOrEqual((i + 1) * 100);
    expect(mark.shape.x2 - mark.shape.x1).toBeGreaterThan(30);
    expect(mark.style.stroke).toBe('#c41d1d');
  }
  // By locality there is no median: one bar and the marks.
  const byLocality = figuresChartOption({ ...text, median: undefined }, { average: [1, 2, 3, 4], limit: limits }, { bottom: 56, rotate: 30 });
  expect(byLocality.series.map((s) => s.type)).toEqual(['bar', 'custom']);
  expect(byLocality.xAxis.axisLabel).toMatchObject({ rotate: 30 });
});
