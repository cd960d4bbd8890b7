// The working-day calendar as the service knows it: the State Council schedules shipped by the
// maintained `chinese-days` package (2004 onwards), with any year an admin loaded replacing that year.
import { sql } from 'kysely';
import { WorkingCalendar, type CalendarData, type YearSchedule } from '../domain/calendar';
import type { Db } from './connect';

// The package's data file: { holidays: { 'YYYY-MM-DD': 'name,名称,n' }, workdays: { 'YYYY-MM-DD': … } }.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const shipped = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };

function builtin(): CalendarData {
  const data: CalendarData = {};
  const year = (d: string) => (data[Number(d.slice(0, 4))] ??= { holidays: [], workdays: [] });
  for (const d of Object.keys(shipped.holidays)) year(d).holidays.push(d);
  for (const d of Object.keys(shipped.workdays)) year(d).workdays.push(d);
  return data;
}

const BUILTIN = builtin();

export interface LoadedYear extends YearSchedule {
  year: number;
  source: 'chinese-days' | 'admin';
  loadedBy?: string;
  loadedAt?: string;
  /** What each listed day is for, in both languages (the shipped schedules say; a loaded year does not). */
  names?: Record<string, { zh: string; en: string }>;
}

/** The shipped data's names of a year's days ('National Day,国庆节,3' → { en, zh }), for the console. */
function shippedNames(year: number): LoadedYear['names'] {
  const names: NonNullable<LoadedYear['names']> = {};
  for (const list of [shipped.holidays, shipped.workdays]) {
    for (const [d, label] of Object.entries(list)) {
      if (!d.startsWith(`${year}-`)) continue;
      const [en = '', zh = ''] = label.split(',');
      names[d] = { zh, en };
    }
  }
  return names;
}

export async function loadedYears(db: Db): Promise<LoadedYear[]> {
  const rows = await db.selectFrom('calendar_years').selectAll().execute();
  return rows.map((r) => ({ year: r.year, holidays: r.holidays, workdays: r.workdays, source: 'admin', loadedBy: r.loaded_by, loadedAt: new Date(r.loaded_at).toISOString() }));
}

export async function calendarData(db: Db): Promise<CalendarData> {
  const data: CalendarData = { ...BUILTIN };
  for (const y of await loadedYears(db)) data[y.year] = { holidays: y.holidays, workdays: y.workdays };
  return data;
}

export async function loadCalendar(db: Db): Promise<WorkingCalendar> {
  return new WorkingCalendar(await calendarData(db));
}

/**
 * The calendar for callers that ask often (the API's views and lists, the record writer): kept for `ttlMs`, dropped at
 * once by `saveYear` in this process; another process sees a newly loaded year within `ttlMs`.
 */
const cache = new WeakMap<Db, { at: number; calendar: Promise<WorkingCalendar> }>();
export function cachedCalendar(db: Db, ttlMs = 30_000): Promise<WorkingCalendar> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < ttlMs) return hit.calendar;
  const calendar = loadCalendar(db);
  cache.set(db, { at: Date.now(), calendar });
  calendar.catch(() => cache.delete(db));
  return calendar;
}

export async function describeYear(db: Db, year: number): Promise<LoadedYear | undefined> {
  const loaded = (await loadedYears(db)).find((y) => y.year === year);
  if (loaded) return loaded;
  const schedule = BUILTIN[year];
  return schedule && { year, ...schedule, source: 'chinese-days', names: shippedNames(year) };
}

/** Stores an admin's schedule for a year (replacing any earlier one). */
export async function saveYear(db: Db, year: number, schedule: YearSchedule, by: string): Promise<void> {
  const row = { year, holidays: JSON.stringify([...schedule.holidays].sort()), workdays: JSON.stringify([...schedule.workdays].sort()), loaded_by: by, loaded_at: new Date() };
  await db
    .insertInto('calendar_years')
    .values(row)
    .onConflict((oc) => oc.column('year').doUpdateSet({ holidays: sql`excluded.holidays`, workdays: sql`excluded.workdays`, loaded_by: sql`excluded.loaded_by`, loaded_at: sql`excluded.loaded_at` }))
    .execute();
  cache.delete(db);
}

/** Years whose schedule should be loaded by now: this year, and next year from November (when the State
 *  Council publishes it). Logged at start so an admin knows to PUT /api/calendar/:year. */
export function missingYears(calendar: WorkingCalendar, now: Date): number[] {
  const today = new Date(now.getTime() + 8 * 60 * 60 * 1000);
  const year = today.getUTCFullYear();
  const wanted = today.getUTCMonth() >= 10 ? [year, year + 1] : [year];
  return wanted.filter((y) => !calendar.covers(`${y}-01-01`));
}

/** Logs which years still lack an official schedule (see missingYears). */
export async function warnOfMissingYears(db: Db, logger: { warn(obj: object, msg: string): void }): Promise<void> {
  const missing = missingYears(await loadCalendar(db), new Date());
  if (missing.length > 0) {
    logger.warn({ missing }, 'no official working-day schedule for these years: only weekends count as off until an admin loads them (PUT /api/calendar/:year)');
  }
}

/** Removes an admin's schedule for a year, so the shipped one (or weekends only) applies again; the
 *  removed row, or undefined when none was loaded. */
export async function removeYear(db: Db, year: number): Promise<LoadedYear | undefined> {
  const row = await db.deleteFrom('calendar_years').where('year', '=', year).returningAll().executeTakeFirst();
  cache.delete(db);
  return row && { year: row.year, holidays: row.holidays, workdays: row.workdays, source: 'admin', loadedBy: row.loaded_by, loadedAt: new Date(row.loaded_at).toISOString() };
}

/** Whether the service ships a schedule for the year (the chinese-days package). */
export const shippedYear = (year: number): YearSchedule | undefined => BUILTIN[year];
