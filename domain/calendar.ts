// The official working-day calendar (工作日): weekends are off except adjusted working days (调休上班),
// public holidays are off. Pure functions over calendar data, so the API, the statistics and (through an
// activity result) the workflows count the same way. Dates are days in Asia/Shanghai (UTC+8, no DST).

/** One year's State Council schedule: the days off and the weekend days worked instead. */
export interface YearSchedule {
  holidays: string[];
  workdays: string[];
}

export type CalendarData = Record<number, YearSchedule>;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY = 24 * 60 * 60 * 1000;

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(instant: string | number | Date): string {
  return new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Shanghai date begins (00:00 +08:00). */
export function startOfShanghaiDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const yearOf = (date: string): number => Number(date.slice(0, 4));

/** The dates the service counts with. Outside them (a year 10000 formats as '+010000-…' and sorts
 *  before '9999-…') counting is refused, so no loop can run away. */
export const MIN_DATE = '2000-01-01';
export const MAX_DATE = '2099-12-31';
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Throws a RangeError for a date the service does not count with; callers validate first. */
function countable(date: string): string {
  if (!ISO_DAY.test(date) || date < MIN_DATE || date > MAX_DATE || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new RangeError(`${date} is not a date between ${MIN_DATE} and ${MAX_DATE}`);
  }
  return date;
}

export class WorkingCalendar {
  private readonly off = new Set<string>();
  private readonly on = new Set<string>();
  readonly years: number[];

  constructor(readonly data: CalendarData) {
    for (const schedule of Object.values(data)) {
      schedule.holidays.forEach((d) => this.off.add(d));
      schedule.workdays.forEach((d) => this.on.add(d));
    }
    this.years = Object.keys(data).map(Number).sort((a, b) => a - b);
  }

  /** Whether the calendar knows the year's schedule (otherwise only weekends count as off). */
  covers(date: string): boolean {
    return this.data[yearOf(date)] !== undefined;
  }

  isWorkingDay(date: string): boolean {
    if (this.on.has(date)) return true;
    if (this.off.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** Years between two dates whose official schedule the calendar lacks (only weekends count as off). */
  uncoveredYears(from: string, to: string): number[] {
    countable(from);
    countable(to);
    const years: number[] = [];
    for (let y = yearOf(from < to ? from : to); y <= yearOf(from < to ? to : from); y++) if (this.data[y] === undefined) years.push(y);
    return years;
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: string, to: string): number {
    countable(from);
    countable(to);
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }

  /**
   * The dates that break the weekday rule, each list sorted: weekdays that are off, weekend days that
   * are worked. With them a database counts working days as this calendar does (see the public
   * record's lists), without a day-by-day table to keep in step.
   */
  exceptions(): { offWeekdays: string[]; workedWeekends: string[] } {
    if (!this.exceptionLists) {
      const listed = [...new Set([...this.off, ...this.on])].sort();
      const weekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
      this.exceptionLists = {
        offWeekdays: listed.filter((d) => !weekend(d) && !this.isWorkingDay(d)),
        workedWeekends: listed.filter((d) => weekend(d) && this.isWorkingDay(d)),
      };
    }
    return this.exceptionLists;
  }
  private exceptionLists?: { offWeekdays: string[]; workedWeekends: string[] };

  /** The date of the Nth working day after `from` (`from` itself when n is 0). */
  deadline(from: string, n: number): string {
    let d = countable(from);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${n} is not a number of working days`);
    for (let left = n; left > 0; ) {
      d = countable(addDays(d, 1));
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }
}

/** Why a year's schedule is invalid, or null: dates inside the year, none both off and worked. */
export function scheduleProblem(year: number, schedule: YearSchedule): string | null {
  const outside = [...schedule.holidays, ...schedule.workdays].find((d) => yearOf(d) !== year || Number.isNaN(Date.parse(`${d}T00:00:00Z`)));
  if (outside) return `${outside} is not a date in ${year}`;
  const both = schedule.holidays.find((d) => schedule.workdays.includes(d));
  if (both) return `${both} cannot be both a holiday and a working day`;
  return null;
}

// ---- the clock of a stage attempt (审批时限) ----

export type Light = 'green' | 'yellow' | 'red';

/** The light of working days used against a limit: red once exceeded, yellow from 75 % of it. */
export const lightOf = (usedDays: number, limitDays: number): Light => (usedDays > limitDays ? 'red' : usedDays >= 0.75 * limitDays ? 'yellow' : 'green');

export interface StageClock {
  /** The Shanghai date the application was accepted. */
  acceptedOn: string;
  limitDays: number;
  /** Working days from acceptance to decision (or today), correction time excluded. */
  usedDays: number;
  /** Working days spent waiting for supplements (补正), which do not count. */
  pausedDays: number;
  /** The last working day within the limit, pushed back by the paused days. */
  deadline: string;
  light: Light;
}

/** Merged [from, to] spans (ms) of correction pauses, overlaps counted once; an open one runs to `now`. */
export function pauseSpans(pauses: { from: string; to?: string }[], now: number): [number, number][] {
  const spans = pauses.map((p) => [Date.parse(p.from), p.to ? Date.parse(p.to) : now] as [number, number]).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of spans) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/**
 * What a clock depends on besides the calendar and today, as dates: the calendar-free half of
 * stageClock. The public record keeps it beside each project so that a list can decide the light in
 * SQL for any day with any calendar (db/record.ts evaluates stageClock's formula on it). Correction
 * pauses are merged as stageClock merges them; one still running has no end yet (it runs to today).
 */
export interface ClockBasis {
  acceptedOn: string;
  limitDays: number;
  /** The decision's date; null while the clock runs. */
  endsOn: string | null;
  /** Finished pauses, merged: [from, to] dates. */
  pauses: [string, string][];
  /** The date the running pause (补正 not yet supplemented) began; null when none runs. */
  pausedSince: string | null;
}

export function clockBasis(attempt: { submittedAt: string; decidedAt?: string; pauses: { from: string; to?: string }[] }, limitDays: number): ClockBasis {
  // A running pause ends at `now` in stageClock; with no end here it merges as it would with any `now`
  // later than every recorded instant.
  const spans = pauseSpans(attempt.pauses, attempt.decidedAt ? Date.parse(attempt.decidedAt) : Infinity);
  const running = spans.find(([, to]) => to === Infinity);
  return {
    acceptedOn: shanghaiDate(attempt.submittedAt),
    limitDays,
    endsOn: attempt.decidedAt ? shanghaiDate(attempt.decidedAt) : null,
    pauses: spans.filter((s) => s !== running).map(([from, to]) => [shanghaiDate(from), shanghaiDate(to)]),
    pausedSince: running ? shanghaiDate(running[0]) : null,
  };
}

export function stageClock(
  calendar: WorkingCalendar,
  attempt: { submittedAt: string; decidedAt?: string; pauses: { from: string; to?: string }[] },
  limitDays: number,
  now: number,
): StageClock {
  const acceptedOn = shanghaiDate(attempt.submittedAt);
  const endOn = shanghaiDate(attempt.decidedAt ?? now);
  const pausedDays = pauseSpans(attempt.pauses, attempt.decidedAt ? Date.parse(attempt.decidedAt) : now).reduce(
    (sum, [from, to]) => sum + calendar.workingDaysBetween(shanghaiDate(from), shanghaiDate(to)),
    0,
  );
  const usedDays = Math.max(0, calendar.workingDaysBetween(acceptedOn, endOn) - pausedDays);
  return { acceptedOn, limitDays, usedDays, pausedDays, deadline: calendar.deadline(acceptedOn, limitDays + pausedDays), light: lightOf(usedDays, limitDays) };
}
