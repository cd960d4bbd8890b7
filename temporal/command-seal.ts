// Keys and the client side of the command seal (see domain/seal.ts): the API's Temporal client signs every
// workflow start and Update with the private key; workers verify with the public keys.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client, type Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { SEAL_HEADER, sealMessage, type Seal, type SealKeySet, type SealedCommand, type SignatureCheck } from '../domain/seal';
import { heldCommand, type HeldCommand } from '../workflows/messages';
import { clientTracing } from '../tracing/temporal';

export interface SealSigner {
  kid: string;
  privateKey: KeyObject;
}

/** A raw Ed25519 public key (base64) from a KeyObject, and the id it is known by. */
function rawPublic(key: KeyObject): { kid: string; raw: string } {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('command seal keys must be Ed25519');
  const raw = Buffer.from(jwk.x, 'base64url');
  return { kid: createHash('sha256').update(raw).digest('hex').slice(0, 16), raw: raw.toString('base64') };
}

export function signerFromPem(pem: string): SealSigner {
  const privateKey = createPrivateKey(pem);
  return { kid: rawPublic(createPublicKey(privateKey)).kid, privateKey };
}

export function keySetOf(...keys: KeyObject[]): SealKeySet {
  return Object.fromEntries(keys.map((k) => rawPublic(k)).map(({ kid, raw }) => [kid, raw]));
}

/** Every PEM public (or private) key in a file: a worker trusts several during a rotation. */
export function keySetFromPem(text: string): SealKeySet {
  const blocks = text.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no PEM key found');
  return keySetOf(...blocks.map((b) => createPublicKey(b)));
}

export function generateSealKeys(): { signer: SealSigner; keys: SealKeySet; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signer: { kid: rawPublic(publicKey).kid, privateKey }, keys: keySetOf(publicKey), pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/** Development: one key pair kept in the data folder, created on first start, shared by the processes. */
export function developmentSealKey(file: string): { signer: SealSigner; keys: SealKeySet } {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, generateSealKeys().pem, { mode: 0o600, flag: 'wx' });
  }
  const signer = signerFromPem(readFileSync(file, 'utf8'));
  return { signer, keys: keySetOf(createPublicKey(signer.privateKey)) };
}

const publicKeys = new Map<string, KeyObject>();

/** The seal's check with Node's Ed25519 (OpenSSL), for the worker's activities: a registration's or a
 *  held command's seal. Workflow code cannot reach it and uses noble's, about 1.5 ms a check. */
export const nativeSignatureCheck: SignatureCheck = (sig, message, publicKey) => {
  const x = Buffer.from(publicKey).toString('base64url');
  let key = publicKeys.get(x);
  if (!key) publicKeys.set(x, (key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' })));
  return verify(null, message, key, sig);
};

export function sealCommand(signer: SealSigner, command: Omit<SealedCommand, 'at'>, at: number): Seal {
  const sig = sign(null, sealMessage({ ...command, at }), signer.privateKey).toString('base64');
  return { kid: signer.kid, at, sig };
}

/**
 * Signs every start and Update the client sends. `clock` is the time the workflow will compare the seal
 * with: the wall clock, or a time-skipping test server's clock.
 */
export function commandSealInterceptor(signer: SealSigner, clock: () => number | Promise<number> = Date.now): WorkflowClientInterceptor {
  const header = (seal: Seal) => defaultPayloadConverter.toPayload(seal);
  return {
    async start(input, next) {
      const { workflowId } = input.options;
      const seal = sealCommand(signer, { kind: 'start', workflowId, name: input.workflowType, id: workflowId, args: input.options.args ?? [] }, await clock());
      return next({ ...input, headers: { ...input.headers, [SEAL_HEADER]: header(seal) } });
    },
    async startUpdate(input, next) {
      // The Update's id is part of what is signed, so it is fixed here rather than by the SDK later.
      const updateId = input.options.updateId ?? randomUUID();
      const command = { kind: 'update' as const, workflowId: input.workflowExecution.workflowId, name: input.updateName, id: updateId, args: input.args };
      const seal = sealCommand(signer, command, await clock());
      return next({ ...input, options: { ...input.options, updateId }, headers: { ...input.headers, [SEAL_HEADER]: header(seal) } });
    },
    async signal(input, next) {
      // A held command (workflows/messages.ts) is sealed over the Update it stands for, as held.
      const held = input.signalName === heldCommand.name ? (input.args[0] as Partial<HeldCommand> | undefined) : undefined;
      if (!held || typeof held.name !== 'string' || typeof held.updateId !== 'string') return next(input);
      const command = { kind: 'held' as const, workflowId: input.workflowExecution.workflowId, name: held.name, id: held.updateId, args: [held.input] };
      return next({ ...input, headers: { ...input.headers, [SEAL_HEADER]: header(sealCommand(signer, command, await clock())) } });
    },
  };
}

/** The client the API acts through: every command it sends is sealed, and carries the caller's trace. */
export function sealedClient(connection: Connection, namespace: string, signer: SealSigner): Client {
  return new Client({ connection, namespace, interceptors: { workflow: [clientTracing(), commandSealInterceptor(signer)] } });
}
