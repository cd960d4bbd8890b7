// A real local HTTP server acting as the district's identity provider: OIDC discovery and a JWKS with
// keys from jose's generateKeyPair, and a signer for the tokens it would issue.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface TokenOptions {
  issuer?: string;
  audience?: string | string[];
  /** Seconds from now; negative for a token that has expired. */
  expiresIn?: number;
  /** Sign with this key instead of the provider's (a forged token). */
  key?: CryptoKey;
  kid?: string;
  /** Leave the expiry out. */
  noExpiry?: boolean;
}

export async function startIdentityProvider(audience: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'district-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const requests: string[] = [];
  let issuer = '';
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') return json({ issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['ES256'] });
    if (req.url === '/jwks') return json({ keys: [jwk] });
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    audience,
    requests,
    /** A token as the provider would issue it, with `claims`, unless options say otherwise. */
    async token(claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? kid, typ: 'JWT' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt(now - 5);
      if (!options.noExpiry) jwt.setExpirationTime(now + (options.expiresIn ?? 300));
      return jwt.sign(options.key ?? privateKey);
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
