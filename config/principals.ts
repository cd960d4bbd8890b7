// Bearer tokens → principals. Development tokens are plain text in config/principals.dev.json; a
// production file (PRINCIPALS_FILE) holds only SHA-256 hashes of tokens, so the file is no secret.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Actor } from '../domain/project';
import { principal } from '../domain/schemas';
import { ROOT, type Config } from './env';

const entry = z.intersection(
  principal,
  z.union([z.object({ token: z.string().min(6) }), z.object({ tokenSha256: z.string().regex(/^[0-9a-f]{64}$/) })]),
);
const file = z.object({ principals: z.array(entry).min(1) });

export interface Principals {
  /** The principal a bearer token belongs to. */
  authenticate(token: string): Actor | undefined;
  /** A principal by id (e.g. to check that an agent named in a request exists). */
  find(id: string): Actor | undefined;
}

export const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

export function loadPrincipals(config: Pick<Config, 'NODE_ENV' | 'PRINCIPALS_FILE'>): Principals {
  const production = config.NODE_ENV === 'production';
  if (production && config.PRINCIPALS_FILE === undefined) {
    throw new Error('PRINCIPALS_FILE is required when NODE_ENV=production (development principals are refused)');
  }
  const path = config.PRINCIPALS_FILE ?? join(ROOT, 'config', 'principals.dev.json');
  const parsed = file.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid principals file ${path}: ${problems}`);
  }
  const byHash = new Map<string, Actor>();
  const byId = new Map<string, Actor>();
  for (const p of parsed.data.principals) {
    if ('token' in p && production) throw new Error(`${path}: plain tokens are refused in production; use tokenSha256`);
    const hash = 'token' in p ? sha256(p.token) : p.tokenSha256;
    if (byHash.has(hash)) throw new Error(`${path}: two principals share a token (${p.id})`);
    const actor: Actor = { id: p.id, role: p.role, ...(p.name && { name: p.name }), ...(p.party && { party: p.party }) };
    byHash.set(hash, actor);
    byId.set(p.id, actor);
  }
  return { authenticate: (token) => byHash.get(sha256(token)), find: (id) => byId.get(id) };
}
