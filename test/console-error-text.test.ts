// What the console writes, without a browser: an API error in the reader's language (an invalid request
// names its fields by the console's labels, the server's English kept as a secondary line), and dates in
// Shanghai time wherever the browser is.
import i18next, { type TFunction } from 'i18next';
import { ApiError } from '../web/src/api/http';
import { errorLines, errorTitle, fieldLabel, invalidFields } from '../web/src/error-text';
import { date, dateTime } from '../web/src/format';
import { en } from '../web/src/i18n/en';
import { zhCN } from '../web/src/i18n/zh-CN';

let zh: TFunction;
let english: TFunction;

beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng: 'zh-CN', interpolation: { escapeValue: false } });
  zh = i18n.getFixedT('zh-CN');
  english = i18n.getFixedT('en');
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
    const unknown = new ApiError(409, 'refused', 'a reason from a newer API', [], { code: 'from-the-future' } as never);
    expect(errorLines(unknown, zh)).toEqual({ main: '原因：a reason from a newer API' });
  });

  test('other failures: the headline by status (any 5xx is a server error), the network, and errors that are not ApiErrors', () => {
    expect(errorTitle(new ApiError(403, 'forbidden', 'role window may not'), zh)).toBe('无权办理');
    expect(errorTitle(new ApiError(504, 'error', 'HTTP 504'), zh)).toBe('服务器出错');
    expect(errorTitle(new ApiError(418, 'error', 'HTTP 418'), english)).toBe('The action did not succeed');
    expect(errorTitle(new ApiError(0, 'network', 'fetch failed'), zh)).toBe('无法连接服务器');
    expect(errorTitle(new ApiError(202, 'held', 'held'), english)).toMatch(/held/);
    expect(errorTitle(new Error('boom'), zh)).toBe('操作未成功');
    expect(errorLines(new Error('boom'), zh)).toEqual({ main: '原因：boom' });
    expect(errorLines('text', english)).toEqual({ main: 'Reason: text' });
    // A refused request that names fields (a campaign's projects already elsewhere) keeps them with its reason.
    const refused = new ApiError(409, 'refused', 'cannot add body.add.0.id', [{ path: 'body.add.0.id', message: 'project p is already in campaign c' }]);
    expect(errorLines(refused, zh)).toEqual({ main: '原因：cannot add body.add.0.id (body.add.0.id: project p is already in campaign c)' });
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
