// Browser-facing protections: security headers (helmet) and CORS, closed unless origins are configured.
import cors from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from '../config/env';
import { createOidcVerifier, oidcOptions } from '../config/oidc';
import type { AppDeps } from './app';
import { rateLimitsFrom } from './rate-limits';

/**
 * helmet's headers with a Content-Security-Policy that the Swagger UI at /api/docs works under: its
 * scripts and styles are served from this origin (swagger-ui-express, no CDN); its page has inline
 * <style> blocks and data: images. upgrade-insecure-requests is left out: the API is served over plain
 * HTTP on loopback in development, where Safari would upgrade the docs' own assets to https and fail.
 */
export function securityHeaders({ identityProvider }: { identityProvider?: string } = {}): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        // The console signs in at the identity provider: it reads its discovery document and redeems the code there.
        connectSrc: ["'self'", ...(identityProvider ? [new URL(identityProvider).origin] : [])],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
  });
}

/** CORS for the configured origins only; none configured, no Access-Control-* header is ever sent. */
export function corsFor(origins: readonly string[]): RequestHandler | undefined {
  if (origins.length === 0) return undefined;
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
    exposedHeaders: ['location', 'retry-after', 'ratelimit', 'ratelimit-policy'],
    maxAge: 600,
  });
}

/** What createApp needs from the configuration to authenticate and protect; starts OIDC discovery. */
export function securityOptions(config: Config, logger: Logger): Pick<AppDeps, 'oidc' | 'limits' | 'corsOrigins' | 'trustProxy'> {
  const options = oidcOptions(config);
  const oidc = options && createOidcVerifier(options);
  // Discovery now only to log a misconfigured or unreachable provider at start; requests retry it.
  oidc?.discover().then(
    () => logger.info({ issuer: oidc.issuer }, 'OIDC identity provider discovered'),
    (err: unknown) => logger.error({ err }, 'OIDC discovery failed; bearer JWTs are answered 503 until it succeeds'),
  );
  return { ...(oidc && { oidc }), limits: rateLimitsFrom(config), corsOrigins: config.CORS_ORIGINS, trustProxy: config.TRUST_PROXY };
}
