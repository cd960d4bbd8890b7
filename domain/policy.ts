// The timing rules of a project's long life: report cadence, escalation thresholds, stage limits, and
// when to continue-as-new. Configuration: the API copies it into each workflow's input at registration,
// so a running project keeps the rules it started with (and a replay sees them too).
import type { Stage } from './codes';

export const CADENCES = ['biweekly', 'weekly'] as const;
/** 正常推进阶段每两周一报 (biweekly); 集中开工准备阶段每周一报 (weekly). */
export type Cadence = (typeof CADENCES)[number];

export const TIERS = ['liaison', 'deputy', 'main'] as const;
/** 联络员 → 分管领导 → 主要领导 */
export type Tier = (typeof TIERS)[number];

export interface Policy {
  reportEveryDays: Record<Cadence, number>;
  /** Major projects: working days a sign-off may be pending before each tier hears of it (cumulative). */
  escalationDays: Record<Tier, number>;
  /** 审批时限: working days from acceptance to decision, corrections excluded. A sign-off pending past
   *  its stage's limit is escalated once to the liaison (non-major projects). */
  stageLimitDays: Record<Stage, number>;
  /** The shorter limits of major projects (绿色通道). */
  majorStageLimitDays: Record<Stage, number>;
  /** Continue-as-new once history has this many events, even if the server has not suggested it. */
  historyEventCap: number;
  /** Attempts (with exponential backoff) to push a permitted project to one utility company. */
  pushAttempts: number;
}

export const DEFAULT_POLICY: Policy = {
  reportEveryDays: { biweekly: 14, weekly: 7 },
  escalationDays: { liaison: 2, deputy: 4, main: 6 },
  stageLimitDays: { design: 15, permit: 10, acceptance: 5, connection: 3 },
  majorStageLimitDays: { design: 10, permit: 7, acceptance: 3, connection: 2 },
  // Runs kept within a tenth of Temporal's 10,240-event warning: a project the worker no longer holds
  // replays at most one run's history before it can take an action. A run ends at its cap plus its loop's
  // last pass (before continuing as new it finishes every notice and push): 80 events more in the
  // benchmark's longest project, so the cap leaves 100.
  historyEventCap: 900,
  pushAttempts: 10,
};

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The time limit of a stage for a project, in working days. */
export const stageLimit = (policy: Policy, stage: Stage, major: boolean): number =>
  (major && policy.majorStageLimitDays ? policy.majorStageLimitDays : policy.stageLimitDays)[stage];
