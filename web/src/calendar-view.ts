// The working-day calendar page's logic, without a browser: which years still lack an official schedule,
// a year's months as weeks, runs of holidays, the dates an admin types (or pastes as JSON) and what a load
// would change. Dates are YYYY-MM-DD strings counted in UTC, so no time zone shifts a day.

export interface Schedule {
  holidays: string[];
  workdays: string[];
}

const DAY = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const at = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const addDays = (date: string, n: number): string => iso(at(date) + n * DAY);
/** 0 Sunday … 6 Saturday. */
export const weekday = (date: string): number => new Date(at(date)).getUTCDay();
export const isWeekend = (date: string): boolean => weekday(date) === 0 || weekday(date) === 6;
/** A real calendar date (2027-02-30 is not). */
export const isDate = (text: string): boolean => ISO_DAY.test(text) && !Number.isNaN(at(text)) && iso(at(text)) === text;

/**
 * The years whose schedule should be loaded by `today` (a Shanghai date): this year, and from November
 * next year too, when the State Council publishes it — the rule the service's start-up warning follows.
 */
export function wantedYears(today: string): number[] {
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) >= 11 ? [year, year + 1] : [year];
}

/** A month (1–12) as weeks from Monday to Sunday; days outside the month are null. */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  const days: (string | null)[] = Array.from({ length: (weekday(first) + 6) % 7 }, () => null);
  for (let d = first; Number(d.slice(5, 7)) === month && d.startsWith(String(year)); d = addDays(d, 1)) days.push(d);
  while (days.length % 7 !== 0) days.push(null);
  return Array.from({ length: days.length / 7 }, (_, w) => days.slice(w * 7, w * 7 + 7));
}

/** Consecutive dates grouped: ['10-01','10-02','10-05'] → [['10-01','10-02'], ['10-05','10-05']]. */
export function runs(dates: readonly string[]): [string, string][] {
  const sorted = [...new Set(dates)].sort();
  const out: [string, string][] = [];
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (last && addDays(last[1], 1) === d) last[1] = d;
    else out.push([d, d]);
  }
  return out;
}

/** Working days of a year under a schedule: weekdays, less holidays, plus the adjusted working days. */
export function workingDaysIn(year: number, schedule: Schedule): number {
  const off = new Set(schedule.holidays);
  const on = new Set(schedule.workdays);
  let count = 0;
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) if (on.has(d) || (!off.has(d) && !isWeekend(d))) count++;
  return count;
}

export interface ParsedDates {
  dates: string[];
  /** The pieces that are not a date of the year (or a range of them), as typed. */
  problems: string[];
}

/**
 * Dates as an admin types them from the notice: separated by commas, spaces or new lines, each a date or
 * a range (2027-10-01~2027-10-07, or with 至 or a double hyphen). Sorted, without repeats.
 */
export function parseDates(text: string, year: number): ParsedDates {
  const dates = new Set<string>();
  const problems: string[] = [];
  for (const piece of text.split(/[\s,，、;；]+/).filter(Boolean)) {
    const [from = '', to = from, ...rest] = piece.split(/~|～|至|--/);
    if (rest.length > 0 || !isDate(from) || !isDate(to) || to < from || !from.startsWith(`${year}-`) || !to.startsWith(`${year}-`)) {
      problems.push(piece);
      continue;
    }
    for (let d = from; d <= to; d = addDays(d, 1)) dates.add(d);
  }
  return { dates: [...dates].sort(), problems };
}

/** A schedule pasted as JSON, as GET /api/calendar/:year answers it (other fields are ignored). */
export function parseScheduleJson(text: string): Schedule | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const list = (key: 'holidays' | 'workdays'): string[] | null => {
    const v = (value as Record<string, unknown> | null)?.[key];
    return Array.isArray(v) && v.every((d) => typeof d === 'string') ? (v as string[]) : null;
  };
  const holidays = list('holidays');
  const workdays = list('workdays');
  if (typeof value !== 'object' || value === null || !holidays || !workdays) return 'expected { "holidays": [dates…], "workdays": [dates…] }';
  return { holidays, workdays };
}

export interface ScheduleChange {
  addedHolidays: string[];
  removedHolidays: string[];
  addedWorkdays: string[];
  removedWorkdays: string[];
  workingDaysBefore: number;
  workingDaysAfter: number;
  /** Adjusted working days that are weekdays anyway, holidays that fall on a weekend: worth a second look. */
  workdaysOnWeekdays: string[];
  holidaysOnWeekends: string[];
}

/** What loading `next` for the year changes, against what the service uses now (`current`, or weekends only). */
export function scheduleChange(year: number, current: Schedule | null, next: Schedule): ScheduleChange {
  const before = current ?? { holidays: [], workdays: [] };
  const minus = (a: string[], b: string[]) => a.filter((d) => !b.includes(d)).sort();
  return {
    addedHolidays: minus(next.holidays, before.holidays),
    removedHolidays: minus(before.holidays, next.holidays),
    addedWorkdays: minus(next.workdays, before.workdays),
    removedWorkdays: minus(before.workdays, next.workdays),
    workingDaysBefore: workingDaysIn(year, before),
    workingDaysAfter: workingDaysIn(year, next),
    workdaysOnWeekdays: next.workdays.filter((d) => !isWeekend(d)).sort(),
    holidaysOnWeekends: next.holidays.filter(isWeekend).sort(),
  };
}

export const unchanged = (c: ScheduleChange): boolean => c.addedHolidays.length + c.removedHolidays.length + c.addedWorkdays.length + c.removedWorkdays.length === 0;
