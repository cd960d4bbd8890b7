// The timing policy new projects start with: defaults from domain/policy.ts, overridden by POLICY_FILE.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';

const days = z.number().positive().max(3650);
const overrides = z
  .object({
    reportEveryDays: z.object({ biweekly: days, weekly: days }).partial().strict(),
    escalationDays: z.object({ liaison: days, deputy: days, main: days }).partial().strict(),
    stageLimitDays: z.object({ design: days, permit: days, acceptance: days, connection: days }).partial().strict(),
    majorStageLimitDays: z.object({ design: days, permit: days, acceptance: days, connection: days }).partial().strict(),
    historyEventCap: z.number().int().min(100).max(50_000),
    pushAttempts: z.number().int().min(1).max(100),
  })
  .partial()
  .strict();

export function loadPolicy(path: string | undefined): Policy {
  if (path === undefined) return DEFAULT_POLICY;
  const parsed = overrides.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid policy file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const o = parsed.data;
  const policy: Policy = {
    reportEveryDays: { ...DEFAULT_POLICY.reportEveryDays, ...o.reportEveryDays },
    escalationDays: { ...DEFAULT_POLICY.escalationDays, ...o.escalationDays },
    stageLimitDays: { ...DEFAULT_POLICY.stageLimitDays, ...o.stageLimitDays },
    majorStageLimitDays: { ...DEFAULT_POLICY.majorStageLimitDays, ...o.majorStageLimitDays },
    historyEventCap: o.historyEventCap ?? DEFAULT_POLICY.historyEventCap,
    pushAttempts: o.pushAttempts ?? DEFAULT_POLICY.pushAttempts,
  };
  const { liaison, deputy, main } = policy.escalationDays;
  if (!(liaison < deputy && deputy < main)) throw new Error(`invalid policy file ${path}: escalationDays must rise liaison < deputy < main`);
  return policy;
}
