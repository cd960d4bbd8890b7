// The liaison directory's posts as the console lists them: every post's kind, party, tier and locality,
// in the service's order (each party's three tiers, the localities, the centre's own posts), and a
// person's channels as the edit form holds them.
import type { TFunction } from 'i18next';
import type { Schemas } from './api/types';
import { DEPARTMENTS, LOCALITIES, PARTIES, UTILITIES } from '../../domain/codes';

export type Person = Schemas['DirectoryPerson'];
export type Party = (typeof PARTIES)[number];
export type Locality = (typeof LOCALITIES)[number];
export const TIERS = ['liaison', 'deputy', 'main'] as const;
export type Tier = (typeof TIERS)[number];
export const SHARED_POSTS = ['coordination-group', 'agent-station', 'window'] as const;
export const POST_KINDS = ['department', 'utility', 'locality', 'shared'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const NOTICE_KINDS = ['report', 'escalation', 'correction', 'reminder', 'push', 'digest', 'held', 'notice'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface PostInfo {
  post: string;
  kind: PostKind;
  party?: Party;
  tier?: Tier;
  locality?: Locality;
}

/** What a post id says: party:planning/liaison, locality:zhujing, coordination-group… */
export function postInfo(post: string): PostInfo {
  const party = /^party:([a-z-]+)\/([a-z]+)$/.exec(post);
  if (party) {
    const p = party[1] as Party;
    return { post, kind: (DEPARTMENTS as readonly string[]).includes(p) ? 'department' : (UTILITIES as readonly string[]).includes(p) ? 'utility' : 'shared', party: p, tier: party[2] as Tier };
  }
  const locality = /^locality:([a-z-]+)$/.exec(post);
  if (locality) return { post, kind: 'locality', locality: locality[1] as Locality };
  return { post, kind: 'shared' };
}

/** The order posts are listed in: the service's own (POSTS in domain/directory.ts); unknown ones last. */
export const POST_ORDER: string[] = [...PARTIES.flatMap((p) => TIERS.map((t) => `party:${p}/${t}`)), ...LOCALITIES.map((l) => `locality:${l}`), ...SHARED_POSTS];
export const byPostOrder = (a: string, b: string): number => {
  const rank = (p: string) => (POST_ORDER.includes(p) ? POST_ORDER.indexOf(p) : POST_ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
};

/** A post as people call it: 区规划资源局 · 联络员, 朱泾镇 · 属地项目联络员, 协调小组. */
export function postLabel(post: string, t: TFunction): string {
  const info = postInfo(post);
  if (info.party && info.tier) return `${t(`party.${info.party}`)} · ${t(`tier.${info.tier}`)}`;
  if (info.locality) return `${t(`locality.${info.locality}`)} · ${t('directory.localityLiaison')}`;
  return (SHARED_POSTS as readonly string[]).includes(post) ? t(`directory.shared.${post}`) : post;
}

/**
 * A channel's kinds as the form's select holds them: absent (every kind) is an empty selection; an empty
 * list (none) is the 'none' option, so an edit keeps what the person chose.
 */
export const kindsToForm = (kinds: NoticeKind[] | undefined): (NoticeKind | 'none')[] => (kinds === undefined ? [] : kinds.length === 0 ? ['none'] : kinds);
export const kindsFromForm = (value: (NoticeKind | 'none')[] | undefined): NoticeKind[] | undefined =>
  !value || value.length === 0 ? undefined : value.includes('none') ? [] : (value.filter((k) => k !== 'none') as NoticeKind[]);

/** The form's person back into the API's, without empty optional fields (which the API would refuse). */
export function personFromForm(p: { name: string; email: string; principalId?: string; phone?: string; webhook?: string; language?: 'zh' | 'en'; email_kinds?: (NoticeKind | 'none')[]; webhook_kinds?: (NoticeKind | 'none')[] }): Person {
  const email = kindsFromForm(p.email_kinds);
  const webhook = kindsFromForm(p.webhook_kinds);
  const trimmed = (v: string | undefined) => v?.trim() || undefined;
  return {
    name: p.name.trim(),
    email: p.email.trim(),
    ...(trimmed(p.principalId) && { principalId: trimmed(p.principalId) }),
    ...(trimmed(p.phone) && { phone: trimmed(p.phone) }),
    ...(trimmed(p.webhook) && { webhook: trimmed(p.webhook) }),
    language: p.language ?? 'zh',
    ...((email || webhook) && { channels: { ...(email && { email }), ...(webhook && { webhook }) } }),
  };
}
