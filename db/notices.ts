// Notices in the record: every notice the workflows send is a row (by its key, so a retried delivery
// records once), and each person's inbox is the notices addressed to what they are — their own principal,
// their role, their department or company, the projects they follow as agent.
import { sql } from 'kysely';
import type { Actor } from '../domain/project';
import type { Db } from './connect';

export const NOTICE_KINDS = ['report', 'escalation', 'correction', 'reminder', 'push', 'digest', 'held', 'notice'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Kinds a person takes charge of (acknowledges): the ladder and corrections ask for someone to act. */
export const ACKNOWLEDGEABLE: readonly NoticeKind[] = ['escalation', 'correction', 'reminder'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** What a notice is, from the key its sender gave it (activities/index.ts, workflows/). */
export function noticeKind(key: string, subject: string): NoticeKind {
  if (key.startsWith('digest/')) return 'digest';
  if (/\/report\/\d+$/.test(key)) return 'report';
  if (key.includes('/escalation/')) return 'escalation';
  if (key.includes('/reminder/')) return 'reminder';
  if (key.includes('/utility-push/')) return 'push';
  if (key.includes('/held/')) return 'held';
  if (/requests a correction/.test(subject)) return 'correction';
  return 'notice';
}

export async function recordNotice(db: Db, n: { key: string; to: string; subject: string; at: Date }): Promise<void> {
  await db
    .insertInto('notices')
    .values({ key: n.key, at: n.at, kind: noticeKind(n.key, n.subject), project_id: UUID.exec(n.key)?.[0] ?? null, address: n.to, subject: n.subject })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/** The addresses a person's inbox gathers. */
export function addressesOf(actor: Actor): string[] {
  const own = [`principal:${actor.id}`, `role:${actor.role}`];
  if (actor.role === 'window') own.push('window');
  if (actor.role === 'agent') own.push(`agent:${actor.id}`);
  if ((actor.role === 'reviewer' || actor.role === 'utility') && actor.party) own.push(`party:${actor.party}`);
  return own;
}

export interface InboxQuery {
  kind?: NoticeKind;
  project?: string;
  unread?: boolean;
  limit: number;
  /** The last notice id of the previous page. */
  cursor?: string;
}

export interface InboxNotice {
  id: string;
  at: string;
  kind: string;
  projectId: string | null;
  address: string;
  subject: string;
  readAt: string | null;
  acknowledgedAt: string | null;
  acknowledgeable: boolean;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/** A person's notices: unread first, then newest first. */
export async function inbox(db: Db, actor: Actor, q: InboxQuery): Promise<{ notices: InboxNotice[]; unread: number; nextCursor?: string }> {
  const addresses = addressesOf(actor);
  let query = db
    .selectFrom('notices')
    .leftJoin('notice_reads', (j) => j.onRef('notice_reads.notice_id', '=', 'notices.id').on('notice_reads.principal_id', '=', actor.id))
    .select(['notices.id', 'notices.at', 'notices.kind', 'notices.project_id', 'notices.address', 'notices.subject', 'notice_reads.read_at', 'notice_reads.acknowledged_at'])
    .where('notices.address', 'in', addresses)
    .orderBy(sql`notice_reads.read_at is not null`)
    .orderBy('notices.id', 'desc')
    .limit(q.limit + 1);
  if (q.kind) query = query.where('notices.kind', '=', q.kind);
  if (q.project) query = query.where('notices.project_id', '=', q.project);
  if (q.unread) query = query.where('notice_reads.read_at', 'is', null);
  // Pages by position in that order: (read?, id) after the cursor's.
  if (q.cursor) {
    const [read, id] = q.cursor.split(':');
    const after = read === '1';
    query = after
      ? query.where('notice_reads.read_at', 'is not', null).where('notices.id', '<', id as string)
      : query.where((eb) => eb.or([eb('notice_reads.read_at', 'is not', null), eb('notices.id', '<', id as string)]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const unread = await db
    .selectFrom('notices')
    .leftJoin('notice_reads', (j) => j.onRef('notice_reads.notice_id', '=', 'notices.id').on('notice_reads.principal_id', '=', actor.id))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('notices.address', 'in', addresses)
    .where('notice_reads.read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    notices: page.map((r) => ({
      id: String(r.id),
      at: iso(r.at) as string,
      kind: r.kind,
      projectId: r.project_id,
      address: r.address,
      subject: r.subject,
      readAt: iso(r.read_at),
      acknowledgedAt: iso(r.acknowledged_at),
      acknowledgeable: (ACKNOWLEDGEABLE as readonly string[]).includes(r.kind),
    })),
    unread: Number(unread.n),
    ...(rows.length > q.limit && last && { nextCursor: `${last.read_at ? 1 : 0}:${last.id}` }),
  };
}

/** One notice of the person's inbox, or undefined when it is not theirs (or does not exist). */
export async function inboxNotice(db: Db, actor: Actor, id: string) {
  return db.selectFrom('notices').selectAll().where('id', '=', id).where('address', 'in', addressesOf(actor)).executeTakeFirst();
}

/** Marks it read (once: the first time counts) and, when asked, acknowledged (taken charge of). */
export async function markNotice(db: Db, actor: Actor, id: string, acknowledge: boolean, at: Date): Promise<{ readAt: string; acknowledgedAt: string | null }> {
  await db
    .insertInto('notice_reads')
    .values({ notice_id: id, principal_id: actor.id, read_at: at, acknowledged_at: acknowledge ? at : null })
    .onConflict((oc) => oc.columns(['notice_id', 'principal_id']).doUpdateSet(acknowledge ? { acknowledged_at: sql`coalesce(notice_reads.acknowledged_at, ${at})` } : { read_at: sql`notice_reads.read_at` }))
    .execute();
  const row = await db.selectFrom('notice_reads').select(['read_at', 'acknowledged_at']).where('notice_id', '=', id).where('principal_id', '=', actor.id).executeTakeFirstOrThrow();
  return { readAt: iso(row.read_at) as string, acknowledgedAt: iso(row.acknowledged_at) };
}
