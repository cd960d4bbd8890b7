// /api/calendar: the official working-day calendar — counts, deadlines, and the yearly schedules an admin
// loads when the State Council publishes next year's (each November).
import { Router } from 'express';
import { z } from '../domain/zod';
import { scheduleProblem } from '../domain/calendar';
import { serviceDate } from '../domain/schemas';
import { cachedCalendar, describeYear, saveYear } from '../db/calendar';
import type { Db } from '../db/connect';
import { authorizeRole } from './auth';
import type { CalendarPropagation } from './calendar-propagation';
import { HttpError, parse } from './errors';

const date = z.iso.date('must be a date YYYY-MM-DD');
/** The longest span counted in one request: ten years. */
const MAX_SPAN_DAYS = 3660;
const spanDays = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const workingDaysQuery = z
  .object({ from: serviceDate, to: serviceDate })
  .strict()
  .refine((q) => !(spanDays(q.from, q.to) > MAX_SPAN_DAYS) && !(spanDays(q.to, q.from) > MAX_SPAN_DAYS), {
    path: ['to'],
    message: `must be within ${MAX_SPAN_DAYS} days of from`,
  });
const deadlineQuery = z.object({ from: serviceDate, days: z.coerce.number().int().min(0).max(1000) }).strict();

/** A deadline that would fall past the last countable date is the caller's request, not our fault. */
function deadlineOrRefuse(count: () => string): string {
  try {
    return count();
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new HttpError(400, 'invalid-request', 'invalid query.days', [{ path: 'query.days', message: err.message }]);
  }
}
const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
export const scheduleBody = z
  .object({
    holidays: z.array(date).max(366).describe('days off (放假), including those falling on weekends'),
    workdays: z.array(date).max(366).describe('weekend days worked instead (调休上班)'),
  })
  .strict();

/** Says so when a count ran into a year without an official schedule (weekends only were off). */
const uncovered = (years: number[]) =>
  years.length === 0 ? {} : { uncoveredYears: years, warning: `no official schedule for ${years.join(', ')}: only weekends counted as off; an admin loads it with PUT /api/calendar/:year` };

export interface CalendarDeps {
  db: Db;
  /** Tells running projects that a year's schedule changed, so they re-arm their deadlines. */
  propagation: CalendarPropagation;
}

export function calendarRouter({ db, propagation }: CalendarDeps): Router {
  const router = Router();

  router.get('/working-days', async (req, res) => {
    const { from, to } = parse(workingDaysQuery, req.query, 'query');
    const calendar = await cachedCalendar(db);
    res.json({ from, to, workingDays: calendar.workingDaysBetween(from, to), ...uncovered(calendar.uncoveredYears(from, to)) });
  });

  router.get('/deadline', async (req, res) => {
    const { from, days } = parse(deadlineQuery, req.query, 'query');
    const calendar = await cachedCalendar(db);
    const deadline = deadlineOrRefuse(() => calendar.deadline(from, days));
    res.json({ from, days, deadline, ...uncovered(calendar.uncoveredYears(from, deadline)) });
  });

  router.get('/:year', async (req, res) => {
    const { year } = parse(yearParams, req.params, 'params');
    const schedule = await describeYear(db, year);
    if (!schedule) throw new HttpError(404, 'not-found', `no schedule for ${year}; an admin can load it with PUT /api/calendar/${year}`);
    // The schedule comes from the record; how far its last change reached running projects, from Temporal.
    const latest = await propagation.latest(year).catch((err: unknown) => {
      req.log?.warn({ err, year }, 'calendar propagation progress unavailable');
      return { state: 'unknown' as const, message: 'Temporal did not answer; progress unavailable' };
    });
    res.json({ ...schedule, ...(latest && { propagation: latest }) });
  });

  router.put('/:year', async (req, res) => {
    const { year } = parse(yearParams, req.params, 'params');
    const by = authorizeRole(req, ['admin'], 'load a calendar year');
    const body = parse(scheduleBody, req.body, 'body');
    const problem = scheduleProblem(year, body);
    if (problem) throw new HttpError(400, 'invalid-request', `invalid body: ${problem}`, [{ path: 'body', message: problem }]);
    await saveYear(db, year, body, by.id);
    // 202: the schedule is stored; running projects are told in the background (see propagation).
    const started = await propagation.start(year, by.id);
    res.status(202).json({ ...(await describeYear(db, year)), propagation: started });
  });

  return router;
}
