// People sign in at the district's identity provider and send its JWT as their bearer token. The provider
// is found by OIDC discovery (OIDC_ISSUER → /.well-known/openid-configuration → jwks_uri); its keys are
// fetched and rotated by jose. A token must carry this API's audience, the provider's issuer and an
// expiry; its claims (names configurable) give the principal, checked by the same zod schema as the
// principals file, so an unknown role or party is refused with the claim named, never a 500.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { LOCALITIES, type Locality } from '../domain/codes';
import type { Actor } from '../domain/project';
import { principal } from '../domain/schemas';
import type { Config } from './env';

/** Asymmetric algorithms only: a provider's public keys never verify an HMAC-signed token. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface OidcClaims {
  id: string;
  name: string;
  role: string;
  party: string;
  locality: string;
}

export interface OidcOptions {
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  claims: OidcClaims;
  /** Refuse a discovery document or key set served over plain HTTP (production). */
  requireHttps: boolean;
  /** One discovery or key-set request. */
  timeoutMs?: number;
}

/** Who a verified token names. The locality (属地) is carried for rules scoped to a town; none use it yet. */
export interface Identity {
  actor: Actor;
  locality?: Locality;
}

export type OidcResult = { identity: Identity } | { refused: string };

/** The provider could not be asked (unreachable, or its discovery document is wrong): not the caller's fault. */
export class IdentityProviderUnavailable extends Error {}

export interface OidcVerifier {
  readonly issuer: string;
  /** This API's audience: also the console's client id at the provider (its tokens are for this API). */
  readonly audience: string;
  verify(jwt: string): Promise<OidcResult>;
  /** Runs discovery now (at start-up, to log a misconfiguration early); verify() retries it if it failed. */
  discover(): Promise<void>;
}

export function oidcOptions(config: Config): OidcOptions | undefined {
  if (config.OIDC_ISSUER === undefined || config.OIDC_AUDIENCE === undefined) return undefined;
  return {
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    clockSkewSeconds: config.OIDC_CLOCK_SKEW_SECONDS,
    claims: {
      id: config.OIDC_ID_CLAIM,
      name: config.OIDC_NAME_CLAIM,
      role: config.OIDC_ROLE_CLAIM,
      party: config.OIDC_PARTY_CLAIM,
      locality: config.OIDC_LOCALITY_CLAIM,
    },
    requireHttps: config.NODE_ENV === 'production',
  };
}

const discoveryDocument = z.object({ issuer: z.string(), jwks_uri: z.url() }).loose();
const locality = z.enum(LOCALITIES);
/** After a failed discovery, requests are answered 503 for this long before the provider is asked again. */
const RETRY_DISCOVERY_MS = 5_000;

/** A claim's value as the caller may see it in a refusal: strings quoted and cut short. */
const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v) : typeof v === 'undefined' ? 'missing' : typeof v);

export function createOidcVerifier(options: OidcOptions): OidcVerifier {
  const { issuer, audience, clockSkewSeconds, claims, requireHttps, timeoutMs = 5_000 } = options;
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  let failedAt = 0;

  async function fetchKeys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let body: unknown;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = await res.json();
    } catch (err) {
      throw new IdentityProviderUnavailable(`OIDC discovery at ${url} failed: ${(err as Error).message}`);
    }
    const doc = discoveryDocument.safeParse(body);
    if (!doc.success) throw new IdentityProviderUnavailable(`OIDC discovery at ${url}: no valid issuer and jwks_uri`);
    // OpenID Connect Discovery 1.0 §4.3: the document must name exactly the issuer it was fetched for.
    if (doc.data.issuer !== issuer) throw new IdentityProviderUnavailable(`OIDC discovery at ${url} names issuer ${doc.data.issuer}, not OIDC_ISSUER ${issuer}`);
    const jwksUri = new URL(doc.data.jwks_uri);
    if (requireHttps && jwksUri.protocol !== 'https:') throw new IdentityProviderUnavailable(`OIDC jwks_uri ${jwksUri.href} is not https`);
    return createRemoteJWKSet(jwksUri, { timeoutDuration: timeoutMs });
  }

  function jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (keys === undefined && Date.now() - failedAt < RETRY_DISCOVERY_MS) {
      return Promise.reject(new IdentityProviderUnavailable(`OIDC discovery for ${issuer} failed moments ago; retrying shortly`));
    }
    keys ??= fetchKeys().catch((err: unknown) => {
      keys = undefined;
      failedAt = Date.now();
      throw err;
    });
    return keys;
  }

  /** Why jose refused a token, in words a caller can act on; undefined when the provider was not reachable. */
  function refusal(err: unknown): string | undefined {
    if (err instanceof errors.JWTExpired) {
      const exp = typeof err.payload.exp === 'number' ? new Date(err.payload.exp * 1000).toISOString() : 'unknown';
      return `token expired at ${exp} (clock skew allowed: ${clockSkewSeconds} s)`;
    }
    if (err instanceof errors.JWTClaimValidationFailed) {
      const p = err.payload;
      if (err.claim === 'iss') return `token issuer ${shown(p.iss)} is not the configured issuer ${issuer}`;
      if (err.claim === 'aud') return `token audience ${shown(Array.isArray(p.aud) ? p.aud.join(' ') : p.aud)} does not include ${audience}`;
      if (err.claim === 'exp') return 'token has no expiry (exp)';
      if (err.claim === 'nbf') return `token not valid before ${typeof p.nbf === 'number' ? new Date(p.nbf * 1000).toISOString() : shown(p.nbf)}`;
      return `token claim ${err.claim}: ${err.message}`;
    }
    if (err instanceof errors.JWSSignatureVerificationFailed) return "token signature does not verify with the identity provider's keys";
    if (err instanceof errors.JWKSNoMatchingKey) return "no key of the identity provider matches the token's key id";
    if (err instanceof errors.JOSEAlgNotAllowed) return `token algorithm not accepted (allowed: ${ALGORITHMS.join(', ')})`;
    if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported) return `malformed token: ${err.message}`;
    return undefined;
  }

  /** The principal the claims name, or which claim is wrong. */
  function identityOf(payload: JWTPayload): OidcResult {
    const value = (claim: string): unknown => payload[claim];
    const fields = { id: claims.id, name: claims.name, role: claims.role, party: claims.party } as const;
    const candidate = Object.fromEntries(
      Object.entries(fields)
        .map(([field, claim]) => [field, value(claim)])
        .filter(([, v]) => v !== undefined && v !== null),
    );
    const parsed = principal.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? 'role') as keyof typeof fields;
      const claim = fields[field] ?? claims.role;
      return { refused: `token claim ${claim} (${field}) is not acceptable: ${issue.message} (got ${shown(value(claim))})` };
    }
    const town = value(claims.locality);
    const place = town === undefined || town === null ? undefined : locality.safeParse(town);
    if (place && !place.success) return { refused: `token claim ${claims.locality} (locality) is not acceptable: ${place.error.issues[0]!.message} (got ${shown(town)})` };
    const { id, role, name, party } = parsed.data;
    const actor: Actor = { id, role, ...(name && { name }), ...(party && { party }) };
    return { identity: { actor, ...(place?.data && { locality: place.data }) } };
  }

  return {
    issuer,
    audience,
    async discover() {
      await jwks();
    },
    async verify(jwt) {
      const keySet = await jwks();
      try {
        const { payload } = await jwtVerify(jwt, keySet, { issuer, audience, clockTolerance: clockSkewSeconds, algorithms: ALGORITHMS, requiredClaims: ['exp'] });
        return identityOf(payload);
      } catch (err) {
        const reason = refusal(err);
        if (reason !== undefined) return { refused: reason };
        throw new IdentityProviderUnavailable(`could not verify a token with ${issuer}'s keys: ${(err as Error).message}`);
      }
    },
  };
}
