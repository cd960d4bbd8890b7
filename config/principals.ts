// Bearer tokens → principals, for machine callers (utility companies) and the development identities;
// people sign in through the district's identity provider when OIDC_ISSUER is set (config/oidc.ts).
// Development tokens are plain text in config/principals.dev.json; a production file (PRINCIPALS_FILE)
// holds only SHA-256 hashes of tokens, so the file is no secret. A principal may hold several hashes, each
// optionally refused after `notAfter`, so a company's new token is added before its old one retires.
// An entry without any token names a principal that signs in through the identity provider only: it is
// listed so that it can be found by id (e.g. an agent assigned to a project).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Actor } from '../domain/project';
import { principal } from '../domain/schemas';
import { ROOT, type Config } from './env';

const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the token: 64 lowercase hex digits');
const hashEntry = z.union([
  hash,
  z.object({ sha256: hash, notAfter: z.iso.datetime({ offset: true, error: 'must be an ISO time, e.g. 2026-09-30T00:00:00+08:00' }).optional() }).strict(),
]);
// Token fields apart from the principal itself, which the strict `principal` schema checks (so a
// misspelt key such as "notafter" or "tokenSHA256" is an error, not silently ignored).
const credentials = z.looseObject({
  token: z.string().min(6).optional(),
  tokenSha256: z.union([hash, z.array(hashEntry).min(1)]).optional(),
});
const file = z.object({ principals: z.array(z.unknown()).min(1) }).loose();

export const DEV_PRINCIPALS_FILE = join(ROOT, 'config', 'principals.dev.json');

export type TokenCheck = { actor: Actor } | { refused: string } | undefined;

export interface Principals {
  /** The principal a static bearer token belongs to (undefined for an unknown or retired token). */
  authenticate(token: string): Actor | undefined;
  /** As authenticate, saying why a known token is refused. */
  check(token: string): TokenCheck;
  /** A principal by id (e.g. to check that an agent named in a request exists). */
  find(id: string): Actor | undefined;
  /** Every principal the file names, in its order (e.g. the agents a console offers to pick from). */
  all(): Actor[];
}

export const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

interface Credential {
  actor: Actor;
  notAfter?: number;
  notAfterText?: string;
}

export interface PrincipalsOptions {
  /** The clock that retires tokens past `notAfter` (tests pass their own). */
  now?: () => number;
  /** The development file whose tokens production refuses (tests pass their own). */
  devPrincipalsFile?: string;
}

function invalid(path: string, issues: z.core.$ZodIssue[], prefix: (string | number)[] = []): Error {
  const problems = issues.map((i) => `${[...prefix, ...i.path].map(String).join('.')}: ${i.message}`).join('; ');
  return new Error(`invalid principals file ${path}: ${problems}`);
}

/** Every hash a principals file accepts, without checking anything else (to recognise public tokens). */
function hashesOf(path: string): Set<string> {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { principals?: { token?: unknown; tokenSha256?: unknown }[] };
  const hashes = new Set<string>();
  for (const p of raw.principals ?? []) {
    if (typeof p.token === 'string') hashes.add(sha256(p.token));
    if (typeof p.tokenSha256 === 'string') hashes.add(p.tokenSha256);
  }
  return hashes;
}

export function loadPrincipals(config: Pick<Config, 'NODE_ENV' | 'PRINCIPALS_FILE'>, options: PrincipalsOptions = {}): Principals {
  const production = config.NODE_ENV === 'production';
  const now = options.now ?? Date.now;
  if (production && config.PRINCIPALS_FILE === undefined) {
    throw new Error('PRINCIPALS_FILE is required when NODE_ENV=production (development principals are refused)');
  }
  const path = config.PRINCIPALS_FILE ?? DEV_PRINCIPALS_FILE;
  const parsed = file.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw invalid(path, parsed.error.issues);
  // The development tokens are published in this repository; hashed (config/principals.example.json)
  // they are just as public.
  const devFile = options.devPrincipalsFile ?? DEV_PRINCIPALS_FILE;
  const publicHashes = production && existsSync(devFile) ? hashesOf(devFile) : new Set<string>();

  const byHash = new Map<string, Credential>();
  const byId = new Map<string, Actor>();
  parsed.data.principals.forEach((raw, index) => {
    const creds = credentials.safeParse(raw);
    if (!creds.success) throw invalid(path, creds.error.issues, ['principals', index]);
    const { token, tokenSha256, ...rest } = creds.data;
    const p = principal.safeParse(rest);
    if (!p.success) throw invalid(path, p.error.issues, ['principals', index]);
    const { id, role, name, party } = p.data;
    if (token !== undefined && tokenSha256 !== undefined) throw new Error(`${path}: ${id} has both token and tokenSha256; keep one`);
    if (token !== undefined && production) throw new Error(`${path}: plain tokens are refused in production; use tokenSha256 (${id})`);
    if (byId.has(id)) throw new Error(`${path}: two principals share the id ${id}`);
    const actor: Actor = { id, role, ...(name && { name }), ...(party && { party }) };
    byId.set(id, actor);
    const entries = token !== undefined ? [sha256(token)] : typeof tokenSha256 === 'string' ? [tokenSha256] : (tokenSha256 ?? []);
    for (const entry of entries) {
      const { sha256: digest, notAfter } = typeof entry === 'string' ? { sha256: entry, notAfter: undefined } : entry;
      if (publicHashes.has(digest)) {
        throw new Error(
          `${path}: ${id} uses a development token published in this repository (config/principals.dev.json, hashed in config/principals.example.json); ` +
            'refusing to start with NODE_ENV=production. Issue new tokens and list their SHA-256 (echo -n TOKEN | sha256sum).',
        );
      }
      if (byHash.has(digest)) throw new Error(`${path}: two principals share a token (${byHash.get(digest)!.actor.id} and ${id})`);
      byHash.set(digest, { actor, ...(notAfter !== undefined && { notAfter: Date.parse(notAfter), notAfterText: notAfter }) });
    }
  });

  const check = (token: string): TokenCheck => {
    const credential = byHash.get(sha256(token));
    if (!credential) return undefined;
    if (credential.notAfter !== undefined && now() > credential.notAfter) return { refused: `token retired at ${credential.notAfterText}; use its replacement` };
    return { actor: credential.actor };
  };
  return {
    check,
    authenticate: (token) => {
      const result = check(token);
      return result && 'actor' in result ? result.actor : undefined;
    },
    find: (id) => byId.get(id),
    all: () => [...byId.values()],
  };
}
