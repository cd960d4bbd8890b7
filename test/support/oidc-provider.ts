// A real local HTTP server acting as the district's identity provider: OIDC discovery and a JWKS with
// keys from jose's generateKeyPair, a signer for the tokens it would issue, and — for the console's
// sign-in — a login page and the authorization code flow with PKCE (S256) for the users it is given.
import { createHash, randomUUID } from 'node:crypto';
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

/** Reads a form body (application/x-www-form-urlencoded). */
async function formOf(req: import('node:http').IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return new URLSearchParams(text);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `users`: who may sign in at the login page, by user name, with the claims their tokens carry. */
export async function startIdentityProvider(audience: string, { users = {} }: { users?: Record<string, JWTPayload> } = {}) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = 'district-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const requests: string[] = [];
  let issuer = '';
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; claims: JWTPayload }>();
  const sign = (claims: JWTPayload, aud: string) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).setIssuer(issuer).setAudience(aud).setIssuedAt(now - 5).setExpirationTime(now + 300).sign(privateKey);
  };
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    // A browser app reads discovery and redeems its code from another origin.
    res.setHeader('access-control-allow-origin', '*');
    const json = (body: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json({
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['ES256'],
      });
    }
    if (url.pathname === '/jwks') return json({ keys: [jwk] });
    if (url.pathname === '/authorize' && req.method === 'GET') {
      // The provider's own login page: the request's parameters ride along in hidden fields.
      const hidden = [...url.searchParams].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
      return res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><html lang="zh-CN"><title>统一身份认证</title><main><h1>统一身份认证</h1><form method="post" action="/authorize">${hidden}<label>用户名 <input name="username"></label><button type="submit">登录</button></form></main></html>`);
    }
    if (url.pathname === '/authorize' && req.method === 'POST') {
      void formOf(req).then((form) => {
        const claims = users[form.get('username') ?? ''];
        if (!claims) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><p role="alert">用户名或密码错误</p>');
        if (form.get('response_type') !== 'code' || form.get('code_challenge_method') !== 'S256' || !form.get('code_challenge')) return json({ error: 'invalid_request' }, 400);
        const code = randomUUID();
        codes.set(code, { clientId: form.get('client_id') ?? '', redirectUri: form.get('redirect_uri') ?? '', challenge: form.get('code_challenge') ?? '', claims });
        const back = new URL(form.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', form.get('state') ?? '');
        res.writeHead(302, { location: back.toString() }).end();
      });
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      void formOf(req).then(async (form) => {
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const proof = createHash('sha256').update(verifier).digest('base64url');
        if (!grant || grant.clientId !== form.get('client_id') || grant.redirectUri !== form.get('redirect_uri') || proof !== grant.challenge) return json({ error: 'invalid_grant' }, 400);
        // The access token is for this API (its audience); the ID token for the console (its client id).
        json({ token_type: 'Bearer', expires_in: 300, access_token: await sign(grant.claims, audience), id_token: await sign(grant.claims, grant.clientId) });
      });
      return;
    }
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
