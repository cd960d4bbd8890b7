// Identity: every /api call carries `Authorization: Bearer <token>`; the principal it maps to is the
// actor recorded on every accepted command.
import type { Request, RequestHandler } from 'express';
import type { Principals } from '../config/principals';
import type { Command } from '../domain/access';
import { accessRefusal } from '../domain/access';
import type { Party } from '../domain/codes';
import type { Actor } from '../domain/project';
import { HttpError } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

export function authenticate(principals: Principals): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const actor = match?.[1] !== undefined ? principals.authenticate(match[1]) : undefined;
    if (!actor) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'unauthenticated', match ? 'unknown token' : 'missing header Authorization: Bearer <token>');
    }
    req.actor = actor;
    next();
  };
}

/** The caller, once allowed to perform `command` (403 otherwise). */
export function authorize(req: Request, command: Command, party?: Party): Actor {
  const actor = req.actor;
  if (!actor) throw new HttpError(401, 'unauthenticated', 'no identity');
  const refusal = accessRefusal(actor, command, party);
  if (refusal) throw new HttpError(403, 'forbidden', refusal);
  return actor;
}

/** The caller, when its role is one of `roles` (403 otherwise). */
export function authorizeRole(req: Request, roles: readonly string[], what: string): Actor {
  const actor = req.actor;
  if (!actor) throw new HttpError(401, 'unauthenticated', 'no identity');
  if (!roles.includes(actor.role)) throw new HttpError(403, 'forbidden', `role ${actor.role} may not ${what} (allowed: ${roles.join(', ')})`);
  return actor;
}
