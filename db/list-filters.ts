// The list's worklist filters, decided in SQL so that they hold with pagination: the facts the record
// keeps beside each project for them (written by writeProjectRecord, filled in for older rows by
// migration 0003), and the conditions that read them.
//
// The light (审批时限) depends on today and on the working-day calendar, both of which change without the
// project changing, so it cannot be stored. What is stored is the clock's calendar-free basis (dates:
// acceptance, decision, correction pauses; the limit), and the query evaluates stageClock's formula on
// it for the list's own `now` with the very calendar the list computes each row's clock with — so the
// filter and the `clock.light` shown agree by construction, also right after an admin loads a year.
import { sql, type Expression, type RawBuilder } from 'kysely';
import { shanghaiDate, type WorkingCalendar } from '../domain/calendar';
import type { Party } from '../domain/codes';
import type { UrgencyKey } from '../domain/schemas';
import { currentAttempt, listedClockBasis, pendingParties, stageRecord, type ProjectState, type UtilityPush } from '../domain/project';

/** The columns of `projects` that the list filters and the statistics read. */
export function listFacts(state: ProjectState) {
  const basis = listedClockBasis(state);
  const record = state.currentStage ? stageRecord(state, state.currentStage) : undefined;
  const attempt = record && currentAttempt(record);
  return {
    pending_parties: JSON.stringify(record ? pendingParties(record) : []),
    clock_accepted_on: basis?.acceptedOn ?? null,
    clock_limit_days: basis?.limitDays ?? null,
    clock_ends_on: basis?.endsOn ?? null,
    clock_pauses: basis ? JSON.stringify(basis.pauses) : null,
    clock_paused_since: basis?.pausedSince ?? null,
    // The statistics' open part (api/stats.ts, migration 0012).
    open_since: attempt?.outcome === 'open' ? attempt.submittedAt : null,
  };
}

/**
 * Working days from a fixed Monday up to and including `day`, as the calendar counts them: weekdays (by
 * arithmetic) less the weekdays off plus the weekend days worked, each of those a binary search
 * (width_bucket answers how many elements of a sorted array are <= the date) in the arrays `cal.off`
 * and `cal.worked`. Working days after x up to y are then greatest(0, ordinal(y) - ordinal(x)),
 * WorkingCalendar.workingDaysBetween's count.
 */
function ordinal(day: Expression<string>): RawBuilder<number> {
  // 1970-01-05 was a Monday; the n days from it up to `day` inclusive hold 5 weekdays per whole week.
  const n = sql<number>`(${day} - date '1970-01-05' + 1)`;
  return sql<number>`(5 * (${n} / 7) + least(${n} % 7, 5) - width_bucket(${day}, cal.off) + width_bucket(${day}, cal.worked))`;
}

const between = (from: Expression<string>, to: Expression<string>) => sql<number>`greatest(0, ${ordinal(to)} - ${ordinal(from)})`;

/** A sorted date list as a date[] parameter; the leading sentinel keeps it non-empty for width_bucket
 *  and, counted for every date, cancels out of every difference. */
const dateArray = (dates: string[]) => sql`${`{1900-01-01${dates.map((d) => `,${d}`).join('')}}`}::date[]`;

/** The calendar as the one-row table `cal` (its off weekdays, worked weekend days, and today at `now`)
 *  that listedUsedDays reads; bound once per query. */
export function calendarRow(calendar: WorkingCalendar, now: number): RawBuilder<unknown> {
  const { offWeekdays, workedWeekends } = calendar.exceptions();
  // offset 0 keeps the row a subquery of its own, evaluated once: pulled up into the outer query, its
  // casts of the date lists would be evaluated again for every row that reads them.
  return sql`(select ${dateArray(offWeekdays)} as off, ${dateArray(workedWeekends)} as worked, ${shanghaiDate(now)}::date as today offset 0) as cal`;
}

/**
 * stageClock's usedDays of the clock a list shows, at `cal.today`, in SQL (`cal` in scope): working
 * days from acceptance to the decision (or today), less the finished pauses and the running one. Null
 * for a project whose list shows no clock.
 */
export function listedUsedDays(): RawBuilder<number | null> {
  const end = sql<string>`coalesce(projects.clock_ends_on, cal.today)`;
  // Most clocks were never paused: their empty list skips the subquery (one per row of a list).
  const finished = sql<number>`case when projects.clock_pauses = '[]'::jsonb then 0 else (select coalesce(sum(${between(sql`(p ->> 0)::date`, sql`(p ->> 1)::date`)}), 0) from jsonb_array_elements(projects.clock_pauses) as p) end`;
  const running = sql<number>`coalesce(${between(sql.ref('projects.clock_paused_since'), end)}, 0)`;
  return sql`case when projects.clock_accepted_on is null then null
    else greatest(0, ${between(sql.ref('projects.clock_accepted_on'), end)} - ${finished} - ${running}) end`;
}

/**
 * The light of the clock a list shows, at `now`, in SQL: listedUsedDays against the limit. Null for a
 * project whose list shows no clock. The calendar is bound once per query.
 */
export function listedLight(calendar: WorkingCalendar, now: number): RawBuilder<'green' | 'yellow' | 'red' | null> {
  // A clock counts no more working days than there are days from its acceptance to its end (today, for
  // one still running), so one whose span is under 75 % of its limit in calendar days is green without
  // counting: most open clocks, on a district's or a city's caseload. The others are counted.
  return sql`case when projects.clock_accepted_on is null then null
    when (coalesce(projects.clock_ends_on, ${shanghaiDate(now)}::date) - projects.clock_accepted_on) * 4 < projects.clock_limit_days * 3 then 'green'
    else (select ${lightOf(sql`u.used`, ['red', 'yellow', 'green', null])}
      from ${calendarRow(calendar, now)}
      cross join lateral (select ${listedUsedDays()} as used) as u) end`;
}

/** stageClock's light for `used` working days against the limit, as one of `values` (red, yellow, green,
 *  no clock). */
const lightOf = (used: RawBuilder<number | null>, values: (string | number | null)[]) => {
  const [red, yellow, green, none] = values.map((v) => sql.lit(v));
  return sql`case when ${used} is null then ${none}
      when ${used} > projects.clock_limit_days then ${red}
      when ${used} * 4 >= projects.clock_limit_days * 3 then ${yellow} -- from 75 % of the limit, in integers
      else ${green} end`;
};

/**
 * A worklist's urgency (order=urgency), at `now`, as an int[] that sorts ascending most urgent first
 * (arrays compare element by element): the light's rank (red 0, yellow 1, green 2, no clock 3), the day
 * the stage was accepted (days since 2000-01-01; none last), the working days used negated (most first).
 * The same light as listedLight, so the order agrees with the clock each row shows; a key rather than an
 * ORDER BY of three expressions so that a page's last key is the cursor the next page starts after.
 */
export function listedUrgency(calendar: WorkingCalendar, now: number): RawBuilder<UrgencyKey> {
  return sql`(select array[${lightOf(sql`u.used`, [0, 1, 2, 3])},
      coalesce(projects.clock_accepted_on, date '9999-12-31') - date '2000-01-01',
      -coalesce(u.used, 0)]::int[]
    from ${calendarRow(calendar, now)}
    cross join lateral (select ${listedUsedDays()} as used) as u)`;
}

/** Projects whose open stage attempt still waits for `party`'s sign-off (a correction pause included). */
export const pendingFor = (party: Party) => sql<boolean>`projects.pending_parties @> ${JSON.stringify([party])}::jsonb`;

/** Projects with a utility push in `status`. */
export const withPush = (status: UtilityPush['status']) =>
  sql<boolean>`exists (select from utility_pushes where utility_pushes.project_id = projects.id and utility_pushes.status = ${status})`;
