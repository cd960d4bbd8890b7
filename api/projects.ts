// /api/projects: registration, reading, listing, and the human actions, each sent to the project's
// workflow as an Update (the workflow's validator is the authority; a refusal becomes 409).
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { Router, type Request, type Response } from 'express';
import type { Principals } from '../config/principals';
import type { Policy } from '../domain/policy';
import { nextReportTime, projectView, registrationInput, type Actor, type CommandResult, type ProjectInfo, type ProjectState } from '../domain/project';
import type { ProjectPlan } from '../domain/process';
import { snapshotVersion } from '../domain/record';
import { projectAudit } from '../db/audit';
import { cachedCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { listProjects, projectReports, readProjectRecord, untilRecorded } from '../db/record';
import { readRefusal, readScope } from '../domain/access';
import {
  agentBody,
  applicationBody,
  auditQuery,
  cadenceBody,
  greenChannelBody,
  listQuery,
  projectParams,
  pushParams,
  registrationBody,
  repairBody,
  signOffBody,
  stageParams,
  supplementBody,
  withdrawalBody,
} from '../domain/schemas';
import {
  assignAgent,
  remindPending,
  retryPush,
  enterGreenChannel,
  recordSupplement,
  setReportCadence,
  signOff,
  stateQuery,
  submitApplication,
  withdraw,
  workflowIdFor,
} from '../workflows/messages';
import { ActionRefused, DEFAULT_ACCEPT_TIMEOUT_MS, sendAction } from '../operations/actions';
import { describeProject, isNotFound } from '../operations/temporal';
import { authorize } from './auth';
import { HttpError, parse } from './errors';
import { requestDigest, uuidFrom } from './idempotency';
import { startProject } from './project-client';
import { addProjectWaiverRoutes } from './waivers';
import { grantWaivers } from '../db/waivers';
import { waiversFor, type WaiverCatalogue } from '../domain/waivers';

export interface ProjectsDeps {
  client: Client;
  taskQueue: string;
  principals: Principals;
  /** The timing rules new projects start with. */
  policy: Policy;
  /** The public record (lists, closed projects, audit, working-day clocks). */
  db: Db;
  /** How long an action waits to be accepted before the API looks at why (config ACCEPT_TIMEOUT_MS). */
  acceptTimeoutMs?: number;
  /** The fee-waiver catalogue new projects are granted from (config/fee-waivers.json). */
  waiverCatalogue: WaiverCatalogue;
}

/** An action's answer: the project after it (200), or word that it is held for a stuck project (202). */
interface Acted {
  status: 200 | 202;
  body: unknown;
  /** The version the record gives the project's state after the action (200 only). */
  version?: number;
}

/** An action's answer; a taken one says the version of its state, which a list can wait for (`recorded`). */
const send = (res: Response, { status, body, version }: Acted) => {
  if (version !== undefined) res.set('X-One-Window-Version', String(version));
  res.status(status).json(body);
};

/** How long a list waits for the record to hold a change its caller made (the worker writes it moments
 *  after the action's answer). */
const RECORDED_WAIT_MS = 3_000;

export function projectsRouter({ client, taskQueue, principals, policy, db, acceptTimeoutMs = DEFAULT_ACCEPT_TIMEOUT_MS, waiverCatalogue }: ProjectsDeps): Router {
  const router = Router();

  /** An agent named in a request must be a known principal with the agent role. */
  function knownAgent(agent: string | undefined, path: string): void {
    if (agent !== undefined && principals.find(agent)?.role !== 'agent') {
      throw new HttpError(400, 'invalid-request', `invalid ${path}`, [{ path, message: `no agent with id ${agent}` }]);
    }
  }

  /** The state, for a caller who may read it (403 for one whose work does not touch the project); with
   *  `res`, the answer says where it was read from (X-One-Window-Source: record | workflow). */
  async function readVisible(req: Request, id: string, res?: Response): Promise<ProjectState> {
    const { state, from } = await readState(id);
    const refusal = readRefusal(req.actor as Actor, state);
    if (refusal) throw new HttpError(403, 'forbidden', refusal);
    res?.set('X-One-Window-Source', from);
    return state;
  }

  /**
   * The live state. From the record's snapshot when it is current: the project runs with no workflow task
   * and no activity pending and no record write refused — so its last change was written and nothing has
   * changed since (a change is a workflow task, and every change schedules its write). Otherwise from a
   * query, which replays a project out of the worker's cache from its history. Once Temporal no longer
   * holds the project (or closed it without ending it: the record shows the termination; a query would
   * replay a state still active), from the record.
   */
  async function readState(id: string): Promise<{ state: ProjectState; from: 'record' | 'workflow' }> {
    const [row, description] = await Promise.all([
      db
        .selectFrom('projects')
        .select(['state', 'status'])
        .select((eb) => eb.exists(eb.selectFrom('record_failures as f').select('f.project_id').whereRef('f.project_id', '=', 'projects.id')).as('refused'))
        .where('id', '=', id)
        .executeTakeFirst(),
      describeProject(client, id),
    ]);
    const running = description?.status.name === 'RUNNING';
    if (row?.status === 'terminated' && !running) return { state: row.state as unknown as ProjectState, from: 'record' };
    const settled = running && !description.raw.pendingWorkflowTask && (description.raw.pendingActivities ?? []).length === 0;
    if (row && settled && !row.refused) return { state: row.state as unknown as ProjectState, from: 'record' };
    try {
      return { state: await client.workflow.getHandle(workflowIdFor(id)).query(stateQuery), from: 'workflow' };
    } catch (err) {
      const recorded = await readProjectRecord(db, id);
      if (recorded) return { state: recorded, from: 'record' };
      // Never registered, or a registration refused for want of the API's seal (it failed at once).
      if (isNotFound(err) || description?.status.name === 'FAILED') throw new HttpError(404, 'not-found', `no project ${id}`);
      throw err;
    }
  }

  /** What people see: the state with each stage's status and working-day clock. */
  async function view(state: ProjectState) {
    return projectView(state, await cachedCalendar(db), Date.now());
  }

  /**
   * Sends one human action (operations/actions.ts, as `npm run ops` does) and answers with the project as
   * it stands after it, or word that it is held for a stuck project (202). An Idempotency-Key header makes
   * a retried request apply once.
   */
  async function act<A extends { by: Actor }>(req: Request, id: string, update: UpdateDefinition<CommandResult, [A]>, input: A): Promise<Acted> {
    const updateId = requestDigest(req, input.by, input) ?? randomUUID();
    try {
      const outcome = await sendAction({ client, db, acceptTimeoutMs }, id, update, input, updateId);
      if (outcome.held) return { status: 202, body: outcome };
      return { status: 200, body: await view(outcome.state), version: snapshotVersion(outcome.state) };
    } catch (err) {
      if (!(err instanceof ActionRefused)) throw err;
      if (err.status === 503) throw new HttpError(503, 'busy', `${err.message}; send the same request again with the same Idempotency-Key`);
      throw new HttpError(err.status, err.status === 403 ? 'forbidden' : err.status === 404 ? 'not-found' : 'refused', err.message, undefined, err.refusal);
    }
  }

  /** What a registration answers. A retry answers from the project's own state, so it answers what the
   *  first call did even if the configuration has changed since. */
  const registered = (project: ProjectInfo, plan: ProjectPlan) => ({ id: project.id, workflowId: workflowIdFor(project.id), plan, exemptions: project.exemptions });
  const registeredFrom = (state: ProjectState) =>
    registered(state.project, Object.fromEntries(state.stages.map((s) => [s.stage, { lead: s.lead, parties: s.parties }])) as ProjectPlan);

  router.post('/', async (req, res) => {
    const by = authorize(req, 'register');
    const body = parse(registrationBody, req.body, 'body');
    knownAgent(body.agent, 'body.agent');
    const digest = requestDigest(req, by, body);
    const input = registrationInput(body, digest ? uuidFrom(digest) : randomUUID(), by, new Date().toISOString(), policy);
    const { id } = input.project;
    // A retried registration (same Idempotency-Key, caller and body) of a project that exists — open,
    // closed, or already deleted from Temporal and kept only in the record — starts nothing: a workflow
    // id is never reused.
    const existing = digest ? await readProjectRecord(db, id) : undefined;
    let answer = existing ? registeredFrom(existing) : registered(input.project, input.plan);
    if (!existing) {
      // Before the start, so a project never runs without its waivers; a grant whose project never
      // started is not counted (db/waivers.ts), and a retried registration writes nothing twice.
      await grantWaivers(db, input.project, waiversFor(input.project.category, waiverCatalogue), by, input.project.registeredAt);
      try {
        await startProject(client, taskQueue, input);
      } catch (err) {
        if (!(digest && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        answer = registeredFrom((await readState(id)).state);
      }
    }
    res.status(201).location(`/api/projects/${id}`).json(answer);
  });

  router.get('/', async (req, res) => {
    const query = parse(listQuery, req.query, 'query');
    // "agent=me": an agent's own projects (我的项目).
    if (query.agent === 'me' && req.actor?.role !== 'agent') {
      throw new HttpError(400, 'invalid-request', 'invalid query.agent', [{ path: 'query.agent', message: "'me' is for agents; name the agent's id" }]);
    }
    const agent = query.agent === 'me' ? req.actor?.id : query.agent;
    // "pending=me": a department's or company's own worklist (待办). Naming another party is no wider
    // than the caller's scope: the list stays limited to what the caller may read.
    if (query.pending === 'me' && !req.actor?.party) {
      throw new HttpError(400, 'invalid-request', 'invalid query.pending', [{ path: 'query.pending', message: "'me' is for reviewers and utility companies; name the department or company" }]);
    }
    const pending = query.pending === 'me' ? req.actor?.party : query.pending;
    // A cursor continues the order it was cut in: one from another order would start a page anywhere.
    if (query.cursor && (query.cursor.by === 'urgency') !== (query.order === 'urgency')) {
      throw new HttpError(400, 'invalid-request', 'invalid query.cursor', [{ path: 'query.cursor', message: "a cursor of another order: pass the same order as the page it came from" }]);
    }
    const { recorded, ...filters } = query;
    if (recorded) res.set('X-One-Window-Recorded', String(await untilRecorded(db, recorded, RECORDED_WAIT_MS)));
    const page = await listProjects(db, { ...filters, agent, pending }, readScope(req.actor as Actor), await cachedCalendar(db), Date.now());
    res.json(page);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    res.json(await view(await readVisible(req, id, res)));
  });

  router.post('/:id/stages/:stage/application', async (req, res) => {
    const { id, stage } = parse(stageParams, req.params, 'params');
    const by = authorize(req, 'apply');
    const body = parse(applicationBody, req.body, 'body');
    send(res, await act(req, id, submitApplication, { stage, by, ...body }));
  });

  router.post('/:id/stages/:stage/sign-offs', async (req, res) => {
    const { id, stage } = parse(stageParams, req.params, 'params');
    const body = parse(signOffBody, req.body, 'body');
    // A reviewer or utility signs for its own party unless it names one; an admin must name it.
    const party = body.party ?? req.actor?.party;
    // Who may sign at all is answered first (403), before what is missing from the request (400).
    const by = authorize(req, 'sign-off', party);
    if (party === undefined) throw new HttpError(400, 'invalid-request', 'invalid body.party', [{ path: 'body.party', message: 'name the party you sign for' }]);
    // 代录: an admin records a party's decision only as an explicit proxy, with the party's document.
    if (by.party !== party && body.proxy === undefined) {
      throw new HttpError(400, 'invalid-request', 'invalid body.proxy', [
        { path: 'body.proxy', message: `recording ${party}'s decision for it is a proxy (代录): give proxy.reference (its document) and proxy.reason` },
      ]);
    }
    if (by.party === party && body.proxy !== undefined) {
      throw new HttpError(400, 'invalid-request', 'invalid body.proxy', [{ path: 'body.proxy', message: 'you sign for your own party; a proxy is recorded by an admin' }]);
    }
    send(res, await act(req, id, signOff, { stage, by, ...body, party }));
  });

  router.post('/:id/stages/:stage/supplements', async (req, res) => {
    const { id, stage } = parse(stageParams, req.params, 'params');
    const by = authorize(req, 'supplement');
    const body = parse(supplementBody, req.body, 'body');
    send(res, await act(req, id, recordSupplement, { stage, by, ...body }));
  });

  router.post('/:id/withdrawal', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorize(req, 'withdraw');
    const body = parse(withdrawalBody, req.body, 'body');
    send(res, await act(req, id, withdraw, { by, ...body }));
  });

  router.put('/:id/agent', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorize(req, 'assign-agent');
    const body = parse(agentBody, req.body, 'body');
    knownAgent(body.agent, 'body.agent');
    send(res, await act(req, id, assignAgent, { by, ...body }));
  });

  router.put('/:id/report-cadence', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorize(req, 'set-cadence');
    const body = parse(cadenceBody, req.body, 'body');
    send(res, await act(req, id, setReportCadence, { by, ...body }));
  });

  router.post('/:id/green-channel', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorize(req, 'green-channel');
    const body = parse(greenChannelBody, req.body, 'body');
    knownAgent(body.agent, 'body.agent');
    send(res, await act(req, id, enterGreenChannel, { by, ...body }));
  });

  // ---- the operators' repairs (admins; each with a reason, in the trail and the audit log) ----

  router.post('/:id/pushes/:company/retry', async (req, res) => {
    const { id, company } = parse(pushParams, req.params, 'params');
    const by = authorize(req, 'repair');
    const { reason } = parse(repairBody, req.body, 'body');
    res.locals.auditDetail = `retry push to ${company}: ${reason}`;
    send(res, await act(req, id, retryPush, { company, reason, by }));
  });

  router.post('/:id/stages/:stage/reminders', async (req, res) => {
    const { id, stage } = parse(stageParams, req.params, 'params');
    const by = authorize(req, 'repair');
    const { reason } = parse(repairBody, req.body, 'body');
    res.locals.auditDetail = `remind the parties pending on ${stage}: ${reason}`;
    send(res, await act(req, id, remindPending, { stage, reason, by }));
  });

  router.get('/:id/reports', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const state = await readVisible(req, id);
    // The live state keeps the latest reports; the record has every one.
    const recorded = await projectReports(db, id);
    const reports = [...recorded.filter((r) => !state.reports.some((s) => s.seq === r.seq)), ...state.reports].sort((a, b) => a.seq - b.seq);
    res.json({ agent: state.agent, cadence: state.cadence, ...(state.cadenceSetBy && { cadenceSetBy: state.cadenceSetBy }), campaign: state.campaign ?? null, nextReportAt: nextReportTime(state), reports });
  });

  router.get('/:id/escalations', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const state = await readVisible(req, id);
    // Who took charge of a rung, from their inbox (the trail keeps it; the ladder climbs on regardless).
    const acknowledgements = state.trail.filter((t) => t.action === 'acknowledgement');
    res.json({ major: state.project.major, greenChannel: state.greenChannel, escalations: state.escalations, acknowledgements });
  });

  router.get('/:id/audit', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const { state } = await readState(id);
    const actor = req.actor as Actor;
    if (actor.role !== 'admin' && !(actor.role === 'agent' && state.agent === actor.id)) {
      throw new HttpError(403, 'forbidden', 'the audit log is for admins and the project\'s agent');
    }
    const { limit, cursor } = parse(auditQuery, req.query, 'query');
    const entries = await projectAudit(db, id, { limit, ...(cursor !== undefined && { after: cursor }) });
    const last = entries[entries.length - 1];
    res.json({ entries, ...(entries.length === limit && last && { nextCursor: last.seq }) });
  });

  addProjectWaiverRoutes(router, { db, catalogue: waiverCatalogue, readState });

  return router;
}
