// What the server records in English, as the console words it in the reader's language, without a browser:
// the audit log's details per action (api/*.ts auditDetail) and a reset's entry in a project's trail
// (operations/reset.ts). Free text people typed stays as written; what the console cannot word is kept as
// the server wrote it, as a secondary line.
import type { TFunction } from 'i18next';
import { consoleTranslators } from './support/i18n';
import type { Schemas } from '../web/src/api/types';
import { auditDetail } from '../web/src/audit-detail';
import { trailDetail } from '../web/src/trail';
import type { AuditAction } from '../domain/audit-actions';

let zh: TFunction;
let english: TFunction;

beforeAll(async () => {
  ({ zh, english } = await consoleTranslators());
});

const accepted = (action: AuditAction, detail: string) => ({ action, outcome: 'accepted', detail });
const ASCII_WORDS = /\b(reset|reason|retry|remind|notice|version|declared|campaign|batch|project|assessed|yuan|reconcile)\b/;

describe("an audit entry's detail", () => {
  test("each action's facts in Chinese, the reason as typed, no server line", () => {
    const cases: [AuditAction, string, string][] = [
      ['reset', 'reset to event 17: 流程卡住，重置', '重置流程到第 17 号事件；理由：流程卡住，重置'],
      ['reset', 'reset: workflow task failing', '重置流程（到最近一次正常的流程任务）；理由：workflow task failing'],
      ['reconcile', 'reconcile: terminated (Temporal: TERMINATED); reason: 手工终止', '记录已对齐为“已终止”（Temporal：TERMINATED）；理由：手工终止'],
      ['batch', 'batch 3f2a reset on 4 project(s) (max 10): 发布后批量重置', '批量重置流程 4 个项目（上限 10，批次 3f2a）；理由：发布后批量重置'],
      ['push-retry', 'retry push to power: 接口已恢复', '重新推送到供电公司；理由：接口已恢复'],
      ['reminder', 'remind the parties pending on permit: 请尽快', '催办施工许可阶段的待签单位；理由：请尽快'],
      ['notice-read', 'read notice 42 (report, project 0b0e)', '通知 42（进度报告）标为已读'],
      ['notice-acknowledge', 'acknowledged notice 7 (escalation)', '确认接手通知 7（督办提级）'],
      ['directory', 'directory party:water/liaison version 3: 张三 <z@x.cn> → nobody; reason: 调岗', '区水务局 · 联络员 第 3 版：张三 <z@x.cn> → （无人）；理由：调岗'],
      ['fee-assessment', 'assessed water-connection at 1200.5 yuan', '核定收费事项 water-connection：1200.5 元'],
      ['campaign-declared', 'declared campaign 冬季集中开工 (start 2026-12-28) with 3 projects', '发起集中开工“冬季集中开工”（开工日 2026-12-28），纳入 3 个项目'],
      ['campaign-changed', 'campaign 冬季: name 春季; start 2027-03-01; added a b; removed c', '调整集中开工“冬季”：改名为“春季”；开工日改为 2027-03-01；纳入 2 个项目；移出 1 个项目'],
      ['replay', 'compatible', '回放通过：当前代码与项目历史兼容'],
    ];
    for (const [action, detail, words] of cases) expect(auditDetail(accepted(action, detail), zh)).toEqual({ main: words });
  });

  test('the same facts in English for an English reader', () => {
    expect(auditDetail(accepted('reset', 'reset to event 17: stuck'), english)).toEqual({ main: 'Reset the workflow to event 17; reason: stuck' });
    expect(auditDetail(accepted('push-retry', 'retry push to power: back up'), english).main).toBe('Push to Power company again; reason: back up');
    expect(auditDetail(accepted('campaign-changed', 'campaign W: added a b'), english).main).toBe('Changed campaign “W”: 2 project(s) added');
  });

  test("an incompatible replay: the event in the reader's words, the replayer's error as the server line", () => {
    const detail = 'incompatible: #12 ACTIVITY_TASK_SCHEDULED (activity notify): Nondeterminism error';
    expect(auditDetail(accepted('replay', detail), zh)).toEqual({ main: '回放不兼容：第 12 号事件起与当前代码不一致', server: `服务器记录：${detail}` });
  });

  test("an invalid request names its fields by the console's labels", () => {
    expect(auditDetail({ action: 'reset', outcome: 'invalid', detail: 'invalid body.reason, body.to' }, zh)).toEqual({ main: '请检查：理由、body.to' });
    expect(auditDetail({ action: 'registration', outcome: 'invalid', detail: 'invalid body.applicant.uscc' }, english)).toEqual({ main: 'Please check: Unified social credit code' });
  });

  test("a refusal's message, an unknown shape and an unknown party stay the server's, as a secondary line", () => {
    const refused = { action: 'reset' as const, outcome: 'refused', detail: "the project's workflow tasks are not failing" };
    expect(auditDetail(refused, zh)).toEqual({ server: "服务器记录：the project's workflow tasks are not failing" });
    expect(auditDetail(accepted('push-retry', 'retry push to moon-base: x'), zh)).toEqual({ server: '服务器记录：retry push to moon-base: x' });
    expect(auditDetail(accepted('calendar', 'something new'), english)).toEqual({ server: 'The server recorded: something new' });
    expect(auditDetail({ action: null, outcome: 'accepted', detail: null }, zh)).toEqual({});
  });

  test('no main line written in the server’s English for any action the console words', () => {
    const details: [AuditAction, string][] = [
      ['reset', 'reset to event 3: r'],
      ['batch', 'batch x withdraw on 1 project(s) (max 1): r'],
      ['notice-read', 'read notice 1 (digest)'],
      ['campaign-declared', 'declared campaign c (start 2026-12-01) with 0 projects'],
    ];
    for (const [action, detail] of details) expect(auditDetail(accepted(action, detail), zh).main).not.toMatch(ASCII_WORDS);
  });
});

describe("a reset's entry in a project's trail", () => {
  type TrailEntry = Schemas['TrailEntry'];
  const entry = (detail: string): TrailEntry => ({ seq: 9, at: '2026-11-28T02:00:00Z', by: { id: 'admin-01', role: 'admin' }, action: 'operation', detail });
  const recorded = 'reset: to event #23 (WORKFLOW_TASK_COMPLETED at 2026-11-27T23:30:00.000Z); kept 1 signal(s) and 2 update(s) received after it (修复后重置)';

  test('worded from its facts in both languages, the time in Shanghai, the reason as typed', () => {
    expect(trailDetail(entry(recorded), zh)).toBe('重置到第 23 号事件（流程任务完成，2026-11-28 07:30），其后收到的 1 个信号、2 个更新已重新应用；理由：修复后重置');
    expect(trailDetail(entry(recorded), english)).toBe(
      'Reset to event 23 (workflow task completed, 2026-11-28 07:30); 1 signal(s) and 2 update(s) received after it applied again; reason: 修复后重置',
    );
  });

  test('an event type the console does not name is shown as its code; a shape it does not know, as recorded', () => {
    expect(trailDetail(entry('reset: to event #5 (MARKER_RECORDED); kept 0 signal(s) and 0 update(s) received after it (r)'), zh)).toBe(
      '重置到第 5 号事件（MARKER_RECORDED），其后收到的 0 个信号、0 个更新已重新应用；理由：r',
    );
    expect(trailDetail(entry('rebuild: everything (r)'), zh)).toBe('rebuild: everything (r)');
  });
});
