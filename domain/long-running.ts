// The rules of a project's long life, as pure functions over ProjectState: progress reports on a
// cadence, escalation of slow sign-offs, and the actions that steer them (agent, cadence, green channel).
import type { Party, Stage } from './codes';
import { pauseSpans, startOfShanghaiDay, stageClock, type WorkingCalendar } from './calendar';
import { LIMITS } from './limits';
import { refusal, type Refusal } from './refusals';
import { agentHandOver, type AgentTelling } from './agent-notices';
import { reportCampaign } from './campaigns';
import { DAY_MS, TIERS, stageLimit, type Cadence, type Policy, type Tier } from './policy';
import {
  attemptPauses,
  currentAttempt,
  nextReportTime,
  openCorrections,
  overallStatus,
  pendingParties,
  reportsSent,
  stageRecord,
  type Actor,
  type Attempt,
  type Escalation,
  type Notice,
  type ProgressReport,
  type ProjectState,
} from './project';

const ms = (iso: string): number => new Date(iso).getTime();
const iso = (t: number): string => new Date(t).toISOString();
const days = (t: number): number => Math.round((t / DAY_MS) * 10) / 10;

/** Who receives the reports: the project's agent, or the district station (全程代办服务总站) when none. */
export const reportRecipient = (state: ProjectState): string => (state.agent ? `agent:${state.agent}` : 'agent-station');

// ---- progress reports ----

/** When the next report is due (ms), or null once closed. */
export function nextReportAt(state: ProjectState): number | null {
  const next = nextReportTime(state);
  return next === null ? null : ms(next);
}

/**
 * The report due at `at` (never before the scheduled time; later only when a cadence switch made it overdue).
 * With a calendar, pending days are working days with correction pauses excluded, as the stage clocks
 * count them; without one (projects from before the notices change), calendar days.
 */
export function composeReport(state: ProjectState, at: number, calendar?: WorkingCalendar): ProgressReport {
  const stage = state.currentStage;
  const record = stage ? stageRecord(state, stage) : undefined;
  const attempt = record ? currentAttempt(record) : undefined;
  const report: ProgressReport = {
    seq: reportsSent(state) + 1,
    at: iso(at),
    to: reportRecipient(state),
    cadence: state.cadence,
    stage,
    stageStatus: overallStatus(state),
    pending: record && attempt ? pendingParties(record).map((party) => ({ party, days: pendingDays(attempt, at, calendar) })) : [],
    openCorrections: openCorrections(attempt).map((c) => ({ party: c.party, items: c.items, since: c.requestedAt })),
    escalations: state.escalations.length,
    nextReportAt: null,
    ...(calendar && { pendingIn: 'working-days' as const }),
    ...reportCampaign(state),
  };
  report.nextReportAt = nextReportTime({ ...state, reports: [...state.reports, report] });
  return report;
}

// ---- the clock of a sign-off: pending time excludes correction pauses ----

/** Milliseconds the attempt spent paused for correction up to `now` (overlapping corrections count once). */
export function pausedMs(attempt: Attempt, now: number): number {
  return pauseSpans(attemptPauses(attempt), now).reduce((sum, [from, to]) => sum + (to - from), 0);
}

export const pendingMs = (attempt: Attempt, now: number): number => now - ms(attempt.submittedAt) - pausedMs(attempt, now);

/** Days a sign-off has been pending at `now`, correction pauses excluded: working days with a calendar. */
export function pendingDays(attempt: Attempt, now: number, calendar?: WorkingCalendar): number {
  if (!calendar) return days(pendingMs(attempt, now));
  return stageClock(calendar, { submittedAt: attempt.submittedAt, pauses: attemptPauses(attempt) }, 0, now).usedDays;
}

// ---- escalation ladder ----

/** The tiers a slow sign-off climbs, and after how many pending days each is told. */
export function ladder(state: ProjectState, policy: Policy, stage: Stage): { tier: Tier; afterDays: number }[] {
  if (state.greenChannel) return TIERS.map((tier) => ({ tier, afterDays: policy.escalationDays[tier] }));
  return [{ tier: 'liaison', afterDays: stageLimit(policy, stage, false) }];
}

interface Rung {
  stage: Stage;
  attempt: number;
  party: Party;
  tier: Tier;
  /** When the sign-off will have been pending long enough, if nothing pauses it. */
  dueAt: number;
  pendingDays: number;
}

/**
 * Every rung not yet climbed for the sign-offs still pending; none while the stage is paused.
 * With a calendar, thresholds are working days: a sign-off pending longer than N working days (pauses
 * excluded) is escalated at the start of the next working day. Without one (projects started before the
 * public-record change), calendar days.
 */
function rungs(state: ProjectState, policy: Policy, now: number, calendar?: WorkingCalendar): Rung[] {
  const stage = state.currentStage;
  if (state.status !== 'active' || !stage) return [];
  const record = stageRecord(state, stage);
  const attempt = currentAttempt(record);
  if (!attempt || attempt.outcome !== 'open' || openCorrections(attempt).length > 0) return [];
  const climbed = (party: Party, tier: Tier) =>
    state.escalations.some((e) => e.stage === stage && e.attempt === attempt.number && e.party === party && e.tier === tier);
  let dueAfter: (afterDays: number) => number;
  let pendingDays: number;
  if (calendar) {
    const clock = stageClock(calendar, { submittedAt: attempt.submittedAt, pauses: attemptPauses(attempt) }, 0, now);
    dueAfter = (n) => startOfShanghaiDay(calendar.deadline(clock.acceptedOn, n + clock.pausedDays + 1));
    pendingDays = clock.usedDays;
  } else {
    const pending = pendingMs(attempt, now);
    dueAfter = (n) => now + n * DAY_MS - pending;
    pendingDays = days(pending);
  }
  return pendingParties(record).flatMap((party) =>
    ladder(state, policy, stage)
      .filter(({ tier }) => !climbed(party, tier))
      .map(({ tier, afterDays }) => ({ stage, attempt: attempt.number, party, tier, dueAt: dueAfter(afterDays), pendingDays })),
  );
}

/** Escalations to fire now, lowest tier first. */
export function dueEscalations(state: ProjectState, policy: Policy, now: number, calendar?: WorkingCalendar): Omit<Escalation, 'notified'>[] {
  return rungs(state, policy, now, calendar)
    .filter((r) => r.dueAt <= now)
    .map(({ stage, attempt, party, tier, pendingDays }) => ({ stage, attempt, party, tier, pendingDays, at: iso(now) }));
}

/** When the next escalation falls due, or null when none can (nothing pending, or paused). */
export function nextEscalationAt(state: ProjectState, policy: Policy, now: number, calendar?: WorkingCalendar): number | null {
  const due = rungs(state, policy, now, calendar).map((r) => r.dueAt);
  return due.length > 0 ? Math.min(...due) : null;
}

// ---- actions that steer the long life ----

export interface AgentInput {
  agent: string;
  by: Actor;
}
export interface CadenceInput {
  cadence: Cadence;
  by: Actor;
}
export interface GreenChannelInput {
  /** The dedicated agent (industrial-zone service staff act as one). */
  agent: string;
  by: Actor;
}

function closed(state: ProjectState): Refusal | null {
  return state.status === 'active' ? null : refusal('project-closed', `project ${state.project.id} is ${state.status}; no further action is possible`, { status: state.status });
}

/** An agent may steer only the projects assigned to it; admins any. (Answered as 403.) */
export function agentForbidden(state: ProjectState, by: Actor): Refusal | null {
  if (by.role !== 'agent' || state.agent === by.id) return null;
  return refusal('not-the-agent', `${by.id} is not the agent of project ${state.project.id}${state.agent ? ` (${state.agent} is)` : ''}`, state.agent ? { agent: state.agent } : undefined);
}

/** An agent may take an unassigned project for itself, or hand its own project over; admins anything. */
export function agentAssignmentForbidden(state: ProjectState, input: AgentInput): Refusal | null {
  const { by } = input;
  if (by.role !== 'agent' || state.agent === by.id) return null;
  if (state.agent === null && input.agent === by.id) return null;
  return state.agent === null
    ? refusal('agent-takes-only-itself', `${by.id} may take project ${state.project.id} only for itself`)
    : refusal('not-own-project', `project ${state.project.id} is followed by ${state.agent}; only that agent or an admin may hand it over`, { agent: state.agent });
}

/** A project's life allows only so many changes of one kind (each is kept in its trail). */
function tooMany(state: ProjectState, action: 'agent-assignment' | 'report-cadence', limit: number, what: string): Refusal | null {
  return state.trail.filter((t) => t.action === action).length >= limit
    ? refusal('too-many-changes', `the ${what} of this project has changed ${limit} times, the most allowed; ask an admin`, { action, limit })
    : null;
}

export function checkAgent(state: ProjectState, input: AgentInput): Refusal | null {
  return (
    closed(state) ??
    (state.agent === input.agent ? refusal('already-the-agent', `${input.agent} is already the agent of this project`, { agent: input.agent }) : null) ??
    tooMany(state, 'agent-assignment', LIMITS.agentChanges, 'agent')
  );
}

export function checkCadence(state: ProjectState, input: CadenceInput): Refusal | null {
  return (
    closed(state) ??
    (state.cadence === input.cadence ? refusal('cadence-unchanged', `reports are already ${input.cadence}`, { cadence: input.cadence }) : null) ??
    tooMany(state, 'report-cadence', LIMITS.cadenceChanges, 'report cadence')
  );
}

export function checkGreenChannel(state: ProjectState): Refusal | null {
  return (
    closed(state) ??
    (state.greenChannel
      ? refusal(
          'already-green-channel',
          `project is already on the green channel (since ${state.greenChannel.at}); to change its dedicated agent, PUT /api/projects/${state.project.id}/agent`,
          { since: state.greenChannel.at },
        )
      : null)
  );
}

function record(state: ProjectState, at: string, by: Actor, action: 'agent-assignment' | 'report-cadence' | 'green-channel', detail: string) {
  state.trail.push({ seq: state.trail.length + 1, at, by, action, detail });
}

export function applyAgent(state: ProjectState, input: AgentInput, at: string, { agentNotices = false }: AgentTelling = {}): Notice[] {
  const previous = state.agent;
  state.agent = input.agent;
  record(state, at, input.by, 'agent-assignment', input.agent);
  // Both agents hear of a hand-over; before the notices change only the new one was told.
  if (agentNotices) return agentHandOver(state, previous);
  return [{ to: `agent:${input.agent}`, subject: `${state.project.id}: you are now the agent of ${state.project.name}`, message: { t: 'agent-assigned' } }];
}

export function applyCadence(state: ProjectState, input: CadenceInput, at: string): Notice[] {
  state.cadence = input.cadence;
  // By hand: overrides a campaign's cadence until the campaign next changes (domain/campaigns.ts).
  state.cadenceSetBy = { kind: 'manual', by: input.by.id, at };
  record(state, at, input.by, 'report-cadence', input.cadence);
  return [{ to: reportRecipient(state), subject: `${state.project.id}: progress reports are now ${input.cadence}`, message: { t: 'cadence', cadence: input.cadence } }];
}

export function applyGreenChannel(state: ProjectState, input: GreenChannelInput, at: string, { agentNotices = false }: AgentTelling = {}): Notice[] {
  const previous = state.agent;
  state.project.major = true;
  state.greenChannel = { by: input.by, at };
  state.agent = input.agent;
  record(state, at, input.by, 'green-channel', `dedicated agent ${input.agent}`);
  return [
    { to: `agent:${input.agent}`, subject: `${state.project.id}: on the green channel (绿色通道); you are its dedicated agent`, message: { t: 'green-channel' } },
    ...(agentNotices ? agentHandOver(state, previous) : []),
  ];
}
