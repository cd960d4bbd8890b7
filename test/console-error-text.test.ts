// What the console writes, without a browser: an API error in the reader's language (an invalid request
// names its fields by the console's labels, the server's English kept as a secondary line), and dates in
// Shanghai time wherever the browser is.
import type { TFunction } from 'i18next';
import { consoleTranslators } from './support/i18n';
import { ApiError } from '../web/src/api/http';
import { errorLines, errorTitle, fieldLabel, invalidFields } from '../web/src/error-text';
import { date, dateTime } from '../web/src/format';
import { en } from '../web/src/i18n/en';
import { zhCN } from '../web/src/i18n/zh-CN';

let zh: TFunction;
let english: TFunction;

beforeAll(async () => {
  ({ zh, english } = await consoleTranslators());
});

const invalid = (...issues: [string, string][]) =>
  new ApiError(400, 'invalid-request', `invalid ${issues.map(([path]) => path).join(', ')}`, issues.map(([path, message]) => ({ path, message })));

describe('field labels', () => {
  test("the API's field paths by the console's own labels, in both languages", () => {
    expect(fieldLabel('body.agent', zh)).toBe('代办员');
    expect(fieldLabel('body.agent', english)).toBe('Agent');
    expect(fieldLabel('body.reason', zh)).toBe('理由');
    expect(fieldLabel('body.applicant.uscc', zh)).toBe('统一社会信用代码');
    expect(fieldLabel('body.applicant.uscc', english)).toBe('Unified social credit code');
    expect(fieldLabel('body.proxy.reference', zh)).toBe('代录依据（文号）');
    expect(fieldLabel('body', zh)).toBe('提交的内容');
  });

  test('an entry of a list is counted from 1, as people count', () => {
    expect(fieldLabel('body.people.0.principalId', zh)).toBe('第 1 人的登录账号');
    expect(fieldLabel('body.people.2.email', english)).toBe('E-mail of person 3');
    expect(fieldLabel('body.items.4', zh)).toBe('补正材料第 5 项');
    expect(fieldLabel('body.add.0.source', english)).toBe('Source of project 1');
    // A choice within a list of choices is the list.
    expect(fieldLabel('body.people.1.channels.email.3', zh)).toBe('第 2 人接收的通知');
    expect(fieldLabel('body.utilities.1', zh)).toBe('市政接入');
  });

  test('a path the console has no label for is shown as the server wrote it', () => {
    expect(fieldLabel('body.to', zh)).toBe('body.to');
    expect(fieldLabel('params.id', english)).toBe('params.id');
    expect(fieldLabel('body.people.0.nickname', zh)).toBe('body.people.0.nickname');
  });

  test('every label the map names exists in both languages', () => {
    const keys = Object.keys(zhCN.field);
    expect(Object.keys(en.field).sort()).toEqual([...keys].sort());
    for (const path of ['body.agent', 'body.people.0.webhook', 'body.holidays.0', 'body.workdays.1', 'body.text', 'query.from', 'body.remove.0', 'body.cadence']) {
      for (const t of [zh, english]) expect(fieldLabel(path, t)).not.toMatch(/^(body|query)\.|field\./);
    }
  });

  test('each failing field once, in the order the server named them', () => {
    const err = invalid(['body.items', 'a correction must list every missing item at once'], ['body.comment', 'too long'], ['body.items', 'again']);
    expect(invalidFields(err, zh)).toEqual(['补正材料', '说明']);
  });
});

describe('an API error as a person reads it', () => {
  test('an invalid request: the headline and the fields in Chinese, the server’s English only as a secondary line', () => {
    const err = invalid(['body.agent', 'no agent with id agent-99']);
    expect(errorTitle(err, zh)).toBe('请求内容有误');
    expect(errorLines(err, zh)).toEqual({ main: '请检查：代办员', server: '服务器说明：body.agent: no agent with id agent-99' });
    expect(errorTitle(err, english)).toBe('The request was not accepted');
    expect(errorLines(err, english)).toEqual({ main: 'Please check: Agent', server: 'The server said: body.agent: no agent with id agent-99' });

    const two = invalid(['body.people.0.principalId', 'Too big'], ['body.reason', 'Too big']);
    expect(errorLines(two, zh).main).toBe('请检查：第 1 人的登录账号、理由');
    expect(errorLines(two, english).main).toBe('Please check: Sign-in account of person 1, Reason');
  });

  test('an invalid request without fields (malformed JSON): the headline, and the server’s words as the secondary line', () => {
    const err = new ApiError(400, 'malformed-json', 'Unexpected token } in JSON at position 9');
    expect(errorTitle(err, zh)).toBe('请求内容有误');
    expect(errorLines(err, zh)).toEqual({ main: undefined, server: '服务器说明：Unexpected token } in JSON at position 9' });
  });

  test("a workflow's refusal the console knows is in the reader's words; one it does not know keeps the server's", () => {
    const known = new ApiError(409, 'refused', 'design stage is not paused for a correction', [], { code: 'paused-for-correction', params: { stage: 'design' } } as never);
    expect(errorTitle(known, zh)).toBe('审批流程拒绝了此操作');
    expect(errorLines(known, zh).main).toMatch(/^原因：设计方案阶段/);
    expect(errorLines(known, zh).server).toBeUndefined();
    // A code newer than this console: the headline says it was refused; the server's words, secondary.
    const unknown = new ApiError(409, 'refused', 'a reason from a newer API', [], { code: 'from-the-future' } as never);
    expect(errorLines(unknown, zh)).toEqual({ main: undefined, server: '服务器说明：a reason from a newer API' });
  });

  test('other failures: the headline by status (any 5xx is a server error), the network, and errors that are not ApiErrors', () => {
    expect(errorTitle(new ApiError(403, 'forbidden', 'role window may not'), zh)).toBe('无权办理');
    expect(errorTitle(new ApiError(504, 'error', 'HTTP 504'), zh)).toBe('服务器出错');
    expect(errorTitle(new ApiError(418, 'error', 'HTTP 418'), english)).toBe('The action did not succeed');
    expect(errorTitle(new ApiError(0, 'network', 'fetch failed'), zh)).toBe('无法连接服务器');
    expect(errorTitle(new ApiError(202, 'held', 'held'), english)).toMatch(/held/);
    expect(errorTitle(new Error('boom'), zh)).toBe('操作未成功');
    // Any other 4xx: the headline in the reader's language, the server's sentence only as the secondary line.
    expect(errorLines(new ApiError(403, 'forbidden', 'role window may not read the audit log'), zh)).toEqual({ server: '服务器说明：role window may not read the audit log' });
    expect(errorLines(new ApiError(404, 'not-found', 'no project p'), english)).toEqual({ server: 'The server said: no project p' });
    expect(errorLines(new Error('boom'), zh)).toEqual({ main: '原因：boom' });
    expect(errorLines('text', english)).toEqual({ main: 'Reason: text' });
  });
});

describe("a 409's code as the main line, in both languages; the server's sentence secondary where it says more", () => {
  const refused = (message: string, code: string, params?: Record<string, string | number>, issues: [string, string][] = []) =>
    new ApiError(409, 'refused', message, issues.map(([path, message]) => ({ path, message })), { code, ...(params && { params }) } as never);

  test("the workflow's refusals (paused for correction, stage not open, already signed) by their facts", () => {
    const paused = refused('design stage is paused for a correction asked by planning; record the supplement first', 'paused-for-correction', { stage: 'design', parties: ['planning'] } as never);
    expect(errorLines(paused, zh)).toEqual({ main: '原因：设计方案阶段因补正暂停（区规划资源局提出），须先登记补正材料' });
    const wrongStage = refused('permit stage is not open', 'wrong-stage', { stage: 'permit', current: 'design', status: 'not-open' });
    expect(errorLines(wrongStage, zh).main).toBe('原因：项目当前在设计方案阶段，不是施工许可阶段（施工许可：未开始）');
    expect(errorLines(wrongStage, english).main).not.toMatch(/permit stage is not open/);
    const signed = refused('planning already signed', 'already-signed', { party: 'planning', stage: 'design', attempt: 1, decision: 'approve' });
    expect(errorLines(signed, zh).main).toBe('原因：区规划资源局已签署设计方案阶段第 1 次申报（同意）');
  });

  // Every 409 the API answers outside the workflow (grep HttpError(409 / Refused(409 in api/ and operations/).
  const cases: [ApiError, string, string][] = [
    [refused("project p was terminated in Temporal at t by admin-01 (stuck); no further action is possible", 'project-terminated'), '原因：项目的流程已在 Temporal 中终止，不能再办理', "Reason: The project's workflow was ended in Temporal; no further action is possible"],
    [refused('project p is completed; no further action is possible', 'project-closed', { status: 'completed' }), '原因：项目已办结，不能再办理', 'Reason: The project is closed (Completed); nothing more can be done'],
    [refused('project p is closed; no further action is possible', 'project-closed'), '原因：项目已结束，不能再办理', 'Reason: The project is closed; no further action is possible'],
    [refused("project p's workflow is terminated in Temporal while the record says active", 'workflow-out-of-sync'), '原因：项目的流程与记录不一致，须先由管理员对齐记录', "Reason: The project's workflow and its record disagree; an admin must reconcile them first"],
    [refused('nothing to reconcile: the record says active and Temporal says RUNNING', 'nothing-to-reconcile', { recorded: 'active', temporal: 'RUNNING' }), '原因：无需对齐：记录为 active，Temporal 为 RUNNING', 'Reason: Nothing to reconcile: the record says active and Temporal says RUNNING'],
    [refused('a report notice is read, not taken charge of', 'notice-not-acknowledgeable', { kind: 'report' }), '原因：进度报告通知只需标为已读，不用确认接手', 'Reason: A Progress report notice is marked read, not taken charge of'],
    [refused('campaign 冬季 started on 2026-12-28; a started campaign is not changed', 'campaign-started', { campaign: '冬季', startDate: '2026-12-28' }), '原因：集中开工「冬季」已于 2026-12-28 开工，不能再调整', 'Reason: Campaign 冬季 started on 2026-12-28; a started campaign is not changed'],
    [refused('the filter picks no open project', 'batch-picks-none'), '原因：筛选条件没有选中任何项目', 'Reason: The filter picks no project'],
    [refused("the filter picks more than the batch's maximum of 5 projects", 'batch-too-large', { max: 5 }), '原因：筛选条件选中的项目超过本批上限 5 个：请缩小范围或调高上限', "Reason: The filter picks more than the batch's maximum of 5 projects: narrow it or raise the maximum"],
    [refused("the project's workflow tasks are not failing", 'reset-not-failing'), '原因：该项目的流程任务没有失败，没有默认的重置点：请指定一个已完成的流程任务事件号', "Reason: The project's workflow tasks are not failing, so there is no default point to reset to: name a completed workflow task's event"],
    [refused('the project failed before its first workflow task completed', 'reset-no-earlier-point'), '原因：该项目在第一个流程任务完成前就已失败，没有更早的重置点', 'Reason: The project failed before its first workflow task completed: there is no earlier point to reset to'],
    [refused("the workflow's trail has entries the record lacks", 'trail-conflict'), '原因：已结束流程的轨迹与记录不一致，记录保持不变，须人工判断', "Reason: The ended workflow's trail disagrees with the record; the record is kept and a person decides"],
  ];
  test.each(cases)('%s', (err, chinese, englishText) => {
    expect(errorTitle(err, zh)).toBe('审批流程拒绝了此操作');
    expect(errorLines(err, zh).main).toBe(chinese);
    expect(errorLines(err, english).main).toBe(englishText);
  });

  test("the server's sentence is the secondary line only where it says more than the code", () => {
    expect(errorLines(cases[0]![0], zh).server).toBe('服务器说明：project p was terminated in Temporal at t by admin-01 (stuck); no further action is possible');
    expect(errorLines(cases[4]![0], zh).server).toBeUndefined();
  });

  test('a refusal naming fields (projects a campaign cannot take): the code, then the fields by label; each field’s reason secondary', () => {
    const err = refused('cannot add body.add.0.id', 'campaign-project-unavailable', undefined, [['body.add.0.id', 'project p is already in campaign c']]);
    expect(errorLines(err, zh)).toEqual({
      main: '原因：有项目不能纳入：已办结、已撤回，或已在另一个筹备中的集中开工；请检查：第 1 个项目',
      server: '服务器说明：body.add.0.id: project p is already in campaign c',
    });
    expect(errorLines(err, english).main).toBe('Reason: Some projects cannot be added: closed, or already in another campaign being prepared; Please check: Project 1');
  });
});

describe('dates', () => {
  test('a time in Shanghai, whatever zone the machine is in', () => {
    // 23:30 UTC is 07:30 the next morning in Shanghai.
    expect(dateTime('2026-11-27T23:30:00.000Z')).toBe('2026-11-28 07:30');
    expect(dateTime('2026-11-28T10:05:00+08:00')).toBe('2026-11-28 10:05');
    expect(dateTime(null)).toBe('—');
    expect(dateTime(undefined)).toBe('—');
    expect(dateTime('')).toBe('—');
  });

  test('a date as it is; a time as its Shanghai date', () => {
    expect(date('2026-11-27')).toBe('2026-11-27');
    expect(date('2026-11-27T16:00:00.000Z')).toBe('2026-11-28');
    expect(date('2026-11-27T15:59:59.000Z')).toBe('2026-11-27');
    expect(date(null)).toBe('—');
    expect(date('')).toBe('—');
  });
});
