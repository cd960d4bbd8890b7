// Identity: every /api call carries `Authorization: Bearer <token>`; the principal it maps to is the
// actor recorded on every accepted command. A JWT (three dot-separated parts) is verified with the
// district's identity provider when OIDC_ISSUER is set; any other token is looked up among the static,
// hashed tokens of the principals file (machine callers such as the utility companies; development).
import type { Request, RequestHandler, Response } from 'express';
import { IdentityProviderUnavailable, type OidcVerifier } from '../config/oidc';
import type { Principals } from '../config/principals';
import type { Command } from '../domain/access';
import { accessRefusal } from '../domain/access';
import type { Locality, Party } from '../domain/codes';
import type { Actor } from '../domain/project';
import { HttpError } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    /** The caller's locality (属地), when its identity provider says so. */
    locality?: Locality;
  }
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

function refuse(res: Response, message: string, invalidToken = true): never {
  // The reason is in the body; the header carries no caller-supplied text.
  res.set('WWW-Authenticate', invalidToken ? 'Bearer error="invalid_token"' : 'Bearer');
  throw new HttpError(401, 'unauthenticated', message);
}

export function authenticate(principals: Principals, oidc?: OidcVerifier): RequestHandler {
  return async (req, res, next) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    if (token === undefined) refuse(res, 'missing header Authorization: Bearer <token>', false);
    const jwt = JWT_SHAPE.test(token);
    if (jwt && oidc) {
      let result;
      try {
        result = await oidc.verify(token);
      } catch (err) {
        if (!(err instanceof IdentityProviderUnavailable)) throw err;
        req.log?.error({ err }, 'identity provider unavailable');
        res.set('Retry-After', '5');
        throw new HttpError(503, 'identity-provider-unavailable', `cannot verify the token now: the identity provider ${oidc.issuer} did not answer as expected; retry shortly`);
      }
      if ('refused' in result) refuse(res, result.refused);
      req.actor = result.identity.actor;
      if (result.identity.locality) req.locality = result.identity.locality;
      return next();
    }
    const check = principals.check(token);
    if (check === undefined) refuse(res, jwt ? 'unknown token (a JWT, but no identity provider is configured: OIDC_ISSUER)' : 'unknown token');
    if ('refused' in check) refuse(res, check.refused);
    req.actor = check.actor;
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
