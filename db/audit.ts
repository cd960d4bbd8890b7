// The append-only audit log: every command the API received, accepted or refused, with who, what, the
// outcome and when. The table refuses UPDATE, DELETE and TRUNCATE, the service's role may only read and
// append, and every row carries a link of a hash chain, so a row changed or removed later by someone who
// can get past all that still shows (see the migrations 0001 and 0002).
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from './connect';
import type { AuditLogTable } from './schema';

export interface AuditEntry {
  at: string;
  principalId: string | null;
  principalRole: string | null;
  method: string;
  path: string;
  projectId: string | null;
  outcome: string;
  status: number;
  detail: string | null;
}

/** An entry as a row of the table (the chain's columns are filled in by the database). */
export function auditRow(e: AuditEntry) {
  return {
    at: e.at,
    principal_id: e.principalId,
    principal_role: e.principalRole,
    method: e.method,
    path: e.path,
    project_id: e.projectId,
    outcome: e.outcome,
    status: e.status,
    detail: e.detail,
  };
}

export async function appendAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(e)).execute();
}

/** A page of a project's entries in chain order: `limit` of them after the entry numbered `after`. */
export async function projectAudit(db: Db, projectId: string, page: { limit: number; after?: string } = { limit: 1000 }): Promise<(AuditEntry & { seq: string })[]> {
  let query = db.selectFrom('audit_log').selectAll().where('project_id', '=', projectId).orderBy('seq').limit(page.limit);
  if (page.after !== undefined) query = query.where('seq', '>', page.after);
  return (await query.execute()).map(entryOf);
}

export interface AuditFilter {
  /** The principal's id. */
  actor?: string;
  /** A method and a POSIX path pattern (domain/audit-actions.ts). */
  action?: { method: string; pattern: string };
  projectId?: string;
  outcome?: string;
  /** From this instant (inclusive) to that one (exclusive). */
  from?: Date;
  to?: Date;
}

/** A page of the whole log, newest first: `limit` entries written before the entry numbered `before`. */
export async function auditPage(db: Db, filter: AuditFilter, page: { limit: number; before?: string }): Promise<(AuditEntry & { seq: string; projectName: string | null })[]> {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('projects', 'projects.id', 'audit_log.project_id')
    .selectAll('audit_log')
    .select('projects.name as project_name')
    .orderBy('seq', 'desc')
    .limit(page.limit);
  if (page.before !== undefined) query = query.where('seq', '<', page.before);
  if (filter.actor !== undefined) query = query.where('principal_id', '=', filter.actor);
  if (filter.action) query = query.where('method', '=', filter.action.method).where('path', '~', filter.action.pattern);
  if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
  if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  return (await query.execute()).map((r) => ({ ...entryOf(r), projectName: r.project_name }));
}

const entryOf = (r: Selectable<AuditLogTable>): AuditEntry & { seq: string } => ({
  seq: String(r.seq),
  at: new Date(r.at).toISOString(),
  principalId: r.principal_id,
  principalRole: r.principal_role,
  method: r.method,
  path: r.path,
  projectId: r.project_id,
  outcome: r.outcome,
  status: r.status,
  detail: r.detail,
});

/** The prev_hash of the first entry. */
export const GENESIS = '0'.repeat(64);

/** The fields an entry's hash covers: the table's, less its id and the chain's own columns. */
type ChainedRow = Omit<Selectable<AuditLogTable>, 'id' | 'prev_hash' | 'hash' | 'at'> & { at: Date | string };

/**
 * The entry's hash, computed here independently of the database's trigger (audit_log_hash in migration
 * 0002): sha256 over the previous hash, a newline, and each field — seq, at (ISO 8601 UTC, milliseconds),
 * principal_id, principal_role, method, path, project_id, outcome, status, detail — as '-' when null,
 * otherwise as its UTF-8 byte length, ':', and the text.
 */
export function auditHash(prevHash: string, row: ChainedRow): string {
  const fields = [row.seq, new Date(row.at).toISOString(), row.principal_id, row.principal_role, row.method, row.path, row.project_id, row.outcome, String(row.status), row.detail];
  const canonical = fields.map((v) => (v === null ? '-' : `${Buffer.byteLength(v, 'utf8')}:${v}`)).join('');
  return createHash('sha256').update(`${prevHash}\n${canonical}`, 'utf8').digest('hex');
}

export interface BrokenLink {
  seq: string;
  id: string;
  problem: string;
}

export type ChainVerification =
  | {
      intact: true;
      /** Entries read and checked. */
      checked: number;
      /** The last entry: note it elsewhere, and a later check can show that nothing was cut off the end. */
      head: { seq: string; hash: string } | null;
    }
  | { intact: false; checked: number; broken: BrokenLink };

/**
 * Reads the whole log in chain order, `batch` rows at a time, and recomputes every link: seq runs 1, 2, 3…
 * with no gap, each prev_hash is the hash before it, and each hash is the one its fields give. Stops at
 * the first broken link. Rows are never changed in place, so reading in batches sees a consistent prefix.
 */
export async function verifyAuditChain(db: Db, { batch = 1000 }: { batch?: number } = {}): Promise<ChainVerification> {
  let checked = 0;
  let prev = GENESIS;
  let expected = 1n;
  let head: { seq: string; hash: string } | null = null;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['id', 'seq', 'at', 'principal_id', 'principal_role', 'method', 'path', 'project_id', 'outcome', 'status', 'detail', 'prev_hash', 'hash'])
      .where('seq', '>=', String(expected))
      .orderBy('seq')
      .limit(batch)
      .execute();
    for (const row of rows) {
      checked += 1;
      const seq = String(row.seq);
      const broken = (problem: string): ChainVerification => ({ intact: false, checked, broken: { seq, id: String(row.id), problem } });
      if (BigInt(seq) !== expected) return broken(`entry ${expected} is missing (the next one is ${seq})`);
      if (row.prev_hash !== prev) return broken(`its prev_hash ${row.prev_hash} is not the hash of the entry before it (${prev})`);
      const hash = auditHash(prev, { ...row, seq });
      if (row.hash !== hash) return broken(`its fields hash to ${hash}, but it says ${row.hash}: changed after it was written`);
      prev = hash;
      expected += 1n;
      head = { seq, hash };
    }
    if (rows.length < batch) return { intact: true, checked, head };
  }
}
