// The red-light forecast (红灯预测): for an open stage attempt, when each pending party will likely sign and
// the chance that the stage exceeds its limit, from the record's own history. Pure: the API feeds it the
// record's sign-offs and open attempts, the evaluation script (scripts/forecast-evaluate.ts) a synthetic
// caseload whose truth it knows.
//
// The model, per pending party p on stage s, at `today` with u working days used (corrections excluded):
//  1. Samples: the working days p took on s in its sign-offs (approve or reject) of the past year, each
//     weighted by recency, w = 2^(-age / halfLifeDays), age in calendar days since the sign-off. Few samples are
//     topped up by the stage's pooled history of every party (worth `priorWeight` fresh samples), so one
//     lucky sign-off does not decide; with no history for the stage at all the prior is uniform over
//     1…limit working days (no evidence of lateness: the forecast then says no more than the clock).
//  2. Conditioned on what is known: p has not signed yet with u days used (today counted, and it may
//     still sign today), so only samples d ≥ u count; the remaining days are d − u. When no sample is
//     that long, p is past everything history knows and is taken to sign on the next working day.
//  3. Queue: the remaining days are scaled by (q / q̄)^queueElasticity, clamped to [1, 2], where q is the
//     attempts waiting for p now and q̄ its usual queue by Little's law (sign-offs per working day in the
//     history window × their mean duration). A party with twice its usual pile signs later.
//  4. P(p exceeds) is the weighted share of remaining days with u + r > limit; the stage exceeds when
//     any pending party does, taken as independent: 1 − Π(1 − P_p). The party holding it up is the one
//     most likely to exceed (then the latest expected). Expected dates are the weighted median.
// A paused attempt (a correction not yet supplemented) is forecast as if the clock resumed today: when
// the applicant hands in the supplement is not the departments' doing and is not modelled.
import type { WorkingCalendar } from './calendar';

export interface PastSignOff {
  party: string;
  stage: string;
  /** Working days from the attempt's acceptance to this sign-off, correction pauses excluded. */
  workingDays: number;
  /** The Shanghai date it was given. */
  decidedOn: string;
}

export interface OpenAttempt {
  stage: string;
  limitDays: number;
  /** Working days used so far (corrections excluded). */
  usedDays: number;
  /** Parties whose sign-off is still awaited. */
  pending: string[];
}

export interface ForecastOptions {
  /** Calendar days after which a past sign-off counts half. */
  halfLifeDays: number;
  /** How many samples' worth the stage's pooled history adds to a party's own. */
  priorWeight: number;
  /** Exponent of the queue adjustment (0: none). */
  queueElasticity: number;
}

export const DEFAULT_FORECAST_OPTIONS: ForecastOptions = { halfLifeDays: 90, priorWeight: 2, queueElasticity: 0.5 };

export interface PartyForecast {
  party: string;
  /** Working days from today until its sign-off is expected (the weighted median; 0: today). */
  expectedInDays: number;
  expectedOn: string;
  /** Probability that its sign-off comes after the limit. */
  pExceeds: number;
  /** Effective number of its own past sign-offs behind the estimate (0: the stage's pool or the prior). */
  evidence: number;
}

export interface StageForecast {
  /** The pending party most likely to push the stage over its limit. */
  holdingParty: string;
  /** When that party's sign-off is expected. */
  expectedOn: string;
  /** Probability that the stage exceeds its limit. */
  pExceeds: number;
  /** The first day the stage's light turns red if nobody signs before: the working day after the limit. */
  redOn: string;
  parties: PartyForecast[];
}

/** What the model knows of the past, built once per forecast run from the sign-offs known by `today`. */
export interface History {
  today: string;
  /** Per stage and party: [workingDays, weight] pairs, one per distinct duration; per stage: every party's. */
  byPartyStage: Map<string, [number, number][]>;
  byStage: Map<string, [number, number][]>;
  /** Per party: its usual queue by Little's law (undefined: no history). */
  usualQueue: Map<string, number>;
}

const DAY = 24 * 60 * 60 * 1000;
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

/** How far back the history reaches: older sign-offs weigh little (2^-4 at a 90-day half-life). */
export const HISTORY_DAYS = 365;

/** Index the sign-offs of the year before `today` (later ones are unknown at `today`), weighted by age. */
export function buildHistory(signOffs: PastSignOff[], today: string, calendar: WorkingCalendar, options = DEFAULT_FORECAST_OPTIONS): History {
  // Durations are small integers: summed per duration, a year of sign-offs is a few dozen samples.
  const byPartyStage = new Map<string, Map<number, number>>();
  const byStage = new Map<string, Map<number, number>>();
  const add = (m: Map<string, Map<number, number>>, key: string, days: number, weight: number) => {
    const h = m.get(key) ?? m.set(key, new Map()).get(key);
    h?.set(days, (h.get(days) ?? 0) + weight);
  };
  const perParty = new Map<string, { n: number; total: number }>();
  let first = today;
  for (const s of signOffs) {
    const age = daysBetween(s.decidedOn, today);
    if (age <= 0 || age > HISTORY_DAYS) continue;
    const weight = Math.pow(2, -age / options.halfLifeDays);
    add(byPartyStage, `${s.stage}/${s.party}`, s.workingDays, weight);
    add(byStage, s.stage, s.workingDays, weight);
    const p = perParty.get(s.party) ?? { n: 0, total: 0 };
    p.n++;
    p.total += s.workingDays;
    perParty.set(s.party, p);
    if (s.decidedOn < first) first = s.decidedOn;
  }
  // Little's law: L = λW, λ over the working days the history covers.
  const span = Math.max(1, calendar.workingDaysBetween(first, today));
  const usualQueue = new Map([...perParty].map(([party, p]) => [party, (p.n / span) * (p.total / p.n)]));
  const merged = (m: Map<string, Map<number, number>>) => new Map([...m].map(([k, v]) => [k, [...v]] as [string, [number, number][]]));
  return { today, byPartyStage: merged(byPartyStage), byStage: merged(byStage), usualQueue };
}

/** The weighted samples for one party on one stage: its own, topped up by the pool, or the prior. */
function samples(history: History, stage: string, party: string, limitDays: number, options: ForecastOptions): { samples: [number, number][]; evidence: number } {
  const own = history.byPartyStage.get(`${stage}/${party}`) ?? [];
  const pool = history.byStage.get(stage) ?? [];
  const ownWeight = own.reduce((s, [, w]) => s + w, 0);
  if (pool.length === 0) {
    return { samples: Array.from({ length: Math.max(1, limitDays) }, (_, i) => [i + 1, 1] as [number, number]), evidence: 0 };
  }
  const poolWeight = pool.reduce((s, [, w]) => s + w, 0);
  // The pool weighs as much as `priorWeight` of the party's own sign-offs given today (old ones weigh less).
  const scale = options.priorWeight / poolWeight;
  return { samples: [...own, ...pool.map(([d, w]) => [d, w * scale] as [number, number])], evidence: Math.round(ownWeight * 10) / 10 };
}

/** The weighted median of values. */
function weightedMedian(values: [number, number][]): number {
  const sorted = [...values].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  for (const [v, w] of sorted) {
    acc += w;
    if (acc >= total / 2) return v;
  }
  return sorted[sorted.length - 1]?.[0] ?? 0;
}

/** One pending party's forecast. `queue`: attempts waiting for it now (this one included). */
export function forecastParty(
  history: History,
  calendar: WorkingCalendar,
  attempt: OpenAttempt,
  party: string,
  queue: number,
  options = DEFAULT_FORECAST_OPTIONS,
): PartyForecast {
  const { samples: all, evidence } = samples(history, attempt.stage, party, attempt.limitDays, options);
  const usual = history.usualQueue.get(party);
  // Only a longer queue than usual lengthens the wait: a short one does not make a party faster than
  // its own record (its durations are its pace as much as its pile).
  const factor = usual && usual > 0 && options.queueElasticity ? Math.min(2, Math.max(1, Math.pow(queue / usual, options.queueElasticity))) : 1;
  const u = attempt.usedDays;
  let remaining = all.filter(([d]) => d >= u).map(([d, w]) => [Math.ceil((d - u) * factor), w] as [number, number]);
  if (remaining.reduce((s, [, w]) => s + w, 0) <= 1e-9) remaining = [[1, 1]];
  const total = remaining.reduce((s, [, w]) => s + w, 0);
  const late = remaining.filter(([r]) => u + r > attempt.limitDays).reduce((s, [, w]) => s + w, 0);
  const expectedInDays = weightedMedian(remaining);
  return { party, expectedInDays, expectedOn: calendar.deadline(history.today, expectedInDays), pExceeds: late / total, evidence };
}

/** The forecast of one open attempt; null when nothing is pending. */
export function forecastStage(
  history: History,
  calendar: WorkingCalendar,
  attempt: OpenAttempt,
  queues: Record<string, number>,
  options = DEFAULT_FORECAST_OPTIONS,
): StageForecast | null {
  const parties = attempt.pending.map((p) => forecastParty(history, calendar, attempt, p, queues[p] ?? 1, options));
  const holding = [...parties].sort((a, b) => b.pExceeds - a.pExceeds || b.expectedInDays - a.expectedInDays)[0];
  if (!holding) return null;
  const pExceeds = 1 - parties.reduce((q, p) => q * (1 - p.pExceeds), 1);
  // Red once used days exceed the limit: the (limit − used + 1)th working day from today.
  const redOn = calendar.deadline(history.today, Math.max(0, attempt.limitDays - attempt.usedDays + 1));
  return { holdingParty: holding.party, expectedOn: holding.expectedOn, pExceeds, redOn, parties };
}

/** Today's yellow light, the baseline the forecast is measured against: from 75 % of the limit. */
export const yellowLight = (attempt: Pick<OpenAttempt, 'usedDays' | 'limitDays'>): boolean => attempt.usedDays >= 0.75 * attempt.limitDays;
