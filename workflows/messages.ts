// Every message of the projectApproval workflow, defined once: the workflow and the API both import these,
// so no message name is written twice.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApplicationInput, ProjectState, SignOffInput, SupplementInput, WithdrawalInput } from '../domain/project';

export const WORKFLOW_TYPE = 'projectApproval';

export const workflowIdFor = (projectId: string): string => `project-${projectId}`;

export const stateQuery = defineQuery<ProjectState>('state');

export const submitApplication = defineUpdate<ProjectState, [ApplicationInput]>('submitApplication');
export const signOff = defineUpdate<ProjectState, [SignOffInput]>('signOff');
export const recordSupplement = defineUpdate<ProjectState, [SupplementInput]>('recordSupplement');
export const withdraw = defineUpdate<ProjectState, [WithdrawalInput]>('withdraw');

/** The failure type a validator rejects with; the API turns it into 409 with the message. */
export const REFUSED = 'ActionRefused';
