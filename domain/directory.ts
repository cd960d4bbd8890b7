// The liaison directory (双重联络员体系): the posts that notices are addressed to, and the people in each.
// A post holds one or more people; the directory is versioned in the record (db/directory.ts).
import { z } from './zod';
import { LOCALITIES, PARTIES, type Locality, type Party } from './codes';
import { text } from './schemas';
import { TIERS, type Tier } from './policy';
import { NOTICE_KINDS, type NoticeKind } from './notice-texts';

/** Every post: each party's three tiers, each locality's project liaison, and the three shared posts. */
export const POSTS = [
  ...PARTIES.flatMap((p) => TIERS.map((t) => `party:${p}/${t}` as const)),
  ...LOCALITIES.map((l) => `locality:${l}` as const),
  'coordination-group',
  'agent-station',
  'window',
] as const;
export type Post = (typeof POSTS)[number];

export const partyPost = (party: Party, tier: Tier): Post => `party:${party}/${tier}`;
export const localityPost = (locality: Locality): Post => `locality:${locality}`;
export const isPost = (value: string): value is Post => (POSTS as readonly string[]).includes(value);

/**
 * The post an address names: a post id itself, or `party:<party>` for the party's liaison tier (the
 * address a notice to "the department" means).
 */
export function postOf(address: string): Post | undefined {
  if (isPost(address)) return address;
  const party = /^party:([a-z-]+)$/.exec(address)?.[1];
  return party !== undefined && (PARTIES as readonly string[]).includes(party) ? partyPost(party as Party, 'liaison') : undefined;
}

export const LANGUAGES = ['zh', 'en'] as const;
export const MAX_PEOPLE_PER_POST = 20;

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2000, 'must be at most 2000 characters');

export const person = z
  .object({
    name: text(100).describe('display name'),
    principalId: text(100).optional().describe('their principal id, when they sign in to the service'),
    email: z.email('must be an e-mail address').max(254, 'must be at most 254 characters'),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ()-]{2,30}$/, 'must be a phone number (digits, spaces, +, -, parentheses)')
      .optional(),
    webhook: httpUrl.optional().describe('where notices are also POSTed'),
    language: z.enum(LANGUAGES).default('zh').describe('the language of their notices'),
    channels: z
      .object({
        email: z.array(z.enum(NOTICE_KINDS)).max(NOTICE_KINDS.length).optional().describe('the kinds of notice they want by e-mail; absent: every kind'),
        webhook: z.array(z.enum(NOTICE_KINDS)).max(NOTICE_KINDS.length).optional().describe('the kinds of notice posted to their webhook; absent: every kind'),
      })
      .strict()
      .optional()
      .describe('which notices reach them by which channel (their inbox has every one)'),
  })
  .strict();
export type Person = z.output<typeof person>;

export const people = z.array(person).min(1, 'a post holds at least one person').max(MAX_PEOPLE_PER_POST, `a post holds at most ${MAX_PEOPLE_PER_POST} people`);

export const postBody = z
  .object({ people, reason: text(500).optional().describe('why (kept in the history and the audit log)') })
  .strict();

/** The post of a path (`/posts/*post`: express hands a post id with a slash over as its segments). */
export const postParams = z.object({
  post: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v.join('/') : v))
    .pipe(z.string().max(100, 'must be at most 100 characters')),
});

/** How a notice names a person: `name <email>`. */
export const addressee = (p: Pick<Person, 'name' | 'email'>): string => `${p.name} <${p.email}>`;

/** Whether a person wants a kind of notice by a channel (their choice; every kind unless they chose). */
export const wants = (p: Pick<Person, 'channels'>, channel: 'email' | 'webhook', kind: NoticeKind): boolean => p.channels?.[channel]?.includes(kind) ?? true;
