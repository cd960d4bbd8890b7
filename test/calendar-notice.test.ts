// Loading a year's calendar from the State Council's notice, over HTTP on the suite's servers (the dev
// Temporal server, the record database): preview, refusals that change nothing, load, and removal.
// Years loaded here: 2091 (a notice in the real format for a year no other test uses) and 2021 (the real
// notice, whose days are the shipped ones, so no count anywhere changes while it is loaded); both are
// removed again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeYear } from '../db/calendar';
import { noticeLoadResponse, noticePreviewResponse, yearRemovedResponse } from '../api/calendar-notice';
import { startApp } from './support/app';

let app: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  app = await startApp('calendar-notice');
});
afterAll(async () => {
  if (app) for (const year of [2021, 2091]) await removeYear(app.db, year);
  await app?.stop();
});

const real = (year: number) => readFileSync(join(__dirname, 'fixtures', 'holiday-notices', `${year}.txt`), 'utf8');
const NOTICE_2091 = `国务院办公厅关于2091年部分节假日安排的通知

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

经国务院批准，现将2091年元旦、春节和国庆节放假调休日期的具体安排通知如下。

一、元旦：1月1日（周一）放假，共1天。

二、春节：2月7日（周三）至14日（周三）放假调休，共8天。2月4日（周日）、2月17日（周六）上班。

三、国庆节：10月1日（周一）至7日（周日）放假调休，共7天。9月29日（周六）、10月13日（周六）上班。

节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。

国务院办公厅
2090年11月1日
`;

const notice = (year: number, text: string, preview?: boolean, token = 'dev-admin') => app.call('POST', `/api/calendar/${year}/notice`, token, { text, ...(preview !== undefined && { preview }) });

test('a real notice previewed: its days, the same as the shipped year, and a day of the year before', async () => {
  const y2026 = await notice(2026, real(2026), true);
  expect(y2026.status).toBe(200);
  expect(noticePreviewResponse.strict().parse(y2026.body)).toEqual(y2026.body);
  expect(y2026.body).toMatchObject({ year: 2026, preview: true, current: { source: 'chinese-days' }, outsideYear: [] });
  expect(y2026.body.differences).toEqual({ holidaysAdded: [], holidaysRemoved: [], workdaysAdded: [], workdaysRemoved: [] });
  expect(y2026.body.notice.festivals.map((f: { name: string }) => f.name)).toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']);

  // 2023's 元旦 began on Saturday 31 December 2022: left to 2022's schedule, which has it.
  const y2023 = await notice(2023, real(2023), true);
  expect(y2023.body.outsideYear).toEqual([{ date: '2022-12-31', kind: 'holiday', changesCounting: false, inSchedule: true }]);
  expect(y2023.body.schedule.holidays[0]).toBe('2023-01-01');
  // A preview loads nothing.
  expect((await app.call('GET', '/api/calendar/2026', 'dev-leader')).body.source).toBe('chinese-days');
});

test('impossible loads are refused with the day, by role and by content, and change nothing', async () => {
  expect((await notice(2026, real(2026), false, 'dev-leader')).status).toBe(403);
  expect((await notice(2026, real(2026), true, 'dev-window')).status).toBe(403);
  const otherYear = await notice(2026, real(2025));
  expect(otherYear.status).toBe(400);
  expect(otherYear.body.issues).toEqual([{ path: 'body.text', message: 'the notice is for 2025, not 2026' }]);
  const weekday = await notice(2091, NOTICE_2091.replace('2月17日（周六）上班', '2月16日上班'));
  expect(weekday.body.issues).toEqual([{ path: 'body.text', message: '2091-02-16 is a Friday: an adjusted working day (调休上班) must be a Saturday or Sunday' }]);
  const far = await notice(2091, NOTICE_2091.replace('1月1日（周一）放假，共1天', '2090年6月1日放假，共1天'));
  expect(far.body.issues[0].message).toBe('2090-06-01 is outside 2091 and its neighbourhood (2090-12-01 to 2092-01-31)');
  const none = await notice(2091, '国务院办公厅关于2091年部分节假日安排的通知\n另行通知。');
  expect(none.body.issues[0].message).toMatch(/no festival item with a recognisable day/);
  expect((await app.call('POST', '/api/calendar/2091/notice', 'dev-admin', { text: '' })).body.issues[0].path).toBe('body.text');
  expect((await app.call('POST', '/api/calendar/2091/notice', 'dev-admin', { text: NOTICE_2091, extra: 1 })).status).toBe(400);
  expect((await app.call('POST', '/api/calendar/1999/notice', 'dev-admin', { text: NOTICE_2091 })).body.issues[0].path).toBe('params.year');
  // Nothing was loaded.
  expect((await app.call('GET', '/api/calendar/2091', 'dev-admin')).status).toBe(404);
  expect((await app.call('GET', '/api/calendar/2026', 'dev-admin')).body.source).toBe('chinese-days');
});

test('a year with no schedule: previewed, loaded with who loaded it, counted with, then removed back to weekends only', async () => {
  const preview = await notice(2091, NOTICE_2091, true);
  expect(preview.body.current).toEqual({ source: 'none', holidays: [], workdays: [] });
  expect(preview.body.differences.holidaysAdded).toHaveLength(16);
  expect(preview.body.differences.workdaysAdded).toEqual(['2091-02-04', '2091-02-17', '2091-09-29', '2091-10-13']);

  const wd = async () => (await app.call('GET', '/api/calendar/working-days?from=2091-02-06&to=2091-02-15', 'dev-window')).body.workingDays;
  expect(await wd()).toBe(7);
  const loaded = await notice(2091, NOTICE_2091);
  expect(loaded.status).toBe(202);
  expect(noticeLoadResponse.strict().parse(loaded.body)).toEqual(loaded.body);
  expect(loaded.body).toMatchObject({ year: 2091, source: 'admin', loadedBy: 'admin-01', workdays: ['2091-02-04', '2091-02-17', '2091-09-29', '2091-10-13'] });
  expect(loaded.body.propagation.jobId).toMatch(/^calendar-2091-/);
  expect((await app.call('GET', '/api/calendar/2091', 'dev-leader')).body).toMatchObject({ source: 'admin', loadedBy: 'admin-01', holidays: loaded.body.holidays });
  // 7–14 February off: of the weekdays 6 (exclusive) to 15 February, only the 15th is worked.
  expect(await wd()).toBe(1);

  expect((await app.call('DELETE', '/api/calendar/2091', 'dev-leader')).status).toBe(403);
  const removed = await app.call('DELETE', '/api/calendar/2091', 'dev-admin');
  expect(removed.status).toBe(202);
  expect(yearRemovedResponse.strict().parse(removed.body)).toEqual(removed.body);
  expect(removed.body).toMatchObject({ year: 2091, removed: { loadedBy: 'admin-01' }, now: { source: 'none', holidays: [], workdays: [] } });
  expect((await app.call('GET', '/api/calendar/2091', 'dev-leader')).status).toBe(404);
  expect(await wd()).toBe(7);
  const again = await app.call('DELETE', '/api/calendar/2091', 'dev-admin');
  expect(again.status).toBe(404);
  expect(again.body.message).toMatch(/weekends only already applies/);
});

test('a shipped year loaded from its real notice, then removed: the shipped schedule applies again', async () => {
  const loaded = await notice(2021, real(2021));
  expect(loaded.status).toBe(202);
  expect(loaded.body).toMatchObject({ year: 2021, source: 'admin', loadedBy: 'admin-01' });
  expect(loaded.body.differences).toEqual({ holidaysAdded: [], holidaysRemoved: [], workdaysAdded: [], workdaysRemoved: [] });
  const removed = await app.call('DELETE', '/api/calendar/2021', 'dev-admin');
  expect(removed.status).toBe(202);
  expect(removed.body.now).toMatchObject({ year: 2021, source: 'chinese-days', holidays: loaded.body.holidays });
  expect((await app.call('GET', '/api/calendar/2021', 'dev-leader')).body.source).toBe('chinese-days');
});
