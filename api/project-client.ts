// Starting a project's workflow, shared by the API and the tests so both start projects the same way.
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { ProjectApprovalInput } from '../domain/project';
import { WORKFLOW_TYPE, workflowIdFor } from '../workflows/messages';
import type { projectApproval } from '../workflows/project-approval';
import { ProjectCategory, ProjectLocality, ProjectMajor, ProjectStage, ProjectStatus } from '../workflows/search-attributes';

export function startProject(client: Client, taskQueue: string, input: ProjectApprovalInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof projectApproval>> {
  const { project } = input;
  return client.workflow.start<typeof projectApproval>(WORKFLOW_TYPE, {
    workflowId: workflowIdFor(project.id),
    // A project's id names one workflow for ever: a closed project is never started again.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    taskQueue,
    args: [input],
    memo: { name: project.name },
    // Set at start as well as by the workflow, so a new project is listed before its first task runs.
    typedSearchAttributes: [
      { key: ProjectStage, value: 'design' },
      { key: ProjectStatus, value: 'awaiting-application' },
      { key: ProjectLocality, value: project.locality },
      { key: ProjectCategory, value: project.category },
      { key: ProjectMajor, value: project.major },
    ],
  });
}
