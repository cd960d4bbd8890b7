// npm run forecast:evaluate — how well the red-light forecast (domain/forecast.ts) warns, against today's
// yellow light (75 % of the limit), on a synthetic caseload whose truth is known.
//
// An in-memory simulation, not the Temporal one (scripts/simulate.ts): thousands of attempts replayed
// through workflows would take hours. It uses the real forecast module and the real working-day calendar
// (the shipped 2024–2026 schedules). Each party signs each stage after a duration drawn from a known
// distribution — log-normal around a median of its own (some parties slow), longer when its queue is
// long, and one department slowing down mid-way (what recency weighting is for). Corrections are not
// simulated. Every working day both methods look at the attempts then open and not yet red, with only
// the sign-offs given before that day; a flag is right when the attempt turns red at least 2 working
// days later. Seeded, so the figures it prints are the same on every run.
import { shippedYear } from '../db/calendar';
import { WorkingCalendar } from '../domain/calendar';
import { STAGES, UTILITIES, type Stage } from '../domain/codes';
import { buildHistory, DEFAULT_FORECAST_OPTIONS, forecastStage, yellowLight, type PastSignOff } from '../domain/forecast';
import { DEFAULT_POLICY } from '../domain/policy';

const LEAD = 2;
const WARM_UP = 80; // working days of history before attempts are scored
const THRESHOLDS = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);

/** mulberry32: a small seeded generator, so the caseload is the same on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20261128);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const poisson = (lambda: number) => {
  let k = 0;
  const u = random();
  for (let p = Math.exp(-lambda), s = p; u > s && k < 100; ) {
    k++;
    p *= lambda / k;
    s += p;
  }
  return k;
};

// The known truth: each party's median working days per stage (limits 15, 10, 5, 3).
const MEDIAN: Record<Stage, Record<string, number>> = {
  design: { planning: 7, construction: 8, water: 11 },
  permit: { construction: 6, planning: 4, water: 5, 'civil-defense': 8 },
  acceptance: { construction: 2, planning: 2, 'civil-defense': 2, water: 2, greening: 3.5, archives: 1.5 },
  connection: { power: 1.5, 'water-supply': 1.5, gas: 2.5, drainage: 1.2, telecom: 1 },
};
const SIGMA = 0.35;
/** Arrivals per working day, per stage. */
const RATE: Record<Stage, number> = { design: 0.6, permit: 0.6, acceptance: 0.8, connection: 0.8 };
/** A party with more than QUEUE attempts waiting slows down: ×(1 + (q − QUEUE) / 30). */
const QUEUE = 10;
/** Mid-way construction slows down by this much (a staff change), from working day DRIFT_AT. */
const DRIFT = 1.3;
const DRIFT_AT = 300;

const years = [2024, 2025, 2026];
const calendar = new WorkingCalendar(Object.fromEntries(years.map((y) => [y, shippedYear(y) ?? { holidays: [], workdays: [] }])));
const days: string[] = [];
for (let d = Date.parse('2024-01-02T00:00:00Z'); d <= Date.parse('2026-12-31T00:00:00Z'); d += 86_400_000) {
  const date = new Date(d).toISOString().slice(0, 10);
  if (calendar.isWorkingDay(date)) days.push(date);
}
const T = days.length;
// FORECAST_QUEUE_ELASTICITY=0 runs the model without its queue adjustment (an ablation).
const options = { ...DEFAULT_FORECAST_OPTIONS, queueElasticity: Number(process.env.FORECAST_QUEUE_ELASTICITY ?? DEFAULT_FORECAST_OPTIONS.queueElasticity) };

interface Sim {
  stage: Stage;
  limit: number;
  accepted: number;
  /** The working-day index each party signs on. */
  signs: Record<string, number>;
  /** The working-day index it turns red on, or null if decided in time. */
  red: number | null;
  decided: number;
  /** Per threshold, the first day the forecast flagged it (not yet red); the baseline's likewise. */
  forecastFlag: (number | null)[];
  baselineFlag: number | null;
}

const open: Sim[] = [];
const done: Sim[] = [];
const signOffs: PastSignOff[] = [];
const queueOf = (party: string, t: number) => open.filter((a) => (a.signs[party] ?? -1) >= t).length;

const started = Date.now();
for (let t = 0; t < T; t++) {
  for (const stage of STAGES) {
    for (let n = poisson(RATE[stage]); n > 0; n--) {
      const parties = stage === 'connection' ? UTILITIES.filter(() => random() < 0.5).slice(0, 3) : Object.keys(MEDIAN[stage]);
      if (parties.length === 0) parties.push('power');
      const limit = DEFAULT_POLICY.stageLimitDays[stage];
      const signs: Record<string, number> = {};
      for (const party of parties) {
        const q = queueOf(party, t);
        const load = 1 + Math.max(0, q - QUEUE) / 30;
        const drift = party === 'construction' && t >= DRIFT_AT ? DRIFT : 1;
        const days = Math.max(1, Math.round((MEDIAN[stage][party] ?? 2) * drift * load * Math.exp(SIGMA * normal())));
        signs[party] = t + days;
      }
      const decided = Math.max(...Object.values(signs));
      open.push({ stage, limit, accepted: t, signs, decided, red: decided - t > limit ? t + limit + 1 : null, forecastFlag: THRESHOLDS.map(() => null), baselineFlag: null });
    }
  }
  // Both methods, on what is open today and not yet red, knowing the sign-offs before today.
  const today = days[t] as string;
  const history = buildHistory(signOffs, today, calendar, options);
  const queues: Record<string, number> = {};
  for (const a of open) for (const [party, day] of Object.entries(a.signs)) if (day >= t) queues[party] = (queues[party] ?? 0) + 1;
  for (const a of open) {
    const usedDays = t - a.accepted;
    if (usedDays > a.limit) continue;
    const pending = Object.entries(a.signs).flatMap(([party, day]) => (day >= t ? [party] : []));
    if (a.baselineFlag === null && yellowLight({ usedDays, limitDays: a.limit })) a.baselineFlag = t;
    const f = forecastStage(history, calendar, { stage: a.stage, limitDays: a.limit, usedDays, pending }, queues, options);
    if (f) THRESHOLDS.forEach((th, i) => void (a.forecastFlag[i] === null && f.pExceeds >= th && (a.forecastFlag[i] = t)));
  }
  // Today's sign-offs enter the record at the end of the day.
  for (let i = open.length - 1; i >= 0; i--) {
    const a = open[i] as Sim;
    for (const [party, day] of Object.entries(a.signs)) if (day === t) signOffs.push({ party, stage: a.stage, workingDays: day - a.accepted, decidedOn: today });
    if (a.decided <= t) done.push(...open.splice(i, 1));
  }
}

// Scored: attempts accepted after the warm-up and decided within the simulated days.
const scored = done.filter((a) => a.accepted >= WARM_UP);
const reds = scored.filter((a) => a.red !== null);

interface Score {
  flagged: number;
  correct: number;
  precision: number;
  recall: number;
  /** Mean working days between the first flag and red, over the attempts flagged that turned red. */
  lead: number;
}
function score(first: (a: Sim) => number | null, subset = scored): Score {
  const flagged = subset.filter((a) => first(a) !== null);
  const correct = flagged.filter((a) => a.red !== null && a.red - (first(a) as number) >= LEAD);
  const warned = flagged.filter((a) => a.red !== null);
  const lead = warned.reduce((s, a) => s + ((a.red as number) - (first(a) as number)), 0) / (warned.length || 1);
  const red = subset.filter((a) => a.red !== null).length;
  return { flagged: flagged.length, correct: correct.length, precision: correct.length / (flagged.length || 1), recall: correct.length / (red || 1), lead };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`.padStart(7);
const row = (name: string, s: Score) => `${name.padEnd(26)} ${String(s.flagged).padStart(7)} ${pct(s.precision)} ${pct(s.recall)} ${s.lead.toFixed(1).padStart(9)}`;
const header = `${'method'.padEnd(26)} ${'flagged'.padStart(7)} ${'precision'.padStart(7)} ${'recall'.padStart(7)} ${'lead (wd)'.padStart(9)}`;

console.log(`Synthetic caseload: ${done.length + open.length} stage attempts over ${T} working days (${days[0]} to ${days[T - 1]}), ${signOffs.length} sign-offs; simulated and forecast in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
console.log(`Scored: ${scored.length} attempts accepted after a warm-up of ${WARM_UP} working days and decided, of which ${reds.length} turned red (${pct(reds.length / scored.length).trim()}).`);
console.log(`A flag is right when the attempt turns red at least ${LEAD} working days after it; precision = right flags / flagged attempts, recall = right flags / attempts that turned red.\n`);

const baseline = score((a) => a.baselineFlag);
const forecasts = THRESHOLDS.map((th, i) => ({ th, s: score((a) => a.forecastFlag[i] ?? null) }));
console.log(header);
console.log(row('baseline: yellow at 75 %', baseline));
for (const { th, s } of forecasts) console.log(row(`forecast: P ≥ ${th.toFixed(2)}`, s));

// At equal precision: the forecast's lowest threshold whose precision is at least the baseline's.
const match = forecasts.find((f) => f.s.precision >= baseline.precision);
console.log('\nPer stage (baseline; forecast at the matched threshold):');
for (const stage of STAGES) {
  const subset = scored.filter((a) => a.stage === stage);
  const i = match ? THRESHOLDS.indexOf(match.th) : 0;
  console.log(row(`  ${stage} baseline`, score((a) => a.baselineFlag, subset)));
  console.log(row(`  ${stage} forecast`, score((a) => a.forecastFlag[i] ?? null, subset)));
}
if (!match) {
  console.log(`\nNo forecast threshold reaches the baseline's precision (${pct(baseline.precision).trim()}).`);
  process.exit(1);
}
// The bar: a longer lead time at equal precision. Recall is printed beside it, not hidden.
const beats = match.s.lead > baseline.lead;
console.log(
  `\nAt equal precision (forecast P ≥ ${match.th.toFixed(2)}: ${pct(match.s.precision).trim()} vs the baseline's ${pct(baseline.precision).trim()}): ` +
    `recall ${pct(match.s.recall).trim()} vs ${pct(baseline.recall).trim()}, mean lead ${match.s.lead.toFixed(1)} vs ${baseline.lead.toFixed(1)} working days — ` +
    (beats ? 'the forecast warns earlier.' : 'the forecast does NOT warn earlier than the baseline.'),
);
process.exit(beats ? 0 : 1);
