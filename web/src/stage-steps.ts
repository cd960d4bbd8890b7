// How a stage shows in the stepper: done, in progress, refused or not reached.
import type { StageView } from './api/types';

export function stepStatus(stage: StageView, current: StageView['stage'] | null): 'wait' | 'process' | 'finish' | 'error' {
  if (stage.status === 'approved') return 'finish';
  if (stage.status === 'rejected') return 'error';
  if (stage.stage === current && stage.status !== 'withdrawn') return 'process';
  return 'wait';
}
