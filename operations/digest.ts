// The daily digest of the stuck list for leaders and admins: counts by kind and locality, and the cases
// stuck longest. Pure, so the housekeeping activity and a test read the same text.
import type { StuckEntry, StuckList } from './stuck';

export const DIGEST_WORST = 10;

const describeEntry = (e: StuckEntry): string => {
  const party = e.evidence.party ? ` ${e.evidence.party}` : '';
  const over = typeof e.evidence.daysOver === 'number' ? ` +${e.evidence.daysOver} working days` : '';
  const attempt = typeof e.evidence.attempt === 'number' && e.kind !== 'overdue-sign-off' ? ` attempt ${e.evidence.attempt}` : '';
  return `${e.projectId} ${e.name ?? ''} (${e.locality ?? 'unknown'}, ${e.stage ?? '-'}): ${e.kind}${party}${over}${attempt} since ${e.since.slice(0, 10)} — ${e.expected.actor}`;
};

/** One line a reader takes in at a glance, then the worst cases. */
export function composeDigest(date: string, list: StuckList): string {
  const total = list.entries.length;
  const kinds = Object.entries(list.counts.byKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const localities = Object.entries(list.counts.byLocality).map(([l, n]) => `${l} ${n}`).join(', ') || 'none';
  const worst = list.entries.slice(0, DIGEST_WORST).map((e, i) => `${i + 1}. ${describeEntry(e)}`);
  const scan = list.scan.complete ? '' : ` (incomplete: ${list.scan.problem ?? 'scan bounded'})`;
  return [`stuck list ${date}: ${total} case${total === 1 ? '' : 's'}${scan}; by kind: ${kinds}; by locality: ${localities}`, ...worst].join('\n');
}
