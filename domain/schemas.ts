// zod schemas of what people send to the API; the API parses every request with these and the OpenAPI
// document is generated from them. Workflow code does not import this file (it needs no zod).
import { z } from './zod';
import { CATEGORIES, DECISIONS, LOCALITIES, PARTIES, ROLES, STAGES, UTILITIES, isDepartment, isUtility } from './codes';
import { CADENCES } from './policy';
import { NOTICE_KINDS, NOTICE_LANGUAGES } from './notice-texts';
import { usccProblem } from './uscc';
import { MAX_DATE, MIN_DATE } from './calendar';
import { LIMITS } from './limits';
import { BATCH_ACTIONS } from './batch';

// Control characters (NUL above all, which PostgreSQL cannot store) and lone UTF-16 surrogates (ill-formed
// Unicode, which PostgreSQL refuses as invalid text) have no place in a public record; neither has a name
// made only of invisible characters (format characters, fillers, spaces).
// C0 and C1 controls (tab and newlines aside) and Unicode noncharacters.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]|[\u{1fffe}\u{1ffff}\u{2fffe}\u{2ffff}\u{10fffe}\u{10ffff}]/u;
const LONE_SURROGATE = /\p{Cs}/u;
// Format characters, separators, controls, combining grapheme joiner, Khmer invisible vowels, Mongolian
// vowel separator, Hangul fillers, Braille blank: text made only of these shows nothing.
const INVISIBLE_ONLY = /^[\p{Cf}\p{Z}\p{Cc}\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0]*$/u;
export const text = (max: number) =>
  z
    .string()
    .refine((v) => !LONE_SURROGATE.test(v), 'must be well-formed Unicode (a lone UTF-16 surrogate is not a character)')
    .transform((v) => v.trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`)
        .refine((v) => !CONTROL.test(v), 'must not contain control characters')
        .refine((v) => !INVISIBLE_ONLY.test(v), 'must contain visible characters'),
    );

/** A calendar date the service can count with: YYYY-MM-DD between 2000 and 2099 (any later or earlier
 *  date is refused rather than counted). */
export const serviceDate = z
  .string()
  .refine((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d === new Date(Date.parse(`${d}T00:00:00Z`) || 0).toISOString().slice(0, 10) && d >= MIN_DATE && d <= MAX_DATE, {
    message: `must be a date YYYY-MM-DD between ${MIN_DATE} and ${MAX_DATE}`,
  })
  .openapi({ format: 'date', example: '2026-11-27' });

export const stageCode = z.enum(STAGES);
export const partyCode = z.enum(PARTIES);

export const uscc = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((value, ctx) => {
    const problem = usccProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a valid unified social credit code: ${problem}` });
  })
  .describe('统一社会信用代码, 18 characters, check character verified (GB 32100-2015)');

export const registrationBody = z
  .object({
    name: text(200).describe('项目名称'),
    applicant: z.object({ name: text(200).describe('建设单位'), uscc }).strict(),
    category: z.enum(CATEGORIES).describe('general 社会投资房屋建筑工程 · industrial 工业项目 · small 小型项目'),
    major: z.boolean().default(false).describe('重大项目: green channel; needs its dedicated agent in `agent`'),
    locality: z.enum(LOCALITIES).describe('属地'),
    agent: text(100).optional().describe('代办员: principal id of the agent who follows the project'),
    utilities: z
      .array(z.enum(UTILITIES))
      .min(1, 'at least one utility connection must be requested')
      .refine((list) => new Set(list).size === list.length, 'each utility company at most once')
      .describe('市政接入: the utility companies the project asks for at intake'),
  })
  .strict()
  // A major project goes straight onto the green channel, which is steered by its dedicated agent.
  .refine((body) => !body.major || body.agent !== undefined, { path: ['agent'], message: 'a major project (重大项目) must name its dedicated agent (代办员)' });
export type RegistrationBody = z.infer<typeof registrationBody>;

export const applicationBody = z.object({ note: text(LIMITS.commentChars).optional() }).strict();

export const signOffBody = z
  .object({
    party: partyCode.optional().describe("defaults to the caller's own department or company"),
    decision: z.enum(DECISIONS),
    comment: text(LIMITS.commentChars).optional(),
    items: z
      .array(text(LIMITS.itemChars))
      .max(LIMITS.correctionItems, `at most ${LIMITS.correctionItems} items`)
      .optional()
      .describe(`correction only: every missing item at once (一次性告知); at most ${LIMITS.correctionItems} items of ${LIMITS.itemChars} characters`),
    proxy: z
      .object({
        reference: text(100).describe("the department's document reference (文号) authorising the entry"),
        reason: text(LIMITS.commentChars).describe('why the admin records it'),
      })
      .strict()
      .optional()
      .describe("代录: required when an admin records a department's or company's decision for it"),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.decision === 'correction' && (!body.items || body.items.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'a correction must list every missing item at once (一次性告知)' });
    }
    if (body.decision !== 'correction' && body.items !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'items belong to a correction only' });
    }
    if (body.decision === 'reject' && body.comment === undefined) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: 'a rejection must state its reason' });
    }
  });
export type SignOffBody = z.infer<typeof signOffBody>;

export const agentBody = z.object({ agent: text(100).describe('principal id of an agent') }).strict();
export const cadenceBody = z.object({ cadence: z.enum(CADENCES).describe('biweekly 正常推进 · weekly 集中开工准备') }).strict();
export const greenChannelBody = z.object({ agent: text(100).describe('the dedicated agent (industrial-zone service staff)') }).strict();

export const supplementBody = z.object({ note: text(LIMITS.commentChars).optional() }).strict();

export const withdrawalBody = z.object({ reason: text(LIMITS.commentChars) }).strict();

export const projectParams = z.object({ id: z.uuid('must be a project id (UUID)') });
/** An operation that takes nothing but its path: `{}` or no body. */
export const operationBody = z.object({}).strict();
export const stageParams = projectParams.extend({ stage: stageCode });
export const pushParams = projectParams.extend({ company: z.enum(UTILITIES, `must be one of ${UTILITIES.join(', ')}`) });

/** Every operator's repair says why: the reason goes into the project's trail and the audit log. */
export const repairBody = z.object({ reason: text(LIMITS.commentChars).describe('why (kept in the trail and the audit log)') }).strict();

export const resetBody = repairBody
  .extend({
    to: z
      .number()
      .int()
      .min(1)
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe("a completed workflow task's event id in the current run; by default the last one before the first failure"),
  })
  .strict();

/** A list page ends at a position; the next page starts after it. Opaque to callers. By registration:
 *  (registeredAt, id). By urgency (order=urgency): the urgency key db/list-filters.ts computes, then id. */
export type ListPosition = { by: 'registration'; registeredAt: string; id: string } | { by: 'urgency'; key: UrgencyKey; id: string };
/** [light rank: red 0, yellow 1, green 2, no clock 3; days from 2000-01-01 to acceptance (none: 9999-12-31);
 *  working days used, negated] — ascending is most urgent first. */
export type UrgencyKey = [number, number, number];
export const encodeCursor = (p: ListPosition): string =>
  Buffer.from(JSON.stringify(p.by === 'registration' ? [p.registeredAt, p.id] : ['u', ...p.key, p.id])).toString('base64url');
const isId = (id: unknown): id is string => typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);
const isInt = (n: unknown, min: number, max: number): n is number => Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
const listCursor = z
  .string()
  .max(200)
  .transform((value, ctx): ListPosition => {
    try {
      const parts = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
      // Only what this service gives out: a UUID, and an ISO instant within the years it counts, or an
      // urgency key within the ranges it can take.
      if (parts.length === 5 && parts[0] === 'u') {
        const [, rank, day, used, id] = parts;
        if (isInt(rank, 0, 3) && isInt(day, 0, 3_000_000) && isInt(used, -100_000, 0) && isId(id)) return { by: 'urgency', key: [rank, day, used], id };
      } else if (parts.length === 2) {
        const [registeredAt, id] = parts;
        const instant = typeof registeredAt === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(registeredAt) ? Date.parse(registeredAt) : NaN;
        const year = new Date(instant).getUTCFullYear();
        if (year >= 2000 && year <= 2100 && isId(id)) return { by: 'registration', registeredAt: registeredAt as string, id };
      }
    } catch {
      // falls through to the issue below
    }
    ctx.addIssue({ code: 'custom', message: "not a cursor this service gave out (use the previous page's nextCursor)" });
    return z.NEVER;
  });

const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listQuery = z
  .object({
    stage: stageCode.optional(),
    status: z
      .enum(['awaiting-application', 'under-review', 'correction', 'rejected', 'completed', 'withdrawn', 'terminated'])
      .optional(),
    locality: z.enum(LOCALITIES).optional(),
    category: z.enum(CATEGORIES).optional(),
    major: booleanString.optional(),
    agent: text(100).optional().describe("an agent's principal id, or 'me'"),
    light: z
      .enum(['green', 'yellow', 'red'])
      .optional()
      .describe("the open stage's time-limit light today (the list's clock.light): yellow from 75 % of the limit, red past it"),
    pending: z
      .enum([...PARTIES, 'me'])
      .optional()
      .describe("a department's or utility company's worklist: projects whose open stage attempt still waits for its sign-off (also while paused for a correction); 'me' for a reviewer's or utility company's own"),
    push: z
      .enum(['pending', 'delivered', 'failed', 'cancelled'])
      .optional()
      .describe('projects with a push to a utility company in this status'),
    name: text(200).optional().describe("projects whose name contains this text (case-insensitive): the console's search box"),
    order: z
      .enum(['newest', 'oldest', 'urgency'])
      .optional()
      .describe(
        "by registration: 'newest' first (the default) or 'oldest' first (a queue worked from its front, e.g. status=correction); " +
          "'urgency': a worklist's order — the open stage's light red, yellow, green, then no clock; within a light the stage accepted earliest, then the most working days used",
      ),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: listCursor.optional().describe("the previous page's nextCursor: the page after it"),
    recorded: z
      .string()
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(@\d{1,9})?$/, 'a project id, or id@version')
      .transform((value) => {
        const [id, version] = value.split('@') as [string, string | undefined];
        return { id, version: version === undefined ? 1 : Number(version) };
      })
      .optional()
      .describe(
        "read your own writes: '<id>@<version>', the project an action answered for and its X-One-Window-Version (or just '<id>' after a registration); " +
          'the list is read once the record holds that project at that version or later, waiting at most a few seconds (X-One-Window-Recorded says whether it did)',
      ),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuery>;

/** An operations batch: the action, over the projects the list's filters (or ids) pick, bounded by max. */
export const batchBody = z
  .object({
    action: z.enum(BATCH_ACTIONS),
    reason: text(LIMITS.commentChars).describe('why (kept in the trail of each project and the audit log)'),
    max: z.number().int().min(1).max(1000).describe('the most projects the batch may touch: a filter that picks more is refused'),
    filter: listQuery
      // A batch picks by the list's facts, not by a name's fragment (it could match more than meant).
      .omit({ limit: true, cursor: true, name: true, order: true, recorded: true })
      .extend({ ids: z.array(z.uuid('must be a project id (UUID)')).min(1).max(1000).optional().describe('only these projects') })
      .strict()
      .default({}),
    year: z.number().int().min(2000).max(2099).optional().describe("'calendar': the year whose schedule changed (this year by default)"),
  })
  .strict();

export const batchParams = z.object({ id: z.string().regex(/^operations-(batch|signal)-[\w-]{1,100}$/, 'must be a batch id (operations-batch-… or operations-signal-…)') });

/** The signed-in person's inbox. */
export const inboxQuery = z
  .object({
    kind: z.enum(NOTICE_KINDS).optional(),
    project: z.uuid('must be a project id (UUID)').optional(),
    unread: booleanString.optional(),
    lang: z.enum(NOTICE_LANGUAGES).optional().describe("the language to put the notices in; the reader's directory entry says otherwise (zh by default)"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().regex(/^[01]:\d{1,18}$/, "not a cursor this service gave out (use the previous page's nextCursor)").optional(),
  })
  .strict();

export const noticeParams = z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be a notice id') });

/** A page of a project's audit entries, in the order they were written. */
export const auditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(500),
    cursor: z.string().regex(/^\d{1,18}$/, "must be the previous page's nextCursor").optional().describe("the previous page's nextCursor: the entries after it"),
  })
  .strict();

export const principal = z
  .object({
    id: text(100),
    name: text(200).optional(),
    role: z.enum(ROLES),
    party: partyCode.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const needsParty = p.role === 'reviewer' || p.role === 'utility';
    if (needsParty && !p.party) ctx.addIssue({ code: 'custom', path: ['party'], message: `a ${p.role} needs a party` });
    if (!needsParty && p.party) ctx.addIssue({ code: 'custom', path: ['party'], message: `a ${p.role} has no party` });
    if (p.role === 'reviewer' && p.party && !isDepartment(p.party)) {
      ctx.addIssue({ code: 'custom', path: ['party'], message: 'a reviewer belongs to a department' });
    }
    if (p.role === 'utility' && p.party && !isUtility(p.party)) {
      ctx.addIssue({ code: 'custom', path: ['party'], message: 'a utility principal belongs to a utility company' });
    }
  });

// ---- operations (stuck list, reconciliation) ----

/** Kinds of stuck case, in the order operators read them (see README, Operations). */
export const STUCK_KINDS = [
  'overdue-sign-off',
  'correction-unanswered',
  'push-failed',
  'push-retrying',
  'workflow-task-failing',
  'activity-retrying',
  'record-out-of-sync',
  'notice-failing',
] as const;
export type StuckKind = (typeof STUCK_KINDS)[number];

export const stuckQuery = z
  .object({
    kind: z.enum(STUCK_KINDS).optional(),
    locality: z.enum(LOCALITIES).optional(),
    stage: stageCode.optional(),
    department: partyCode.optional().describe('a department or utility company: only the cases about it'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().regex(/^\d{1,9}$/, "must be the previous page's nextCursor").optional().describe("the previous page's nextCursor: the cases after it"),
  })
  .strict();

export const reconcileBody = z.object({ reason: text(LIMITS.commentChars).describe('why: kept in the audit log and the project\'s notes') }).strict();

/** A department's or company's done list (已办): its own decisions, newest first. */
export const signOffsQuery = z
  .object({
    stage: stageCode.optional(),
    decision: z.enum(['approve', 'reject', 'correction']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(400)
      .transform((value, ctx): [string, string, string, number, string] => {
        try {
          const p = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
          const [at, project, stage, attempt, decision] = p;
          if (
            p.length === 5 &&
            typeof at === 'string' &&
            /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(at) &&
            !Number.isNaN(Date.parse(at)) &&
            typeof project === 'string' &&
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(project) &&
            (STAGES as readonly unknown[]).includes(stage) &&
            typeof attempt === 'number' &&
            Number.isInteger(attempt) &&
            ['approve', 'reject', 'correction'].includes(decision as string)
          ) {
            return [at, project, stage as string, attempt, decision as string];
          }
        } catch {
          // falls through to the issue below
        }
        ctx.addIssue({ code: 'custom', message: "not a cursor this service gave out (use the previous page's nextCursor)" });
        return z.NEVER;
      })
      .optional()
      .describe("the previous page's nextCursor: the page after it"),
  })
  .strict();
