// A department's or utility company's done list (已办): every decision its party recorded — approvals and
// rejections (sign_offs) and correction requests (corrections, with their items) — newest first, read from
// the record and cut into pages in SQL.
import { sql } from 'kysely';
import type { Party, Stage } from '../domain/codes';
import type { Db } from './connect';

export type Decision = 'approve' | 'reject' | 'correction';

export interface PartySignOff {
  project: { id: string; name: string; locality: string; status: string };
  stage: Stage;
  attempt: number;
  party: Party;
  decision: Decision;
  comment?: string;
  /** A correction's items (一次性告知). */
  items?: string[];
  /** Who recorded it (a person of the party, or an admin as proxy). */
  by: string;
  at: string;
  /** When the window recorded the supplement answering a correction. */
  supplementedAt?: string;
}

/** Where a page ended: the last row's (at, project, stage, attempt, decision). Opaque to callers. */
export type SignOffPosition = [at: string, project: string, stage: string, attempt: number, decision: string];

export const encodeSignOffCursor = (p: SignOffPosition): string => Buffer.from(JSON.stringify(p)).toString('base64url');

export interface SignOffQuery {
  party: Party;
  stage?: Stage;
  decision?: Decision;
  limit: number;
  cursor?: SignOffPosition;
}

interface Row {
  project_id: string;
  name: string;
  locality: string;
  status: string;
  stage: string;
  attempt: number;
  party: string;
  decision: string;
  comment: string | null;
  items: string[] | null;
  by_id: string;
  at: Date | string;
  supplemented_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

export async function partySignOffs(db: Db, q: SignOffQuery): Promise<{ signOffs: PartySignOff[]; nextCursor?: string }> {
  const decided = sql`
    select project_id, stage, attempt, party, decision, comment, null::jsonb as items, by_id, at, null::timestamptz as supplemented_at
      from sign_offs where party = ${q.party}
    union all
    select project_id, stage, attempt, party, 'correction', null, items, requested_by, requested_at, supplemented_at
      from corrections where party = ${q.party}`;
  const conditions = [sql`true`];
  if (q.stage) conditions.push(sql`d.stage = ${q.stage}`);
  if (q.decision) conditions.push(sql`d.decision = ${q.decision}`);
  if (q.cursor) {
    const [at, project, stage, attempt, decision] = q.cursor;
    conditions.push(sql`(d.at, d.project_id, d.stage, d.attempt, d.decision) < (${at}::timestamptz, ${project}, ${stage}, ${attempt}, ${decision})`);
  }
  const { rows } = await sql<Row>`
    select d.*, p.name, p.locality, p.overall_status as status
      from (${decided}) as d join projects p on p.id = d.project_id
     where ${sql.join(conditions, sql` and `)}
     order by d.at desc, d.project_id desc, d.stage desc, d.attempt desc, d.decision desc
     limit ${q.limit + 1}`.execute(db);
  const page = rows.slice(0, q.limit);
  const signOffs = page.map((r) => ({
    project: { id: r.project_id, name: r.name, locality: r.locality, status: r.status },
    stage: r.stage as Stage,
    attempt: r.attempt,
    party: r.party as Party,
    decision: r.decision as Decision,
    ...(r.comment !== null && { comment: r.comment }),
    ...(r.items !== null && { items: r.items }),
    by: r.by_id,
    at: iso(r.at),
    ...(r.supplemented_at !== null && { supplementedAt: iso(r.supplemented_at) }),
  }));
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit && last ? encodeSignOffCursor([iso(last.at), last.project_id, last.stage, last.attempt, last.decision]) : undefined;
  return { signOffs, ...(nextCursor && { nextCursor }) };
}
