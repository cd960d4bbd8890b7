// The red-light forecast: the model's behaviour on histories made to order (pure, fast), then the
// forecast read from a record of the test's own — projects built with the domain's transitions at chosen
// instants and written by the record writer, forecast at a chosen `now` — and the endpoint over HTTP.
import { randomUUID } from 'node:crypto';
import { loadCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { writeProjectRecord } from '../db/record';
import { startOfShanghaiDay, WorkingCalendar, type WorkingCalendar as Calendar } from '../domain/calendar';
import type { Party } from '../domain/codes';
import { buildHistory, forecastStage, type PastSignOff } from '../domain/forecast';
import { DEFAULT_POLICY } from '../domain/policy';
import { applyApplication, applySignOff, newProjectState, registrationInput, type ProjectState, type Registration } from '../domain/project';
import { forecastResponse, redLightForecast } from '../api/forecast';
import { startApp } from './support/app';
import { reviewer, window } from './support/fixtures';
import { ownRecord, type OwnRecord } from './support/record-db';

describe('the model', () => {
  const calendar = new WorkingCalendar({});
  const today = '2025-06-02'; // a Monday
  const past = (party: string, stage: string, workingDays: number, decidedOn: string): PastSignOff => ({ party, stage, workingDays, decidedOn });
  const many = (n: number, f: (i: number) => PastSignOff) => Array.from({ length: n }, (_, i) => f(i));

  test('a party that always takes 12 working days on a 10-day limit is flagged, holding the stage up', () => {
    const history = buildHistory(
      [...many(20, () => past('water', 'permit', 12, '2025-05-01')), ...many(20, () => past('planning', 'permit', 3, '2025-05-01'))],
      today,
      calendar,
    );
    const f = forecastStage(history, calendar, { stage: 'permit', limitDays: 10, usedDays: 3, pending: ['planning', 'water'] }, { water: 1, planning: 1 });
    expect(f?.holdingParty).toBe('water');
    expect(f?.pExceeds).toBeGreaterThan(0.9);
    // Its 12 days, 3 of them used: 9 working days from Monday 2 June.
    expect(f?.parties.find((p) => p.party === 'water')).toMatchObject({ expectedOn: '2025-06-13', evidence: expect.any(Number) });
    expect(f?.redOn).toBe('2025-06-12'); // the 8th working day from today: 11 used
    // The fast party alone is not.
    const fast = forecastStage(history, calendar, { stage: 'permit', limitDays: 10, usedDays: 3, pending: ['planning'] }, {});
    expect(fast?.pExceeds).toBeLessThan(0.1);
  });

  test('an empty history falls back to a uniform 1…limit prior: no alarm the clock does not raise', () => {
    const history = buildHistory([], today, calendar);
    const f = forecastStage(history, calendar, { stage: 'design', limitDays: 15, usedDays: 4, pending: ['planning'] }, {});
    expect(f).toMatchObject({ holdingParty: 'planning', pExceeds: 0, parties: [{ evidence: 0 }] });
    // Sign-offs given today or later are not known today.
    expect(buildHistory([past('planning', 'design', 30, today)], today, calendar).byStage.size).toBe(0);
  });

  test('recent sign-offs weigh more than old ones, and a long queue lengthens the wait', () => {
    const slowLately = buildHistory([...many(10, () => past('water', 'design', 4, '2024-08-01')), ...many(10, () => past('water', 'design', 20, '2025-05-20'))], today, calendar);
    const fastLately = buildHistory([...many(10, () => past('water', 'design', 20, '2024-08-01')), ...many(10, () => past('water', 'design', 4, '2025-05-20'))], today, calendar);
    const attempt = { stage: 'design', limitDays: 15, usedDays: 2, pending: ['water'] };
    expect(forecastStage(slowLately, calendar, attempt, {})?.pExceeds).toBeGreaterThan(0.8);
    expect(forecastStage(fastLately, calendar, attempt, {})?.pExceeds).toBeLessThan(0.2);
    const usual = forecastStage(slowLately, calendar, { ...attempt, usedDays: 0 }, { water: 1 });
    const piledUp = forecastStage(slowLately, calendar, { ...attempt, usedDays: 0 }, { water: 40 });
    expect((piledUp?.expectedOn ?? '') > (usual?.expectedOn ?? '')).toBe(true);
  });
});

const on = (date: string, hour = 10) => new Date(startOfShanghaiDay(date) + hour * 3_600_000).toISOString();
const registration: Registration = {
  name: '山阳镇 预测厂房',
  applicant: { name: '上海山阳某某实业有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'industrial', // design: planning, construction, water
  major: false,
  locality: 'shanyang',
  utilities: ['power'],
};

function project(calendar: Calendar, accepted: string, signs: [Party, number][], overrides: Partial<Registration> = {}): ProjectState {
  const input = registrationInput({ ...registration, ...overrides }, randomUUID(), window, on(calendar.deadline(accepted, 0)), DEFAULT_POLICY);
  const state = newProjectState(input.project, input.plan, { policy: input.policy, autoConnection: true, agent: input.agent ?? null });
  applyApplication(state, { stage: 'design', by: window }, on(accepted));
  for (const [party, days] of [...signs].sort((a, b) => a[1] - b[1])) {
    applySignOff(state, { stage: 'design', party, decision: 'approve', by: reviewer(party) }, on(calendar.deadline(accepted, days), 11));
  }
  return state;
}

// Forecast on Monday 15 December 2025. Water has taken 18 working days on design (limit 15) all autumn;
// planning and construction 2–3.
const NOW = startOfShanghaiDay('2025-12-15') + 12 * 3_600_000;

describe('GET /api/forecast from the record', () => {
  let record: OwnRecord;
  let db: Db;
  let calendar: Calendar;
  const open: Record<string, ProjectState> = {};
  beforeAll(async () => {
    record = await ownRecord();
    db = record.service;
    calendar = await loadCalendar(db);
    const decided = ['2025-09-01', '2025-09-15', '2025-10-09', '2025-10-20', '2025-11-03'].map((d) =>
      project(calendar, d, [['planning', 2], ['construction', 3], ['water', 18]]),
    );
    // Open: waiting for water 6 working days in (agent-01's and agent-02's), for planning only, and one already red.
    const back = (n: number) => {
      let d = '2025-12-15';
      for (let left = n; left > 0; ) {
        d = new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
        if (calendar.isWorkingDay(d)) left--;
      }
      return d;
    };
    open.water = project(calendar, back(6), [['planning', 2], ['construction', 3]], { agent: 'agent-01' });
    open.water2 = project(calendar, back(8), [['planning', 2]], { agent: 'agent-02', locality: 'jinshanwei' });
    open.planning = project(calendar, back(1), [['water', 0], ['construction', 1]], { agent: 'agent-01' });
    open.red = project(calendar, back(17), [['planning', 2]], { agent: 'agent-01' });
    for (const state of [...decided, ...Object.values(open)]) await writeProjectRecord(db, state, calendar, Date.parse(state.trail[state.trail.length - 1]?.at ?? '') + 1);
  });
  afterAll(async () => record?.close());

  const forecast = (q: Partial<Parameters<typeof redLightForecast>[1]> = {}, scope = {}) =>
    redLightForecast(db, { threshold: 0.5, limit: 50, ...q }, scope, calendar, NOW);

  test('the stages waiting for a party that has been late all along, soonest red first; not the red one, not the fast one', async () => {
    const f = forecastResponse.parse(await forecast());
    expect(f.historySignOffs).toBe(15 + 6); // the decided projects' and the open ones' sign-offs
    expect(f.forecasts.map((x) => x.projectId)).toEqual([open.water2?.project.id, open.water?.project.id]);
    const [first, second] = f.forecasts;
    expect(second).toMatchObject({ stage: 'design', usedDays: 6, limitDays: 15, holdingParty: 'water', paused: false, redOn: calendar.deadline('2025-12-15', 10) });
    // Water's 18 days, 6 used: 12 working days on, and later still with three stages waiting for it
    // against its usual one or two (Little's law over its autumn: 6 sign-offs, 15 days on average).
    expect((second?.expectedOn ?? '') >= calendar.deadline('2025-12-15', 12)).toBe(true);
    expect((second?.expectedOn ?? '') <= calendar.deadline('2025-12-15', 24)).toBe(true);
    expect(second?.pExceeds).toBeGreaterThan(0.9);
    expect(first?.parties.map((p) => p.party).sort()).toEqual(['construction', 'water']);
    // At a threshold of 0 the fast one is listed too, unlikely; the red one never (it is on the red list).
    const all = await forecast({ threshold: 0 });
    expect(all.forecasts.find((x) => x.projectId === open.planning?.project.id)?.pExceeds).toBeLessThan(0.2);
    expect(all.forecasts.some((x) => x.projectId === open.red?.project.id)).toBe(false);
    // Filters, and an agent's own projects only.
    expect((await forecast({ locality: 'jinshanwei' })).forecasts.map((x) => x.projectId)).toEqual([open.water2?.project.id]);
    expect((await forecast({ stage: 'permit' })).forecasts).toEqual([]);
    expect((await forecast({}, { agent: 'agent-01' })).forecasts.map((x) => x.projectId)).toEqual([open.water?.project.id]);
  });
});

describe('GET /api/forecast over HTTP', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp('forecast');
  });
  afterAll(async () => app?.stop());

  test('answers the leader and the agent in the documented shape; a bad threshold is a 400 naming it', async () => {
    for (const who of ['dev-leader', 'dev-agent']) {
      const { status, body } = await app.call('GET', '/api/forecast?locality=shanyang&threshold=0.9', who);
      expect(status).toBe(200);
      expect(forecastResponse.parse(body)).toMatchObject({ threshold: 0.9 });
    }
    const bad = await app.call('GET', '/api/forecast?threshold=2', 'dev-leader');
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['query.threshold']);
    expect((await app.call('GET', '/api/forecast', 'dev-window')).status).toBe(403);
  });
});
