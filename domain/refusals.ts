// Why the workflow refused a human action: a stable code the console words in the reader's language, the
// facts the words need (codes, never prose), and the English reason API users read. The code travels in
// the refusal's ApplicationFailure details; a validator's refusal writes nothing to history, so adding it
// changes no workflow command.

export const REFUSAL_CODES = [
  'project-closed',
  'wrong-stage',
  'too-many-applications',
  'application-under-review',
  'no-application',
  'attempt-rejected',
  'party-not-required',
  'proxy-needed',
  'proxy-for-self',
  'already-signed',
  'correction-empty',
  'correction-repeated',
  'paused-for-correction',
  'no-open-correction',
  'reason-required',
  'no-push',
  'push-under-way',
  'push-not-failed',
  'too-many-reminders',
  'no-such-stage',
  'not-the-agent',
  'agent-takes-only-itself',
  'not-own-project',
  'already-the-agent',
  'cadence-unchanged',
  'too-many-changes',
  'already-green-channel',
  'size-limit',
  'in-another-campaign',
  // The API's own refusals (409), outside the workflow: worded by the console from the same code and facts.
  'project-terminated',
  'workflow-out-of-sync',
  'nothing-to-reconcile',
  'trail-conflict',
  'notice-not-acknowledgeable',
  'campaign-started',
  'campaign-project-unavailable',
  'batch-picks-none',
  'batch-too-large',
  'reset-not-failing',
  'reset-no-earlier-point',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** The facts a refusal names: stage, party and status codes, numbers, lists of party codes. */
export type RefusalParams = Record<string, string | number | string[]>;

export interface Refusal {
  code: RefusalCode;
  /** The English reason, as the API has always answered it. */
  message: string;
  params?: RefusalParams;
}

export const refusal = (code: RefusalCode, message: string, params?: RefusalParams): Refusal => ({ code, message, ...(params && { params }) });

/** The code and facts of a refusal as they travel (ApplicationFailure details) and as the API answers them. */
export type RefusalDetail = Pick<Refusal, 'code' | 'params'>;

/** A refusal's detail read back from what the workflow sent, or undefined for anything else. */
export function refusalDetail(value: unknown): RefusalDetail | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code, params } = value as { code?: unknown; params?: unknown };
  if (typeof code !== 'string' || !(REFUSAL_CODES as readonly string[]).includes(code)) return undefined;
  return { code: code as RefusalCode, ...(typeof params === 'object' && params !== null && { params: params as RefusalParams }) };
}
