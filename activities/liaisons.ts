// 双重联络员体系: who hears of a slow sign-off. For each department and utility company its three tiers;
// for each locality its project liaison; and the coordination group. Read by the escalate activity at the
// moment it runs, so a change of people applies at once, also to projects already running.
import { readFileSync, statSync } from 'node:fs';
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

/**
 * The directory as the file says now: read again whenever the file changes (its modification time), so
 * a personnel change reaches running projects without a restart. A file changed into something invalid
 * keeps the last good directory in use, and says why once.
 */
export function watchedLiaisons(path: string, warn: (message: string) => void = console.warn): () => LiaisonDirectory {
  let current = loadLiaisons(path);
  let seen = statSync(path).mtimeMs;
  return () => {
    const mtime = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined || mtime === seen) return current;
    seen = mtime;
    try {
      current = loadLiaisons(path);
    } catch (err) {
      warn(`${(err as Error).message}; the previous liaison directory stays in use`);
    }
    return current;
  };
}
