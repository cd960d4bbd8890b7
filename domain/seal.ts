// The command seal: the API signs every command it sends to a project's workflow (who, which workflow,
// which message, its arguments, when) with Ed25519, and the workflow verifies the seal before accepting.
// Whoever can reach Temporal's frontend but not the API's private key cannot act on a project. Pure and
// deterministic (noble's Ed25519 is plain JavaScript), so workflow code can use it in validators.
import { ed25519 } from '@noble/curves/ed25519';
import { bytesToNumberLE, concatBytes } from '@noble/curves/utils';
import { sha512 } from '@noble/hashes/sha2';

/** The Temporal header that carries the seal. */
export const SEAL_HEADER = 'one-window-seal';

/** How far a seal's time may be from the workflow's clock when it is checked (clock skew, a worker that
 *  was briefly down). A seal copied out of history is useless after this. */
export const SEAL_MAX_AGE_MS = 15 * 60 * 1000;

export interface Seal {
  /** Which signing key (its id in the verifier's key set): keys rotate. */
  kid: string;
  /** When the API signed, epoch ms. */
  at: number;
  /** Ed25519 signature over sealMessage(...), base64. */
  sig: string;
}

export interface SealedCommand {
  /** 'start' for a registration, 'update' for a human action, 'held' for one held for a stuck project
   *  (workflows/messages.ts heldCommand): its own kind, so no Update's seal passes for a held command. */
  kind: 'start' | 'update' | 'held';
  workflowId: string;
  /** The workflow type for a start, the Update's name otherwise. */
  name: string;
  /** The Update's id (Temporal deduplicates it), or the workflow id for a start. */
  id: string;
  args: unknown[];
  at: number;
}

/** JSON with object keys sorted, so both sides serialise the same value to the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The exact bytes that are signed. */
export function sealMessage(c: SealedCommand): Uint8Array {
  const text = canonicalJson(['one-window/v1', c.kind, c.workflowId, c.name, c.id, c.at, c.args]);
  // UTF-8 by hand: TextEncoder is not something workflow code should lean on.
  const bytes: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(bytes);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = B64.indexOf(ch === '-' ? '+' : ch === '_' ? '/' : ch);
    if (v < 0) throw new Error('not base64');
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Public keys by id: raw 32-byte Ed25519 keys, base64. */
export type SealKeySet = Record<string, string>;

/** Whether `sig` is the Ed25519 signature of `message` by `publicKey` (raw 32 bytes); may throw on a
 *  malformed signature or key. */
export type SignatureCheck = (sig: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

const { Point } = ed25519;
type EdPoint = InstanceType<typeof Point>;
type KeyPoint = { A: EdPoint; encoded: Uint8Array };

/** Trusted keys as curve points with their multiples precomputed, by key. Only keys of the worker's key
 *  set reach it, so it stays as small as that set; with the seal module loaded once per worker thread
 *  (worker/bundle.ts), each key is prepared once per thread. */
const keyPoints = new Map<string, KeyPoint>();

function keyPoint(publicKey: Uint8Array): KeyPoint {
  const id = publicKey.join(',');
  let key = keyPoints.get(id);
  if (!key) {
    // A 4-bit window: 512 points to keep, and [k]A — the costly part of a check — about 3.5× faster.
    const A = Point.fromBytes(publicKey, true).precompute(4, false);
    key = { A, encoded: A.toBytes() };
    keyPoints.set(id, key);
  }
  return key;
}

/**
 * noble's, in plain JavaScript: the one workflow code can run (outside a workflow, Node's own is far
 * cheaper: temporal/command-seal.ts `nativeSignatureCheck`). It is noble's `ed25519.verify` with its
 * default options (ZIP-215: [8][S]B = [8]R + [8][k]A), step by step, except that the public key's point
 * comes from `keyPoints`: noble decodes the key afresh on every call, and a fresh point has no table,
 * so [k]A cost about 0.8 ms of every Update's 1.1 ms check.
 */
export const nobleCheck: SignatureCheck = (sig, message, publicKey) => {
  if (sig.length !== 64 || publicKey.length !== 32) return false;
  let key: KeyPoint;
  let R: EdPoint;
  let SB: EdPoint;
  try {
    key = keyPoint(publicKey);
    R = Point.fromBytes(sig.subarray(0, 32), true);
    SB = Point.BASE.multiplyUnsafe(bytesToNumberLE(sig.subarray(32))); // refuses S ≥ L
  } catch {
    return false;
  }
  // Hashed as noble hashes them: R and A as they encode again (ZIP-215 accepts non-canonical encodings).
  const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(R.toBytes(), key.encoded, message))));
  return R.add(key.A.multiplyUnsafe(k)).subtract(SB).clearCofactor().is0();
};

/** Why the seal does not authorise the command, or null when it does. */
export function sealProblem(keys: SealKeySet, seal: Seal | undefined, command: Omit<SealedCommand, 'at'>, now?: number, check: SignatureCheck = nobleCheck): string | null {
  if (!seal || typeof seal !== 'object' || typeof seal.kid !== 'string' || typeof seal.sig !== 'string' || typeof seal.at !== 'number') {
    return 'the command carries no seal: only the one-window API may act on a project';
  }
  const key = keys[seal.kid];
  if (key === undefined) return `the command is sealed with an unknown key (${seal.kid})`;
  if (now !== undefined && Math.abs(now - seal.at) > SEAL_MAX_AGE_MS) return 'the command seal has expired';
  try {
    if (check(fromBase64(seal.sig), sealMessage({ ...command, at: seal.at }), fromBase64(key))) return null;
  } catch {
    // malformed signature or key: refused below
  }
  return 'the command seal does not match the command';
}
