// A refusal by the project's workflow in the reader's language: the API answers a stable code with the
// facts it names (stage, party and status codes, numbers); the words are ours. A code this console does
// not know yet (an API newer than the console) leaves the server's own words to say it.
import type { TFunction } from 'i18next';
import type { Refusal } from './api/types';

/** The facts whose values are codes the console names in the reader's language. */
function named(code: Refusal['code'], key: string, value: string | number | string[], t: TFunction): string {
  const list = (values: string[], prefix: string) => values.map((v) => t(`${prefix}.${v}`)).join(t('desk.listSeparator'));
  if (Array.isArray(value)) return list(value, 'party');
  if (typeof value === 'number') return String(value);
  switch (key) {
    case 'stage':
      return t(`stage.${value}`);
    case 'current':
      return value === 'none' ? t('common.none') : t(`stage.${value}`);
    case 'party':
    case 'company':
      return t(`party.${value}`);
    case 'status':
      return code.startsWith('push') ? t(`push.${value}`) : t(`stageStatus.${value}`);
    case 'decision':
      return t(`decision.${value}`);
    case 'cadence':
      return t(`cadence.${value}`);
    case 'action':
      return t(`action.${value}`);
    case 'kind':
      return t(`inbox.kind.${value}`);
    default:
      return value;
  }
}

/** The refusal in the reader's language, or undefined when the console has no words for its code. */
export function refusalText(refusal: Refusal | undefined, t: TFunction): string | undefined {
  if (!refusal) return undefined;
  const params = refusal.params ?? {};
  // Two refusals read differently without the fact that would complete them.
  const plain =
    (refusal.code === 'paused-for-correction' && !params.parties) || (refusal.code === 'not-the-agent' && !params.agent) || (refusal.code === 'project-closed' && !params.status);
  const text = t(`refusal.${refusal.code}${plain ? '-plain' : ''}`, {
    ...Object.fromEntries(Object.entries(params).map(([key, value]) => [key, named(refusal.code, key, value, t)])),
    defaultValue: '',
  });
  return text || undefined;
}
