// The State Council's annual notice on public holidays (国务院办公厅关于YYYY年部分节假日安排的通知), read
// into the schedule PUT /api/calendar/:year takes: the days off (放假, 补休) and the weekend days worked
// instead (调休上班). The notice is short and regular: numbered items, one per festival
// ("二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、
// 2月8日（周六）上班。"), each a few sentences that either give days off or days worked. What a sentence
// states besides the dates is checked, so a pasting or typing slip is caught with the day it concerns:
// the weekday in brackets, "共N天", an adjusted working day that is not a weekend day, a day far from
// the notice's year. Everything outside the numbered items (the preamble's rules, the closing request,
// 2024's "鼓励…在除夕（2月9日）休息") states no day off and is not read.

export interface NoticeFestival {
  /** The item's heading, e.g. 国庆节、中秋节. */
  name: string;
  holidays: string[];
  workdays: string[];
}

export interface ParsedNotice {
  /** The year the notice is for (its title or "现将YYYY年…"). */
  year: number;
  festivals: NoticeFestival[];
  /** Every day off and every day worked it names, sorted; some may lie just outside `year` (元旦). */
  holidays: string[];
  workdays: string[];
}

export class NoticeProblem extends Error {}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
export const weekdayName = (date: string) => WEEKDAY_NAMES[weekday(date)] as string;

/** The notice's own numbers may be written full-width (２０２７年); read them as ASCII digits. */
function normalise(text: string): string {
  return text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\r\n?/g, '\n');
}

/** The year the notice is for, from its title or its first sentence. */
function noticeYear(text: string): number {
  const stated = /关于\s*(\d{4})\s*年\s*部分节假日安排/.exec(text) ?? /现将\s*(\d{4})\s*年/.exec(text);
  if (!stated) throw new NoticeProblem('the notice does not say which year it is for (no "关于YYYY年部分节假日安排" or "现将YYYY年")');
  return Number(stated[1]);
}

// A festival item: a Chinese numeral, 、, the festival names (元旦 or …节, joined by 、) and a colon.
const ITEM = /(?:^|[\s。；;])([一二三四五六七八九十]{1,3})、\s*((?:元旦|[\u4e00-\u9fa5]{1,4}节)(?:[、和](?:元旦|[\u4e00-\u9fa5]{1,4}节))*)\s*[：:]/g;
// What ends the last item: the closing request or the signature.
const CLOSING = /(节假日期间|国务院办公厅\s*\n|国务院办公厅\s*\d{4}年)/;
// A date: [YYYY年][M月]D日, then perhaps a bracket (（周三）, （星期日）, （农历除夕、周二）).
const DATE = /(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日(?:\s*[（(]([^）)]*)[）)])?/g;

interface Mention {
  date: string;
  /** The weekday the text states for it (0 = Sunday), if any. */
  stated?: number;
  /** Where in the sentence it ends, and where the next begins (to see 至 between two). */
  start: number;
  end: number;
}

/** The dates of one sentence, each completed from the one before it (至8日 after 10月1日 is 10月8日). */
function mentions(sentence: string, year: number, item: string): Mention[] {
  const found: Mention[] = [];
  let y = year;
  let m: number | undefined;
  for (const match of sentence.matchAll(DATE)) {
    if (match[1]) y = Number(match[1]);
    if (match[2]) m = Number(match[2]);
    const d = Number(match[3]);
    if (m === undefined) throw new NoticeProblem(`${item}: "${match[0]}" has no month`);
    const date = iso(y, m, d);
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).getUTCMonth() + 1 !== m) {
      throw new NoticeProblem(`${item}: ${y}年${m}月${d}日 is not a date`);
    }
    const bracket = match[4] ?? '';
    const named = /(?:周|星期)([日天一二三四五六])/.exec(bracket);
    const stated = named ? WEEKDAYS.indexOf((named[1] as string) === '天' ? '日' : (named[1] as string)) : undefined;
    found.push({ date, ...(stated !== undefined && { stated }), start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** Days off a sentence gives: each date, and every day of a "A至B" range. */
function daysOff(sentence: string, found: Mention[], item: string): string[] {
  const days: string[] = [];
  for (let i = 0; i < found.length; i++) {
    const from = found[i] as Mention;
    const next = found[i + 1];
    if (next && /^\s*(?:至|到|—|－|-|~|～)\s*$/.test(sentence.slice(from.end, next.start))) {
      if (next.date < from.date) throw new NoticeProblem(`${item}: the range ${from.date} to ${next.date} runs backwards`);
      for (let d = from.date; d <= next.date; d = addDays(d, 1)) days.push(d);
      if (days.length > 31) throw new NoticeProblem(`${item}: the range from ${from.date} is longer than a month`);
      i++;
    } else {
      days.push(from.date);
    }
  }
  return days;
}

/**
 * Reads a notice. Throws a NoticeProblem naming the item and day when the text cannot be read as a
 * notice: no year, no festival item with a day, a date that does not exist, a stated weekday or "共N天"
 * that disagrees with the dates.
 */
export function parseHolidayNotice(input: string): ParsedNotice {
  const text = normalise(input);
  const year = noticeYear(text);
  const items = [...text.matchAll(ITEM)];
  const festivals: NoticeFestival[] = [];
  for (const [i, match] of items.entries()) {
    const bodyStart = (match.index ?? 0) + match[0].length;
    let body = text.slice(bodyStart, items[i + 1]?.index ?? text.length);
    const closing = CLOSING.exec(body);
    if (closing) body = body.slice(0, closing.index);
    const name = match[2] as string;
    const item = `${match[1]}、${name}`;
    const holidays = new Set<string>();
    const workdays = new Set<string>();
    for (const sentence of body.split(/[。；;\n]/)) {
      // An encouragement (2024: "鼓励各单位…安排职工在除夕（2月9日）休息") gives no day off.
      if (/鼓励/.test(sentence)) continue;
      const found = mentions(sentence, year, item);
      if (found.length === 0) continue;
      for (const f of found) {
        if (f.stated !== undefined && weekday(f.date) !== f.stated) {
          throw new NoticeProblem(`${item}: ${f.date} is stated as 周${WEEKDAYS[f.stated]}, but it is a ${weekdayName(f.date)}`);
        }
      }
      if (/上班/.test(sentence)) {
        found.forEach((f) => workdays.add(f.date));
      } else if (/放假|补休/.test(sentence)) {
        const off = daysOff(sentence, found, item);
        const total = /共\s*(\d{1,2})\s*天/.exec(sentence) ?? /放假\s*(\d{1,2})\s*天/.exec(sentence);
        if (total && Number(total[1]) !== off.length) {
          throw new NoticeProblem(`${item}: ${off[0]} to ${off[off.length - 1]} is ${off.length} days, but the notice says ${total[1]}`);
        }
        off.forEach((d) => holidays.add(d));
      }
    }
    if (holidays.size === 0 && workdays.size === 0) continue;
    const both = [...holidays].find((d) => workdays.has(d));
    if (both) throw new NoticeProblem(`${item}: ${both} is both a day off and a working day`);
    festivals.push({ name, holidays: [...holidays].sort(), workdays: [...workdays].sort() });
  }
  if (festivals.length === 0) throw new NoticeProblem('no festival item with a recognisable day (expected items like "一、元旦：1月1日放假，共1天。")');
  const all = (k: 'holidays' | 'workdays') => [...new Set(festivals.flatMap((f) => f[k]))].sort();
  const holidays = all('holidays');
  const workdays = all('workdays');
  const both = holidays.find((d) => workdays.includes(d));
  if (both) throw new NoticeProblem(`${both} is both a day off and a working day`);
  return { year, festivals, holidays, workdays };
}

/** The days around a year a notice for it may name: 元旦 can begin on 31 December (2023's notice), and
 *  a worked Saturday can fall at the end of the year before (2012's). */
export const neighbourhood = (year: number) => ({ from: `${year - 1}-12-01`, to: `${year + 1}-01-31` });

/**
 * Why a parsed notice cannot be loaded as `year`'s schedule, each naming the day; empty when it can.
 * An adjusted working day must be a Saturday or Sunday; every day must lie in the year's neighbourhood.
 */
export function noticeProblems(notice: ParsedNotice, year: number): string[] {
  const problems: string[] = [];
  if (notice.year !== year) problems.push(`the notice is for ${notice.year}, not ${year}`);
  const { from, to } = neighbourhood(notice.year);
  for (const d of notice.workdays) {
    if (![0, 6].includes(weekday(d))) problems.push(`${d} is a ${weekdayName(d)}: an adjusted working day (调休上班) must be a Saturday or Sunday`);
  }
  for (const d of [...notice.holidays, ...notice.workdays]) {
    if (d < from || d > to) problems.push(`${d} is outside ${notice.year} and its neighbourhood (${from} to ${to})`);
  }
  return problems;
}

/** Whether a day's listing changes how working days count: a weekday off or a weekend day worked. */
export const changesCounting = (date: string, kind: 'holiday' | 'workday') => (kind === 'holiday' ? ![0, 6].includes(weekday(date)) : [0, 6].includes(weekday(date)));
