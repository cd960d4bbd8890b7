// A sign-off as the console sends and shows it (no React here, so the unit tests read it): for a party's
// own reviewer, or 代录 — an admin recording a decision a party sent in on paper, with the party's
// document (依据) and why the admin records it (原因). The API refuses an admin's entry without them.
import type { TFunction } from 'i18next';
import type { paths } from './api/schema';
import type { Party, Schemas, StageView } from './api/types';

export type Decision = 'approve' | 'reject' | 'correction';
export interface SignOffValues {
  decision: Decision;
  comment?: string;
  items?: string[];
  reference?: string;
  reason?: string;
}
type SignOffBody = NonNullable<paths['/api/projects/{id}/stages/{stage}/sign-offs']['post']['requestBody']>['content']['application/json'];
type Proxy = NonNullable<Schemas['SignOff']['proxy']>;

/** The parties an admin may record a decision for on this stage: those still pending while the project is
 *  open. Nobody else records for a party: a reviewer signs only its own (the page's 签署本单位意见). */
export function proxyParties(role: string | undefined, projectOpen: boolean, stage: StageView | undefined): Party[] {
  if (role !== 'admin' || !projectOpen || !stage) return [];
  return stage.pendingParties;
}

/** The request's body: free text trimmed, items only for a correction; a proxy names the party and its document. */
export function signOffBody(values: SignOffValues, party?: Party): SignOffBody {
  const comment = values.comment?.trim();
  return {
    decision: values.decision,
    ...(comment && { comment }),
    ...(values.decision === 'correction' && { items: (values.items ?? []).map((i) => i.trim()) }),
    ...(party !== undefined && { party, proxy: { reference: (values.reference ?? '').trim(), reason: (values.reason ?? '').trim() } }),
  };
}

/** A recorded proxy's document and reason, in the reader's words. */
export function proxyNote(proxy: Proxy, t: TFunction): string {
  return t('project.proxyNote', { reference: proxy.reference, reason: proxy.reason });
}
