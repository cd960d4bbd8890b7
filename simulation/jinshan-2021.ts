// The district's 2021 caseload (seed: 金山区 2021-04-26 to 2021-11-27, 103 stage cases) as a schedule of
// stage cases whose working-day durations have exactly the seed's per-stage means.
import type { Stage } from '../domain/codes';

/** The table the district published: cases decided and the average working days, per stage. */
export const SEED_TABLE: { stage: Stage; cases: number; averageWorkingDays: number }[] = [
  { stage: 'design', cases: 16, averageWorkingDays: 14 },
  { stage: 'permit', cases: 30, averageWorkingDays: 9.8 },
  { stage: 'acceptance', cases: 39, averageWorkingDays: 4.1 },
  { stage: 'connection', cases: 18, averageWorkingDays: 2.5 },
];

export interface StageCase {
  stage: Stage;
  /** Working days from acceptance to decision, correction time excluded. */
  workingDays: number;
  /** Whether a reviewer asks for a correction on the first working day (the clock then pauses). */
  correction: boolean;
  /** Working days after the first day on which the application is accepted (staggers intake). */
  intakeDay: number;
}

/**
 * n durations averaging `mean` (rounded to an integer total, as the district rounds to one decimal),
 * spread symmetrically around it so no case is below one working day.
 */
export function durations(n: number, mean: number): number[] {
  const total = Math.round(n * mean);
  const base = Math.floor(total / n);
  const list = Array.from({ length: n }, (_, i) => base + (i < total - base * n ? 1 : 0));
  const spread = Math.max(1, Math.min(base - 1, 4));
  // Move days between pairs: the total (and so the mean) stays the same.
  for (let i = 0; i + 1 < n; i += 2) {
    const step = ((i / 2) % spread) + 1;
    if ((list[i + 1] as number) - step >= 1) {
      list[i] = (list[i] as number) + step;
      list[i + 1] = (list[i + 1] as number) - step;
    }
  }
  return list;
}

export function jinshan2021Cases(): StageCase[] {
  return SEED_TABLE.flatMap(({ stage, cases, averageWorkingDays }) =>
    durations(cases, averageWorkingDays).map((workingDays, i) => ({
      stage,
      workingDays,
      correction: i % 4 === 1,
      // Intake spread over about seven months, as the district's 2021-04-26 to 11-27 was.
      intakeDay: stage === 'connection' ? 0 : 1 + ((i * 37) % 140),
    })),
  );
}
