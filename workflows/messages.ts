// Every message of the projectApproval workflow, defined once: the workflow and the API both import these,
// so no message name is written twice.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CampaignJoinInput, CampaignLeaveInput } from '../domain/campaigns';
import type { AgentInput, CadenceInput, GreenChannelInput } from '../domain/long-running';
import type {
  AcknowledgementInput,
  ApplicationInput,
  CommandResult,
  OperationNoteInput,
  ProjectState,
  PushRetryInput,
  ReminderInput,
  SignOffInput,
  SupplementInput,
  WithdrawalInput,
} from '../domain/project';
import type { Seal } from '../domain/seal';

export const WORKFLOW_TYPE = 'projectApproval';

export const workflowIdFor = (projectId: string): string => `project-${projectId}`;

export const stateQuery = defineQuery<ProjectState>('state');
/** What the public record's writer records (activities/index.ts): the state as of the workflow's time. */
export const recordSnapshotQuery = defineQuery<{ state: ProjectState; at: number }>('recordSnapshot');

export const submitApplication = defineUpdate<CommandResult, [ApplicationInput]>('submitApplication');
export const signOff = defineUpdate<CommandResult, [SignOffInput]>('signOff');
export const recordSupplement = defineUpdate<CommandResult, [SupplementInput]>('recordSupplement');
export const withdraw = defineUpdate<CommandResult, [WithdrawalInput]>('withdraw');

export const assignAgent = defineUpdate<CommandResult, [AgentInput]>('assignAgent');
export const setReportCadence = defineUpdate<CommandResult, [CadenceInput]>('setReportCadence');
export const enterGreenChannel = defineUpdate<CommandResult, [GreenChannelInput]>('enterGreenChannel');

/** A 集中开工 campaign took the project in (or changed its name or start date), or let it go (api/campaigns.ts).
 *  Sending the same again changes nothing, so the API may repeat them until every member has them. */
export const joinCampaign = defineUpdate<CommandResult, [CampaignJoinInput]>('joinCampaign');
export const leaveCampaign = defineUpdate<CommandResult, [CampaignLeaveInput]>('leaveCampaign');

// The operators' repairs (admins, through the API).
export const retryPush = defineUpdate<CommandResult, [PushRetryInput]>('retryPush');
export const remindPending = defineUpdate<CommandResult, [ReminderInput]>('remindPending');
export const noteOperation = defineUpdate<CommandResult, [OperationNoteInput]>('noteOperation');

/** Someone took charge of an escalation, correction or reminder from their inbox (api/inbox.ts). */
export const acknowledgeNotice = defineUpdate<CommandResult, [AcknowledgementInput]>('acknowledgeNotice');

/**
 * A human action the API could not deliver as an Update because the project was not making progress
 * (its workflow tasks failing): sent as a signal, which Temporal keeps in history at once and a reset
 * carries over, and applied — or refused, and the sender told — once the project runs again, once only
 * (the state remembers it). The seal travels in the signal's header, over the Update it stands for, as
 * a held command.
 */
export const heldCommand = defineSignal<[HeldCommand]>('heldCommand');

export interface HeldCommand {
  /** The Update's name and id (the id the API would have used: a retry holds the same command). */
  name: string;
  updateId: string;
  input: unknown;
  /** Set by the workflow's interceptor from the header, never by the sender. */
  seal?: Seal;
}

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

/**
 * Operations: a cancellation requested in Temporal becomes a recorded withdrawal instead of breaking the
 * project, held commands are applied, reminders and push retries are delivered.
 */
export const OPERATIONS_PATCH = 'operations';

/**
 * Notices: the agent (代办员) is told when it receives or loses a project and when its project needs a
 * correction, and progress reports count pending days in working days.
 */
export const NOTICES_PATCH = 'notices';

/**
 * Campaigns (集中开工): a project in a campaign's preparation phase arms a timer for the start date, which
 * switches its reports back to biweekly. Asked only once a project has joined one, so older histories
 * (which never joined) replay unchanged.
 */
export const CAMPAIGNS_PATCH = 'campaigns';

/**
 * A lean record: the record's writer reads the snapshot it writes by a query (recordSnapshotQuery) instead
 * of being handed the whole state, which put a copy of the state into history with every change (92% of
 * the longest project's history). Workflows started before this replay without it.
 */
export const LEAN_RECORD_PATCH = 'lean-record';

/**
 * Notices batched: the notices a change causes are delivered by one activity (notifyAll) instead of one
 * activity each, one after another: a design application's three notices cost three activities and three
 * workflow tasks. Each notice keeps its own key, so a retried batch delivers none twice. Workflows started
 * before this replay without it.
 */
export const NOTICE_BATCH_PATCH = 'notice-batch';
