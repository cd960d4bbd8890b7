// The shapes of the answers the console reads, as zod schemas for the OpenAPI document (and through it
// the console's generated client). They describe domain/project.ts's ProjectView and db/record.ts's list
// page; test/openapi-responses.test.ts parses real answers with them, so a field renamed in the domain
// without its schema here fails a test rather than the console.
import { CADENCES, TIERS } from '../domain/policy';
import { CATEGORIES, LOCALITIES, PARTIES, ROLES, STAGES, UTILITIES } from '../domain/codes';
import type { Action, StageStatus } from '../domain/project';
import { z } from '../domain/zod';

const stage = z.enum(STAGES);
const party = z.enum(PARTIES);
const time = z.string().describe('ISO time (UTC)');
const day = z.string().describe('a Shanghai date, YYYY-MM-DD');
const STAGE_STATUSES = ['not-open', 'awaiting-application', 'under-review', 'correction', 'rejected', 'approved', 'withdrawn'] as const;
const ACTIONS = ['registration', 'application', 'sign-off', 'supplement', 'withdrawal', 'agent-assignment', 'report-cadence', 'green-channel', 'push-retry', 'reminder', 'operation', 'acknowledgement', 'campaign'] as const;
// The domain's unions are types only: these fail to compile when a value is added there and not here.
const sameStatuses: [StageStatus, (typeof STAGE_STATUSES)[number]] extends [(typeof STAGE_STATUSES)[number], StageStatus] ? true : never = true;
const sameActions: [Action, (typeof ACTIONS)[number]] extends [(typeof ACTIONS)[number], Action] ? true : never = true;
void sameStatuses;
void sameActions;
const stageStatus = z.enum(STAGE_STATUSES);
const projectStatus = z.enum(['active', 'completed', 'withdrawn', 'terminated']);

export const actorSchema = z
  .object({
    id: z.string(),
    role: z.enum([...ROLES, 'system']).describe("'system': what the workflow did on its own"),
    party: party.optional(),
    name: z.string().optional(),
  })
  .openapi('Actor');

export const meSchema = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    name: z.string().optional(),
    party: party.optional().describe('the department or utility company a reviewer or utility signs for'),
    locality: z.enum(LOCALITIES).optional().describe("the caller's locality (属地), when its identity provider says so"),
  })
  .openapi('Me');

const proxy = z.object({ reference: z.string(), reason: z.string() }).describe('代录: recorded by an admin for the party');

const signOff = z
  .object({ party, decision: z.enum(['approve', 'reject']), comment: z.string().optional(), by: actorSchema, at: time, proxy: proxy.optional() })
  .openapi('SignOff');

const correction = z
  .object({
    party,
    items: z.array(z.string()).describe('一次性告知: every missing item at once'),
    comment: z.string().optional(),
    requestedBy: actorSchema,
    requestedAt: time,
    proxy: proxy.optional(),
    supplementedBy: actorSchema.optional(),
    supplementedAt: time.optional(),
    supplementNote: z.string().optional(),
  })
  .openapi('Correction');

const attempt = z
  .object({
    number: z.number().int(),
    submittedBy: actorSchema,
    submittedAt: time,
    note: z.string().optional(),
    outcome: z.enum(['open', 'approved', 'rejected', 'withdrawn']),
    decidedAt: time.optional(),
    limitDays: z.number().int().optional().describe('审批时限 in working days, fixed when the application was accepted'),
    signOffs: z.array(signOff),
    corrections: z.array(correction),
  })
  .openapi('Attempt');

export const clockSchema = z
  .object({
    acceptedOn: day,
    limitDays: z.number().int(),
    usedDays: z.number().int().describe('working days from acceptance to decision (or today), correction time excluded'),
    pausedDays: z.number().int().describe('working days spent waiting for supplements (补正)'),
    deadline: day.describe('the last working day within the limit, pushed back by the paused days'),
    light: z.enum(['green', 'yellow', 'red']).describe('yellow from 75 % of the limit, red once exceeded'),
  })
  .openapi('StageClock');

const stageView = z
  .object({
    stage,
    lead: party,
    parties: z.array(party),
    attempts: z.array(attempt),
    status: stageStatus,
    pendingParties: z.array(party),
    openCorrections: z.array(correction),
    clock: clockSchema.nullable().describe('the time limit of the latest attempt; null before the first application'),
  })
  .openapi('StageView');

const trailEntry = z
  .object({
    seq: z.number().int(),
    at: time,
    by: actorSchema,
    action: z.enum(ACTIONS),
    stage: stage.optional(),
    party: party.optional(),
    detail: z.string().optional(),
  })
  .openapi('TrailEntry');

/** 集中开工: the campaign a project belongs to (domain/campaigns.ts), and who set its cadence. */
export const campaignMembershipSchema = z
  .object({ id: z.string(), name: z.string(), startDate: day, phase: z.enum(['preparation', 'started']).describe('preparation: weekly reports until the start date'), joinedAt: time })
  .openapi('CampaignMembership');
export const cadenceSetBySchema = z
  .object({ kind: z.enum(['manual', 'campaign']).describe('manual: set by hand, overriding the campaign until it next changes'), by: z.string().describe('the person, or the campaign id'), at: time })
  .openapi('CadenceSetBy');

export const reportSchema = z
  .object({
    seq: z.number().int(),
    at: time,
    to: z.string(),
    cadence: z.enum(CADENCES),
    stage: stage.nullable(),
    stageStatus: z.union([stageStatus, projectStatus.exclude(['active'])]),
    pending: z.array(z.object({ party, days: z.number() })),
    pendingIn: z.literal('working-days').optional(),
    openCorrections: z.array(z.object({ party, items: z.array(z.string()), since: time })),
    escalations: z.number().int(),
    nextReportAt: time.nullable(),
    campaign: campaignMembershipSchema.optional().describe('the campaign the report belongs to'),
    cadenceSetBy: cadenceSetBySchema.optional(),
  })
  .openapi('ProgressReport');

export const escalationSchema = z
  .object({
    stage,
    attempt: z.number().int(),
    party,
    tier: z.enum(TIERS),
    pendingDays: z.number(),
    at: time,
    notified: z.array(z.string()).describe('who was told, as name <email>; empty until delivered'),
  })
  .openapi('Escalation');

const push = z
  .object({
    company: z.enum(UTILITIES),
    key: z.string(),
    status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
    startedAt: time,
    settledAt: time.optional(),
    error: z.string().optional(),
    retries: z.number().int().optional(),
  })
  .openapi('UtilityPush');

const projectInfo = z
  .object({
    id: z.uuid(),
    name: z.string(),
    applicant: z.object({ name: z.string(), uscc: z.string().describe('统一社会信用代码') }),
    category: z.enum(CATEGORIES),
    major: z.boolean(),
    locality: z.enum(LOCALITIES),
    utilities: z.array(z.enum(UTILITIES)),
    exemptions: z.array(z.string()),
    registeredBy: actorSchema,
    registeredAt: time,
  })
  .openapi('ProjectInfo');

export const projectSchema = z
  .object({
    project: projectInfo,
    status: projectStatus,
    overallStatus: z.union([stageStatus, projectStatus.exclude(['active'])]).describe("the open stage's status, or how the project ended"),
    currentStage: stage.nullable(),
    stages: z.array(stageView),
    withdrawal: z.object({ by: actorSchema, at: time, reason: z.string() }).optional(),
    completedAt: time.optional(),
    termination: z.object({ closure: z.string(), at: time, by: z.string().nullable(), reason: z.string() }).optional(),
    trail: z.array(trailEntry).describe('every accepted action: who, what, when'),
    agent: z.string().nullable(),
    cadence: z.enum(CADENCES),
    cadenceSetBy: cadenceSetBySchema.optional(),
    campaign: campaignMembershipSchema.nullable().optional(),
    nextReportAt: time.nullable(),
    greenChannel: z.object({ by: actorSchema, at: time }).nullable(),
    reports: z.array(reportSchema).describe('the latest reports (GET …/reports has every one)'),
    reportCount: z.number().int().optional(),
    escalations: z.array(escalationSchema),
    pushes: z.array(push),
    autoConnection: z.boolean(),
    policy: z.looseObject({}).optional().describe('the timing rules the project started with'),
  })
  .openapi('Project');

export const projectSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    stage,
    status: z.union([stageStatus, projectStatus.exclude(['active'])]),
    locality: z.enum(LOCALITIES),
    category: z.enum(CATEGORIES),
    major: z.boolean(),
    agent: z.string().nullable(),
    registeredAt: time,
    closedAt: time.optional(),
    clock: clockSchema.nullable().describe("the open stage's clock"),
    cadence: z.enum(CADENCES).describe("the agent's progress-report cadence"),
    nextReportAt: time.nullable().describe('when the next progress report is due; null once closed'),
    openCorrections: z.array(correction).describe("the open stage's corrections awaiting the supplement, each with every item to collect (一次性告知); empty otherwise"),
  })
  .openapi('ProjectSummary');

export const projectPageSchema = z
  .object({ projects: z.array(projectSummarySchema), nextCursor: z.string().optional().describe('pass as cursor for the next page') })
  .openapi('ProjectPage');

export const registeredSchema = z
  .object({
    id: z.uuid(),
    workflowId: z.string(),
    plan: z.record(stage, z.object({ lead: party, parties: z.array(party) })).describe('the required parties of each stage, fixed at registration'),
    exemptions: z.array(z.string()),
  })
  .openapi('Registered');

export const devIdentitySchema = z
  .object({ token: z.string(), id: z.string(), role: z.enum(ROLES), name: z.string().optional(), party: party.optional() })
  .openapi('DevIdentity');

// ---- the admin's configuration pages: the working-day calendar, green channel ----

const propagationSchema = z
  .union([
    z.object({
      jobId: z.string(),
      state: z.enum(['starting', 'running', 'completed', 'failed']),
      completed: z.number().int().describe('running projects told so far'),
      failed: z.number().int().describe('projects whose signal failed (e.g. closed meanwhile)'),
      total: z.number().int(),
      startedAt: time.optional(),
      closedAt: time.optional(),
    }),
    z.object({ state: z.literal('unknown'), message: z.string() }),
  ])
  .describe("how far the year's latest change has reached running projects (Temporal's batch job)")
  .openapi('CalendarPropagation');

export const calendarYearSchema = z
  .object({
    year: z.number().int(),
    holidays: z.array(day).describe('days off (放假), including those on weekends'),
    workdays: z.array(day).describe('weekend days worked instead (调休上班)'),
    source: z.enum(['chinese-days', 'admin']).describe("'chinese-days': shipped with the service; 'admin': loaded by an admin"),
    loadedBy: z.string().optional().describe('the admin who loaded it'),
    loadedAt: time.optional(),
    names: z
      .record(z.string(), z.object({ zh: z.string(), en: z.string() }))
      .optional()
      .describe('what each listed day is for (春节, National Day…), in both languages: the shipped schedules only'),
    propagation: propagationSchema.optional(),
  })
  .openapi('CalendarYear');

export const escalationsSchema = z
  .object({
    major: z.boolean(),
    greenChannel: z.object({ by: actorSchema, at: time }).nullable().describe('who put the project on the green channel, and when (its registration, for a project registered as major)'),
    escalations: z.array(escalationSchema),
    acknowledgements: z.array(trailEntry).describe('who took charge of an escalation from their inbox, and when (trail entries)'),
  })
  .openapi('Escalations');
/** GET /api/projects/:id/reports. */
export const reportsSchema = z
  .object({
    agent: z.string().nullable(),
    cadence: z.enum(CADENCES),
    cadenceSetBy: cadenceSetBySchema.optional(),
    campaign: campaignMembershipSchema.nullable().optional(),
    nextReportAt: time.nullable().describe('when the next progress report is due; null once closed'),
    reports: z.array(reportSchema).describe('every report so far, oldest first'),
  })
  .openapi('Reports');

/** GET /api/sign-offs: a department's or utility company's done list (已办). */
export const partySignOffSchema = z
  .object({
    project: z.object({ id: z.uuid(), name: z.string(), locality: z.enum(LOCALITIES), status: z.union([stageStatus, projectStatus.exclude(['active'])]) }),
    stage,
    attempt: z.number().int(),
    party,
    decision: z.enum(['approve', 'reject', 'correction']),
    comment: z.string().optional(),
    items: z.array(z.string()).optional().describe('a correction’s items (一次性告知)'),
    by: z.object({ id: z.string(), name: z.string().optional() }).describe('who recorded it (a person of the party, or an admin as proxy)'),
    at: time,
    supplementedAt: time.optional().describe('a correction: when the window recorded the supplement'),
  })
  .openapi('PartySignOff');

export const signOffPageSchema = z
  .object({ signOffs: z.array(partySignOffSchema), nextCursor: z.string().optional().describe('pass as cursor for the next page') })
  .openapi('SignOffPage');
