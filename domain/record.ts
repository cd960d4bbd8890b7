// What the public record needs to know of a state, kept pure so the workflow can use it too.
import { reportsSent, type ProjectState } from './project';

/** Grows with every change a snapshot can carry, so an older snapshot never overwrites a newer one. */
export function snapshotVersion(state: ProjectState): number {
  const attempts = state.stages.reduce((n, s) => n + s.attempts.length, 0);
  const settled = state.pushes.filter((p) => p.status !== 'pending').length;
  const notified = state.escalations.filter((e) => e.notified.length > 0).length;
  return state.trail.length + attempts + reportsSent(state) + state.escalations.length + notified + state.pushes.length + settled;
}
