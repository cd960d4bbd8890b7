// Rate limits: per client address (before anything else, so a flood costs no token check and no audit
// write), per principal (after authentication), and a registration quota per principal. Refusals are
// 429 with Retry-After and the service's error body. The counters are kept in this process's memory:
// with several API instances behind a load balancer each counts on its own, so the effective limit is
// multiplied by the number of instances; a shared store (express-rate-limit's Store interface, e.g.
// Redis) is needed for exact limits there.
import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import type { Config } from '../config/env';
import { HttpError } from './errors';

export interface RateLimits {
  windowSeconds: number;
  perAddress: number;
  perPrincipal: number;
  registrationsPerHour: number;
}

export const rateLimitsFrom = (config: Config): RateLimits => ({
  windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
  perAddress: config.RATE_LIMIT_PER_ADDRESS,
  perPrincipal: config.RATE_LIMIT_PER_PRINCIPAL,
  registrationsPerHour: config.REGISTRATIONS_PER_HOUR,
});

function limiter(name: string, limit: number, windowSeconds: number, what: string, extra: Partial<Options> = {}): RequestHandler {
  return rateLimit({
    windowMs: windowSeconds * 1000,
    limit,
    identifier: name,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // express-rate-limit has set Retry-After by now; the answer goes through the error handler like any other.
    handler: (_req, res, next) => {
      next(new HttpError(429, 'rate-limited', `more than ${limit} ${what} in ${windowSeconds} s; retry after ${String(res.getHeader('retry-after'))} s`));
    },
    ...extra,
  });
}

export function perAddressLimit(limits: RateLimits): RequestHandler {
  return limiter('per-address', limits.perAddress, limits.windowSeconds, 'requests from this address');
}

const principalKey = (req: Request): string => {
  if (!req.actor) throw new HttpError(401, 'unauthenticated', 'no identity');
  return req.actor.id;
};

/** After authenticate(): counts by principal id, whichever address the caller comes from. */
export function perPrincipalLimit(limits: RateLimits): RequestHandler {
  return limiter('per-principal', limits.perPrincipal, limits.windowSeconds, 'requests by this caller', { keyGenerator: principalKey });
}

/** Registrations per principal per hour; a refused registration (4xx) does not count. */
export function registrationQuota(limits: RateLimits): RequestHandler {
  return limiter('registrations', limits.registrationsPerHour, 3600, 'project registrations by this caller', { keyGenerator: principalKey, skipFailedRequests: true });
}
