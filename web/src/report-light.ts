// A progress report's light: the stage's time-limit light when the report was made. The report does not
// carry one; it says how many working days each sign-off had been pending (counted as the stage clock
// counts them, corrections excluded), and the stage attempt open then keeps the limit it was accepted with.
import { lightOf, type Light } from '../../domain/calendar';
import type { Project, ProgressReport } from './api/types';

/** null when the report cannot say: nothing pending, days counted in calendar days (reports from before
 *  working days), or an attempt from before its limit was kept. */
export function reportLight(project: Project, report: ProgressReport): Light | null {
  const { stage, pending } = report;
  if (!stage || report.pendingIn !== 'working-days' || pending.length === 0) return null;
  const attempt = project.stages
    .find((s) => s.stage === stage)
    ?.attempts.filter((a) => a.submittedAt <= report.at)
    .at(-1);
  if (attempt?.limitDays === undefined) return null;
  return lightOf(Math.max(...pending.map((p) => p.days)), attempt.limitDays);
}
