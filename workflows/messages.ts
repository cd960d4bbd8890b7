// Every message of the projectApproval workflow, defined once: the workflow and the API both import these,
// so no message name is written twice.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AgentInput, CadenceInput, GreenChannelInput } from '../domain/long-running';
import type { ApplicationInput, CommandResult, ProjectState, SignOffInput, SupplementInput, WithdrawalInput } from '../domain/project';

export const WORKFLOW_TYPE = 'projectApproval';

export const workflowIdFor = (projectId: string): string => `project-${projectId}`;

export const stateQuery = defineQuery<ProjectState>('state');

export const submitApplication = defineUpdate<CommandResult, [ApplicationInput]>('submitApplication');
export const signOff = defineUpdate<CommandResult, [SignOffInput]>('signOff');
export const recordSupplement = defineUpdate<CommandResult, [SupplementInput]>('recordSupplement');
export const withdraw = defineUpdate<CommandResult, [WithdrawalInput]>('withdraw');

export const assignAgent = defineUpdate<CommandResult, [AgentInput]>('assignAgent');
export const setReportCadence = defineUpdate<CommandResult, [CadenceInput]>('setReportCadence');
export const enterGreenChannel = defineUpdate<CommandResult, [GreenChannelInput]>('enterGreenChannel');

/** How the project's own bookkeeping stands: the public record's last write (for the operators). */
export const recordHealthQuery = defineQuery<RecordHealth>('recordHealth');

export interface RecordHealth {
  /** The snapshot version the record holds, and the one the workflow is at. */
  recordedVersion: number;
  currentVersion: number;
  /** The last write that failed for good (bad data; transient failures are retried by Temporal). */
  failure: { version: number; message: string; at: string } | null;
}

/** An admin loaded a year's working-day schedule: running projects re-arm their deadlines. */
export const calendarChanged = defineSignal<[number]>('calendarChanged');

/** The failure type a validator rejects with; the API turns it into 409 with the message. */
export const REFUSED = 'ActionRefused';
/** A validator's refusal because of who is asking (e.g. not this project's agent); the API answers 403. */
export const FORBIDDEN = 'ActionForbidden';
/** A command without a valid seal from the API (domain/seal.ts): someone bypassed the API. */
export const SEAL_REFUSED = 'CommandSealRefused';

/**
 * Sealed registrations, a public record written beside the main loop (a write that keeps failing holds
 * up nothing else), and progress reports trimmed in the live state. Workflows started before this replay
 * without it.
 */
export const HARDENING_PATCH = 'hardening';
