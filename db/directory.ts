// The liaison directory in the record (migration 0005): who is at each post now, every version since the
// seed, and the one change an admin makes — a post's people replaced, as a new version. Notices resolve
// their addresses here at the moment they are sent, so running projects follow a change at once.
import { sql } from 'kysely';
import type { Db } from './connect';
import { LANGUAGES, postOf, type Person, type Post } from '../domain/directory';

export interface DirectoryVersion {
  version: number;
  at: string;
  by: string;
  /** The post changed; null for the seed, which set every post. */
  post: string | null;
  reason: string | null;
  /** What the change replaced and with what (absent for the seed). */
  before?: Person[];
  after?: Person[];
}

export interface CurrentDirectory {
  /** The latest version (0 before the seed). */
  version: number;
  posts: Record<string, { version: number; people: Person[] }>;
}

type PersonRow = { name: string; principal_id: string | null; email: string; phone: string | null; webhook: string | null; language: string; channels: unknown };

const toPerson = (r: PersonRow): Person => ({
  name: r.name,
  ...(r.principal_id !== null && { principalId: r.principal_id }),
  email: r.email,
  ...(r.phone !== null && { phone: r.phone }),
  ...(r.webhook !== null && { webhook: r.webhook }),
  language: (LANGUAGES as readonly string[]).includes(r.language) ? (r.language as Person['language']) : 'zh',
  ...(r.channels !== null && r.channels !== undefined && { channels: (typeof r.channels === 'string' ? JSON.parse(r.channels) : r.channels) as NonNullable<Person['channels']> }),
});

const personRows = (post: Post, version: number, people: Person[]) =>
  people.map((p, position) => ({
    post,
    version,
    position,
    name: p.name,
    principal_id: p.principalId ?? null,
    email: p.email,
    phone: p.phone ?? null,
    webhook: p.webhook ?? null,
    language: p.language,
    channels: p.channels ? JSON.stringify(p.channels) : null,
  }));

/** The current people of the given posts (all posts when omitted), or only those a principal signs in
 *  as, in one query, with the directory's version. */
async function currentRows(db: Db, posts?: readonly string[], principalId?: string) {
  let query = db
    .selectFrom('directory_posts as c')
    .innerJoin('directory_people as p', (j) => j.onRef('p.post', '=', 'c.post').onRef('p.version', '=', 'c.version'))
    .select(['p.post', 'p.version', 'p.name', 'p.principal_id', 'p.email', 'p.phone', 'p.webhook', 'p.language', 'p.channels'])
    .select(sql<number>`(select max(version) from directory_versions)`.as('latest'))
    .orderBy('p.post')
    .orderBy('p.position');
  if (posts) query = query.where('c.post', 'in', posts.length > 0 ? [...posts] : ['']);
  if (principalId !== undefined) query = query.where('p.principal_id', '=', principalId);
  return query.execute();
}

/** Where a principal stands in the directory now (a person may hold several posts): what its inbox
 *  gathers, read on every inbox request, so only its own rows. */
export async function entriesOfPrincipal(db: Db, principalId: string): Promise<Person[]> {
  return (await currentRows(db, undefined, principalId)).map(toPerson);
}

export async function currentDirectory(db: Db): Promise<CurrentDirectory> {
  const rows = await currentRows(db);
  const posts: CurrentDirectory['posts'] = {};
  for (const r of rows) (posts[r.post] ??= { version: r.version, people: [] }).people.push(toPerson(r));
  return { version: Number(rows[0]?.latest ?? 0), posts };
}

/** The people at one post now (empty: nobody, which only an unseeded directory has). */
export async function postPeople(db: Db, post: Post): Promise<{ version: number; people: Person[] } | undefined> {
  const rows = await currentRows(db, [post]);
  return rows.length === 0 ? undefined : { version: rows[0]!.version, people: rows.map(toPerson) };
}

export class UnknownAddress extends Error {}

/**
 * The people notices to these addresses reach now, address by address (one query for all): a post id
 * (`party:planning/deputy`, `locality:zhujing`, `coordination-group`, `agent-station`, `window`) or
 * `party:<party>`, its liaison tier. Throws UnknownAddress for an address that names no post.
 */
export async function resolveAddresses(db: Db, addresses: readonly string[]): Promise<Person[][]> {
  const posts = addresses.map((a) => {
    const post = postOf(a);
    if (!post) throw new UnknownAddress(`no directory post for the address ${a}`);
    return post;
  });
  const rows = await currentRows(db, [...new Set(posts)]);
  return posts.map((post) => rows.filter((r) => r.post === post).map(toPerson));
}

export async function resolveAddress(db: Db, address: string): Promise<Person[]> {
  return (await resolveAddresses(db, [address]))[0]!;
}

/** Unique violation: another change took the same version number first. */
const taken = (err: unknown) => (err as { code?: unknown }).code === '23505';

/** Replaces a post's people as a new version by `by`; answers the post as it now is and the version. */
export async function changePost(db: Db, change: { post: Post; people: Person[]; by: string; reason?: string | undefined }): Promise<{ version: number; before: Person[]; after: Person[] }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (tx) => {
        const before = (await currentRows(tx, [change.post])).map(toPerson);
        const last = await tx.selectFrom('directory_versions').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
        const version = Number(last?.v ?? 0) + 1;
        await tx
          .insertInto('directory_versions')
          .values({ version, at: new Date(), by_id: change.by, post: change.post, reason: change.reason ?? null, change: JSON.stringify({ before, after: change.people }) })
          .execute();
        await tx.insertInto('directory_people').values(personRows(change.post, version, change.people)).execute();
        await tx
          .insertInto('directory_posts')
          .values({ post: change.post, version })
          .onConflict((oc) => oc.column('post').doUpdateSet({ version }))
          .execute();
        return { version, before, after: change.people };
      });
    } catch (err) {
      // Two admins at once: the later one takes the next number (a handful of tries is plenty).
      if (!taken(err) || attempt >= 4) throw err;
    }
  }
}

/** The versions, newest first: `limit` of them before version `before` (all when omitted). */
export async function directoryHistory(db: Db, { limit, before }: { limit: number; before?: number | undefined }): Promise<{ versions: DirectoryVersion[]; more: boolean }> {
  let query = db.selectFrom('directory_versions').selectAll().orderBy('version', 'desc').limit(limit + 1);
  if (before !== undefined) query = query.where('version', '<', before);
  const rows = await query.execute();
  const versions = rows.slice(0, limit).map((r): DirectoryVersion => {
    const change = r.change as { before?: Person[]; after?: Person[] } | null;
    return {
      version: r.version,
      at: new Date(r.at).toISOString(),
      by: r.by_id,
      post: r.post,
      reason: r.reason,
      ...(change?.before && { before: change.before }),
      ...(change?.after && { after: change.after }),
    };
  });
  return { versions, more: rows.length > limit };
}

/**
 * Fills an empty directory with the seed's posts as version 1 (by `seed`, the reason naming `source`);
 * does nothing once any version exists, and then reads no seed. Several processes may start at once: the
 * first insert of version 1 wins, the others wait for it and skip.
 */
export async function seedDirectory(db: Db, source: string, seed: () => [Post, Person[]][]): Promise<boolean> {
  const seeded = await db.selectFrom('directory_versions').select('version').limit(1).executeTakeFirst();
  if (seeded) return false;
  const posts = seed();
  return db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('directory_versions')
      .values({ version: 1, at: new Date(), by_id: 'seed', post: null, reason: `seeded from ${source}`, change: null })
      .onConflict((oc) => oc.column('version').doNothing())
      .returning('version')
      .executeTakeFirst();
    if (!inserted) return false;
    await tx.insertInto('directory_people').values(posts.flatMap(([post, people]) => personRows(post, 1, people))).execute();
    await tx.insertInto('directory_posts').values(posts.map(([post]) => ({ post, version: 1 }))).execute();
    return true;
  });
}
