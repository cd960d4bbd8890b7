// A project's long life on the time-skipping test server: months of progress reports, the escalation
// ladder, the push to utility companies (a real local HTTP server), and continue-as-new.
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { startProject } from '../api/project-client';
import type { Party, Stage } from '../domain/codes';
import { loadCalendar, saveYear } from '../db/calendar';
import type { Db } from '../db/connect';
import { shanghaiDate, stageClock, startOfShanghaiDay } from '../domain/calendar';
import { DAY_MS, DEFAULT_POLICY, type Policy } from '../domain/policy';
import { renderNotice, type NoticeContent } from '../domain/notice-texts';
import { attemptPauses, stageStatus, type ProjectApprovalInput, type ProjectState, type SignOffInput } from '../domain/project';
import {
  acknowledgeNotice,
  assignAgent,
  calendarChanged,
  enterGreenChannel,
  heldCommand,
  joinCampaign,
  leaveCampaign,
  recordSupplement,
  remindPending,
  retryPush,
  setReportCadence,
  signOff,
  stateQuery,
  submitApplication,
} from '../workflows/messages';
import type { projectApproval } from '../workflows/project-approval';
import { admin, projectInput, reviewer, utility, window } from './support/fixtures';
import { saveHistoryIfRecording } from './support/histories';
import { act, bundle, createTimeSkippingEnv, startWorker, testDb, uniqueTaskQueue } from './support/temporal';
import { startUtilityCompanies } from './support/utility-companies';

type Handle = WorkflowHandle<typeof projectApproval>;

const agent = { id: 'agent-01', role: 'agent' as const };
const STAGE_PARTIES: Record<Exclude<Stage, 'connection'>, Party[]> = {
  design: ['planning', 'construction', 'water'],
  permit: ['construction', 'planning', 'water', 'civil-defense'],
  acceptance: ['construction', 'planning', 'civil-defense', 'water', 'greening', 'archives'],
};

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;
let taskQueue: string;
let worker: Awaited<ReturnType<typeof startWorker>>;
let companies: Awaited<ReturnType<typeof startUtilityCompanies>>;
let db: Db;

beforeAll(async () => {
  [env, workflowBundle, companies] = await Promise.all([
    createTimeSkippingEnv(),
    bundle(),
    // power fails twice then succeeds; gas answers its first attempt only after the client's timeout;
    // telecom never succeeds.
    startUtilityCompanies({ power: { failFirst: 2 }, gas: { slowFirst: 1, delayMs: 1_500 }, telecom: { failFirst: 1_000 } }),
  ]);
  taskQueue = uniqueTaskQueue('long-running');
  db = testDb();
  worker = await startWorker(env.nativeConnection, workflowBundle, taskQueue, { utilityEndpoints: companies.endpoints, pushTimeoutMs: 500, client: env.client });
});

afterAll(async () => {
  await worker?.stop();
  await companies?.stop();
  await db?.destroy();
  await env?.teardown();
});

/** Registers at the test server's current (virtual) time, so report dates are exact. */
async function start(overrides: Parameters<typeof projectInput>[0] = {}, policy: Policy = DEFAULT_POLICY): Promise<[Handle, ProjectApprovalInput]> {
  const input = projectInput({ agent: agent.id, ...overrides }, policy, new Date(await env.currentTimeMs()));
  return [await startProject(env.client, taskQueue, input), input];
}

const apply = (h: Handle, stage: Stage) => act(h, submitApplication, { stage, by: window });
const sign = (h: Handle, stage: Stage, party: Party, decision: SignOffInput['decision'] = 'approve', extra: Partial<SignOffInput> = {}) =>
  act(h, signOff, { stage, party, decision, by: stage === 'connection' ? utility(party) : reviewer(party), ...extra });
async function pass(h: Handle, stage: Exclude<Stage, 'connection'>) {
  await apply(h, stage);
  for (const party of STAGE_PARTIES[stage]) await sign(h, stage, party);
}
/** The state once `ok` holds (the workflow applies a signal in its own time). */
async function eventuallyState(h: Handle, ok: (s: ProjectState) => boolean): Promise<ProjectState> {
  for (let i = 0; ; i++) {
    const state = await h.query(stateQuery);
    if (ok(state) || i === 100) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const days = (n: number): number => n * DAY_MS;
const HOUR = 60 * 60 * 1000;
const at = (input: ProjectApprovalInput, d: number) => new Date(new Date(input.project.registeredAt).getTime() + d * DAY_MS).toISOString();

test('progress reports: biweekly to the day, weekly in the preparation phase and back, none after completion', async () => {
  const [h, input] = await start({ utilities: ['water-supply'] });
  const reportDates = async () => (await h.query(stateQuery)).reports.map((r) => r.at);

  await env.sleep(days(60));
  expect(await reportDates()).toEqual([14, 28, 42, 56].map((d) => at(input, d)));

  // Day 60: the concentrated construction-start preparation phase — weekly, counted from the last report.
  await h.executeUpdate(setReportCadence, { args: [{ cadence: 'weekly', by: agent }] });
  await env.sleep(days(12));
  // Day 72: back to biweekly, again from the last report (day 70).
  await h.executeUpdate(setReportCadence, { args: [{ cadence: 'biweekly', by: agent }] });
  await env.sleep(days(23));
  expect(await reportDates()).toEqual([14, 28, 42, 56, 63, 70, 84].map((d) => at(input, d)));

  // Day 95, eleven days after the last report: weekly is already overdue, so one report now, not two, not none.
  const switchedAt = await env.currentTimeMs();
  await h.executeUpdate(setReportCadence, { args: [{ cadence: 'weekly', by: agent }] });
  await env.sleep('1 hour');
  const reports = (await h.query(stateQuery)).reports;
  expect(reports).toHaveLength(8);
  // Dated when it was sent, not backdated to when it would have been due.
  const sentAfterSwitch = new Date(reports[7]!.at).getTime() - switchedAt;
  expect(sentAfterSwitch).toBeGreaterThanOrEqual(0);
  expect(sentAfterSwitch).toBeLessThan(60 * 60 * 1000);
  expect(reports[7]).toMatchObject({ seq: 8, cadence: 'weekly', to: 'agent:agent-01', stage: 'design', stageStatus: 'awaiting-application' });
  expect(reports[7]!.nextReportAt).toBe(new Date(new Date(reports[7]!.at).getTime() + 7 * DAY_MS).toISOString());

  for (const stage of ['design', 'permit', 'acceptance'] as const) await pass(h, stage);
  await sign(h, 'connection', 'water-supply');
  const final = await h.result();
  expect(final.status).toBe('completed');
  await env.sleep(days(30));
  expect((await h.query(stateQuery)).reports).toHaveLength(8);
  // Each report reached the agent once.
  const delivered = (await worker.sink.read()).filter((n) => n.key.startsWith(`${input.project.id}/report/`));
  expect(delivered.map((n) => n.to)).toEqual(Array(8).fill('agent:agent-01'));
  // The trail records who switched the cadence.
  expect(final.trail.filter((t) => t.action === 'report-cadence').map((t) => `${t.by.id}:${t.detail}`)).toEqual([
    'agent-01:weekly',
    'agent-01:biweekly',
    'agent-01:weekly',
  ]);
  await saveHistoryIfRecording('long-running-reports', h);
});

test('a 集中开工 campaign: weekly from joining until its start date (Shanghai), biweekly after, across continue-as-new', async () => {
  // A low cap continues the run as new every few reports, so the campaign has to live in the carried state.
  const [h, input] = await start({ locality: 'jinshanwei' }, { ...DEFAULT_POLICY, historyEventCap: 80 });
  const registered = new Date(input.project.registeredAt).getTime();
  const startDate = shanghaiDate(registered + days(45));
  const startsAt = startOfShanghaiDay(startDate);
  // The start date's midnight in Shanghai falls between day 44 and day 45 after registration.
  expect(startsAt).toBeGreaterThan(registered + days(44));
  const campaign = { id: `c-${input.project.id.slice(0, 8)}`, name: '2093 春季集中开工', startDate };
  const reportDates = async () => (await h.query(stateQuery)).reports.map((r) => r.at);

  // Declared an hour after registration, well before the first run reaches its cap (the time-skipping
  // server loses an Update that meets a continue-as-new; test/campaigns.test.ts sends one again).
  await env.sleep('1 hour');
  const firstRun = (await h.describe()).runId;
  await h.executeUpdate(joinCampaign, { args: [{ campaign, by: admin }] });
  expect((await h.query(stateQuery)).campaign).toMatchObject({ ...campaign, phase: 'preparation' });

  await env.sleep(days(50)); // day 50: past the start date
  expect((await h.describe()).runId).not.toBe(firstRun);
  await env.sleep(days(40)); // day 90
  // Weekly from joining until the start date; then biweekly from the last weekly report (day 42).
  expect(await reportDates()).toEqual([7, 14, 21, 28, 35, 42, 56, 70, 84].map((d) => at(input, d)));
  const state = await h.query(stateQuery);
  expect(state.reports.map((r) => r.cadence)).toEqual([...Array(6).fill('weekly'), 'biweekly', 'biweekly', 'biweekly']);
  // Each report names its campaign and the phase it was in.
  expect(state.reports.map((r) => r.campaign?.phase)).toEqual([...Array(6).fill('preparation'), 'started', 'started', 'started']);
  expect(state.reports[1]).toMatchObject({ campaign: { id: campaign.id, name: campaign.name, startDate }, cadenceSetBy: { kind: 'campaign', by: campaign.id } });
  // The switch back happened at the start date's midnight in Shanghai, by the campaign, on its own.
  const campaignTrail = state.trail.filter((t) => t.action === 'campaign');
  expect(campaignTrail.map((t) => [t.by.id, t.at])).toEqual([
    [admin.id, expect.any(String)],
    [`campaign:${campaign.id}`, new Date(startsAt).toISOString()],
  ]);
  // The agent was told both times.
  const told = (await worker.sink.read()).filter((n) => n.key.startsWith(`${input.project.id}/`) && n.message?.t === 'campaign');
  expect(told.map((n) => [n.to, n.message?.t === 'campaign' && n.message.change])).toEqual([
    ['agent:agent-01', 'joined'],
    ['agent:agent-01', 'started'],
  ]);
  // The first run: the declaration, the campaigns patch, and the hand-over to the next run.
  await saveHistoryIfRecording('campaign', env.client.workflow.getHandle(h.workflowId, firstRun));
}, 180_000);

test('a campaign and the manual switch: the latest decision wins, the report names it; leaving goes back to biweekly', async () => {
  const [h, input] = await start({ locality: 'zhujing' });
  const registered = new Date(input.project.registeredAt).getTime();
  const campaign = { id: `c-${input.project.id.slice(0, 8)}`, name: '2093 夏季集中开工', startDate: shanghaiDate(registered + days(60)) };
  await h.executeUpdate(joinCampaign, { args: [{ campaign, by: admin }] });
  await env.sleep(days(8)); // weekly: day 7
  // The agent overrides by hand: biweekly, counted from day 7.
  await h.executeUpdate(setReportCadence, { args: [{ cadence: 'biweekly', by: agent }] });
  await env.sleep(days(14)); // day 22: report on day 21
  let state = await h.query(stateQuery);
  expect(state.reports.map((r) => r.at)).toEqual([7, 21].map((d) => at(input, d)));
  expect(state.reports[1]).toMatchObject({ cadence: 'biweekly', campaign: { id: campaign.id, phase: 'preparation' }, cadenceSetBy: { kind: 'manual', by: agent.id } });
  // The start date moves: a campaign decision after the override, so weekly again from day 21.
  await h.executeUpdate(joinCampaign, { args: [{ campaign: { ...campaign, startDate: shanghaiDate(registered + days(70)) }, by: admin }] });
  await env.sleep(days(7)); // day 29: report on day 28
  // Another project's campaign is refused while this one prepares.
  await expect(h.executeUpdate(joinCampaign, { args: [{ campaign: { ...campaign, id: 'other' }, by: admin }] })).rejects.toMatchObject({ cause: { type: 'ActionRefused' } });
  await h.executeUpdate(leaveCampaign, { args: [{ campaignId: campaign.id, by: admin }] });
  await env.sleep(days(20)); // day 49: biweekly again, from day 28
  state = await h.query(stateQuery);
  expect(state.reports.map((r) => r.at)).toEqual([7, 21, 28, 42].map((d) => at(input, d)));
  expect(state.reports[3]).not.toHaveProperty('campaign');
  expect(state.reports[3]!.cadence).toBe('biweekly');
  expect(state.trail.filter((t) => t.action === 'campaign' || t.action === 'report-cadence').map((t) => t.detail)).toEqual([
    `joined campaign ${campaign.name} (start ${campaign.startDate})`,
    'biweekly',
    `campaign ${campaign.name}: start date ${shanghaiDate(registered + days(70))}`,
    `left campaign ${campaign.name}`,
  ]);
}, 180_000);

test('a major project climbs the ladder tier by tier in working days, pauses for a correction, and stops when signed', async () => {
  const [h, input] = await start({ major: true, utilities: ['power'] });
  expect((await h.query(stateQuery)).greenChannel).toMatchObject({ by: window });
  const calendar = await loadCalendar(db);
  const state0 = await apply(h, 'design');
  const acceptedOn = shanghaiDate(state0.stages[0]!.attempts[0]!.submittedAt);
  // Pending longer than N working days (pauses excluded): escalated as the next working day begins.
  const due = (n: number, paused = 0) => startOfShanghaiDay(calendar.deadline(acceptedOn, n + paused + 1));
  const sleepUntil = async (t: number) => env.sleep(Math.max(t - (await env.currentTimeMs()), 1));
  await sign(h, 'design', 'planning');
  const ladder = async () => (await h.query(stateQuery)).escalations.map((e) => `${e.tier}:${e.party}`);

  await sleepUntil(due(2) - HOUR);
  expect(await ladder()).toEqual([]);
  await sleepUntil(due(2) + HOUR);
  expect(await ladder()).toEqual(['liaison:construction', 'liaison:water']);
  await sign(h, 'design', 'construction');
  await sleepUntil(due(4) + HOUR);
  expect(await ladder()).toEqual(['liaison:construction', 'liaison:water', 'deputy:water']);
  // The deputy takes charge from the inbox: recorded on the project; the ladder climbs on regardless.
  const taken = await act(h, acknowledgeNotice, { notice: '1', kind: 'escalation', stage: 'design', party: 'water', tier: 'deputy', by: reviewer('water') });
  expect(taken.trail.at(-1)).toMatchObject({ action: 'acknowledgement', stage: 'design', party: 'water', by: reviewer('water') });

  // A correction stops the clock for as long as the applicant takes; then it resumes.
  await sign(h, 'design', 'water', 'correction', { items: ['雨水排放方案'] });
  const pausedFrom = await env.currentTimeMs();
  await env.sleep(days(10));
  expect(await ladder()).toHaveLength(3);
  const supplemented = await act(h, recordSupplement, { stage: 'design', by: window });
  const correction = supplemented.stages[0]!.attempts[0]!.corrections[0]!;
  const paused = calendar.workingDaysBetween(shanghaiDate(pausedFrom), shanghaiDate(correction.supplementedAt!));
  expect(paused).toBeGreaterThan(0);
  await sleepUntil(due(6, paused) - HOUR);
  expect(await ladder()).toHaveLength(3);
  await sleepUntil(due(6, paused) + HOUR);
  expect(await ladder()).toEqual(['liaison:construction', 'liaison:water', 'deputy:water', 'main:water']);

  await sign(h, 'design', 'water');
  await env.sleep(days(30));
  const state = await h.query(stateQuery);
  expect(state.escalations).toHaveLength(4);
  const [liaison, , deputy, main] = state.escalations;
  // Each fired as its working day began (timers ring a few milliseconds late).
  const late = [liaison!.at, deputy!.at, main!.at].map((t, i) => Date.parse(t) - [due(2), due(4), due(6, paused)][i]!);
  expect(late.every((ms) => ms >= 0 && ms < 1_000)).toBe(true);
  expect([liaison!.pendingDays, deputy!.pendingDays, main!.pendingDays]).toEqual([3, 5, 7]);
  // Every escalation lands at the start of a working day.
  expect(state.escalations.every((e) => calendar.isWorkingDay(shanghaiDate(e.at)))).toBe(true);
  expect(main!.notified).toEqual([
    '区水务局 主要领导 <water.main@jinshan.example>',
    '朱泾镇 属地项目联络员 <zhujing.liaison@jinshan.example>',
    '区审批改革协调小组 <coordination@jinshan.example>',
  ]);
  expect(liaison!.notified).toEqual(['区建管委 联络员 <construction.liaison@jinshan.example>', '朱泾镇 属地项目联络员 <zhujing.liaison@jinshan.example>']);
  expect(input.project.major).toBe(true);
  await saveHistoryIfRecording('green-channel-ladder', h);
});

test('the agent is told when it receives or loses a project, and of every correction on its project', async () => {
  const [h, input] = await start({ utilities: ['power'] });
  // In Chinese (the default), the project by name and locality; the agent's own words are in its inbox.
  const label = `【一口受理】${input.project.name}（朱泾镇）：`;
  await apply(h, 'design');
  await sign(h, 'design', 'water', 'correction', { items: ['雨水排放方案'] });
  // agent-01 hands its project over; then an admin puts it on the green channel with another agent.
  await act(h, assignAgent, { agent: 'agent-02', by: agent });
  await sign(h, 'design', 'planning', 'correction', { items: ['总平面图', '日照分析'] });
  await act(h, enterGreenChannel, { agent: 'agent-03', by: admin });
  await env.sleep('1 minute');
  const told = (await worker.sink.read())
    .filter((n) => n.key.startsWith(`${input.project.id}/`) && n.to.startsWith('agent:') && !n.key.includes('/report/'))
    .map((n) => `${n.to} ${n.subject}`);
  expect(told).toEqual([
    `agent:agent-01 ${label}您已成为本项目代办员`,
    `agent:agent-01 ${label}区水务局要求补正设计方案审查，审查计时暂停`,
    `agent:agent-01 ${label}本项目已改由 agent-02 代办`,
    `agent:agent-02 ${label}您已成为本项目代办员`,
    `agent:agent-02 ${label}区规划资源局要求补正设计方案审查，审查计时暂停`,
    `agent:agent-03 ${label}项目已纳入绿色通道，您为专职代办员`,
    `agent:agent-02 ${label}本项目已改由 agent-03 代办`,
    `agent:agent-03 ${label}您已成为本项目代办员`,
  ]);
  // What to collect is in the notice itself (一次性告知), every item.
  const corrections = (await worker.sink.read()).filter((n) => n.key.startsWith(`${input.project.id}/`) && n.to === 'agent:agent-02' && n.message?.t === 'correction-requested');
  expect(renderNotice(corrections[0] as NoticeContent, 'zh').lines).toContain('请办理：请一次性收齐补正材料：总平面图；日照分析。');

  // The first report (day 14) counts pending days as the stage clock does: working days, pauses excluded.
  await act(h, recordSupplement, { stage: 'design', by: window });
  await env.sleep(days(14));
  const state = await h.query(stateQuery);
  const [report] = state.reports;
  const clock = stageClock(await loadCalendar(db), { submittedAt: state.stages[0]!.attempts[0]!.submittedAt, pauses: attemptPauses(state.stages[0]!.attempts[0]!) }, 0, Date.parse(report!.at));
  expect(report).toMatchObject({ seq: 1, to: 'agent:agent-03', pendingIn: 'working-days' });
  expect(report!.pending.map((p) => p.days)).toEqual(report!.pending.map(() => clock.usedDays));
  expect(clock.usedDays).toBeLessThan(14);
  const delivered = (await worker.sink.read()).find((n) => n.key === `${input.project.id}/report/1`);
  expect(renderNotice(delivered as NoticeContent, 'zh').lines.join('\n')).toMatch(new RegExp(`区建管委 ${clock.usedDays} 个工作日`));
});

test('a non-major project escalates once, to the liaison, past the stage time limit; an admin can put it on the green channel', async () => {
  const [h] = await start({ utilities: ['power'] });
  await apply(h, 'design');
  await sign(h, 'design', 'planning');
  await env.sleep(days(14)); // at most 10 working days: within the design limit of 15
  expect((await h.query(stateQuery)).escalations).toHaveLength(0);
  await env.sleep(days(26)); // well past 15 working days
  let state = await h.query(stateQuery);
  expect(state.escalations.map((e) => `${e.tier}:${e.party}`)).toEqual(['liaison:construction', 'liaison:water']);

  // Green channel later: the ladder's higher tiers fire at once for what is already long overdue.
  state = await act(h, enterGreenChannel, { agent: 'agent-02', by: admin });
  expect(state).toMatchObject({ agent: 'agent-02', greenChannel: { by: admin }, project: { major: true } });
  await env.sleep('1 hour');
  state = await h.query(stateQuery);
  expect(state.escalations.map((e) => `${e.tier}:${e.party}`)).toEqual([
    'liaison:construction',
    'liaison:water',
    'deputy:construction',
    'main:construction',
    'deputy:water',
    'main:water',
  ]);
  expect(state.trail.at(-1)).toMatchObject({ action: 'green-channel', by: admin });
});

test('the permit pushes the project to each utility company once, through failures and timeouts; connection opens on its own', async () => {
  const utilities = ['power', 'gas', 'water-supply', 'telecom'] as const;
  const [h, input] = await start({ utilities: [...utilities] }, { ...DEFAULT_POLICY, pushAttempts: 4 });
  const id = input.project.id;
  await pass(h, 'design');
  await pass(h, 'permit');
  let state = await h.query(stateQuery);
  // One push per company from the permit on; one that answers at once may already be delivered (the
  // worker is real), none can have failed yet (that takes its attempts and their backoff).
  expect(state.pushes.map((p) => p.company)).toEqual([...utilities]);
  expect(state.pushes.filter((p) => p.status !== 'pending' && p.status !== 'delivered')).toEqual([]);

  for (let i = 0; i < 100 && state.pushes.some((p) => p.status === 'pending'); i++) {
    await env.sleep('30 seconds'); // skips Temporal's retry backoff
    state = await h.query(stateQuery);
  }
  expect(state.pushes.map((p) => `${p.company}:${p.status}`)).toEqual(['power:delivered', 'gas:delivered', 'water-supply:delivered', 'telecom:failed']);
  expect(state.pushes[3]!.error).toMatch(/telecom answered HTTP 503/);

  const mine = companies.received.filter((r) => r.body.project.id === id);
  const attempts = (company: string) => mine.filter((r) => r.company === company);
  expect(attempts('power')).toHaveLength(3);
  expect(attempts('gas').length).toBeGreaterThanOrEqual(2);
  expect(attempts('water-supply')).toHaveLength(1);
  expect(attempts('telecom')).toHaveLength(4);
  for (const company of utilities) {
    // One logical push per company: the same Idempotency-Key on every attempt.
    expect(new Set(attempts(company).map((r) => r.key))).toEqual(new Set([`${id}/utility-push/${company}`]));
  }
  const notices = (await worker.sink.read()).filter((n) => n.key.startsWith(id));
  expect(notices.map((n) => n.subject)).toContainEqual(expect.stringMatching(/市政接入推送至通信公司失败/));

  await pass(h, 'acceptance');
  state = await h.query(stateQuery);
  expect(state.stages[3]).toMatchObject({ parties: [...utilities], attempts: [{ number: 1, submittedBy: { id: 'system' }, outcome: 'open' }] });

  // The operators' repairs, so that the saved history has them: the failed push sent again (telecom still
  // fails: the window is told again), a reminder, a held sign-off, and a cancellation from Temporal.
  state = await act(h, retryPush, { company: 'telecom', reason: '通信公司称已修复', by: admin });
  expect(state.pushes[3]).toMatchObject({ status: 'pending', retries: 1 });
  for (let i = 0; i < 100 && state.pushes[3]?.status === 'pending'; i++) {
    await env.sleep('30 seconds');
    state = await h.query(stateQuery);
  }
  expect(state.pushes[3]).toMatchObject({ status: 'failed', retries: 1 });
  state = await act(h, remindPending, { stage: 'connection', reason: '请尽快完成接入', by: admin });
  expect(state.trail.at(-1)).toMatchObject({ action: 'reminder', detail: 'power, gas, water-supply, telecom: 请尽快完成接入' });
  await h.signal(heldCommand, { name: 'signOff', updateId: `held-${id}`, input: { stage: 'connection', party: 'power', decision: 'approve', by: utility('power') } });
  state = await eventuallyState(h, (s) => s.stages[3]?.attempts[0]?.signOffs.length === 1);
  expect(state.stages[3]?.attempts[0]?.signOffs[0]).toMatchObject({ party: 'power', by: utility('power') });
  await h.cancel();
  state = await h.result();
  expect(state).toMatchObject({ status: 'withdrawn', withdrawal: { by: { role: 'system' }, reason: expect.stringMatching(/^cancellation requested in Temporal/) } });
  const told = (await worker.sink.read()).filter((n) => n.key.startsWith(id)).map((n) => n.key);
  expect(told).toEqual(expect.arrayContaining([`${id}/utility-push/telecom/failed/1`, `${id}/held/held-${id}`, `${id}/reminder/${state.trail.find((t) => t.action === 'reminder')?.seq}/0`]));
  await saveHistoryIfRecording('utility-push', h);
});

test('continue-as-new carries the whole state; a sign-off sent across the boundary is not lost', async () => {
  // A cap this low makes nearly every wake-up continue as new, so concurrent sign-offs meet a boundary.
  const policy = { ...DEFAULT_POLICY, historyEventCap: 30 };
  const [h] = await start({ major: true, utilities: ['power'] }, policy);
  await pass(h, 'design');
  await apply(h, 'permit');
  await sign(h, 'permit', 'construction', 'correction', { items: ['施工图审查合格书'] });
  await env.sleep(days(20)); // reports, and the correction pause keeps the ladder still
  await h.executeUpdate(recordSupplement, { args: [{ stage: 'permit', by: window }] });
  await env.sleep(days(7)); // the ladder climbs for the four still pending
  await h.executeUpdate(assignAgent, { args: [{ agent: 'agent-02', by: admin }] });
  // Several sign-offs at once, while the history is at the cap: the run continues as new among them.
  await Promise.all((['construction', 'planning', 'water'] as const).map((p) => sign(h, 'permit', p)));
  await sign(h, 'permit', 'civil-defense');
  await pass(h, 'acceptance');
  await env.sleep('1 minute');
  await sign(h, 'connection', 'power');
  const final = await h.result();

  // Walk the chain of runs back from the last: each handed its whole state to the next.
  const handovers: ProjectState[] = [];
  let runId: string | undefined = (await h.describe()).runId;
  let firstRunWithHandover: Handle | undefined;
  while (runId) {
    const run: Handle = env.client.workflow.getHandle<typeof projectApproval>(h.workflowId, runId);
    const events: temporal.api.history.v1.IHistoryEvent[] = (await run.fetchHistory()).events ?? [];
    const handover = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes;
    if (handover) {
      handovers.push(defaultPayloadConverter.fromPayload<ProjectApprovalInput>(handover.input!.payloads![0]!).carried as ProjectState);
      firstRunWithHandover = run;
    }
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
  }
  expect(handovers.length).toBeGreaterThanOrEqual(3);
  for (const carried of handovers) {
    expect(carried.project).toEqual({ ...final.project });
    expect(final.trail.slice(0, carried.trail.length)).toEqual(carried.trail);
    expect(final.reports.slice(0, carried.reports.length)).toEqual(carried.reports);
    expect(final.escalations.slice(0, carried.escalations.length)).toEqual(carried.escalations);
  }

  // Nothing was lost or doubled across the boundaries.
  expect(final.status).toBe('completed');
  expect(final.agent).toBe('agent-02');
  const permit = final.stages[1]!.attempts[0]!;
  expect(permit.signOffs.map((s) => s.party).sort()).toEqual(['civil-defense', 'construction', 'planning', 'water']);
  expect(permit.corrections).toMatchObject([{ party: 'construction', supplementedBy: window }]);
  expect(final.trail.filter((t) => t.action === 'sign-off')).toHaveLength(3 + 1 + 4 + 6 + 1);
  // A week after the supplement (the twenty paused days do not count): each liaison once, none twice.
  const rungs = final.escalations.map((e) => `${e.tier}:${e.party}`);
  expect(rungs).toEqual(expect.arrayContaining(['liaison:civil-defense', 'liaison:construction', 'liaison:planning', 'liaison:water']));
  expect(new Set(rungs).size).toBe(rungs.length);
  expect(stageStatus(final, 'connection')).toBe('approved');
  await saveHistoryIfRecording('continued-as-new', firstRunWithHandover!);
});

test('a calendar change re-arms the ladder: a day an admin makes a holiday does not count', async () => {
  const [h] = await start({ utilities: ['power'] }, { ...DEFAULT_POLICY, stageLimitDays: { ...DEFAULT_POLICY.stageLimitDays, design: 2 } });
  const state0 = await apply(h, 'design');
  const acceptedOn = shanghaiDate(state0.stages[0]!.attempts[0]!.submittedAt);
  const year = Number(acceptedOn.slice(0, 4));
  // The earlier tests moved virtual time past the shipped schedules, so this year is the test's own.
  if (year <= 2026) throw new Error(`virtual time ${acceptedOn} is still within the shipped schedules`);
  const before = await loadCalendar(db);
  const dueBefore = startOfShanghaiDay(before.deadline(acceptedOn, 3));
  // The admin declares the second working day a holiday: the limit of 2 is now passed a day later.
  const holiday = before.deadline(acceptedOn, 2);
  await saveYear(db, year, { holidays: [holiday], workdays: [] }, 'admin-01');
  await h.signal(calendarChanged, year);
  const after = await loadCalendar(db);
  const dueAfter = startOfShanghaiDay(after.deadline(acceptedOn, 3));
  expect(dueAfter).toBeGreaterThan(dueBefore);

  const sleepUntil = async (t: number) => env.sleep(Math.max(t - (await env.currentTimeMs()), 1));
  await sleepUntil(dueBefore + HOUR);
  expect((await h.query(stateQuery)).escalations).toHaveLength(0);
  await sleepUntil(dueAfter + HOUR);
  const escalations = (await h.query(stateQuery)).escalations;
  expect(escalations.map((e) => `${e.tier}:${e.party}`)).toEqual(['liaison:planning', 'liaison:construction', 'liaison:water']);
  expect(Date.parse(escalations[0]!.at) - dueAfter).toBeLessThan(1_000);
});
