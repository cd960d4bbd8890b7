// Sample people and projects for the tests.
import { randomUUID } from 'node:crypto';
import type { Party } from '../../domain/codes';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { registrationInput, type Actor, type ProjectApprovalInput, type Registration } from '../../domain/project';

export const window: Actor = { id: 'window-01', role: 'window' };
export const admin: Actor = { id: 'admin-01', role: 'admin' };
export const reviewer = (party: Party): Actor => ({ id: `reviewer-${party}`, role: 'reviewer', party });
export const utility = (party: Party): Actor => ({ id: `utility-${party}`, role: 'utility', party });

export const generalRegistration: Registration = {
  name: '朱泾镇 商业综合体',
  applicant: { name: '上海金山某某置业有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'general',
  major: false,
  locality: 'zhujing',
  utilities: ['power', 'water-supply', 'gas'],
};

export function projectInput(overrides: Partial<Registration> = {}, policy: Policy = DEFAULT_POLICY, at = new Date()): ProjectApprovalInput {
  return registrationInput({ ...generalRegistration, ...overrides }, randomUUID(), window, at.toISOString(), policy);
}
