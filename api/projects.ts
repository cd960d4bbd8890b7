// /api/projects: registration, reading, listing, and the human actions, each sent to the project's
// workflow as an Update (the workflow's validator is the authority; a refusal becomes 409).
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { Router, type Request } from 'express';
import type { Principals } from '../config/principals';
import type { Policy } from '../domain/policy';
import { nextReportTime, projectView, registrationInput, type Actor, type ProjectState } from '../domain/project';
import { projectAudit } from '../db/audit';
import { cachedCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { listProjects, readProjectRecord } from '../db/record';
import {
  agentBody,
  applicationBody,
  cadenceBody,
  greenChannelBody,
  listQuery,
  projectParams,
  registrationBody,
  signOffBody,
  stageParams,
  supplementBody,
  withdrawalBody,
} from '../domain/schemas';
import {
  FORBIDDEN,
  assignAgent,
  enterGreenChannel,
  recordSupplement,
  setReportCadence,
  signOff,
  stateQuery,
  submitApplication,
  withdraw,
  workflowIdFor,
} from '../workflows/messages';
import { ProjectStatus } from '../workflows/search-attributes';
import { authorize } from './auth';
import { HttpError, parse } from './errors';
import { requestDigest, uuidFrom } from './idempotency';
import { startProject } from './project-client';

export interface ProjectsDeps {
  client: Client;
  taskQueue: string;
  principals: Principals;
  /** The timing rules new projects start with. */
  policy: Policy;
  /** The public record (lists, closed projects, audit, working-day clocks). */
  db: Db;
}

function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5; // gRPC NOT_FOUND
}

export function projectsRouter({ client, taskQueue, principals, policy, db }: ProjectsDeps): Router {
  const router = Router();

  /** An agent named in a request must be a known principal with the agent role. */
  function knownAgent(agent: string | undefined, path: string): void {
    if (agent !== undefined && principals.find(agent)?.role !== 'agent') {
      throw new HttpError(400, 'invalid-request', `invalid ${path}`, [{ path, message: `no agent with id ${agent}` }]);
    }
  }

  /** 404 for a project that never existed; 409 for one whose workflow has closed. */
  async function explainMissing(id: string, err: unknown): Promise<never> {
    if (!isNotFound(err)) throw err;
    const description = await client.workflow
      .getHandle(workflowIdFor(id))
      .describe()
      .catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
    // Temporal may have deleted a closed project's history; the record keeps it.
    const status = description?.typedSearchAttributes.get(ProjectStatus) ?? (await readProjectRecord(db, id))?.status;
    if (!status) throw new HttpError(404, 'not-found', `no project ${id}`);
    throw new HttpError(409, 'refused', `project ${id} is ${status}; no further action is possible`);
  }

  /** The live state from the workflow, or the record once Temporal no longer holds the project. */
  async function readState(id: string): Promise<ProjectState> {
    try {
      return await client.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const recorded = await readProjectRecord(db, id);
      if (!recorded) throw new HttpError(404, 'not-found', `no project ${id}`);
      return recorded;
    }
  }

  /** What people see: the state with each stage's status and working-day clock. */
  async function view(state: ProjectState) {
    return projectView(state, await cachedCalendar(db), Date.now());
  }

  /** Sends one human action; an Idempotency-Key header makes a retried request apply once. */
  async function act<A extends { by: Actor }>(req: Request, id: string, update: UpdateDefinition<ProjectState, [A]>, input: A) {
    const updateId = requestDigest(req, input.by, input);
    try {
      const state = await client.workflow
        .getHandle(workflowIdFor(id))
        .executeUpdate(update, { args: [input], ...(updateId && { updateId }) });
      return await view(state);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === FORBIDDEN) {
        throw new HttpError(403, 'forbidden', err.cause.message);
      }
      if (err instanceof WorkflowUpdateFailedError) {
        // The workflow's validator refused (REFUSED carries the reason); any other refusal by the workflow
        // is still the project saying no, never a fault of ours.
        throw new HttpError(409, 'refused', err.cause instanceof ApplicationFailure ? err.cause.message : err.message);
      }
      return explainMissing(id, err);
    }
  }

  router.post('/', async (req, res) => {
    const by = authorize(req, 'register');
    const body = parse(registrationBody, req.body, 'body');
    knownAgent(body.agent, 'body.agent');
    const digest = requestDigest(req, by, body);
    const input = registrationInput(body, digest ? uuidFrom(digest) : randomUUID(), by, new Date().toISOString(), policy);
    try {
      await startProject(client, taskQueue, input);
    } catch (err) {
      // The same registration retried with its Idempotency-Key: the project already exists.
      if (!(digest && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const { id, exemptions } = input.project;
    res.status(201).location(`/api/projects/${id}`).json({ id, workflowId: workflowIdFor(id), plan: input.plan, exemptions });
  });

  router.get('/', async (req, res) => {
    const query = parse(listQuery, req.query, 'query');
    // "agent=me": an agent's own projects (我的项目).
    if (query.agent === 'me' && req.actor?.role !== 'agent') {
      throw new HttpError(400, 'invalid-request', 'invalid query.agent', [{ path: 'query.agent', message: "'me' is for agents; name the agent's id" }]);
    }
    const agent = query.agent === 'me' ? req.actor?.id : query.agent;
    res.json({ projects: await listProjects(db, { ...query, ...(agent !== undefined && { agent }) }, await cachedCalendar(db), Date.now()) });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    res.json(await view(await readState(id)));
  });

  router.post('/:id/stages/:stage/application', async (req, res) => {
    const { id, stage } = parse(stageParams, req.params, 'params');
    const by = authorize(req, 'apply');
    const body = parse(applicationBody, req.body, 'body');
    res.json(await act(req, id, submitApplication, { stage, by, ...body }));
  });

  router.post('/:id/stages/:stage/sign-offs', async (req, res) => {
    const { id, stage } = parse(stageParams, req.params, 'params');
    const body = parse(signOffBody, req.body, 'body');
    // A reviewer or utility signs for its own party unless it names one; an admin must name it.
    const party = body.party ?? req.actor?.party;
    if (party === undefined) throw new HttpError(400, 'invalid-request', 'invalid body.party', [{ path: 'body.party', message: 'name the party you sign for' }]);
    const by = authorize(req, 'sign-off', party);
    res.json(await act(req, id, signOff, { stage, by, ...body, party }));
  });

  router.post('/:id/stages/:stage/supplements', async (req, res) => {
    const { id, stage } = parse(stageParams, req.params, 'params');
    const by = authorize(req, 'supplement');
    const body = parse(supplementBody, req.body, 'body');
    res.json(await act(req, id, recordSupplement, { stage, by, ...body }));
  });

  router.post('/:id/withdrawal', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorize(req, 'withdraw');
    const body = parse(withdrawalBody, req.body, 'body');
    res.json(await act(req, id, withdraw, { by, ...body }));
  });

  router.put('/:id/agent', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorize(req, 'assign-agent');
    const body = parse(agentBody, req.body, 'body');
    knownAgent(body.agent, 'body.agent');
    res.json(await act(req, id, assignAgent, { by, ...body }));
  });

  router.put('/:id/report-cadence', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorize(req, 'set-cadence');
    const body = parse(cadenceBody, req.body, 'body');
    res.json(await act(req, id, setReportCadence, { by, ...body }));
  });

  router.post('/:id/green-channel', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const by = authorize(req, 'green-channel');
    const body = parse(greenChannelBody, req.body, 'body');
    knownAgent(body.agent, 'body.agent');
    res.json(await act(req, id, enterGreenChannel, { by, ...body }));
  });

  router.get('/:id/reports', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const state = await readState(id);
    res.json({ agent: state.agent, cadence: state.cadence, nextReportAt: nextReportTime(state), reports: state.reports });
  });

  router.get('/:id/escalations', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const state = await readState(id);
    res.json({ major: state.project.major, greenChannel: state.greenChannel, escalations: state.escalations });
  });

  router.get('/:id/audit', async (req, res) => {
    const { id } = parse(projectParams, req.params, 'params');
    const state = await readState(id);
    const actor = req.actor as Actor;
    if (actor.role !== 'admin' && !(actor.role === 'agent' && state.agent === actor.id)) {
      throw new HttpError(403, 'forbidden', 'the audit log is for admins and the project\'s agent');
    }
    res.json({ entries: await projectAudit(db, id) });
  });

  return router;
}
