// The admin pages' view logic, without a browser: which years should have a schedule by now, a month as
// weeks, the dates an admin types from a holiday notice, what a load would change, and the directory's
// posts and channels as the edit form holds them.
import i18next from 'i18next';
import { monthWeeks, parseDates, parseScheduleJson, runs, scheduleChange, unchanged, wantedYears, workingDaysIn } from '../web/src/calendar-view';
import { byPostOrder, kindsFromForm, kindsToForm, personFromForm, postInfo, postLabel } from '../web/src/directory-view';
import { en } from '../web/src/i18n/en';
import { zhCN } from '../web/src/i18n/zh-CN';

test('next year is wanted from November, when the State Council publishes it', () => {
  expect(wantedYears('2026-10-31')).toEqual([2026]);
  expect(wantedYears('2026-11-01')).toEqual([2026, 2027]);
  expect(wantedYears('2026-12-31')).toEqual([2026, 2027]);
  expect(wantedYears('2027-01-01')).toEqual([2027]);
});

test('a month is laid out Monday to Sunday, padded at both ends', () => {
  // October 2026 begins on a Thursday and ends on a Saturday.
  const october = monthWeeks(2026, 10);
  expect(october[0]).toEqual([null, null, null, '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04']);
  expect(october.at(-1)).toEqual(['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31', null]);
  expect(october.flat().filter(Boolean)).toHaveLength(31);
  // February of a leap year; a February that starts on a Monday.
  expect(monthWeeks(2028, 2).flat().filter(Boolean)).toHaveLength(29);
  expect(monthWeeks(2027, 2)[0]?.[0]).toBe('2027-02-01');
});

test('dates typed from a notice: single days, ranges with ~ 至 or --, any separator; the rest named as problems', () => {
  expect(parseDates('2027-10-01~2027-10-03，2027-01-01\n2027-05-01至2027-05-02 2027-06-01--2027-06-01', 2027)).toEqual({
    dates: ['2027-01-01', '2027-05-01', '2027-05-02', '2027-06-01', '2027-10-01', '2027-10-02', '2027-10-03'],
    problems: [],
  });
  expect(parseDates('2027-02-30, 2026-12-31, 2027-10-07~2027-10-01, 10/01/2027, 2027-01-01~2027-01-02~2027-01-03', 2027).problems).toEqual([
    '2027-02-30',
    '2026-12-31',
    '2027-10-07~2027-10-01',
    '10/01/2027',
    '2027-01-01~2027-01-02~2027-01-03',
  ]);
  expect(parseDates('  ', 2027)).toEqual({ dates: [], problems: [] });
  // A range across the year's end is not the year's.
  expect(parseDates('2027-12-31~2028-01-01', 2027).problems).toEqual(['2027-12-31~2028-01-01']);
});

test('a schedule pasted as JSON: the answer of GET /api/calendar/:year works as it is', () => {
  expect(parseScheduleJson('{"year":2027,"holidays":["2027-01-01"],"workdays":[],"source":"admin"}')).toEqual({ holidays: ['2027-01-01'], workdays: [] });
  expect(parseScheduleJson('{"holidays":["2027-01-01"]}')).toMatch(/expected/);
  expect(parseScheduleJson('{"holidays":[1],"workdays":[]}')).toMatch(/expected/);
  expect(parseScheduleJson('[]')).toMatch(/expected/);
  expect(typeof parseScheduleJson('{oops')).toBe('string');
});

test('what a load changes: days added and removed, the working days of the year, days worth a second look', () => {
  const current = { holidays: ['2026-10-01', '2026-10-02'], workdays: ['2026-09-20'] };
  const next = { holidays: ['2026-10-02', '2026-10-03'], workdays: ['2026-09-20', '2026-09-21'] };
  const change = scheduleChange(2026, current, next);
  expect(change).toMatchObject({
    addedHolidays: ['2026-10-03'],
    removedHolidays: ['2026-10-01'],
    addedWorkdays: ['2026-09-21'],
    removedWorkdays: [],
    // 2026-10-03 is a Saturday; 2026-09-21 a Monday, a working day anyway.
    holidaysOnWeekends: ['2026-10-03'],
    workdaysOnWeekdays: ['2026-09-21'],
  });
  // 2026 has 261 weekdays: the current schedule takes two off and adds a Sunday; the next one takes one
  // weekday off (a Friday), adds the Sunday, and the Monday was a working day already.
  expect(change.workingDaysBefore).toBe(261 - 2 + 1);
  expect(change.workingDaysAfter).toBe(261 - 1 + 1);
  expect(workingDaysIn(2026, { holidays: [], workdays: [] })).toBe(261);
  expect(unchanged(scheduleChange(2026, current, { holidays: ['2026-10-02', '2026-10-01'], workdays: ['2026-09-20'] }))).toBe(true);
  // A year with no schedule is compared with weekends only.
  expect(scheduleChange(2088, null, { holidays: ['2088-01-01'], workdays: [] })).toMatchObject({ addedHolidays: ['2088-01-01'], workingDaysBefore: workingDaysIn(2088, { holidays: [], workdays: [] }) });
});

test('consecutive days run together', () => {
  expect(runs(['2026-10-02', '2026-10-01', '2026-10-03', '2026-10-05', '2026-10-05'])).toEqual([
    ['2026-10-01', '2026-10-03'],
    ['2026-10-05', '2026-10-05'],
  ]);
  expect(runs(['2026-12-31', '2027-01-01'])).toEqual([['2026-12-31', '2027-01-01']]);
});

test("the directory's posts: kind, party, tier and locality, in the service's order, named in both languages", async () => {
  expect(postInfo('party:planning/deputy')).toEqual({ post: 'party:planning/deputy', kind: 'department', party: 'planning', tier: 'deputy' });
  expect(postInfo('party:gas/main')).toMatchObject({ kind: 'utility', party: 'gas', tier: 'main' });
  expect(postInfo('locality:jinshanwei')).toEqual({ post: 'locality:jinshanwei', kind: 'locality', locality: 'jinshanwei' });
  expect(postInfo('window')).toEqual({ post: 'window', kind: 'shared' });
  expect(['window', 'locality:zhujing', 'party:gas/liaison', 'party:planning/main', 'party:planning/liaison'].sort(byPostOrder)).toEqual([
    'party:planning/liaison',
    'party:planning/main',
    'party:gas/liaison',
    'locality:zhujing',
    'window',
  ]);
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng: 'zh-CN' });
  expect(postLabel('party:planning/liaison', i18n.t)).toBe('区规划资源局 · 联络员');
  expect(postLabel('locality:jinshanwei', i18n.t)).toBe('金山卫镇 · 属地项目联络员');
  expect(postLabel('coordination-group', i18n.t)).toBe('协调小组');
  expect(i18n.t('calendar.days', { count: 1 })).toBe('1 天');
  await i18n.changeLanguage('en');
  expect(postLabel('agent-station', i18n.t)).toBe('Agent service station');
  expect([1, 3].map((count) => i18n.t('calendar.days', { count }))).toEqual(['1 day', '3 days']);
  expect(postLabel('party:gas/main', i18n.t)).not.toMatch(/[\u3400-\u9fff]/);
});

test("a person's channels survive the edit form: every kind (absent), none (an empty list) and a choice", () => {
  expect(kindsToForm(undefined)).toEqual([]);
  expect(kindsToForm([])).toEqual(['none']);
  expect(kindsToForm(['escalation'])).toEqual(['escalation']);
  for (const kinds of [undefined, [], ['escalation', 'reminder']] as const) expect(kindsFromForm(kindsToForm(kinds ? [...kinds] : undefined))).toEqual(kinds ? [...kinds] : undefined);
  // Empty optional fields are left out (the API refuses an empty phone or webhook).
  expect(personFromForm({ name: ' 李强 ', email: ' li@x.example ', principalId: '', phone: ' ', webhook: undefined, language: 'en', email_kinds: ['none'], webhook_kinds: [] })).toEqual({
    name: '李强',
    email: 'li@x.example',
    language: 'en',
    channels: { email: [] },
  });
  expect(personFromForm({ name: '王', email: 'w@x.example' })).toEqual({ name: '王', email: 'w@x.example', language: 'zh' });
});
