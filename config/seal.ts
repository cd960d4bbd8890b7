// The command seal's keys from configuration: the API needs the private key (SEAL_PRIVATE_KEY_FILE), a
// worker the public keys it trusts (SEAL_PUBLIC_KEYS_FILE, several during a rotation). In development,
// without either, one key pair is made on first start and kept in the data folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SealKeySet } from '../domain/seal';
import { developmentSealKey, keySetFromPem, signerFromPem, type SealSigner } from '../temporal/command-seal';
import type { Config } from './env';

type SealConfig = Pick<Config, 'NODE_ENV' | 'SEAL_PRIVATE_KEY_FILE' | 'SEAL_PUBLIC_KEYS_FILE' | 'dataDir'>;

function read(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${name}: cannot read ${path}: ${(err as Error).message}`);
  }
}

/** The API's signer. */
export function loadSealSigner(config: SealConfig): SealSigner {
  if (config.SEAL_PRIVATE_KEY_FILE !== undefined) return signerFromPem(read('SEAL_PRIVATE_KEY_FILE', config.SEAL_PRIVATE_KEY_FILE));
  if (config.NODE_ENV === 'production') throw new Error('SEAL_PRIVATE_KEY_FILE is required when NODE_ENV=production (the API seals every command)');
  return developmentSealKey(join(config.dataDir, 'seal-key.pem')).signer;
}

/** The public keys a worker trusts. */
export function loadSealKeys(config: SealConfig): SealKeySet {
  if (config.SEAL_PUBLIC_KEYS_FILE !== undefined) return keySetFromPem(read('SEAL_PUBLIC_KEYS_FILE', config.SEAL_PUBLIC_KEYS_FILE));
  if (config.NODE_ENV === 'production') throw new Error('SEAL_PUBLIC_KEYS_FILE is required when NODE_ENV=production (workers verify every command)');
  return developmentSealKey(join(config.dataDir, 'seal-key.pem')).keys;
}
