// The liaison directory's seed file (LIAISONS_FILE): the people a new record's directory starts with.
// Read once, by the processes that migrate, and only while the record's directory is empty
// (db/directory.ts seedDirectory); from then on admins keep the directory over /api/directory.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LOCALITIES, PARTIES } from '../domain/codes';
import { localityPost, partyPost, people, type Person, type Post } from '../domain/directory';
import { TIERS } from '../domain/policy';

const tiers = z.object({ liaison: people, deputy: people, main: people }).strict();

export const liaisonsFile = z
  .object({
    parties: z.object(Object.fromEntries(PARTIES.map((p) => [p, tiers])) as Record<(typeof PARTIES)[number], typeof tiers>).strict(),
    localities: z.object(Object.fromEntries(LOCALITIES.map((l) => [l, people])) as Record<(typeof LOCALITIES)[number], typeof people>).strict(),
    coordinationGroup: people,
    agentStation: people,
    window: people,
    _comment: z.string().optional(),
  })
  .strict();

export type LiaisonsFile = z.output<typeof liaisonsFile>;

export function loadLiaisons(path: string): LiaisonsFile {
  const parsed = liaisonsFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid liaison directory ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The file as posts and their people, every post once. */
export function postsOf(file: LiaisonsFile): [Post, Person[]][] {
  return [
    ...PARTIES.flatMap((p) => TIERS.map((t): [Post, Person[]] => [partyPost(p, t), file.parties[p][t]])),
    ...LOCALITIES.map((l): [Post, Person[]] => [localityPost(l), file.localities[l]]),
    ['coordination-group', file.coordinationGroup],
    ['agent-station', file.agentStation],
    ['window', file.window],
  ];
}
