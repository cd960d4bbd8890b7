// Next year's working-day calendar from the State Council's notice: an admin pastes the notice's text,
// sees what it says (a preview: the days, and how they differ from the schedule the service has for the
// year), then loads it as PUT /api/calendar/:year does. And the way back: removing a loaded year, so the
// shipped schedule — or, for a year the service does not ship, weekends only — applies again.
import { Router } from 'express';
import { z } from '../domain/zod';
import { changesCounting, NoticeProblem, noticeProblems, parseHolidayNotice, type ParsedNotice } from '../domain/holiday-notice';
import { scheduleProblem, type YearSchedule } from '../domain/calendar';
import { cachedCalendar, describeYear, removeYear, saveYear } from '../db/calendar';
import type { Db } from '../db/connect';
import { authorizeRole } from './auth';
import type { CalendarPropagation } from './calendar-propagation';
import { HttpError, parse } from './errors';

export const noticeParams = z.object({ year: z.coerce.number().int().min(2000).max(2099) });
export const noticeBody = z
  .object({
    text: z.string().trim().min(1, 'must be the text of the notice').max(20_000).describe('the notice as published: 国务院办公厅关于YYYY年部分节假日安排的通知'),
    preview: z.boolean().optional().describe('true: answer what the notice says and how it differs, and load nothing'),
  })
  .strict();

const refuse = (problems: string[]): never => {
  throw new HttpError(400, 'invalid-request', `invalid body.text: ${problems.join('; ')}`, problems.map((message) => ({ path: 'body.text', message })));
};

const minus = (a: string[], b: string[]) => a.filter((d) => !b.includes(d));

interface Reading {
  notice: ParsedNotice;
  /** What would be stored for the year: the notice's days inside it. */
  schedule: YearSchedule;
  /** The notice's days in a neighbouring year (元旦 from 31 December), and whether that year's schedule has them. */
  outsideYear: { date: string; kind: 'holiday' | 'workday'; changesCounting: boolean; inSchedule: boolean }[];
  current: { source: 'chinese-days' | 'admin' | 'none'; loadedBy?: string; loadedAt?: string; holidays: string[]; workdays: string[] };
  differences: { holidaysAdded: string[]; holidaysRemoved: string[]; workdaysAdded: string[]; workdaysRemoved: string[] };
}

/** Reads the notice for `year`, or refuses (400) with every reason, each naming its day. */
async function read(db: Db, year: number, text: string): Promise<Reading> {
  let notice: ParsedNotice;
  try {
    notice = parseHolidayNotice(text);
  } catch (err) {
    if (err instanceof NoticeProblem) return refuse([err.message]);
    throw err;
  }
  const problems = noticeProblems(notice, year);
  if (problems.length > 0) refuse(problems);
  const inYear = (d: string) => d.startsWith(`${year}-`);
  const schedule = { holidays: notice.holidays.filter(inYear), workdays: notice.workdays.filter(inYear) };
  const stored = scheduleProblem(year, schedule);
  if (stored) refuse([stored]);

  // A day of a neighbouring year belongs to that year's schedule, which this load does not change. One
  // that changes the count (a weekday off, a weekend day worked) must already be there, or the count
  // would silently differ from the notice.
  const calendar = await cachedCalendar(db);
  const outsideYear = [
    ...notice.holidays.filter((d) => !inYear(d)).map((date) => ({ date, kind: 'holiday' as const })),
    ...notice.workdays.filter((d) => !inYear(d)).map((date) => ({ date, kind: 'workday' as const })),
  ].map((o) => ({ ...o, changesCounting: changesCounting(o.date, o.kind), inSchedule: calendar.covers(o.date) && calendar.isWorkingDay(o.date) === (o.kind === 'workday') }));
  const missing = outsideYear.filter((o) => o.changesCounting && !o.inSchedule);
  if (missing.length > 0) {
    refuse(missing.map((o) => `${o.date} (${o.kind === 'holiday' ? 'a day off' : 'a working day'}) belongs to ${o.date.slice(0, 4)}, whose schedule does not have it: load ${o.date.slice(0, 4)}'s schedule with it first`));
  }

  const described = await describeYear(db, year);
  const current = described
    ? { source: described.source, ...(described.loadedBy && { loadedBy: described.loadedBy }), ...(described.loadedAt && { loadedAt: described.loadedAt }), holidays: [...described.holidays].sort(), workdays: [...described.workdays].sort() }
    : { source: 'none' as const, holidays: [], workdays: [] };
  return {
    notice,
    schedule,
    outsideYear,
    current,
    differences: {
      holidaysAdded: minus(schedule.holidays, current.holidays),
      holidaysRemoved: minus(current.holidays, schedule.holidays),
      workdaysAdded: minus(schedule.workdays, current.workdays),
      workdaysRemoved: minus(current.workdays, schedule.workdays),
    },
  };
}

export interface CalendarNoticeDeps {
  db: Db;
  /** Tells running projects that a year's schedule changed, so they re-arm their deadlines. */
  propagation: CalendarPropagation;
}

export function calendarNoticeRouter({ db, propagation }: CalendarNoticeDeps): Router {
  const router = Router();

  router.post('/:year/notice', async (req, res) => {
    const by = authorizeRole(req, ['admin'], 'load a calendar year');
    const { year } = parse(noticeParams, req.params, 'params');
    const { text, preview } = parse(noticeBody, req.body, 'body');
    const reading = await read(db, year, text);
    const { notice, ...rest } = reading;
    const summary = { festivals: notice.festivals, holidays: notice.holidays, workdays: notice.workdays };
    if (preview) {
      res.json({ year, preview: true, notice: summary, ...rest });
      return;
    }
    await saveYear(db, year, reading.schedule, by.id);
    // 202 as PUT: stored; running projects are told in the background.
    const started = await propagation.start(year, by.id);
    res.status(202).json({ ...(await describeYear(db, year)), notice: summary, differences: reading.differences, propagation: started });
  });

  router.delete('/:year', async (req, res) => {
    const by = authorizeRole(req, ['admin'], 'remove a loaded calendar year');
    const { year } = parse(noticeParams, req.params, 'params');
    const removed = await removeYear(db, year);
    if (!removed) throw new HttpError(404, 'not-found', `no schedule was loaded for ${year}; ${(await describeYear(db, year)) ? 'the shipped one' : 'weekends only'} already applies`);
    const started = await propagation.start(year, by.id);
    const now = (await describeYear(db, year)) ?? { year, source: 'none' as const, holidays: [], workdays: [] };
    res.status(202).json({ year, removed: { loadedBy: removed.loadedBy, loadedAt: removed.loadedAt, holidays: removed.holidays, workdays: removed.workdays }, now, propagation: started });
  });

  return router;
}

// ---- the OpenAPI entries (registered by api/openapi.ts) ----

const day = z.iso.date();
const festival = z.object({ name: z.string().describe('the item’s heading, e.g. 国庆节、中秋节'), holidays: z.array(day), workdays: z.array(day) });
const noticeSummary = z.object({ festivals: z.array(festival), holidays: z.array(day), workdays: z.array(day) }).describe('every day the notice names, some perhaps just outside the year (元旦 from 31 December)');
const differences = z
  .object({ holidaysAdded: z.array(day), holidaysRemoved: z.array(day), workdaysAdded: z.array(day), workdaysRemoved: z.array(day) })
  .describe('the notice’s days in the year against the schedule the service has for it now');
const scheduleSource = z.enum(['chinese-days', 'admin', 'none']).describe('shipped, loaded by an admin, or none (weekends only)');
const storedYear = z.object({ year: z.number().int(), holidays: z.array(day), workdays: z.array(day), source: scheduleSource, loadedBy: z.string().optional(), loadedAt: z.string().optional() });
const propagationSchema = z
  .object({
    jobId: z.string(),
    state: z.enum(['starting', 'running', 'completed', 'failed']),
    completed: z.number().int(),
    failed: z.number().int(),
    total: z.number().int(),
    startedAt: z.string().optional(),
    closedAt: z.string().optional(),
  })
  .describe('the batch job telling running projects');

export const noticePreviewResponse = z
  .object({
    year: z.number().int(),
    preview: z.literal(true),
    notice: noticeSummary,
    schedule: z.object({ holidays: z.array(day), workdays: z.array(day) }).describe('what loading it stores for the year'),
    outsideYear: z.array(z.object({ date: day, kind: z.enum(['holiday', 'workday']), changesCounting: z.boolean(), inSchedule: z.boolean() })).describe('days of a neighbouring year, which this load leaves to that year’s schedule'),
    current: z.object({ source: scheduleSource, loadedBy: z.string().optional(), loadedAt: z.string().optional(), holidays: z.array(day), workdays: z.array(day) }),
    differences,
  })
  .openapi('HolidayNoticePreview');
export const noticeLoadResponse = storedYear.extend({ notice: noticeSummary, differences, propagation: propagationSchema }).openapi('HolidayNoticeLoaded');
export const yearRemovedResponse = z
  .object({
    year: z.number().int(),
    removed: z.object({ loadedBy: z.string().optional(), loadedAt: z.string().optional(), holidays: z.array(day), workdays: z.array(day) }),
    now: storedYear.describe('what applies now: the shipped schedule, or none (weekends only)'),
    propagation: propagationSchema,
  })
  .openapi('CalendarYearRemoved');

type Json = (schema: z.ZodType, description: string) => object;
export function registerCalendarNoticePaths(
  registry: { registerPath(route: object): void; register<T extends z.ZodType>(name: string, schema: T): T },
  { security, json, errors, unavailable }: { security: object[]; json: Json; errors: object; unavailable: object },
): void {
  const params = z.object({ year: z.number().int() });
  registry.registerPath({
    method: 'post',
    path: '/api/calendar/{year}/notice',
    summary: "Read the State Council's holiday notice for a year (admin): with preview, the days and how they differ; without, load them as PUT /api/calendar/{year}",
    description:
      'Refused (400, each reason naming its day): text with no recognisable days, a notice for another year than the path, an adjusted working day on a weekday, a day outside the year and its neighbourhood (December before to January after), a stated weekday or day count that disagrees with the dates.',
    security,
    request: { params, body: { content: { 'application/json': { schema: registry.register('HolidayNotice', noticeBody) } } } },
    responses: {
      200: json(noticePreviewResponse, 'preview: what the notice says, what loading it would store, and how that differs from the schedule now'),
      202: json(noticeLoadResponse, 'loaded (recorded with who loaded it); running projects are told in the background'),
      ...errors,
      503: unavailable,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/calendar/{year}',
    summary: "Remove a year an admin loaded (admin): the shipped schedule, or weekends only, applies again; running projects re-arm",
    security,
    request: { params },
    responses: { 202: json(yearRemovedResponse, 'removed, with what applies now'), ...errors, 503: unavailable },
  });
}
