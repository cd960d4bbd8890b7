// Batch operations over many projects: what an admin asks for and how far it has got.
import type { Actor } from './project';

export const BATCH_ACTIONS = ['calendar', 'directory', 'renotify', 'reset', 'withdraw'] as const;
export type BatchAction = (typeof BATCH_ACTIONS)[number];

/** The most projects one batch may touch; the actions that end or rewind projects are held tighter. */
export const BATCH_MAX: Record<BatchAction, number> = { calendar: 1000, directory: 1000, renotify: 1000, reset: 100, withdraw: 100 };

export interface BatchRequest {
  action: BatchAction;
  reason: string;
  by: Actor;
  /** For 'calendar': the year whose schedule changed. */
  year?: number;
}

export interface BatchInput {
  batchId: string;
  request: BatchRequest;
  /** Resolved from the filter when the batch was asked for, and never more than its maximum. */
  projectIds: string[];
}

export interface BatchProgress extends BatchRequest {
  /** The projects the batch acts on (fixed when it was asked for). */
  projectIds: string[];
  total: number;
  done: number;
  failed: number;
  failures: { projectId: string; message: string }[];
  status: 'running' | 'completed';
}
