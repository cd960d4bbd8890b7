// The OpenAPI document, generated from the same zod schemas the routes parse with.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import {
  agentBody,
  batchBody,
  batchParams,
  applicationBody,
  cadenceBody,
  greenChannelBody,
  inboxQuery,
  listQuery,
  noticeParams,
  operationBody,
  projectParams,
  pushParams,
  reconcileBody,
  registrationBody,
  repairBody,
  resetBody,
  signOffBody,
  stageParams,
  stuckQuery,
  signOffsQuery,
  supplementBody,
  withdrawalBody,
} from '../domain/schemas';
import { z } from '../domain/zod';
import { scheduleBody } from './calendar';
import { auditLogQuery, auditPageSchema } from './audit-log';
import { registerCalendarNoticePaths } from './calendar-notice';
import { registerWaiverPaths } from './waivers';
import { registerCampaignPaths } from './campaigns';
import { statsQuery, statsResponse } from './stats';
import { historyQuery } from './directory';
import { POSTS, person, postBody } from '../domain/directory';
import { escalationPageSchema, escalationsQuery } from './escalations';
import { forecastQuery, forecastResponse } from './forecast';
import { devIdentitySchema, meSchema, projectPageSchema, projectSchema, registeredSchema, reportsSchema, signOffPageSchema } from './responses';
import { calendarYearSchema, escalationsSchema } from './responses';
import { REFUSAL_CODES } from '../domain/refusals';
import { AGENT_READERS, agentListSchema } from './agents';

const errorBody = z
  .object({
    error: z.string().describe('invalid-request · malformed-json · unauthenticated · forbidden · not-found · refused · rate-limited · busy · internal'),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('each failing field: a 400, or a 409 that names fields (a campaign\'s projects)'),
    refusal: z
      .object({ code: z.enum(REFUSAL_CODES), params: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])).optional().describe('the facts it names: stage, party and status codes, numbers') })
      .optional()
      .describe("a refusal (403, 409) by the project's workflow or by the API itself (a reset, a batch, a campaign, a notice): a stable code to word in the reader's language; `message` is the English reason"),
  })
  .openapi('Error');

const projectBody = projectSchema.describe('The project: registration data, status, every stage with its attempts, sign-offs, corrections and clock, and the audit trail (who did what, when)');

const heldBody = z
  .object({ held: z.literal(true), project: z.uuid(), command: z.string(), message: z.string() })
  .openapi('Held');

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

const errors = {
  400: json(errorBody, 'Invalid request: `issues` names every failing field'),
  401: json(errorBody, 'Missing, unknown or refused bearer token (an expired, foreign or malformed JWT: the reason)'),
  403: json(errorBody, "The caller's role or party does not allow this"),
  404: json(errorBody, 'No such project'),
  409: json(errorBody, 'Refused by the project workflow, with the reason (wrong stage, party not required, duplicate, closed project)'),
  429: json(errorBody, 'Too many requests from this address or caller, or registrations past the quota: Retry-After says when to try again'),
};

export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const security = [{ [bearer.name]: [] }];
  const idempotency = z.object({
    'idempotency-key': z.string().optional().describe('Repeat a request with the same key and it applies once'),
  });
  const action = (path: string, summary: string, params: z.ZodObject, body: z.ZodType, who: string, method: 'post' | 'put' = 'post') =>
    registry.registerPath({
      method,
      path,
      summary,
      description: `Allowed: ${who}. The validator of the project's workflow refuses a wrong action with 409, leaving no trace.`,
      security,
      request: { params, headers: idempotency, body: { content: { 'application/json': { schema: body } } } },
      responses: {
        200: {
          ...json(projectBody, 'The project after the action'),
          headers: { 'X-One-Window-Version': { description: "the version the record gives this state: a list asked with recorded=<id>@<version> waits until the record holds it", schema: { type: 'integer' } } },
        },
        202: json(heldBody, 'The project is not making progress (its workflow tasks fail): the action is held, and applied — or refused, with a notice to the caller — when it runs again'),
        ...errors,
        503: json(errorBody, 'The project did not take the action in time (ACCEPT_TIMEOUT_MS): send the same request again with the same Idempotency-Key'),
      },
    });

  registry.registerPath({
    method: 'get',
    path: '/api/me',
    summary: 'The signed-in principal: id, name, role, and the party it signs for (everyone signed in)',
    security,
    responses: { 200: json(meSchema, 'Who the token belongs to'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/agents',
    summary: 'The agents (代办员) by id and name, for picking one and showing a project\'s agent by name',
    description: `Allowed: ${AGENT_READERS.join(', ')}.`,
    security,
    responses: { 200: json(agentListSchema, 'The agents the principals file names, by id'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/dev/principals',
    summary: 'Development only: the identities of config/principals.dev.json with their tokens, for the console’s sign-in (404 when the service uses another principals file or runs in production)',
    responses: { 200: json(z.object({ identities: z.array(devIdentitySchema) }), 'The development identities'), 404: json(errorBody, 'Not a development service') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/sign-in-options',
    summary: "How the console signs people in (no token needed): the identity provider's issuer and the console's client id there, or null for tokens",
    responses: {
      200: json(
        z.object({ oidc: z.object({ issuer: z.string(), clientId: z.string().describe("this API's audience (OIDC_AUDIENCE)") }).nullable() }).openapi('SignInOptions'),
        'The ways in',
      ),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/projects',
    summary: 'Register a project (一口受理)',
    description: 'Allowed: window, admin.',
    security,
    request: { body: { content: { 'application/json': { schema: registry.register('Registration', registrationBody) } } } },
    responses: {
      201: json(registeredSchema, 'Registered'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/projects',
    summary: 'List projects by stage, status, locality, category, major, agent, time-limit light, pending party, utility push',
    description:
      "Newest first, limited to what the caller may read; every filter applies before the page is cut, so pages hold exactly the matching projects. " +
      "light: the open stage's clock.light as of the request. pending: projects whose open stage attempt still waits for that party's sign-off " +
      "(also while paused for a correction); 'me' for a reviewer's or utility company's own (400 for other callers). push: projects with a utility push in that status. " +
      "order=oldest: oldest registration first (the window's corrections queue: status=correction&order=oldest; each project's openCorrections lists what to collect). " +
      "order=urgency: a worklist's order (待办: pending=me&order=urgency; 我的项目: agent=me&order=urgency) — clock.light red, yellow, green, then no clock; " +
      "within a light clock.acceptedOn earliest, then clock.usedDays most; ties by id. Its pages are cut by the last row's place in that order as of the request, " +
      "so a page never repeats a row of the pages before it while nothing changes; a clock that turns red meanwhile moves up to where the pages already read. " +
      "A cursor continues the order it came from (400 for one of another order).",
    security,
    request: { query: listQuery },
    responses: {
      200: {
        ...json(projectPageSchema, 'Matching projects, in the order asked for (newest first by default)'),
        headers: { 'X-One-Window-Recorded': { description: "with recorded=: 'true' if the record held that project at that version when the list was read, 'false' if it still did not after the wait", schema: { type: 'string', enum: ['true', 'false'] } } },
      },
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/projects/{id}',
    summary: 'The live state of a project',
    security,
    request: { params: projectParams },
    responses: { 200: json(projectBody, 'The project'), ...errors },
  });
  const stagePath = '/api/projects/{id}/stages/{stage}';
  action(`${stagePath}/application`, 'Submit the stage application (opens the stage; again after a rejection)', stageParams, applicationBody, 'window, admin');
  action(`${stagePath}/sign-offs`, 'Sign off a party’s part: approve, reject, or correction with every missing item', stageParams, signOffBody, 'reviewer of that department, utility of that company, admin');
  action(`${stagePath}/supplements`, 'Record the supplement that answers the open corrections (the clock resumes)', stageParams, supplementBody, 'window, admin');
  action('/api/projects/{id}/withdrawal', 'Withdraw the project (ends it)', projectParams, withdrawalBody, 'window, admin');
  action('/api/projects/{id}/agent', 'Assign the agent (代办员) who follows the project', projectParams, agentBody, 'admin; an agent may take an unassigned project for itself or hand its own over', 'put');
  action('/api/projects/{id}/report-cadence', 'Switch progress reports between biweekly and weekly; the next is counted from the last', projectParams, cadenceBody, "the project's agent, admin", 'put');
  action('/api/projects/{id}/pushes/{company}/retry', 'Send a failed push to a utility company again, with the same idempotency key (the window hears of the outcome)', pushParams, repairBody, 'admin');
  action(`${stagePath}/reminders`, 'Remind the parties still pending on the open stage (their liaisons and the locality liaison are told)', stageParams, repairBody, 'admin');
  action('/api/projects/{id}/green-channel', 'Put the project on the green channel (绿色通道) with its dedicated agent', projectParams, greenChannelBody, 'admin');
  const read = (path: string, summary: string, shape: z.ZodType) =>
    registry.registerPath({ method: 'get', path, summary, security, request: { params: projectParams }, responses: { 200: json(shape, summary), ...errors } });
  read('/api/projects/{id}/reports', 'Progress reports so far, the cadence and the next report time', reportsSchema);
  read('/api/projects/{id}/escalations', 'Escalations of slow sign-offs so far, with who was told', escalationsSchema);

  read('/api/projects/{id}/audit', 'Every command received for the project, accepted or refused (admin, the project\'s agent)', z.object({ entries: z.array(z.looseObject({})) }));
  const date = z.iso.date();
  registry.registerPath({
    method: 'get',
    path: '/api/calendar/working-days',
    summary: 'Working days after `from` up to and including `to` (official PRC calendar, Asia/Shanghai)',
    security,
    request: { query: z.object({ from: date, to: date }) },
    responses: { 200: json(z.object({ from: date, to: date, workingDays: z.number().int() }), 'The count'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/calendar/deadline',
    summary: 'The date of the Nth working day after `from`',
    security,
    request: { query: z.object({ from: date, days: z.number().int().min(0) }) },
    responses: { 200: json(z.object({ from: date, days: z.number().int(), deadline: date }), 'The date'), ...errors },
  });
  const yearParams = z.object({ year: z.number().int() });
  registry.registerPath({
    method: 'get',
    path: '/api/calendar/{year}',
    summary: "A year's schedule: holidays and adjusted working days, shipped (chinese-days) or loaded by an admin",
    security,
    request: { params: yearParams },
    responses: { 200: json(calendarYearSchema, 'The schedule'), ...errors },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/calendar/{year}',
    summary: "Load a year's State Council schedule (admin); running projects re-arm their deadlines",
    security,
    request: { params: yearParams, body: { content: { 'application/json': { schema: registry.register('YearSchedule', scheduleBody) } } } },
    responses: {
      202: json(calendarYearSchema, 'The stored schedule, and `propagation`: the batch job telling running projects `{ jobId, state, completed, failed, total }`'),
      ...errors,
      503: json(errorBody, 'The schedule is stored but running projects could not be told now; repeat the PUT'),
    },
  });
  registerCalendarNoticePaths(registry, { security, json, errors, unavailable: json(errorBody, 'Stored, but running projects could not be told now; repeat the request') });
  registerCampaignPaths(registry, { security, json, errors });
  const directoryPerson = registry.register('DirectoryPerson', person);
  const postVersion = z.object({ post: z.string(), version: z.number().int(), people: z.array(directoryPerson) });
  registry.registerPath({
    method: 'get',
    path: '/api/directory',
    summary: 'The liaison directory as it stands (admin, leader, window): every post with its people, and the latest version',
    security,
    responses: {
      200: json(z.object({ version: z.number().int(), posts: z.record(z.string(), z.object({ version: z.number().int(), people: z.array(directoryPerson) })) }), 'The current directory'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/directory/history',
    summary: "The liaison directory's versions, newest first (admin): who changed which post, when, why, and its people before and after",
    security,
    request: { query: historyQuery },
    responses: {
      200: json(
        z.object({
          versions: z.array(z.object({ version: z.number().int(), at: z.string(), by: z.string(), post: z.string().nullable(), reason: z.string().nullable(), before: z.array(directoryPerson).optional(), after: z.array(directoryPerson).optional() })),
          nextCursor: z.string().optional(),
        }),
        'A page of versions; pass nextCursor as cursor for the next',
      ),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/directory/posts/{post}',
    summary: "Replace a post's people (admin): a new version of the directory, used by the next notice of every project",
    description: `Posts: ${POSTS.join(', ')}. A person's principalId must name a known principal. 404: no such post.`,
    security,
    request: { params: z.object({ post: z.string() }), body: { content: { 'application/json': { schema: registry.register('DirectoryPostChange', postBody) } } } },
    responses: { 200: json(postVersion, 'The post as it now is, and the new version'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/stats',
    summary: 'Per stage: stages decided in the window, average and median working days used (corrections excluded), how many exceeded the limit; also by locality. Open attempts now (how many, over the limit, the oldest) per stage and locality, and per party its sign-offs’ median working days and pending count',
    description: 'The window defaults to this year (Asia/Shanghai): a missing `from` is 1 January of `to`’s year, a missing `to` 31 December of `from`’s year.',
    security,
    request: { query: statsQuery },
    responses: { 200: json(statsResponse, 'The statistics'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/audit/verify',
    summary: "Recompute the audit log's hash chain (admin): intact, how many entries were checked, the last entry's seq and hash, or the first broken link",
    security,
    responses: {
      200: json(
        z.object({
          intact: z.boolean(),
          checked: z.number().int(),
          head: z.object({ seq: z.string(), hash: z.string() }).nullable().optional(),
          broken: z.object({ seq: z.string(), id: z.string(), problem: z.string() }).optional(),
        }),
        'The verification',
      ),
      ...errors,
    },
  });
  const noticeBody = z.object({
    id: z.string(),
    at: z.string(),
    kind: z.string().describe('report · escalation · correction · reminder · push · digest · held · notice'),
    projectId: z.string().nullable(),
    address: z.string().describe('whom it was sent to: window, party:<code>, agent:<id>, principal:<id>, role:<role>'),
    subject: z.string().describe("the notice's subject line in the reader's language"),
    lines: z.array(z.string()).describe('the notice line by line: project, what happened, what is asked, the time limit in working days, the link'),
    link: z.string().nullable().describe("the project's page in the console"),
    deliveries: z.array(z.object({ channel: z.enum(['email', 'webhook']), to: z.string(), at: z.string() })).describe('who it was sent to by e-mail or webhook, and when'),
    readAt: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    acknowledgeable: z.boolean(),
  });
  registry.registerPath({
    method: 'get',
    path: '/api/inbox',
    summary: "The signed-in person's notices, unread first (everyone signed in)",
    description: 'Notices addressed to the person, their role, their department or company, or (agents) to them as agent.',
    security,
    request: { query: inboxQuery },
    responses: {
      200: json(z.object({ notices: z.array(noticeBody), unread: z.number().int(), language: z.enum(['zh', 'en']), nextCursor: z.string().optional() }), 'The inbox'),
      ...errors,
    },
  });
  for (const what of ['read', 'acknowledge'] as const) {
    registry.registerPath({
      method: 'post',
      path: `/api/inbox/{id}/${what}`,
      summary: what === 'read' ? 'Mark a notice read' : 'Take charge of an escalation, correction or reminder (409 for other kinds); recorded on the project',
      security,
      request: { params: noticeParams },
      responses: {
        200: json(
          z.object({
            id: z.string(),
            kind: z.string(),
            projectId: z.string().nullable(),
            readAt: z.string(),
            acknowledgedAt: z.string().nullable(),
            ...(what === 'acknowledge' && {
              onProject: z
                .enum(['recorded', 'already', 'held', 'closed'])
                .describe("recorded: in the project's trail now; already: by an earlier acknowledgement; held: the project is not making progress, recorded when it runs again; closed: the project takes no more actions, so the inbox alone keeps it"),
            }),
          }),
          'Marked',
        ),
        ...errors,
      },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/api/operations/stuck',
    summary: 'Every project needing attention (admin; leader reads): kind, since, evidence, who is expected to act, the repairs that apply',
    description:
      'Kinds: overdue-sign-off, correction-unanswered, push-failed, push-retrying, workflow-task-failing, activity-retrying, record-out-of-sync, notice-failing (README, Operations). ' +
      'Oldest first; `counts` by kind and locality cover every matching case; `scan` says how many workflows Temporal was asked about and whether the scan was complete.',
    security,
    request: { query: stuckQuery },
    responses: {
      200: json(
        z.object({
          entries: z.array(
            z.object({
              projectId: z.string(),
              name: z.string().nullable(),
              locality: z.string().nullable(),
              stage: z.string().nullable(),
              kind: z.string(),
              since: z.string(),
              sinceWorkingDays: z.number().int().describe('working days from `since` to today (Shanghai)'),
              evidence: z.looseObject({}),
              expected: z.object({ actor: z.string(), action: z.string() }),
              repairs: z.array(z.object({ action: z.string(), method: z.string(), path: z.string() })),
            }),
          ),
          total: z.number().int(),
          counts: z.object({ byKind: z.record(z.string(), z.number().int()), byLocality: z.record(z.string(), z.number().int()) }),
          scan: z.object({ running: z.number().int(), described: z.number().int(), max: z.number().int(), complete: z.boolean(), problem: z.string().optional() }),
          nextCursor: z.string().optional(),
        }),
        'The stuck list',
      ),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/operations/projects/{id}/reconcile',
    summary: "Bring the record of a project whose workflow is closed or gone to what Temporal says (admin); the reason is audited and noted on the project",
    description:
      "COMPLETED: the record takes the workflow's final state. TERMINATED, TIMED_OUT, FAILED, CANCELLED: the record marks the project terminated (when, by whom, why, from Temporal's closing event). " +
      'Not found in Temporal: noted as missing, nothing closed. 409 when there is nothing to reconcile.',
    security,
    request: { params: projectParams, body: { content: { 'application/json': { schema: reconcileBody } } } },
    responses: { 200: json(z.looseObject({ outcome: z.string(), temporal: z.string() }), 'What was done'), ...errors },
  });

  registry.registerPath({
    method: 'post',
    path: '/api/operations/projects/{id}/reset',
    summary: 'Reset a project whose workflow tasks fail (admin): Temporal’s reset to the last workflow task completed before the first failure, or to `to`',
    description:
      'Every signal and Update received after that point is applied again (`kept`); activities and timers after it run again. The reset enters the trail when the project runs. ' +
      '409 when nothing is failing and no `to` is named. Repeated with the same Idempotency-Key, it answers for the reset it made.',
    security,
    request: { params: projectParams, headers: z.object({ 'idempotency-key': z.string().optional() }), body: { content: { 'application/json': { schema: resetBody } } } },
    responses: {
      200: json(
        z.object({
          workflowId: z.string(),
          previousRunId: z.string(),
          runId: z.string(),
          resetTo: z.object({ eventId: z.number().int(), type: z.string(), at: z.string().nullable() }),
          kept: z.object({
            signals: z.array(z.object({ eventId: z.number().int(), name: z.string() })),
            updates: z.array(z.object({ eventId: z.number().int(), name: z.string(), id: z.string() })),
          }),
          message: z.string(),
        }),
        'The reset',
      ),
      ...errors,
    },
  });
  const batchProgressBody = z.object({
    id: z.string(),
    action: z.string(),
    reason: z.string(),
    by: z.looseObject({}),
    year: z.number().int().optional(),
    projectIds: z.array(z.string()),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    failures: z.array(z.object({ projectId: z.string(), message: z.string() })),
    status: z.enum(['running', 'completed']),
  });
  registry.registerPath({
    method: 'post',
    path: '/api/operations/batches',
    summary: 'Start an operations batch over the projects a filter picks (admin): calendar, directory, renotify, reset, withdraw',
    description:
      'The filter is the project list’s (or `ids`); open projects only, except for reset. A filter that picks more than `max`, or none, is refused (409); `max` is at most 1,000 (100 for reset and withdraw). ' +
      'Each step is the admin’s own recorded action. Repeated with the same Idempotency-Key, it answers for the batch already started.',
    security,
    request: { headers: z.object({ 'idempotency-key': z.string().optional() }), body: { content: { 'application/json': { schema: batchBody } } } },
    responses: { 202: json(z.object({ id: z.string(), action: z.string(), total: z.number().int(), projectIds: z.array(z.string()) }), 'Started'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/operations/batches/{id}',
    summary: 'An operations batch’s progress (admin, leader)',
    security,
    request: { params: batchParams },
    responses: { 200: json(batchProgressBody, 'Progress'), ...errors },
  });

  registry.registerPath({
    method: 'post',
    path: '/api/operations/projects/{id}/replay',
    summary: "Replay the project's live history against the workflow code this API runs (admin): whether a worker running it would take the path the project took",
    description:
      'Allowed: admin. Body `{}` or none. The first call in a process bundles the workflow code (seconds). `compatible: false` names the error and, where it can be located, the first history event where the code goes another way; `kind` tells a determinism error (`nondeterminism`) from any other replay failure (`other`).',
    security,
    request: { params: projectParams, body: { content: { 'application/json': { schema: operationBody } } } },
    responses: {
      200: json(
        z.object({
          workflowId: z.string(),
          compatible: z.boolean(),
          kind: z.enum(['nondeterminism', 'other']).optional(),
          error: z.string().optional().describe("the SDK core's message, e.g. [TMPRL1100] Nondeterminism error: …"),
          divergingEvent: z
            .object({
              eventId: z.number().int(),
              eventType: z.string().describe('e.g. ActivityTaskScheduled, TimerStarted, MarkerRecorded'),
              activityType: z.string().optional(),
              timerId: z.string().optional(),
              markerName: z.string().optional(),
              patchId: z.string().optional(),
              updateName: z.string().optional(),
            })
            .optional(),
        }),
        'The verdict',
      ),
      ...errors,
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/audit',
    summary: 'The audit log across projects, newest first (admin): who did what, when, on which project, with what outcome',
    description: "Filters: actor (a principal's id), action (a kind of command), project, outcome, from/to (Shanghai dates, inclusive). A project's agent reads that project's entries at /api/projects/{id}/audit.",
    security,
    request: { query: auditLogQuery },
    responses: { 200: json(auditPageSchema, 'A page of entries; pass nextCursor as cursor for the older ones'), ...errors },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/escalations',
    summary: "Escalated sign-offs across projects (leader, admin): each once, at the highest rung reached, with the party holding it, who was told and took charge, and the working days pending",
    description: 'Highest tier first, then the longest escalated; by default only sign-offs still awaited (pending=false: every escalation in the record).',
    security,
    request: { query: escalationsQuery },
    responses: { 200: json(escalationPageSchema, 'A page of escalations; pass nextCursor as cursor for the next'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/forecast',
    summary: 'The red-light forecast (leader, admin; an agent: its own projects): open stages likely to exceed their limit, the party holding each up, its expected sign-off date and the probability, soonest red first',
    description: 'Learned from the past year of sign-offs (recency-weighted working days per party and stage, adjusted for each party’s queue now); the model is described in the README. `threshold`: the least probability listed.',
    security,
    request: { query: forecastQuery },
    responses: { 200: json(forecastResponse, 'The forecasts'), ...errors },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/sign-offs',
    summary: "A department's or utility company's done list (已办): its party's approvals, rejections and correction requests, newest first",
    description: "Allowed: reviewer, utility (the party is the caller's own, from its principal). Filters: stage, decision. Pages: pass nextCursor as cursor.",
    security,
    request: { query: signOffsQuery },
    responses: { 200: json(signOffPageSchema, 'The decisions, newest first'), ...errors },
  });

  registerWaiverPaths(registry, { security, json, errors });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'one-window 一口受理', version: '0.1.0', description: 'Single-window approval of construction projects' },
    servers: [{ url: '/' }],
  });
}
