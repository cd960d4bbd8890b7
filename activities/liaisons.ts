// 双重联络员体系: who hears of a slow sign-off. For each department and utility company its three tiers;
// for each locality its project liaison; and the coordination group. Read by the escalate activity at the
// moment it runs, so a change of people applies at once, also to projects already running.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LOCALITIES, PARTIES } from '../domain/codes';

const contact = z.object({ name: z.string().min(1), contact: z.string().min(1) }).strict();
const tiers = z.object({ liaison: contact, deputy: contact, main: contact }).strict();

export const liaisonDirectory = z
  .object({
    parties: z.object(Object.fromEntries(PARTIES.map((p) => [p, tiers])) as Record<(typeof PARTIES)[number], typeof tiers>).strict(),
    localities: z.object(Object.fromEntries(LOCALITIES.map((l) => [l, contact])) as Record<(typeof LOCALITIES)[number], typeof contact>).strict(),
    coordinationGroup: contact,
    _comment: z.string().optional(),
  })
  .strict();

export type LiaisonDirectory = z.infer<typeof liaisonDirectory>;

export function loadLiaisons(path: string): LiaisonDirectory {
  const parsed = liaisonDirectory.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid liaison directory ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
