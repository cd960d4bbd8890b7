// An API error as a person reads it (ApiErrorAlert shows it; no React here, so the unit tests read it):
// what happened in their language first. A 400 names each failing field by the console's own label —
// the server's English reason ("no agent with id agent-99") stays available, but as a secondary line.
import type { TFunction } from 'i18next';
import { ApiError } from './api/http';
import { refusalText } from './refusal';

/** The API's field paths (as `parse` in api/errors.ts names them, with list positions as N) → `field.*`. */
const FIELDS: Record<string, string> = {
  body: 'body',
  'body.agent': 'agent',
  'body.reason': 'reason',
  'body.note': 'note',
  'body.comment': 'comment',
  'body.decision': 'decision',
  'body.party': 'party',
  'body.items': 'items',
  'body.items.N': 'item',
  'body.proxy.reference': 'proxyReference',
  'body.proxy.reason': 'proxyReason',
  'body.name': 'name',
  'body.applicant.name': 'applicantName',
  'body.applicant.uscc': 'uscc',
  'body.category': 'category',
  'body.major': 'major',
  'body.locality': 'locality',
  'body.utilities': 'utilities',
  'body.cadence': 'cadence',
  'body.startDate': 'startDate',
  'body.projects': 'projects',
  'body.projects.N.id': 'project',
  'body.projects.N.source': 'projectSource',
  'body.add': 'add',
  'body.add.N.id': 'project',
  'body.add.N.source': 'projectSource',
  'body.remove': 'remove',
  'body.remove.N': 'project',
  'body.people': 'people',
  'body.people.N.name': 'personName',
  'body.people.N.principalId': 'personPrincipalId',
  'body.people.N.email': 'personEmail',
  'body.people.N.phone': 'personPhone',
  'body.people.N.webhook': 'personWebhook',
  'body.people.N.language': 'personLanguage',
  'body.people.N.channels': 'personChannels',
  'body.people.N.channels.email': 'personChannels',
  'body.people.N.channels.webhook': 'personChannels',
  'body.holidays': 'holidays',
  'body.holidays.N': 'holiday',
  'body.workdays': 'workdays',
  'body.workdays.N': 'workday',
  'body.text': 'text',
  'query.from': 'from',
  'query.to': 'to',
};

/** A field of the API by the console's label; a path the console has no label for, as the server wrote it. */
export function fieldLabel(path: string, t: TFunction): string {
  const segments = path.split('.');
  const positions = segments.filter((s) => /^\d+$/.test(s)).map(Number);
  // A list's entry is counted from 1 where people read it (body.people.0.email: the 1st person's e-mail);
  // an entry in a list of choices (body.channels.email.2) is the list itself.
  const pattern = segments.map((s) => (/^\d+$/.test(s) ? 'N' : s));
  const key = FIELDS[pattern.join('.')] ?? (pattern.at(-1) === 'N' ? FIELDS[pattern.slice(0, -1).join('.')] : undefined);
  return key ? t(`field.${key}`, { n: (positions[0] ?? 0) + 1 }) : path;
}

/** An invalid request (400): the labels of its failing fields, each once, in the server's order. */
export function invalidFields(err: ApiError, t: TFunction): string[] {
  return [...new Set(err.issues.map((i) => fieldLabel(i.path, t)))];
}

/** The server's own words for an invalid request: each failing field with its reason, or its message. */
export function serverDetail(err: ApiError): string {
  return err.issues.length > 0 ? err.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : err.message;
}

export function errorTitle(err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return t('error.title');
  if (err.status === 0) return t('error.network');
  const key = `error.${err.status}`;
  return t(key, { defaultValue: t(err.status >= 500 ? 'error.500' : 'error.title') });
}

/** Refusals whose English sentence says more than the console's words: a termination's time and reason,
 *  what exactly disagrees, each field's reason. */
const SAYS_MORE = new Set(['project-terminated', 'workflow-out-of-sync', 'trail-conflict', 'campaign-project-unavailable']);

/** What the person reads under the headline: the main line in their language (none when the console has
 *  nothing to say in it), and the server's words as a secondary line where they add to it. Any answer of
 *  4xx is worded from its code and fields, never from the server's English: a refusal by its code (the
 *  workflow's, or the API's own 409s), an invalid request by its fields. */
export function errorLines(err: unknown, t: TFunction): { main?: string; server?: string } {
  if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
    const fields = invalidFields(err, t);
    const check = fields.length > 0 ? t('error.check', { fields: fields.join(t('separator.list')) }) : undefined;
    const server = t('error.serverSaid', { message: serverDetail(err) });
    // A refusal in the reader's words when the console knows its code; the fields it names after it.
    const refusal = refusalText(err.refusal, t);
    if (refusal) {
      const main = [t('error.reason', { message: refusal }), check].filter(Boolean).join(t('separator.items'));
      return SAYS_MORE.has(err.refusal?.code ?? '') || err.issues.length > 0 ? { main, server } : { main };
    }
    return { main: check, server };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { main: t('error.reason', { message }) };
}
