// Every message of the projectApproval workflow, defined once: the workflow and the API both import these,
// so no message name is written twice.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AgentInput, CadenceInput, GreenChannelInput } from '../domain/long-running';
import type { ApplicationInput, ProjectState, SignOffInput, SupplementInput, WithdrawalInput } from '../domain/project';

export const WORKFLOW_TYPE = 'projectApproval';

export const workflowIdFor = (projectId: string): string => `project-${projectId}`;

export const stateQuery = defineQuery<ProjectState>('state');

export const submitApplication = defineUpdate<ProjectState, [ApplicationInput]>('submitApplication');
export const signOff = defineUpdate<ProjectState, [SignOffInput]>('signOff');
export const recordSupplement = defineUpdate<ProjectState, [SupplementInput]>('recordSupplement');
export const withdraw = defineUpdate<ProjectState, [WithdrawalInput]>('withdraw');

export const assignAgent = defineUpdate<ProjectState, [AgentInput]>('assignAgent');
export const setReportCadence = defineUpdate<ProjectState, [CadenceInput]>('setReportCadence');
export const enterGreenChannel = defineUpdate<ProjectState, [GreenChannelInput]>('enterGreenChannel');

/** An admin loaded a year's working-day schedule: running projects re-arm their deadlines. */
export const calendarChanged = defineSignal<[number]>('calendarChanged');

/** The failure type a validator rejects with; the API turns it into 409 with the message. */
export const REFUSED = 'ActionRefused';
/** A validator's refusal because of who is asking (e.g. not this project's agent); the API answers 403. */
export const FORBIDDEN = 'ActionForbidden';
