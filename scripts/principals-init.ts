// `npm run principals-init -- <folder>`: a first principals file for a new installation, unless one is
// there already — the development identities (config/principals.dev.json) with fresh random tokens.
// principals.json holds only their SHA-256 hashes (PRINCIPALS_FILE); tokens.txt (readable by its owner
// only) lists each token once, for the administrator to hand out and then delete. metrics-token is the
// token a Prometheus reads /metrics with (it reads nothing else).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEV_PRINCIPALS_FILE, sha256 } from '../config/principals';

interface DevEntry {
  id: string;
  name?: string;
  role: string;
  party?: string;
  token?: string;
}

/** The token Prometheus reads /metrics with (METRICS_TOKEN_FILE), made once. It reads nothing else, so
 *  the scraper's container may read the file. */
export function initMetricsToken(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'metrics-token');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url') + '\n', { mode: 0o644 });
  return file;
}

export function initPrincipals(folder: string): { file: string; created: boolean } {
  mkdirSync(folder, { recursive: true });
  initMetricsToken(folder);
  const file = join(folder, 'principals.json');
  if (existsSync(file)) return { file, created: false };
  const { principals } = JSON.parse(readFileSync(DEV_PRINCIPALS_FILE, 'utf8')) as { principals: DevEntry[] };
  const issued = principals.map(({ token: _dev, ...p }) => ({ ...p, token: randomBytes(24).toString('base64url') }));
  const hashed = issued.map(({ token, ...p }) => ({ ...p, tokenSha256: sha256(token) }));
  writeFileSync(join(folder, 'tokens.txt'), issued.map((p) => `${p.id}\t${p.role}${p.party ? `/${p.party}` : ''}\t${p.token}`).join('\n') + '\n', { mode: 0o600 });
  writeFileSync(file, JSON.stringify({ principals: hashed }, null, 2) + '\n', { mode: 0o644 });
  return { file, created: true };
}

if (require.main === module) {
  const folder = resolve(process.argv[2] ?? 'data/principals');
  const { file, created } = initPrincipals(folder);
  console.log(created ? `principals in ${file}; their tokens, once, in ${join(folder, 'tokens.txt')}` : `${file} exists; left as it is`);
  console.log(`the metrics scrape token (METRICS_TOKEN_FILE) in ${join(folder, 'metrics-token')}`);
}
