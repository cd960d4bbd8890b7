// Idempotency-Key: a client that retries a request with the same key gets it applied once. The key is
// bound to the caller, the route and the body, so reusing a key for a different request never swallows
// that request; it is simply a new one.
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import type { Actor } from '../domain/project';
import { parse } from './errors';

const header = z.object({ 'idempotency-key': z.string().trim().min(1).max(255).optional() });

/** A stable digest of (caller, route, key, body), or undefined when the request carries no key. */
export function requestDigest(req: Request, by: Actor, body: unknown): string | undefined {
  const { 'idempotency-key': key } = parse(header, { 'idempotency-key': req.get('idempotency-key') }, 'headers');
  if (key === undefined) return undefined;
  return createHash('sha256')
    // Express matches routes whatever their letter case; the key is bound to the route, not its spelling.
    .update(JSON.stringify([by.id, req.method, (req.baseUrl + req.path).toLowerCase(), key, body]))
    .digest('hex');
}

/** A UUID (version 8: custom) derived from a digest, so a retried registration names the same project. */
export function uuidFrom(digest: string): string {
  const hex = digest.slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
