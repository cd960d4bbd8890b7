// Production identity: bearer JWTs from the district's identity provider (a real local OIDC server), the
// static hashed tokens of machine callers with rotation, and the public development tokens refused in
// production.
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { generateKeyPair } from 'jose';
import { createOidcVerifier, type OidcOptions } from '../config/oidc';
import { loadPrincipals, sha256 } from '../config/principals';
import { startApp } from './support/app';
import { startIdentityProvider } from './support/oidc-provider';
import { tempFile } from './support/temporal';

const AUDIENCE = 'one-window-api';
const claims = { id: 'sub', name: 'name', role: 'one_window_role', party: 'one_window_party', locality: 'one_window_locality' };

let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
let api: Awaited<ReturnType<typeof startApp>>;
const options = (): OidcOptions => ({ issuer: idp.issuer, audience: AUDIENCE, clockSkewSeconds: 60, claims, requireHttps: false });

beforeAll(async () => {
  idp = await startIdentityProvider(AUDIENCE);
  api = await startApp('identity', { oidc: createOidcVerifier(options()) });
});

afterAll(async () => {
  await api?.stop();
  await idp?.stop();
});

/** Who the API takes the caller for: the refusal of an action names the role and id it saw. */
const whoAmI = (token: string) => api.call('GET', '/api/projects?limit=1', token);

test('a token from the identity provider is accepted and its claims become the principal', async () => {
  const reviewer = await idp.token({ sub: 'zhang.wei', name: '张伟', one_window_role: 'reviewer', one_window_party: 'planning', one_window_locality: 'zhujing' });
  expect((await whoAmI(reviewer)).status).toBe(200);
  // The mapped principal is the one the access rules see: a planning reviewer may not register.
  const refused = await api.call('POST', '/api/projects', reviewer, {});
  expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden', message: expect.stringMatching(/^role reviewer may not register/) } });
  // The id comes from the configured claim: a planning reviewer signing for water is refused by name.
  const other = await api.call('POST', '/api/projects/5b0c4f0e-8f7a-4b9e-9d55-0a1c2b3d4e5f/stages/design/sign-offs', reviewer, { party: 'water', decision: 'approve' });
  expect(other).toMatchObject({ status: 403, body: { message: 'zhang.wei signs for planning only, not for water' } });
  // Discovery and the key set were fetched from the provider, once.
  expect(idp.requests.filter((r) => r === '/.well-known/openid-configuration')).toHaveLength(1);
  expect(idp.requests).toContain('/jwks');
  // Static tokens keep working beside it.
  expect((await whoAmI('dev-leader')).status).toBe(200);
});

test('a token is refused with the reason: wrong issuer, wrong audience, expired beyond the skew, forged, no expiry', async () => {
  const person = { sub: 'li.na', one_window_role: 'window' };
  const refusal = async (token: string) => {
    const res = await whoAmI(token);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('unauthenticated');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    return res.body.message as string;
  };
  expect(await refusal(await idp.token(person, { issuer: 'https://elsewhere.example' }))).toBe(`token issuer "https://elsewhere.example" is not the configured issuer ${idp.issuer}`);
  expect(await refusal(await idp.token(person, { audience: 'another-app' }))).toBe(`token audience "another-app" does not include ${AUDIENCE}`);
  expect(await refusal(await idp.token(person, { expiresIn: -120 }))).toMatch(/^token expired at \d{4}-\d\d-\d\dT.* \(clock skew allowed: 60 s\)$/);
  const { privateKey: forger } = await generateKeyPair('ES256');
  expect(await refusal(await idp.token(person, { key: forger }))).toBe("token signature does not verify with the identity provider's keys");
  expect(await refusal(await idp.token(person, { key: forger, kid: 'unknown-key' }))).toBe("no key of the identity provider matches the token's key id");
  expect(await refusal(await idp.token(person, { noExpiry: true }))).toBe('token has no expiry (exp)');
  // Within the allowed skew, a token just past its expiry is still accepted.
  expect((await whoAmI(await idp.token(person, { expiresIn: -20 }))).status).toBe(200);
  // A bearer token shaped like a JWT but not one.
  expect(await refusal('abc.def.ghi')).toMatch(/^malformed token/);
});

test('claims that do not make a principal are refused naming the claim, never a 500', async () => {
  const refusal = async (payload: Record<string, unknown>) => {
    const res = await whoAmI(await idp.token(payload));
    expect(res.status).toBe(401);
    return res.body.message as string;
  };
  expect(await refusal({ sub: 'x', one_window_role: 'clerk' })).toMatch(/^token claim one_window_role \(role\) is not acceptable: .*window.*\(got "clerk"\)$/);
  expect(await refusal({ sub: 'x' })).toMatch(/^token claim one_window_role \(role\) is not acceptable: .*\(got missing\)$/);
  expect(await refusal({ sub: 'x', one_window_role: 'reviewer', one_window_party: 'bakery' })).toMatch(/^token claim one_window_party \(party\) is not acceptable: .*\(got "bakery"\)$/);
  expect(await refusal({ sub: 'x', one_window_role: 'reviewer' })).toBe('token claim one_window_party (party) is not acceptable: a reviewer needs a party (got missing)');
  expect(await refusal({ sub: 'x', one_window_role: 'utility', one_window_party: 'planning' })).toMatch(/^token claim one_window_party \(party\) is not acceptable: a utility principal belongs to a utility company/);
  expect(await refusal({ one_window_role: 'window' })).toMatch(/^token claim sub \(id\) is not acceptable: .*\(got missing\)$/);
  expect(await refusal({ sub: 'x', one_window_role: 'window', one_window_locality: 'atlantis' })).toMatch(/^token claim one_window_locality \(locality\) is not acceptable: .*\(got "atlantis"\)$/);
  expect(await refusal({ sub: 'x', one_window_role: ['window'] })).toMatch(/^token claim one_window_role \(role\) is not acceptable: .*\(got object\)$/);
});

test('the claim names are configurable', async () => {
  const verifier = createOidcVerifier({ ...options(), claims: { id: 'preferred_username', name: 'display', role: 'https://district.example/role', party: 'dept', locality: 'town' } });
  const token = await idp.token({ sub: 'opaque-1', preferred_username: 'wang.lei', display: '王磊', 'https://district.example/role': 'agent', town: 'shanyang' });
  expect(await verifier.verify(token)).toEqual({ identity: { actor: { id: 'wang.lei', name: '王磊', role: 'agent' }, locality: 'shanyang' } });
});

test('an unreachable identity provider is a 503 for token holders, not a 401 and not a 500', async () => {
  const closed = createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const { port } = closed.address() as AddressInfo;
  closed.close();
  await once(closed, 'close');
  const unreachable = await startApp('identity-down', { oidc: createOidcVerifier({ ...options(), issuer: `http://127.0.0.1:${port}`, timeoutMs: 1_000 }) });
  try {
    const res = await unreachable.call('GET', '/api/projects', await idp.token({ sub: 'x', one_window_role: 'window' }));
    expect(res).toMatchObject({ status: 503, body: { error: 'identity-provider-unavailable' } });
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await unreachable.call('GET', '/api/projects', 'dev-window')).status).toBe(200);
  } finally {
    await unreachable.stop();
  }
});

test('a discovery document naming another issuer is not trusted', async () => {
  const verifier = createOidcVerifier({ ...options(), issuer: `${idp.issuer}/` });
  await expect(verifier.discover()).rejects.toThrow(`names issuer ${idp.issuer}, not OIDC_ISSUER ${idp.issuer}/`);
});

test('without an identity provider configured a JWT is an unknown token, said so', async () => {
  const plain = await startApp('identity-static');
  try {
    const res = await plain.call('GET', '/api/projects', await idp.token({ sub: 'x', one_window_role: 'window' }));
    expect(res).toMatchObject({ status: 401, body: { message: 'unknown token (a JWT, but no identity provider is configured: OIDC_ISSUER)' } });
  } finally {
    await plain.stop();
  }
});

test('a static token is rotated: the old one until its notAfter, the new one at once', async () => {
  const file = tempFile('principals.json');
  const retire = '2031-03-01T00:00:00+08:00';
  writeFileSync(
    file,
    JSON.stringify({
      principals: [
        { id: 'utility-power', role: 'utility', party: 'power', tokenSha256: [{ sha256: sha256('power-old-token'), notAfter: retire }, sha256('power-new-token')] },
        { id: 'agent-07', role: 'agent', name: '代办员 (signs in at the identity provider)' },
      ],
    }),
  );
  let now = Date.parse('2031-02-28T12:00:00+08:00');
  const principals = loadPrincipals({ NODE_ENV: 'production', PRINCIPALS_FILE: file }, { now: () => now });
  const rotating = await startApp('identity-rotation', { principals });
  try {
    const inbox = (token: string) => rotating.call('GET', '/api/projects?limit=1', token);
    expect((await inbox('power-old-token')).status).toBe(200);
    expect((await inbox('power-new-token')).status).toBe(200);
    now = Date.parse(retire) + 1;
    expect(await inbox('power-old-token')).toMatchObject({ status: 401, body: { message: `token retired at ${retire}; use its replacement` } });
    expect((await inbox('power-new-token')).status).toBe(200);
    // A principal without a token is known by id (e.g. an agent who signs in at the identity provider).
    expect(principals.find('agent-07')).toEqual({ id: 'agent-07', role: 'agent', name: '代办员 (signs in at the identity provider)' });
  } finally {
    await rotating.stop();
  }
});

test('an agent who signs in at the identity provider is assigned by the id listed in the principals file', async () => {
  const file = tempFile('principals.json');
  writeFileSync(file, JSON.stringify({ principals: [{ id: 'agent-07', role: 'agent', name: '代办员 赵强' }, { id: 'machine-window', role: 'window', tokenSha256: sha256('a-window-machine-token') }] }));
  const app = await startApp('identity-agents', { principals: loadPrincipals({ NODE_ENV: 'production', PRINCIPALS_FILE: file }), oidc: createOidcVerifier(options()) });
  const registration = {
    name: '枫泾镇 小型仓库',
    applicant: { name: '上海枫泾某某物流有限公司', uscc: '91350100M000100Y43' },
    category: 'small',
    locality: 'fengjing',
    utilities: ['power'],
  };
  try {
    const window = await idp.token({ sub: 'window.zhou', one_window_role: 'window' });
    const unknown = await app.call('POST', '/api/projects', window, { ...registration, agent: 'agent-99' });
    expect(unknown).toMatchObject({ status: 400, body: { issues: [{ path: 'body.agent', message: 'no agent with id agent-99' }] } });
    const made = await app.call('POST', '/api/projects', window, { ...registration, agent: 'agent-07' });
    expect(made.status).toBe(201);
    const handle = app.client.workflow.getHandle(made.body.workflowId);
    try {
      expect((await handle.describe()).status.name).toBe('RUNNING');
    } finally {
      await handle.terminate('test over');
    }
    // The listed agent still has no static token: it signs in at the provider only.
    expect((await app.call('GET', '/api/projects?agent=me', await idp.token({ sub: 'agent-07', one_window_role: 'agent' }))).status).toBe(200);
  } finally {
    await app.stop();
  }
});

test('a principals file is checked strictly: misspelt keys, bad notAfter, shared tokens', () => {
  const load = (principals: unknown[]) => {
    const file = tempFile('principals.json');
    writeFileSync(file, JSON.stringify({ principals }));
    return () => loadPrincipals({ NODE_ENV: 'production', PRINCIPALS_FILE: file });
  };
  const hash = sha256('a-company-token');
  expect(load([{ id: 'u', role: 'utility', party: 'gas', tokenSha256: [{ sha256: hash, notafter: '2031-01-01T00:00:00Z' }] }])).toThrow(/principals\.0\.tokenSha256/);
  expect(load([{ id: 'u', role: 'utility', party: 'gas', tokenSha256: [{ sha256: hash, notAfter: 'next spring' }] }])).toThrow(/must be an ISO time/);
  expect(load([{ id: 'u', role: 'utility', party: 'gas', tokenSHA256: hash }])).toThrow(/principals\.0: Unrecognized key: "tokenSHA256"/);
  expect(load([{ id: 'u', role: 'utility', party: 'gas', tokenSha256: hash }, { id: 'v', role: 'utility', party: 'telecom', tokenSha256: [hash] }])).toThrow('two principals share a token (u and v)');
  expect(load([{ id: 'u', role: 'window', tokenSha256: hash }, { id: 'u', role: 'admin', tokenSha256: [sha256('another-token')] }])).toThrow('two principals share the id u');
});

test('production refuses the public development tokens, hashed as in config/principals.example.json', () => {
  const example = require.resolve('../config/principals.example.json');
  expect(() => loadPrincipals({ NODE_ENV: 'production', PRINCIPALS_FILE: example })).toThrow(
    /window-01 uses a development token published in this repository .* refusing to start with NODE_ENV=production\. Issue new tokens/,
  );
  // One public token among real ones is enough to refuse.
  const file = tempFile('principals.json');
  writeFileSync(file, JSON.stringify({ principals: [{ id: 'utility-gas', role: 'utility', party: 'gas', tokenSha256: [sha256('a-real-secret-token'), sha256('dev-gas')] }] }));
  expect(() => loadPrincipals({ NODE_ENV: 'production', PRINCIPALS_FILE: file })).toThrow(/utility-gas uses a development token/);
  // Outside production the example file is what docker-compose-like setups try out.
  expect(loadPrincipals({ NODE_ENV: 'development', PRINCIPALS_FILE: example }).authenticate('dev-window')).toMatchObject({ id: 'window-01' });
});
