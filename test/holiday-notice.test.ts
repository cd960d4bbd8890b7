// The holiday-notice parser against the real notices of 2020–2026 (test/fixtures/holiday-notices, with
// their sources): every day off and every day worked agrees with the schedules the service ships, and
// what cannot be a notice is refused with the day it concerns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoticeProblem, noticeProblems, parseHolidayNotice } from '../domain/holiday-notice';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const shipped = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
const notice = (year: number) => readFileSync(join(__dirname, 'fixtures', 'holiday-notices', `${year}.txt`), 'utf8');
const YEARS = [2020, 2021, 2022, 2023, 2024, 2025, 2026];
const inYears = (days: string[], from: number, to: number) => days.filter((d) => Number(d.slice(0, 4)) >= from && Number(d.slice(0, 4)) <= to).sort();

test('each real notice names its own year and no impossible day', () => {
  for (const year of YEARS) {
    const parsed = parseHolidayNotice(notice(year));
    expect({ year, notice: parsed.year, problems: noticeProblems(parsed, year) }).toEqual({ year, notice: year, problems: [] });
  }
});

test('the notices of 2021–2026 give exactly the shipped schedules, day by day', () => {
  const parsed = YEARS.filter((y) => y >= 2021).map((y) => parseHolidayNotice(notice(y)));
  const holidays = parsed.flatMap((p) => p.holidays).sort();
  const workdays = parsed.flatMap((p) => p.workdays).sort();
  // 2023's 元旦 began on 31 December 2022: the shipped 2022 holds it, from the same notice.
  expect(holidays).toContain('2022-12-31');
  expect(holidays).toEqual(inYears(Object.keys(shipped.holidays), 2021, 2026));
  expect(workdays).toEqual(inYears(Object.keys(shipped.workdays), 2021, 2026));
});

test('2020: the notice, and the days the later extension for the epidemic changed', () => {
  const parsed = parseHolidayNotice(notice(2020));
  const extension = ['2020-01-31', '2020-02-01', '2020-02-02'];
  expect(inYears(Object.keys(shipped.holidays), 2020, 2020)).toEqual([...parsed.holidays, ...extension].sort());
  expect(parsed.workdays).toContain('2020-02-01');
  expect(inYears(Object.keys(shipped.workdays), 2020, 2020)).toEqual(parsed.workdays.filter((d) => d !== '2020-02-01'));
});

test('the quirks: 2025’s combined 8-day item and one-day 元旦, 2024’s encouraged 除夕, 2026’s 9-day 春节', () => {
  const y2025 = parseHolidayNotice(notice(2025));
  expect(y2025.festivals.map((f) => f.name)).toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '国庆节、中秋节']);
  expect(y2025.festivals[0]).toEqual({ name: '元旦', holidays: ['2025-01-01'], workdays: [] });
  expect(y2025.festivals[5]?.holidays).toEqual(['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08']);
  expect(y2025.festivals[1]).toEqual({
    name: '春节',
    holidays: ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04'],
    workdays: ['2025-01-26', '2025-02-08'],
  });
  // The end-of-May 端午节 range crosses a month.
  expect(y2025.festivals[4]?.holidays).toEqual(['2025-05-31', '2025-06-01', '2025-06-02']);
  const y2024 = parseHolidayNotice(notice(2024));
  expect(y2024.holidays).not.toContain('2024-02-09');
  expect(y2024.festivals.find((f) => f.name === '春节')?.workdays).toEqual(['2024-02-04', '2024-02-18']);
  const y2026 = parseHolidayNotice(notice(2026));
  expect(y2026.festivals.find((f) => f.name === '春节')?.holidays).toHaveLength(9);
  expect(parseHolidayNotice(notice(2023)).festivals[0]?.holidays).toEqual(['2022-12-31', '2023-01-01', '2023-01-02']);
});

test('pasted with full-width digits or as one line, a notice reads the same', () => {
  const text = notice(2025);
  const wide = text.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  expect(parseHolidayNotice(wide)).toEqual(parseHolidayNotice(text));
  expect(parseHolidayNotice(text.replace(/\s+/g, ' '))).toEqual(parseHolidayNotice(text));
});

test('what is not a notice, or not a possible one, is refused with the day it concerns', () => {
  const refuse = (text: string) => {
    try {
      parseHolidayNotice(text);
    } catch (err) {
      if (err instanceof NoticeProblem) return err.message;
      throw err;
    }
    throw new Error('parsed');
  };
  expect(refuse('明天开会')).toMatch(/does not say which year/);
  expect(refuse('国务院办公厅关于2027年部分节假日安排的通知\n经国务院批准，现将2027年元旦放假安排通知如下。')).toMatch(/no festival item with a recognisable day/);
  const y2026 = notice(2026);
  // A stated weekday that is not the date's.
  expect(refuse(y2026.replace('1月4日（周日）上班', '1月5日（周日）上班'))).toBe('一、元旦: 2026-01-05 is stated as 周日, but it is a Monday');
  // 共N天 that the range does not have.
  expect(refuse(y2026.replace('至7日（周三）放假调休，共7天', '至7日（周三）放假调休，共8天'))).toBe('七、国庆节: 2026-10-01 to 2026-10-07 is 7 days, but the notice says 8');
  expect(refuse(y2026.replace('6月19日（周五）', '6月31日（周五）'))).toBe('五、端午节: 2026年6月31日 is not a date');

  // Parsed, but not loadable.
  const weekdayWorked = parseHolidayNotice(y2026.replace('5月9日（周六）上班', '5月8日上班'));
  expect(noticeProblems(weekdayWorked, 2026)).toEqual(['2026-05-08 is a Friday: an adjusted working day (调休上班) must be a Saturday or Sunday']);
  expect(noticeProblems(parseHolidayNotice(y2026), 2027)).toEqual(['the notice is for 2026, not 2027']);
  const far = parseHolidayNotice(y2026.replace('一、元旦：1月1日（周四）至3日（周六）', '一、元旦：2025年11月1日（周六）至3日（周一）'));
  expect(noticeProblems(far, 2026)).toEqual(['2025-11-01 is outside 2026 and its neighbourhood (2025-12-01 to 2027-01-31)', '2025-11-02 is outside 2026 and its neighbourhood (2025-12-01 to 2027-01-31)', '2025-11-03 is outside 2026 and its neighbourhood (2025-12-01 to 2027-01-31)']);
});
