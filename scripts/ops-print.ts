// How `npm run ops` answers read at a terminal: the stuck list as one block per case, the repairs as the
// ops commands that make them, a batch's progress, a trail entry.
import type { BatchProgress } from '../domain/batch';
import type { TrailEntry } from '../domain/project';
import type { StuckEntry, StuckList, StuckScan } from '../operations/stuck';

const OPS = 'npm run ops --';

/** `2025-03-04T01:02:03.456Z` → `2025-03-04 09:02` (Shanghai time, as the offices read it). */
export function shanghaiTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The evidence in a line: the telling fields first, then the rest; nested values only counted. */
const EVIDENCE_ORDER = ['party', 'problem', 'temporal', 'activity', 'error', 'lastFailure', 'cause', 'daysOver', 'usedDays', 'limitDays', 'workingDaysOpen', 'attempt'];
export function evidenceSummary(evidence: Record<string, unknown>): string {
  const keys = [...EVIDENCE_ORDER.filter((k) => k in evidence), ...Object.keys(evidence).filter((k) => !EVIDENCE_ORDER.includes(k))];
  const parts: string[] = [];
  for (const key of keys) {
    const value = evidence[key];
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) parts.push(value.every((v) => typeof v !== 'object') ? `${key} ${value.join(', ')}` : `${key} ×${value.length}`);
    else if (typeof value === 'object') continue;
    else parts.push(`${key} ${String(value)}`);
  }
  return cut(parts.join('; '), 240);
}

/** A repair as the ops command that makes it (the API's path is what the stuck list names). */
export function repairCommand(entry: StuckEntry, path: string, action: string): string {
  const id = entry.projectId;
  const segment = (after: string) => path.split('/')[path.split('/').indexOf(after) + 1] ?? '?';
  switch (action) {
    case 'retry-push':
      return `${OPS} retry-push ${id} ${segment('pushes')} --reason "…"`;
    case 'remind':
      return `${OPS} renotify ${id} ${segment('stages')} --reason "…"`;
    case 'reset':
      return `${OPS} reset ${id} --reason "…"`;
    case 'replay':
      return `${OPS} replay --workflow-id project-${id}`;
    case 'reconcile':
      return `${OPS} reconcile ${id} --reason "…"`;
    default:
      return `${action}: POST ${path}`;
  }
}

export function printStuck(list: StuckList, shown: StuckEntry[], out: (line: string) => void = console.log): void {
  if (shown.length === 0) out('no stuck cases');
  for (const e of shown) {
    out(`${e.kind.padEnd(22)} since ${shanghaiTime(e.since)}  ${e.name ?? '(no name in the record)'}  ${e.projectId}  ${e.locality ?? '?'}/${e.stage ?? '?'}`);
    out(`    evidence  ${evidenceSummary(e.evidence)}`);
    out(`    who acts  ${e.expected.actor}: ${e.expected.action}`);
    for (const r of e.repairs) out(`    repair    ${repairCommand(e, r.path, r.action)}`);
  }
  const total = list.entries.length;
  if (shown.length < total) out(`(${shown.length} of ${total} shown; --limit for more)`);
  const byKind = Object.entries(list.counts.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  const byLocality = Object.entries(list.counts.byLocality).map(([k, n]) => `${k} ${n}`).join(', ');
  out('');
  out(`${total} stuck case${total === 1 ? '' : 's'}${byKind ? ` — by kind: ${byKind}; by locality: ${byLocality}` : ''}`);
  out(scanSummary(list.scan));
}

export function scanSummary(scan: StuckScan): string {
  const what = `scan: ${scan.running} running workflow(s) listed, ${scan.described} described (bound ${scan.max})`;
  return scan.complete ? `${what}, complete` : `${what}, INCOMPLETE: ${scan.problem ?? 'unknown reason'}`;
}

export function trailLine(t: TrailEntry): string {
  return `#${t.seq} ${shanghaiTime(t.at)} ${t.action}${t.stage ? ` ${t.stage}` : ''}${t.party ? ` ${t.party}` : ''} by ${t.by.id}${t.detail ? `: ${t.detail}` : ''}`;
}

export function batchSummary(p: BatchProgress & { id: string }, out: (line: string) => void = console.log): void {
  out(`batch ${p.id}: ${p.action} by ${p.by.id} (${p.reason}) — ${p.status}: ${p.done} done, ${p.failed} failed, ${p.total} total`);
  for (const f of p.failures) out(`  failed ${f.projectId}: ${f.message}`);
}
