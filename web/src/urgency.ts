// The order of a worklist: red before yellow before green (no clock last), then the stage accepted
// earliest, then the most working days used.
import type { ProjectSummary } from './api/types';

const RANK = { red: 0, yellow: 1, green: 2 } as const;

export function byUrgency(a: ProjectSummary, b: ProjectSummary): number {
  const rank = (p: ProjectSummary) => (p.clock ? RANK[p.clock.light] : 3);
  return rank(a) - rank(b) || (a.clock?.acceptedOn ?? '9999').localeCompare(b.clock?.acceptedOn ?? '9999') || (b.clock?.usedDays ?? 0) - (a.clock?.usedDays ?? 0);
}
