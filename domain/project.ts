// The state of one project and the rules of every human action on it, as pure functions.
// The workflow holds this state and calls `check*` in update validators and `apply*` in update handlers;
// keeping the rules here makes them readable in one place and testable without a server.
import { STAGES, type Category, type Locality, type Party, type Role, type Stage, type Utility } from './codes';
import { clockBasis, stageClock, type ClockBasis, type StageClock, type WorkingCalendar } from './calendar';
import type { CadenceDecision, CampaignMembership } from './campaigns';
import { DAY_MS, stageLimit, type Cadence, type Policy, type Tier } from './policy';
import { exemptionsFor, planFor, type ProjectPlan } from './process';
import { LIMITS } from './limits';
import { refusal, type Refusal } from './refusals';
import { correctionForAgent, type AgentTelling } from './agent-notices';
import type { NoticeClock, NoticeMessage } from './notice-texts';

export interface Actor {
  id: string;
  /** 'system' marks what the workflow did on its own (e.g. opening the connection stage). */
  role: Role | 'system';
  party?: Party;
  name?: string;
}

export interface Applicant {
  name: string;
  /** 统一社会信用代码 */
  uscc: string;
}

export interface ProjectInfo {
  id: string;
  name: string;
  applicant: Applicant;
  category: Category;
  major: boolean;
  locality: Locality;
  utilities: Utility[];
  /** What the category exempts the project from, recorded for the public record. */
  exemptions: string[];
  registeredBy: Actor;
  registeredAt: string;
}

export interface SignOff {
  party: Party;
  decision: 'approve' | 'reject';
  comment?: string;
  by: Actor;
  at: string;
  /** 代录: recorded by `by` for the party. */
  proxy?: Proxy;
}

export interface Correction {
  party: Party;
  /** 一次性告知: every missing item at once. */
  items: string[];
  comment?: string;
  requestedBy: Actor;
  requestedAt: string;
  /** 代录: requested by `requestedBy` for the party. */
  proxy?: Proxy;
  supplementedBy?: Actor;
  supplementedAt?: string;
  supplementNote?: string;
}

export interface Attempt {
  number: number;
  submittedBy: Actor;
  submittedAt: string;
  note?: string;
  outcome: 'open' | 'approved' | 'rejected' | 'withdrawn';
  decidedAt?: string;
  /** 审批时限 in working days, fixed when the application was accepted (a later green channel does not
   *  rewrite the past). Absent for attempts from before it was kept. */
  limitDays?: number;
  signOffs: SignOff[];
  corrections: Correction[];
}

export interface StageRecord {
  stage: Stage;
  lead: Party;
  parties: Party[];
  attempts: Attempt[];
}

/** terminated: Temporal closed the workflow without the project ending (terminated, timed out, failed,
 *  cancelled), as an operator's reconciliation recorded it (operations/reconcile.ts). */
export type ProjectStatus = 'active' | 'completed' | 'withdrawn' | 'terminated';

/** How Temporal closed a workflow that had not ended the project, from its closing event. */
export interface Termination {
  closure: 'terminated' | 'timed-out' | 'failed' | 'cancelled';
  at: string;
  /** The identity Temporal recorded for whoever closed it (a CLI user, a client), when it has one. */
  by: string | null;
  reason: string;
}

export type StageStatus = 'not-open' | 'awaiting-application' | 'under-review' | 'correction' | 'rejected' | 'approved' | 'withdrawn';

export type Action =
  | 'registration'
  | 'application'
  | 'sign-off'
  | 'supplement'
  | 'withdrawal'
  | 'agent-assignment'
  | 'report-cadence'
  | 'green-channel'
  | 'push-retry'
  | 'reminder'
  | 'operation'
  | 'acknowledgement'
  | 'campaign';

/** One accepted human action: who, what, when. Append-only. */
export interface TrailEntry {
  seq: number;
  at: string;
  by: Actor;
  action: Action;
  stage?: Stage;
  party?: Party;
  detail?: string;
}

export interface ProjectState {
  project: ProjectInfo;
  status: ProjectStatus;
  /** The stage the project is at; null once completed. */
  currentStage: Stage | null;
  stages: StageRecord[];
  withdrawal?: { by: Actor; at: string; reason: string };
  completedAt?: string;
  /** Set only by a reconciliation in the public record, never by the workflow. */
  termination?: Termination;
  trail: TrailEntry[];
  /** The agent (代办员) who follows the project and receives its progress reports. */
  agent: string | null;
  cadence: Cadence;
  /** Who set the cadence when not the default: by hand, or a campaign (domain/campaigns.ts). */
  cadenceSetBy?: CadenceDecision;
  /** The 集中开工 campaign the project belongs to, if any (domain/campaigns.ts). */
  campaign?: CampaignMembership | null;
  /** 绿色通道: set for a major project, at registration or later by an admin. */
  greenChannel: { by: Actor; at: string } | null;
  /** The latest progress reports (older ones are in the public record). */
  reports: ProgressReport[];
  /** Reports sent so far; absent before reports were trimmed (then reports.length). */
  reportCount?: number;
  escalations: Escalation[];
  pushes: UtilityPush[];
  /** Connection opens on its own after the permit's push to the utility companies. False only for
   *  projects started before that behaviour existed (see the long-running patch in the workflow). */
  autoConnection: boolean;
  /** The timing rules the project started with; absent for projects from before they existed. */
  policy?: Policy;
  /** Update ids of the held commands applied lately (workflows/messages.ts heldCommand): each applies once. */
  heldApplied?: string[];
}

/** 代办进度报告: a snapshot for the agent, produced on the project's cadence. */
export interface ProgressReport {
  seq: number;
  at: string;
  to: string;
  cadence: Cadence;
  stage: Stage | null;
  stageStatus: StageStatus | Exclude<ProjectStatus, 'active'>;
  pending: { party: Party; days: number }[];
  /** How `pending` counts: in working days, correction pauses excluded. Absent on reports of projects
   *  from before the notices change, which counted calendar days. */
  pendingIn?: 'working-days';
  openCorrections: { party: Party; items: string[]; since: string }[];
  escalations: number;
  nextReportAt: string | null;
  /** The campaign the report belongs to, and who set its cadence (absent: none, the default). */
  campaign?: CampaignMembership;
  cadenceSetBy?: CadenceDecision;
}

/** A slow sign-off brought to someone's attention, once per tier. */
export interface Escalation {
  stage: Stage;
  attempt: number;
  party: Party;
  tier: Tier;
  /** Days the sign-off had been pending, correction pauses excluded. */
  pendingDays: number;
  at: string;
  /** Who was told (from the liaison directory at that moment); empty until delivered. */
  notified: string[];
}

/** 市政接入 automatic push of a permitted project to a utility company. */
export interface UtilityPush {
  company: Utility;
  /** Sent as Idempotency-Key on every attempt, so the company sees one logical push. */
  key: string;
  /** cancelled: the project was withdrawn before this push was sent. */
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  startedAt: string;
  settledAt?: string;
  error?: string;
  /** Times an admin sent a failed push again (same key); absent before the first. */
  retries?: number;
}

/** A message for someone outside the workflow (the notification sink delivers it). */
export interface Notice {
  to: string;
  /** The notice in a line, for logs and the JSONL file; people read `message` in their language. */
  subject: string;
  /** What happened, with its facts (domain/notice-texts.ts puts it into words). Absent on notices queued
   *  before messages existed. */
  message?: NoticeMessage;
}

/** The input of a projectApproval workflow. */
export interface ProjectApprovalInput {
  project: ProjectInfo;
  /** Required parties per stage, fixed at registration from the configuration of that day. */
  plan: ProjectPlan;
  /** Timing rules, fixed at registration. Absent only in histories from before they existed. */
  policy?: Policy;
  agent?: string;
  /** The whole state, when a run continues as new. */
  carried?: ProjectState;
}

export type Registration = Pick<ProjectInfo, 'name' | 'applicant' | 'category' | 'major' | 'locality' | 'utilities'> & {
  agent?: string;
};

/** Turns a registration into the workflow input: plan, exemptions and policy come from today's configuration. */
export function registrationInput(
  { agent, ...registration }: Registration,
  id: string,
  by: Actor,
  at: string,
  policy: Policy,
): ProjectApprovalInput {
  return {
    project: { id, ...registration, exemptions: exemptionsFor(registration.category), registeredBy: by, registeredAt: at },
    plan: planFor(registration),
    policy,
    ...(agent !== undefined && { agent }),
  };
}

// ---- inputs of the human actions (the update arguments) ----

/** What an accepted action answers. Temporal keeps it in history, so the state comes with it only while
 *  that is cheap (workflows/project-approval.ts `answered`); without it, read the state by query. */
export interface CommandResult {
  /** The action's entry in the trail. */
  seq: number;
  at: string;
  /** The project right after the action, when it was small enough to answer with. */
  state?: ProjectState;
}

/** 代录: an admin records a department's or company's decision for it, on its documented instruction. */
export interface Proxy {
  reference: string;
  reason: string;
}

export interface ApplicationInput {
  stage: Stage;
  by: Actor;
  note?: string;
}

export interface SignOffInput {
  stage: Stage;
  party: Party;
  decision: 'approve' | 'reject' | 'correction';
  comment?: string;
  items?: string[];
  /** Required when `by` is not the party itself (an admin). */
  proxy?: Proxy;
  by: Actor;
}

export interface SupplementInput {
  stage: Stage;
  by: Actor;
  note?: string;
}

export interface WithdrawalInput {
  by: Actor;
  reason: string;
}

// ---- inputs of the operators' repairs (admins; each with a reason, each in the trail) ----

/** Send a failed push to a utility company again, with the same idempotency key. */
export interface PushRetryInput {
  company: Utility;
  reason: string;
  by: Actor;
}

/** Remind the parties still pending on the open stage (addressed as escalations are). */
export interface ReminderInput {
  stage: Stage;
  reason: string;
  by: Actor;
}

/** What an operator did to the project from outside its steps (a Temporal reset), for its trail. */
export interface OperationNoteInput {
  operation: 'reset';
  reason: string;
  detail: string;
  by: Actor;
}

/** Someone took charge of a notice about the project (an escalation, a correction, a reminder) from
 *  their inbox: recorded on the project; it changes nothing else (the ladder climbs on if no sign-off comes). */
export interface AcknowledgementInput {
  /** The notice, as the inbox numbers it. */
  notice: string;
  kind: 'escalation' | 'correction' | 'reminder';
  stage?: Stage;
  party?: Party;
  tier?: Tier;
  by: Actor;
}

/** A reminder the workflow is to deliver. */
export interface Reminder {
  seq: number;
  stage: Stage;
  attempt: number;
  parties: Party[];
  reason: string;
}

// ---- derived views ----

export function stageRecord(state: ProjectState, stage: Stage): StageRecord {
  const record = state.stages.find((s) => s.stage === stage);
  if (!record) throw new Error(`no stage ${stage}`);
  return record;
}

export function currentAttempt(record: StageRecord): Attempt | undefined {
  return record.attempts[record.attempts.length - 1];
}

export function openCorrections(attempt: Attempt | undefined): Correction[] {
  return attempt ? attempt.corrections.filter((c) => c.supplementedAt === undefined) : [];
}

export function stageStatus(state: ProjectState, stage: Stage): StageStatus {
  const record = stageRecord(state, stage);
  const attempt = currentAttempt(record);
  if (!attempt) return state.currentStage === stage ? 'awaiting-application' : 'not-open';
  if (attempt.outcome === 'approved') return 'approved';
  if (attempt.outcome === 'rejected') return 'rejected';
  if (attempt.outcome === 'withdrawn') return 'withdrawn';
  return openCorrections(attempt).length > 0 ? 'correction' : 'under-review';
}

/** Parties of the current attempt that have not yet decided. */
export function pendingParties(record: StageRecord): Party[] {
  const attempt = currentAttempt(record);
  if (!attempt || attempt.outcome !== 'open') return [];
  return record.parties.filter((p) => !attempt.signOffs.some((s) => s.party === p));
}

/** One word for lists and search: the current stage's status, or how the project ended. */
export function overallStatus(state: ProjectState): StageStatus | Exclude<ProjectStatus, 'active'> {
  if (state.status !== 'active') return state.status;
  return stageStatus(state, state.currentStage as Stage);
}

/** The stage a project is listed under: where it is, or where it was when it closed. */
export function listedStage(state: ProjectState): Stage {
  if (state.currentStage) return state.currentStage;
  const reached = state.stages.filter((s) => s.attempts.length > 0);
  return reached[reached.length - 1]?.stage ?? 'design';
}

// ---- construction ----

export function newProjectState(
  project: ProjectInfo,
  plan: ProjectPlan,
  { agent = null, autoConnection = false, policy }: { agent?: string | null; autoConnection?: boolean; policy?: Policy } = {},
): ProjectState {
  return {
    project,
    status: 'active',
    currentStage: STAGES[0],
    stages: STAGES.map((stage) => ({ stage, lead: plan[stage].lead, parties: [...plan[stage].parties], attempts: [] })),
    trail: [{ seq: 1, at: project.registeredAt, by: project.registeredBy, action: 'registration' }],
    agent,
    cadence: 'biweekly',
    greenChannel: project.major ? { by: project.registeredBy, at: project.registeredAt } : null,
    reports: [],
    escalations: [],
    pushes: [],
    autoConnection,
    ...(policy && { policy }),
  };
}

/** What the workflow does on its own is recorded as this actor. */
export const SYSTEM: Actor = { id: 'system', role: 'system', name: 'one-window' };

// ---- rules: each check returns why the action is refused (a Refusal: code, facts, English reason), or
// null when it may proceed ----

function closedReason(state: ProjectState): Refusal | null {
  if (state.status === 'completed') return refusal('project-closed', `project ${state.project.id} is completed; no further action is possible`, { status: 'completed' });
  if (state.status === 'withdrawn') return refusal('project-closed', `project ${state.project.id} was withdrawn; no further action is possible`, { status: 'withdrawn' });
  return null;
}

function wrongStageReason(state: ProjectState, stage: Stage): Refusal | null {
  if (state.currentStage === stage) return null;
  const status = stageStatus(state, stage);
  return refusal('wrong-stage', `project is at stage ${state.currentStage}, not ${stage} (${stage} is ${status})`, {
    current: state.currentStage ?? 'none',
    stage,
    status,
  });
}

export function checkApplication(state: ProjectState, input: ApplicationInput): Refusal | null {
  const refused = closedReason(state) ?? wrongStageReason(state, input.stage);
  if (refused) return refused;
  const status = stageStatus(state, input.stage);
  if (status === 'rejected' && stageRecord(state, input.stage).attempts.length >= LIMITS.attemptsPerStage) {
    return refusal('too-many-applications', `stage ${input.stage} has had ${LIMITS.attemptsPerStage} applications, the most one project may make; ask an admin`, {
      stage: input.stage,
      limit: LIMITS.attemptsPerStage,
    });
  }
  if (status === 'awaiting-application' || status === 'rejected') return null;
  const attempt = currentAttempt(stageRecord(state, input.stage))?.number ?? 0;
  return refusal('application-under-review', `stage ${input.stage} already has an application under review (attempt ${attempt})`, { stage: input.stage, attempt });
}

export function checkSignOff(state: ProjectState, input: SignOffInput): Refusal | null {
  const refused = closedReason(state) ?? wrongStageReason(state, input.stage);
  if (refused) return refused;
  const { stage, party } = input;
  const record = stageRecord(state, stage);
  const attempt = currentAttempt(record);
  const status = stageStatus(state, stage);
  if (!attempt || status === 'awaiting-application') return refusal('no-application', `stage ${stage} has no application to review`, { stage });
  if (status === 'rejected') return refusal('attempt-rejected', `stage ${stage} attempt ${attempt.number} was rejected; the window must submit again`, { stage, attempt: attempt.number });
  if (!record.parties.includes(party)) {
    return refusal('party-not-required', `${party} is not a required party of stage ${stage} (required: ${record.parties.join(', ')})`, { party, stage, required: record.parties });
  }
  if (input.by.party !== party && input.proxy === undefined) {
    return refusal('proxy-needed', `${input.by.id} is not ${party}: an entry for the party is a proxy (代录) and needs its document reference and a reason`, { party });
  }
  if (input.by.party === party && input.proxy !== undefined) return refusal('proxy-for-self', `${party} signs for itself; a proxy (代录) is recorded by an admin`, { party });
  const decided = attempt.signOffs.find((s) => s.party === party);
  if (decided) {
    return refusal('already-signed', `${party} already signed off stage ${stage} attempt ${attempt.number} (${decided.decision}, by ${decided.by.id})`, {
      party,
      stage,
      attempt: attempt.number,
      decision: decided.decision,
    });
  }
  if (input.decision === 'correction') {
    if (!input.items || input.items.length === 0 || input.items.some((i) => i.trim() === '')) {
      return refusal('correction-empty', 'a correction must list every missing item (一次性告知); the list is empty');
    }
    if (attempt.corrections.some((c) => c.party === party)) {
      return refusal('correction-repeated', `${party} already requested a correction in attempt ${attempt.number}; all missing items are listed at once (一次性告知)`, {
        party,
        attempt: attempt.number,
      });
    }
    return null;
  }
  if (status === 'correction') {
    const waiting = openCorrections(attempt).map((c) => c.party);
    return refusal('paused-for-correction', `stage ${stage} is paused for correction (requested by ${waiting.join(', ')}); record the supplement first`, { stage, parties: waiting });
  }
  return null;
}

export function checkSupplement(state: ProjectState, input: SupplementInput): Refusal | null {
  const refused = closedReason(state) ?? wrongStageReason(state, input.stage);
  if (refused) return refused;
  if (stageStatus(state, input.stage) !== 'correction') return refusal('no-open-correction', `stage ${input.stage} has no correction awaiting a supplement`, { stage: input.stage });
  return null;
}

export function checkWithdrawal(state: ProjectState, input: WithdrawalInput): Refusal | null {
  if (input.reason.trim() === '') return refusal('reason-required', 'a withdrawal needs a reason');
  return closedReason(state);
}

export function checkPushRetry(state: ProjectState, input: PushRetryInput): Refusal | null {
  const refused = closedReason(state);
  if (refused) return refused;
  const { company } = input;
  const push = state.pushes.find((p) => p.company === company);
  if (!push) return refusal('no-push', `project ${state.project.id} has no push to ${company}`, { company });
  if (push.status === 'pending') return refusal('push-under-way', `the push to ${company} is under way; wait for it to settle`, { company });
  if (push.status !== 'failed') return refusal('push-not-failed', `the push to ${company} is ${push.status}; only a failed push is sent again`, { company, status: push.status });
  return null;
}

export function checkReminder(state: ProjectState, input: ReminderInput): Refusal | null {
  const refused = closedReason(state) ?? wrongStageReason(state, input.stage);
  if (refused) return refused;
  const { stage } = input;
  const status = stageStatus(state, stage);
  if (status === 'correction') return refusal('paused-for-correction', `stage ${stage} is paused for correction: the window collects the supplement first`, { stage });
  if (status !== 'under-review') return refusal('no-application', `stage ${stage} has no application under review (it is ${status})`, { stage, status });
  const attempt = currentAttempt(stageRecord(state, stage)) as Attempt;
  const sent = state.trail.filter((t) => t.action === 'reminder' && t.stage === stage && t.at >= attempt.submittedAt).length;
  if (sent >= LIMITS.remindersPerAttempt) {
    return refusal('too-many-reminders', `stage ${stage} attempt ${attempt.number} has had ${sent} reminders, the most one attempt takes; escalate instead`, {
      stage,
      attempt: attempt.number,
      sent,
    });
  }
  return null;
}

export function checkOperationNote(state: ProjectState, input: OperationNoteInput): Refusal | null {
  return input.reason.trim() === '' ? refusal('reason-required', 'an operation needs a reason') : null;
}

export function checkAcknowledgement(state: ProjectState, input: AcknowledgementInput): Refusal | null {
  if (state.status !== 'active') return refusal('project-closed', `the project is ${state.status}`, { status: state.status });
  if (input.stage !== undefined && !state.stages.some((s) => s.stage === input.stage)) return refusal('no-such-stage', `the project has no ${input.stage} stage`, { stage: input.stage });
  return null;
}

// ---- transitions: called only after the matching check passed; they return what to tell whom ----

function record(state: ProjectState, entry: Omit<TrailEntry, 'seq'>): void {
  state.trail.push({ seq: state.trail.length + 1, ...entry });
}

export function applyApplication(state: ProjectState, input: ApplicationInput, at: string): Notice[] {
  const stage = stageRecord(state, input.stage);
  const number = stage.attempts.length + 1;
  stage.attempts.push({
    number,
    submittedBy: input.by,
    submittedAt: at,
    ...(input.note !== undefined && { note: input.note }),
    outcome: 'open',
    ...(state.policy && { limitDays: stageLimit(state.policy, input.stage, state.project.major) }),
    signOffs: [],
    corrections: [],
  });
  record(state, { at, by: input.by, action: 'application', stage: input.stage, detail: `attempt ${number}` });
  const clock = noticeClock(state, input.stage);
  const message: NoticeMessage = { t: 'sign-off-requested', stage: input.stage, attempt: number, ...(clock && { clock }) };
  return stage.parties.map((p) => ({ to: `party:${p}`, subject: `${state.project.id}: ${input.stage} attempt ${number} awaits your sign-off`, message }));
}

export function applySignOff(state: ProjectState, input: SignOffInput, at: string, { agentNotices = false }: AgentTelling = {}): Notice[] {
  const stage = stageRecord(state, input.stage);
  const attempt = currentAttempt(stage) as Attempt;
  const id = state.project.id;
  const comment = input.comment !== undefined ? { comment: input.comment } : {};
  const proxy = input.proxy !== undefined ? { proxy: { ...input.proxy } } : {};
  const detail = input.proxy ? `${input.decision} (代录 proxy by ${input.by.id}, ref ${input.proxy.reference}: ${input.proxy.reason})` : input.decision;
  record(state, { at, by: input.by, action: 'sign-off', stage: input.stage, party: input.party, detail });
  // The party hears of every decision recorded in its name.
  const told: Notice[] = input.proxy
    ? [
        {
          to: `party:${input.party}`,
          subject: `${id}: ${input.by.id} recorded your ${input.decision} of ${input.stage} as a proxy (代录), ref ${input.proxy.reference}`,
          message: { t: 'proxy-recorded', stage: input.stage, party: input.party, decision: input.decision, by: input.by.name ?? input.by.id, reference: input.proxy.reference },
        },
      ]
    : [];

  if (input.decision === 'correction') {
    attempt.corrections.push({ party: input.party, items: [...(input.items ?? [])], ...comment, requestedBy: input.by, requestedAt: at, ...proxy });
    return [
      {
        to: 'window',
        subject: `${id}: ${input.party} requests a correction of ${input.stage}: ${(input.items ?? []).join('; ')}`,
        message: { t: 'correction-requested', stage: input.stage, party: input.party, items: [...(input.items ?? [])], ...withClock(state, input.stage) },
      },
      ...told,
      ...(agentNotices ? correctionForAgent(state, input) : []),
    ];
  }

  attempt.signOffs.push({ party: input.party, decision: input.decision, ...comment, by: input.by, at, ...proxy });
  if (input.decision === 'reject') {
    attempt.outcome = 'rejected';
    attempt.decidedAt = at;
    return [
      { to: 'window', subject: `${id}: ${input.stage} attempt ${attempt.number} rejected by ${input.party}`, message: { t: 'rejected', stage: input.stage, attempt: attempt.number, party: input.party } },
      ...told,
    ];
  }
  if (pendingParties(stage).length > 0) return told;
  return [...told, ...advance(state, input, attempt, at)];
}

/** The last sign-off of an attempt arrived and approved: the project moves on. */
function advance(state: ProjectState, input: SignOffInput, attempt: Attempt, at: string): Notice[] {
  const id = state.project.id;

  attempt.outcome = 'approved';
  attempt.decidedAt = at;
  const next = STAGES[STAGES.indexOf(input.stage) + 1];
  if (next) {
    state.currentStage = next;
    if (state.autoConnection && input.stage === 'permit') {
      // 市政接入: the permit pushes the project to its utility companies without a new application.
      state.pushes = state.project.utilities.map((company) => ({ company, key: `${id}/utility-push/${company}`, status: 'pending', startedAt: at }));
    }
    if (state.autoConnection && next === 'connection') {
      const opened = applyApplication(state, { stage: 'connection', by: SYSTEM, note: 'opened on its own after the construction permit (市政接入)' }, at);
      return [{ to: 'window', subject: `${id}: ${input.stage} approved; connection opened on its own`, message: { t: 'stage-approved', stage: input.stage, next, opened: true } }, ...opened];
    }
    return [{ to: 'window', subject: `${id}: ${input.stage} approved; ${next} may be applied for`, message: { t: 'stage-approved', stage: input.stage, next, opened: false } }];
  }
  state.currentStage = null;
  state.status = 'completed';
  state.completedAt = at;
  return [{ to: 'window', subject: `${id}: all stages approved; project completed`, message: { t: 'stage-approved', stage: input.stage, next: null, opened: false } }];
}

export function applySupplement(state: ProjectState, input: SupplementInput, at: string): Notice[] {
  const stage = stageRecord(state, input.stage);
  const open = openCorrections(currentAttempt(stage));
  for (const correction of open) {
    correction.supplementedBy = input.by;
    correction.supplementedAt = at;
    if (input.note !== undefined) correction.supplementNote = input.note;
  }
  record(state, { at, by: input.by, action: 'supplement', stage: input.stage });
  const message: NoticeMessage = { t: 'supplement-received', stage: input.stage, ...withClock(state, input.stage) };
  return open.map((c) => ({ to: `party:${c.party}`, subject: `${state.project.id}: supplement for ${input.stage} received; review resumes`, message }));
}

export function applyWithdrawal(state: ProjectState, input: WithdrawalInput, at: string): Notice[] {
  state.status = 'withdrawn';
  state.withdrawal = { by: input.by, at, reason: input.reason };
  record(state, { at, by: input.by, action: 'withdrawal', ...(state.currentStage && { stage: state.currentStage }), detail: input.reason });
  const stage = state.currentStage ? stageRecord(state, state.currentStage) : undefined;
  const waiting = stage ? pendingParties(stage) : [];
  const open = stage ? currentAttempt(stage) : undefined;
  if (open?.outcome === 'open') {
    open.outcome = 'withdrawn';
    open.decidedAt = at;
  }
  // A withdrawn project is not pushed to the utility companies (a push already under way completes).
  for (const push of state.pushes.filter((p) => p.status === 'pending')) {
    push.status = 'cancelled';
    push.settledAt = at;
  }
  state.currentStage = null;
  return [
    { to: 'window', subject: `${state.project.id}: withdrawn`, message: { t: 'withdrawn', signOffCancelled: false } },
    ...waiting.map((p): Notice => ({ to: `party:${p}`, subject: `${state.project.id}: withdrawn; no sign-off needed`, message: { t: 'withdrawn', signOffCancelled: true } })),
  ];
}

export function applyPushRetry(state: ProjectState, input: PushRetryInput, at: string): Notice[] {
  const push = state.pushes.find((p) => p.company === input.company) as UtilityPush;
  push.status = 'pending';
  push.retries = (push.retries ?? 0) + 1;
  delete push.settledAt;
  record(state, { at, by: input.by, action: 'push-retry', party: input.company, detail: `retry ${push.retries} (previous error: ${push.error ?? 'none'}): ${input.reason}` });
  delete push.error;
  return [
    {
      to: 'window',
      subject: `${state.project.id}: the push to ${input.company} is sent again by ${input.by.id} (${input.reason})`,
      message: { t: 'push-resent', company: input.company, by: input.by.name ?? input.by.id, reason: input.reason },
    },
  ];
}

/** Records the reminder; the workflow delivers it to the parties' liaisons and the locality liaison. */
export function applyReminder(state: ProjectState, input: ReminderInput, at: string): Reminder {
  const open = stageRecord(state, input.stage);
  const parties = pendingParties(open);
  record(state, { at, by: input.by, action: 'reminder', stage: input.stage, detail: `${parties.join(', ')}: ${input.reason}` });
  const attempt = currentAttempt(open) as Attempt;
  return { seq: state.trail.length, stage: input.stage, attempt: attempt.number, parties, reason: input.reason };
}

export function applyOperationNote(state: ProjectState, input: OperationNoteInput, at: string): Notice[] {
  record(state, { at, by: input.by, action: 'operation', detail: `${input.operation}: ${input.detail} (${input.reason})` });
  return [];
}

export function applyAcknowledgement(state: ProjectState, input: AcknowledgementInput, at: string): Notice[] {
  const about = [input.kind, input.party, input.tier].filter((p) => p !== undefined).join(' ');
  record(state, {
    at,
    by: input.by,
    action: 'acknowledgement',
    ...(input.stage && { stage: input.stage }),
    ...(input.party && { party: input.party }),
    detail: `took charge of the ${about} (notice ${input.notice})`,
  });
  return [];
}

// ---- what people see ----

export interface StageView extends StageRecord {
  status: StageStatus;
  pendingParties: Party[];
  openCorrections: Correction[];
  /** 审批时限 of the latest attempt: working days used, deadline, light. */
  clock: StageClock | null;
}

export interface ProjectView extends Omit<ProjectState, 'stages'> {
  overallStatus: ReturnType<typeof overallStatus>;
  stages: StageView[];
  nextReportAt: string | null;
}

/** An attempt's correction pauses (补正), each from the request to the supplement (open if none yet). */
export function attemptPauses(attempt: Attempt): { from: string; to?: string }[] {
  return attempt.corrections.map((c) => ({ from: c.requestedAt, ...(c.supplementedAt && { to: c.supplementedAt }) }));
}

/** The working days a party took to sign, as the stage clock counts them: from the attempt's acceptance to
 *  the sign-off, less the correction pauses begun before it (one still running counts up to it). */
export function signOffWorkingDays(attempt: Attempt, signedAt: string, calendar: WorkingCalendar): number {
  const at = Date.parse(signedAt);
  const pauses = attemptPauses(attempt)
    .filter((p) => Date.parse(p.from) < at)
    .map((p) => ({ from: p.from, to: p.to && Date.parse(p.to) < at ? p.to : signedAt }));
  return stageClock(calendar, { submittedAt: attempt.submittedAt, decidedAt: signedAt, pauses }, 0, at).usedDays;
}

/** What an attempt's clock counts from: acceptance, its end (decision or the project's close), pauses,
 *  and the limit; null when the project has no policy (so no limit). */
function clockInput(state: ProjectState, stage: Stage, attempt: Attempt) {
  if (!state.policy) return null;
  const end = attempt.decidedAt ?? (state.status === 'active' ? undefined : (state.withdrawal?.at ?? state.completedAt ?? state.termination?.at));
  const limit = attempt.limitDays ?? stageLimit(state.policy, stage, state.project.major);
  return { timing: { submittedAt: attempt.submittedAt, ...(end && { decidedAt: end }), pauses: attemptPauses(attempt) }, limit };
}

/** What a notice about the stage's current attempt needs to state its deadline (worked out with the
 *  calendar when it is sent); undefined when the project has no policy. */
export function noticeClock(state: ProjectState, stage: Stage): NoticeClock | undefined {
  const attempt = currentAttempt(stageRecord(state, stage));
  const input = attempt && clockInput(state, stage, attempt);
  return input ? { submittedAt: input.timing.submittedAt, pauses: input.timing.pauses, limitDays: input.limit } : undefined;
}

const withClock = (state: ProjectState, stage: Stage): { clock?: NoticeClock } => {
  const clock = noticeClock(state, stage);
  return clock ? { clock } : {};
};

/** The time-limit clock of one attempt, or null when the project has no policy (so no limit). */
export function clockOfAttempt(state: ProjectState, stage: Stage, attempt: Attempt, calendar: WorkingCalendar, now: number): StageClock | null {
  const input = clockInput(state, stage, attempt);
  return input && stageClock(calendar, input.timing, input.limit, now);
}

/** The calendar-free basis of the clock lists show (the open stage's latest attempt), or null when
 *  they show none: what the record keeps so that a list can filter by light in SQL. */
export function listedClockBasis(state: ProjectState): ClockBasis | null {
  const record = state.currentStage ? stageRecord(state, state.currentStage) : undefined;
  const attempt = record && currentAttempt(record);
  const input = record && attempt && clockInput(state, record.stage, attempt);
  return input ? clockBasis(input.timing, input.limit) : null;
}

/** The time-limit clock of a stage's latest attempt, or null before it is applied for. */
export function attemptClock(state: ProjectState, record: StageRecord, calendar: WorkingCalendar, now: number): StageClock | null {
  const attempt = currentAttempt(record);
  return attempt ? clockOfAttempt(state, record.stage, attempt, calendar, now) : null;
}

/** The state with what a reader needs derived: each stage's status, who is still to sign, what is
 *  missing, and its working-day clock. */
export function projectView(state: ProjectState, calendar: WorkingCalendar, now: number): ProjectView {
  return {
    ...state,
    overallStatus: overallStatus(state),
    nextReportAt: nextReportTime(state),
    stages: state.stages.map((record) => ({
      ...record,
      status: stageStatus(state, record.stage),
      pendingParties: pendingParties(record),
      openCorrections: openCorrections(currentAttempt(record)),
      clock: attemptClock(state, record, calendar, now),
    })),
  };
}

/** Progress reports sent so far (the live state keeps only the latest). */
export const reportsSent = (state: ProjectState): number => state.reportCount ?? state.reports.length;

/** When the next progress report is due: one cadence after the last (or registration); null once closed. */
export function nextReportTime(state: ProjectState): string | null {
  if (state.status !== 'active' || !state.policy) return null;
  const anchor = state.reports[state.reports.length - 1]?.at ?? state.project.registeredAt;
  return new Date(new Date(anchor).getTime() + state.policy.reportEveryDays[state.cadence] * DAY_MS).toISOString();
}
