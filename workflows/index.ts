// Entry point of the workflow bundle: every workflow type the worker registers.
export { projectApproval } from './project-approval';
export { operationsBatch } from './batch';
export { housekeeping } from './housekeeping';
export { noticeDelivery } from './notice-delivery';
