// The command seal check (domain/seal.ts), as workflow interceptors: every Update's validator first
// verifies that the one-window API sealed it, and a new project verifies its registration's seal before
// it does anything. Someone who reaches Temporal's frontend directly can neither act on a project nor
// register one that reaches the public record.
import {
  ApplicationFailure,
  defaultPayloadConverter,
  proxyLocalActivities,
  workflowInfo,
  type Next,
  type SignalInput,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { SEAL_HEADER, sealProblem, type Seal, type SealKeySet } from '../domain/seal';
import { HARDENING_PATCH, SEAL_REFUSED, WORKFLOW_TYPE, heldCommand, type HeldCommand } from './messages';
import { since } from './patches';
import { admit } from './admission';

// Compiled into the bundle by worker/bundle.ts from the worker's configuration. Read only by
// validators, which never run on replay; absent, every Update is refused.
declare const __ONE_WINDOW_SEAL_KEYS__: string | undefined;
const trustedKeys: SealKeySet = typeof __ONE_WINDOW_SEAL_KEYS__ === 'string' ? (JSON.parse(__ONE_WINDOW_SEAL_KEYS__) as SealKeySet) : {};

const { verifyRegistrationSeal } = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '1 minute' },
});

function sealOf(headers: UpdateInput['headers']): Seal | undefined {
  const payload = headers[SEAL_HEADER];
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload<Seal>(payload);
  } catch {
    return undefined;
  }
}

class SealCheck implements WorkflowInboundCallsInterceptor {
  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    const command = { kind: 'update' as const, workflowId: workflowInfo().workflowId, name: input.name, id: input.updateId, args: [...input.args] };
    const problem = sealProblem(trustedKeys, sealOf(input.headers), command, Date.now());
    if (problem) throw ApplicationFailure.create({ type: SEAL_REFUSED, message: problem, nonRetryable: true });
    next(input);
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    if (input.signalName !== heldCommand.name) return next(input);
    // The seal comes from the header only: the workflow verifies it (a local activity) before applying.
    const held = input.args[0] as HeldCommand | undefined;
    return next({ ...input, args: [{ ...held, seal: sealOf(input.headers) }] });
  }

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const info = workflowInfo();
    // A run continued from an earlier one was started by that run, not by a caller. The check is a local
    // activity so that its answer is in history: keys rotate, and a replay must take the same path.
    // Only projects are registered through the API; the operators' workflows are started by a Schedule
    // (housekeeping) or carry no project (batches: their steps are sealed Updates of their own).
    if (info.workflowType !== WORKFLOW_TYPE) return next(input);
    if (info.continuedFromExecutionRunId !== undefined || !since(HARDENING_PATCH)) return next(input);
    const admitted = verifyRegistrationSeal({
      seal: sealOf(input.headers) ?? null,
      command: { kind: 'start', workflowId: info.workflowId, name: info.workflowType, id: info.workflowId, args: [...input.args] },
    }).then(({ problem }) => {
      if (problem) throw ApplicationFailure.create({ type: SEAL_REFUSED, message: `registration refused: ${problem}`, nonRetryable: true });
    });
    // The workflow starts at once, so that its Update handlers exist before this activation ends (an
    // Update sent right after registration is then accepted, not refused for want of a handler); it
    // waits for the answer (awaitAdmission) before it does anything outside itself.
    // Whatever else goes wrong with an input (one not made by the API may be any shape), a registration
    // without a valid seal fails the workflow with that refusal, rather than a workflow task failing for ever.
    admit(admitted);
    return next(input).catch(async (err: unknown) => {
      await admitted;
      throw err;
    });
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new SealCheck()] });
