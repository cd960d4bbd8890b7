// The trail's details in the reader's language where the API writes a code (a decision, an attempt
// number, a cadence); free text (reasons, comments) stays as it was written.
import type { TFunction } from 'i18next';
import type { Schemas } from './api/types';

type TrailEntry = Schemas['TrailEntry'];
const DECISION = /^(approve|reject|correction)\b(.*)$/s;

export function trailDetail(entry: TrailEntry, t: TFunction): string | undefined {
  const { detail } = entry;
  if (detail === undefined) return undefined;
  if (entry.action === 'application') {
    const attempt = /^attempt (\d+)$/.exec(detail);
    if (attempt) return t('project.attempt', { n: Number(attempt[1]) });
  }
  if (entry.action === 'sign-off') {
    const decision = DECISION.exec(detail);
    if (decision) return `${t(`decision.${decision[1]}`)}${decision[2] ?? ''}`;
  }
  if (entry.action === 'report-cadence' && (detail === 'weekly' || detail === 'biweekly')) return t(`cadence.${detail}`);
  return detail;
}
