// `npm run seal-keygen -- <folder>`: makes the command seal's key pair (Ed25519) in a folder, unless one
// is there already: seal-private.pem for the API (SEAL_PRIVATE_KEY_FILE), seal-public.pem for the
// workers (SEAL_PUBLIC_KEYS_FILE; during a rotation, append the new public key and deploy workers first).
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSealKeys } from '../temporal/command-seal';

function main(): void {
  const folder = resolve(process.argv[2] ?? 'data/seal');
  mkdirSync(folder, { recursive: true });
  const privateFile = join(folder, 'seal-private.pem');
  const publicFile = join(folder, 'seal-public.pem');
  if (!existsSync(privateFile)) writeFileSync(privateFile, generateSealKeys().pem, { mode: 0o600 });
  const publicPem = createPublicKey(readFileSync(privateFile, 'utf8')).export({ format: 'pem', type: 'spki' }).toString();
  if (!existsSync(publicFile)) writeFileSync(publicFile, publicPem, { mode: 0o644 });
  console.log(`command seal keys in ${folder}: ${privateFile} (API), ${publicFile} (workers)`);
}

main();
