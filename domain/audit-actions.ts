// What an audit entry's method and path mean as an action a person took: one list, so the API's filter
// (GET /api/audit?action=) and the console's audit log name the same things. The patterns are POSIX
// regular expressions that PostgreSQL (`path ~ pattern`) and JavaScript read alike. Plain data: the
// console imports it.

export const AUDIT_ACTIONS = {
  registration: { method: 'POST', pattern: '^/api/projects$' },
  application: { method: 'POST', pattern: '^/api/projects/[^/]+/stages/[^/]+/application$' },
  'sign-off': { method: 'POST', pattern: '^/api/projects/[^/]+/stages/[^/]+/sign-offs$' },
  supplement: { method: 'POST', pattern: '^/api/projects/[^/]+/stages/[^/]+/supplements$' },
  reminder: { method: 'POST', pattern: '^/api/projects/[^/]+/stages/[^/]+/reminders$' },
  withdrawal: { method: 'POST', pattern: '^/api/projects/[^/]+/withdrawal$' },
  'agent-assignment': { method: 'PUT', pattern: '^/api/projects/[^/]+/agent$' },
  'report-cadence': { method: 'PUT', pattern: '^/api/projects/[^/]+/report-cadence$' },
  'green-channel': { method: 'POST', pattern: '^/api/projects/[^/]+/green-channel$' },
  'fee-assessment': { method: 'PUT', pattern: '^/api/projects/[^/]+/waivers/[^/]+/assessment$' },
  'push-retry': { method: 'POST', pattern: '^/api/projects/[^/]+/pushes/[^/]+/retry$' },
  reconcile: { method: 'POST', pattern: '^/api/operations/projects/[^/]+/reconcile$' },
  reset: { method: 'POST', pattern: '^/api/operations/projects/[^/]+/reset$' },
  replay: { method: 'POST', pattern: '^/api/operations/projects/[^/]+/replay$' },
  batch: { method: 'POST', pattern: '^/api/operations/batches$' },
  'campaign-declared': { method: 'POST', pattern: '^/api/campaigns$' },
  'campaign-changed': { method: 'PATCH', pattern: '^/api/campaigns/[^/]+$' },
  calendar: { method: 'PUT', pattern: '^/api/calendar/[^/]+$' },
  directory: { method: 'PUT', pattern: '^/api/directory/posts/' },
  'notice-read': { method: 'POST', pattern: '^/api/inbox/[^/]+/read$' },
  'notice-acknowledge': { method: 'POST', pattern: '^/api/inbox/[^/]+/acknowledge$' },
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

/** The outcomes the audit log records (api/audit.ts). */
export const AUDIT_OUTCOMES = ['accepted', 'invalid', 'forbidden', 'not-found', 'refused', 'error'] as const;

const compiled = AUDIT_ACTION_NAMES.map((name) => ({ name, method: AUDIT_ACTIONS[name].method, regex: new RegExp(AUDIT_ACTIONS[name].pattern) }));

/** The action an entry records, or undefined for a command outside the list (a path no route serves). */
export function auditActionOf(method: string, path: string): AuditAction | undefined {
  return compiled.find((a) => a.method === method && a.regex.test(path))?.name;
}
