// Notices in the record: every notice the workflows send is a row (by its key, so a retried delivery
// records once), and each person's inbox is the notices addressed to what they are — their own principal,
// their role, their department or company, the projects they follow as agent.
import { sql } from 'kysely';
import type { Delivery } from '../activities/notification-sink';
import { addressee } from '../domain/directory';
import { NOTICE_KINDS, renderNotice, type NoticeContent, type NoticeKind, type NoticeLanguage, type NoticeMessage } from '../domain/notice-texts';
import { entriesOfPrincipal } from './directory';
import type { Actor } from '../domain/project';
import type { Db } from './connect';

export { NOTICE_KINDS, type NoticeKind };

/** Kinds a person takes charge of (acknowledges): the ladder and corrections ask for someone to act. */
export const ACKNOWLEDGEABLE: readonly NoticeKind[] = ['escalation', 'correction', 'reminder'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** What a notice is, from the key its sender gave it (activities/index.ts, workflows/). */
export function noticeKind(key: string, subject: string, message?: NoticeMessage): NoticeKind {
  if (message?.t === 'correction-requested') return 'correction';
  if (key.startsWith('digest/')) return 'digest';
  if (/\/report\/\d+$/.test(key)) return 'report';
  if (key.includes('/escalation/')) return 'escalation';
  if (key.includes('/reminder/')) return 'reminder';
  if (key.includes('/utility-push/')) return 'push';
  if (key.includes('/held/')) return 'held';
  if (/requests a correction/.test(subject)) return 'correction';
  return 'notice';
}

/** Text PostgreSQL can store: a lone surrogate or a NUL (which a sealed client might put in a project's
 *  name, around the API's checks) becomes U+FFFD, so a notice is never refused for good — that would hold
 *  up the project that sends it. */
const storable = (text: string): string => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/g, '\ufffd');

export async function recordNotice(db: Db, n: Delivery & { at: Date }): Promise<void> {
  const content = n.message ? { message: n.message, ...(n.project && { project: n.project }), ...(n.due && { due: n.due }) } : null;
  await db
    .insertInto('notices')
    .values({
      key: n.key,
      at: n.at,
      kind: noticeKind(n.key, n.subject, n.message),
      project_id: UUID.exec(n.key)?.[0] ?? null,
      address: storable(n.to),
      subject: storable(n.subject),
      content: content && JSON.stringify(content, (_key, value: unknown) => (typeof value === 'string' ? storable(value) : value)),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/** The addresses a person's inbox gathers by what they are. */
export function addressesOf(actor: Actor): string[] {
  const own = [`principal:${actor.id}`, `role:${actor.role}`];
  if (actor.role === 'window') own.push('window');
  if (actor.role === 'agent') own.push(`agent:${actor.id}`);
  if ((actor.role === 'reviewer' || actor.role === 'utility') && actor.party) own.push(`party:${actor.party}`);
  return own;
}

/** A person's inbox: what they are, and the mailboxes the directory gives them (escalations and reminders
 *  name their people), with the language the directory says they read. */
export async function reader(db: Db, actor: Actor): Promise<{ addresses: string[]; language: NoticeLanguage }> {
  const entries = await entriesOfPrincipal(db, actor.id);
  return { addresses: [...new Set([...addressesOf(actor), ...entries.map(addressee)])], language: entries[0]?.language ?? 'zh' };
}

export interface InboxQuery {
  kind?: NoticeKind;
  project?: string;
  unread?: boolean;
  limit: number;
  /** The last notice id of the previous page. */
  cursor?: string;
  /** The language to put notices in (the directory's choice for the reader otherwise). */
  language?: NoticeLanguage;
  /** Where the console is, for the links (PUBLIC_URL). */
  publicUrl?: string;
}

export interface InboxNotice {
  id: string;
  at: string;
  kind: string;
  projectId: string | null;
  address: string;
  subject: string;
  /** The notice in the reader's language, line by line, and the project's console page. */
  lines: string[];
  link: string | null;
  /** Who it was sent to, by e-mail or webhook, and when (the inbox has it regardless). */
  deliveries: { channel: string; to: string; at: string }[];
  readAt: string | null;
  acknowledgedAt: string | null;
  acknowledgeable: boolean;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/** A person's notices: unread first, then newest first. */
export async function inbox(db: Db, actor: Actor, q: InboxQuery): Promise<{ notices: InboxNotice[]; unread: number; language: NoticeLanguage; nextCursor?: string }> {
  const { addresses, language: preferred } = await reader(db, actor);
  const language = q.language ?? preferred;
  let query = db
    .selectFrom('notices')
    .leftJoin('notice_reads', (j) => j.onRef('notice_reads.notice_id', '=', 'notices.id').on('notice_reads.principal_id', '=', actor.id))
    .select(['notices.id', 'notices.at', 'notices.kind', 'notices.project_id', 'notices.address', 'notices.subject', 'notices.content', 'notice_reads.read_at', 'notice_reads.acknowledged_at'])
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
  const sent = page.length === 0 ? [] : await db.selectFrom('notice_deliveries').selectAll().where('notice_id', 'in', page.map((r) => r.id)).orderBy('at').execute();
  return {
    language,
    notices: page.map((r) => {
      const words = r.content ? renderNotice(r.content as unknown as NoticeContent, language, q.publicUrl) : { subject: r.subject, lines: [r.subject], link: null };
      return {
      id: String(r.id),
      at: iso(r.at) as string,
      kind: r.kind,
      projectId: r.project_id,
      address: r.address,
      subject: words.subject,
      lines: words.lines,
      link: words.link,
      deliveries: sent.filter((d) => String(d.notice_id) === String(r.id)).map((d) => ({ channel: d.channel, to: d.recipient, at: iso(d.at) as string })),
      readAt: iso(r.read_at),
      acknowledgedAt: iso(r.acknowledged_at),
      acknowledgeable: (ACKNOWLEDGEABLE as readonly string[]).includes(r.kind),
      };
    }),
    unread: Number(unread.n),
    ...(rows.length > q.limit && last && { nextCursor: `${last.read_at ? 1 : 0}:${last.id}` }),
  };
}

/** One notice of the person's inbox, or undefined when it is not theirs (or does not exist). */
export async function inboxNotice(db: Db, actor: Actor, id: string) {
  const { addresses } = await reader(db, actor);
  return db.selectFrom('notices').selectAll().where('id', '=', id).where('address', 'in', addresses).executeTakeFirst();
}

/** Whether the person already took charge of the notice (an acknowledgement is recorded on the project once). */
export async function acknowledged(db: Db, actor: Actor, id: string): Promise<boolean> {
  const row = await db.selectFrom('notice_reads').select('acknowledged_at').where('notice_id', '=', id).where('principal_id', '=', actor.id).executeTakeFirst();
  return row?.acknowledged_at !== null && row?.acknowledged_at !== undefined;
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
