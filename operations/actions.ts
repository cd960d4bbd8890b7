// One human action on a project, sent the way both the API and `npm run ops` send it: an Update with an id
// (the workflow's validator is the authority; a refusal writes nothing), answered with the project as it
// stands after it. A project that does not take the action in time is looked at: if its workflow tasks are failing
// the action is held for it, otherwise the caller is told to send it again with the same id.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcDeadlineError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Db } from '../db/connect';
import { refusalDetail, type RefusalDetail } from '../domain/refusals';
import { readProjectRecord } from '../db/record';
import type { Actor, CommandResult, ProjectState, Termination } from '../domain/project';
import { FORBIDDEN, SEAL_REFUSED, heldCommand, stateQuery, workflowIdFor } from '../workflows/messages';
import { ProjectStatus } from '../workflows/search-attributes';
import { describeProject, isNotFound } from './temporal';

/**
 * Why an action was not taken. `status` is the API's answer: 403 the workflow says the caller may not,
 * 404 no such project, 409 the project refused (or can take no action), 503 it did not answer in time.
 */
export class ActionRefused extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 503,
    message: string,
    /** The workflow's refusal code and facts, for words in the caller's language (domain/refusals.ts). */
    readonly refusal?: RefusalDetail,
  ) {
    super(message);
  }
}

/** The code and facts the workflow's validator sent with its refusal (workflows/project-approval.ts). */
const detailOf = (failure: ApplicationFailure): RefusalDetail | undefined => refusalDetail(failure.details?.[0]);

export type ActionOutcome =
  /** Taken: its place in the trail, and the project after it. */
  | { held: false; result: CommandResult; state: ProjectState }
  /** Held for a project that is not making progress: applied (or refused, with a notice) when it runs again. */
  | { held: true; project: string; command: string; message: string };

/** How long an action waits to be accepted unless configured (ACCEPT_TIMEOUT_MS's default). */
export const DEFAULT_ACCEPT_TIMEOUT_MS = 10_000;

export interface ActionDeps {
  /** A sealed client (temporal/command-seal.ts): workers refuse unsealed Updates. */
  client: Client;
  /** The record: it explains a project Temporal no longer holds. */
  db: Db;
  /** How long the action waits to be accepted before looking at why (config ACCEPT_TIMEOUT_MS). */
  acceptTimeoutMs: number;
}

/** Why a project reconciled as terminated takes no action: how, when, by whom and why Temporal closed it. */
export function terminationMessage(id: string, t: Termination): string {
  return `project ${id} was ${t.closure} in Temporal at ${t.at}${t.by ? ` by ${t.by}` : ''} (${t.reason}); no further action is possible`;
}

/**
 * Sends `update` to the project's workflow with `updateId` (the same id applies once: a retry is safe),
 * and answers with the project after it: from the Update's answer, or by query when that holds only the
 * action's place in the trail.
 */
export async function sendAction<A extends { by: Actor }>(
  deps: ActionDeps,
  projectId: string,
  update: UpdateDefinition<CommandResult, [A]>,
  input: A,
  updateId: string = randomUUID(),
): Promise<ActionOutcome> {
  const { client, acceptTimeoutMs } = deps;
  const handle = client.workflow.getHandle(workflowIdFor(projectId));
  try {
    const { state, ...result } = await client.withDeadline(Date.now() + acceptTimeoutMs, () => handle.executeUpdate(update, { args: [input], updateId }));
    // The Update answers with the state while it is small (workflows/project-approval.ts `answered`).
    return { held: false, result, state: state ?? (await handle.query(stateQuery)) };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === FORBIDDEN) {
      throw new ActionRefused(403, err.cause.message, detailOf(err.cause));
    }
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === SEAL_REFUSED) {
      // Our own seal refused: the worker does not trust our key. An operator's problem, not the caller's.
      throw new Error(`the worker refused the command seal (${err.cause.message}); check SEAL_PRIVATE_KEY_FILE against SEAL_PUBLIC_KEYS_FILE`);
    }
    if (err instanceof WorkflowUpdateFailedError) {
      // The workflow's validator refused (REFUSED carries the reason); any other refusal by the workflow
      // is still the project saying no, never a fault of ours.
      if (err.cause instanceof ApplicationFailure) throw new ActionRefused(409, err.cause.message, detailOf(err.cause));
      throw new ActionRefused(409, err.message);
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) return notAccepted(deps, projectId, update.name, updateId, input);
    return explainMissing(deps, projectId, err);
  }
}

/**
 * The project did not take the action in time. If its workflow tasks are failing (a bad deploy, a bug),
 * the action is held for it — kept in its history at once, applied when it runs again, carried over by a
 * reset. Otherwise it is only slow: 503, and the same action with the same id applies once.
 */
async function notAccepted({ client, acceptTimeoutMs }: ActionDeps, id: string, name: string, updateId: string, input: unknown): Promise<ActionOutcome> {
  const description = await describeProject(client, id);
  if (!description) throw new ActionRefused(404, `no project ${id}`);
  const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
  if (description.status.name === 'RUNNING' && attempt > 1) {
    await client.workflow.getHandle(workflowIdFor(id)).signal(heldCommand, { name, updateId, input });
    const message = `project ${id} is not making progress (operators see it in the stuck list): your ${name} is held, and will be applied — or refused, with a notice to you — when it runs again`;
    return { held: true, project: id, command: name, message };
  }
  throw new ActionRefused(503, `project ${id} did not take the ${name} within ${acceptTimeoutMs} ms`);
}

/** 404 for a project that never existed (or whose registration was refused); 409 for a closed one. */
export async function explainMissing({ client, db }: Pick<ActionDeps, 'client' | 'db'>, id: string, err: unknown): Promise<never> {
  if (!isNotFound(err)) throw err;
  // Temporal may have deleted a closed project's history; the record keeps it.
  const recorded = await readProjectRecord(db, id);
  if (recorded?.termination) throw new ActionRefused(409, terminationMessage(id, recorded.termination), { code: 'project-terminated' });
  const description = await describeProject(client, id);
  if (recorded?.status === 'active' && description?.status.name !== 'RUNNING') {
    // The record and Temporal disagree until an admin reconciles them; say so rather than "active".
    throw new ActionRefused(
      409,
      `project ${id}'s workflow is ${description?.status.name.toLowerCase() ?? 'gone'} in Temporal while the record says active; no further action is possible until an admin reconciles it (POST /api/operations/projects/${id}/reconcile)`,
      { code: 'workflow-out-of-sync' },
    );
  }
  if (recorded) throw new ActionRefused(409, `project ${id} is ${recorded.status}; no further action is possible`, closed(recorded.status));
  // A registration that never carried the API's seal failed at once: there is no such project.
  if (!description || description.status.name === 'FAILED') throw new ActionRefused(404, `no project ${id}`);
  const status = description.typedSearchAttributes.get(ProjectStatus);
  throw new ActionRefused(409, `project ${id} is ${status ?? 'closed'}; no further action is possible`, closed(status));
}

/** A closed project's refusal, with its status when it is one the console names. */
const closed = (status: string | undefined): RefusalDetail => ({ code: 'project-closed', ...(status && ['completed', 'withdrawn', 'terminated'].includes(status) && { params: { status } }) });
