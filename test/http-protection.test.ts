// What guards the HTTP surface before a request reaches a project: rate limits and the registration quota
// (small limits configured in each test's own app), security headers that still let the Swagger UI
// work, CORS closed unless configured, and the development utility inbox authenticated and bounded.
import { randomUUID } from 'node:crypto';
import { rateLimitsFrom } from '../api/rate-limits';
import { loadConfig } from '../config/env';
import { startApp } from './support/app';

const registration = {
  name: '亭林镇 小型仓库',
  applicant: { name: '上海亭林某某物流有限公司', uscc: '91350100M000100Y43' },
  category: 'small',
  locality: 'tinglin',
  utilities: ['power'],
};

test('past the per-address limit: 429 with Retry-After and the error body', async () => {
  const app = await startApp('limits-address', { limits: { windowSeconds: 60, perAddress: 3, perPrincipal: 100, registrationsPerHour: 100 } });
  try {
    for (let i = 0; i < 3; i++) expect((await app.call('GET', '/health')).status).toBe(200);
    const refused = await app.call('GET', '/api/projects', 'dev-window');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'rate-limited', message: expect.stringMatching(/^more than 3 requests from this address in 60 s; retry after \d+ s$/) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-policy')).toMatch(/^"per-address"; q=3; w=60/);
  } finally {
    await app.stop();
  }
});

test('past the per-principal limit: that caller is refused, another is not', async () => {
  const app = await startApp('limits-principal', { limits: { windowSeconds: 60, perAddress: 100, perPrincipal: 2, registrationsPerHour: 100 } });
  try {
    expect((await app.call('GET', '/api/projects', 'dev-leader')).status).toBe(200);
    expect((await app.call('GET', '/api/projects', 'dev-leader')).status).toBe(200);
    const refused = await app.call('GET', '/api/projects', 'dev-leader');
    expect(refused).toMatchObject({ status: 429, body: { error: 'rate-limited', message: expect.stringMatching(/^more than 2 requests by this caller in 60 s/) } });
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await app.call('GET', '/api/projects', 'dev-window')).status).toBe(200);
  } finally {
    await app.stop();
  }
});

test('the registration quota counts registrations made, per caller', async () => {
  const app = await startApp('limits-registrations', { limits: { windowSeconds: 60, perAddress: 100, perPrincipal: 100, registrationsPerHour: 2 } });
  const started: string[] = [];
  try {
    // A refused registration does not count.
    expect((await app.call('POST', '/api/projects', 'dev-window', { ...registration, category: 'villa' })).status).toBe(400);
    for (let i = 0; i < 2; i++) {
      const made = await app.call('POST', '/api/projects', 'dev-window', { ...registration, name: `亭林镇 仓库 ${randomUUID()}` });
      expect(made.status).toBe(201);
      started.push(made.body.workflowId);
    }
    const refused = await app.call('POST', '/api/projects', 'dev-window', registration);
    expect(refused).toMatchObject({ status: 429, body: { error: 'rate-limited', message: expect.stringMatching(/^more than 2 project registrations by this caller in 3600 s/) } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    // Another caller has its own quota, and reading is not registering.
    const admin = await app.call('POST', '/api/projects', 'dev-admin', registration);
    expect(admin.status).toBe(201);
    started.push(admin.body.workflowId);
    expect((await app.call('GET', '/api/projects', 'dev-window')).status).toBe(200);
  } finally {
    // No worker serves this app's task queue: end the projects it started.
    await Promise.all(started.map((id) => app.client.workflow.getHandle(id).terminate('test over')));
    await app.stop();
  }
});

test('security headers are set, and the API docs still load their own scripts and styles', async () => {
  const app = await startApp('headers');
  try {
    const api = await app.call('GET', '/api/projects', 'dev-leader');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('x-frame-options')).toBe('DENY');
    expect(api.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(api.headers.get('referrer-policy')).toBe('no-referrer');
    expect(api.headers.get('x-powered-by')).toBeNull();
    const csp = api.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');

    const docs = await app.call('GET', '/api/docs/');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toBe(csp);
    const html = docs.body as string;
    // Every script is a file of this origin (script-src 'self' allows no inline script), every stylesheet too.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const [, attributes, inline] of scripts) {
      expect(inline!.trim()).toBe('');
      expect(attributes).toMatch(/src="\.\/[\w.-]+\.js"/);
    }
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['./swagger-ui.css', './swagger-ui-bundle.js', './swagger-ui-init.js']));
    for (const asset of assets) {
      const url = new URL(asset, `${app.url}/api/docs/`);
      expect(url.origin).toBe(app.url);
      const res = await fetch(url);
      expect(`${asset} ${res.status}`).toBe(`${asset} 200`);
      const type = res.headers.get('content-type') ?? '';
      if (asset.endsWith('.js')) expect(type).toMatch(/javascript/);
      if (asset.endsWith('.css')) expect(type).toMatch(/text\/css/);
      await res.arrayBuffer();
    }
    // The document the page shows is inlined in its own script, so no fetch elsewhere is needed.
    const init = await (await fetch(`${app.url}/api/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('"/api/projects"');
  } finally {
    await app.stop();
  }
});

test('CORS: no Access-Control header unless origins are configured, then for those origins only', async () => {
  const closed = await startApp('cors-closed');
  const open = await startApp('cors-open', { corsOrigins: ['https://console.district.example'] });
  try {
    const origin = { origin: 'https://console.district.example' };
    const plain = await closed.call('GET', '/api/projects', 'dev-leader', undefined, origin);
    expect(plain.status).toBe(200);
    expect([...plain.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const preflight = await fetch(`${closed.url}/api/projects`, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const allowed = await open.call('GET', '/api/projects', 'dev-leader', undefined, origin);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.district.example');
    const allowedPreflight = await fetch(`${open.url}/api/projects`, {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
    });
    expect(allowedPreflight.status).toBe(204);
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe('https://console.district.example');
    expect(allowedPreflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type,idempotency-key');
    const stranger = await open.call('GET', '/api/projects', 'dev-leader', undefined, { origin: 'https://evil.example' });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await closed.stop();
    await open.stop();
  }
});

test('the development utility inbox needs a token, shows a company only its own entries, and keeps the latest', async () => {
  const app = await startApp('dev-inbox', { devUtilityInbox: true });
  try {
    const push = (company: string, key: string) =>
      app.call('POST', `/dev/utility-inbox/${company}`, undefined, { project: { key } }, { 'idempotency-key': key });
    for (let i = 1; i <= 1_005; i++) expect((await push(i % 2 ? 'power' : 'gas', `p-${i}`)).body.received).toBe(true);
    expect((await push('gas', 'p-1004')).body.duplicate).toBe(true);

    expect(await app.call('GET', '/dev/utility-inbox')).toMatchObject({ status: 401, body: { error: 'unauthenticated' } });
    expect(await app.call('GET', '/dev/utility-inbox', 'dev-leader')).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    // Bounded: the 1,000 latest kept, the 5 oldest dropped; newest first, a page at a time.
    const first = await app.call('GET', '/dev/utility-inbox?limit=400', 'dev-window');
    expect(first.body).toMatchObject({ capacity: 1_000, dropped: 5, next: { before: 606 } });
    expect(first.body.received.map((r: { key: string }) => r.key).slice(0, 2)).toEqual(['p-1005', 'p-1004']);
    expect(first.body.received).toHaveLength(400);
    const last = await app.call('GET', '/dev/utility-inbox?limit=1000&before=606', 'dev-admin');
    expect(last.body.received).toHaveLength(600);
    expect(last.body.received.at(-1).key).toBe('p-6');
    expect(last.body.next).toBeUndefined();
    expect((await app.call('GET', '/dev/utility-inbox?limit=1001', 'dev-admin')).body.issues[0].path).toBe('query.limit');
    // A utility company reads its own entries only.
    const gas = await app.call('GET', '/dev/utility-inbox?limit=1000', 'dev-gas');
    expect(gas.body.received).toHaveLength(500);
    expect(gas.body.received.every((r: { company: string }) => r.company === 'gas')).toBe(true);
    expect((await app.call('GET', '/dev/utility-inbox?company=power', 'dev-gas')).status).toBe(403);
  } finally {
    await app.stop();
  }
});

test('their configuration is validated at start-up, naming the variable', () => {
  const base = { NODE_ENV: 'test' };
  const config = loadConfig({ ...base, CORS_ORIGINS: 'https://console.district.example, http://localhost:5173', TRUST_PROXY: '1', RATE_LIMIT_PER_ADDRESS: '50' });
  expect(config).toMatchObject({ CORS_ORIGINS: ['https://console.district.example', 'http://localhost:5173'], TRUST_PROXY: 1, RATE_LIMIT_PER_ADDRESS: 50 });
  expect(rateLimitsFrom(loadConfig(base))).toEqual({ windowSeconds: 60, perAddress: 1200, perPrincipal: 600, registrationsPerHour: 200 });
  expect(loadConfig(base).CORS_ORIGINS).toEqual([]);
  expect(() => loadConfig({ ...base, CORS_ORIGINS: 'https://console.district.example/' })).toThrow(/CORS_ORIGINS: https:\/\/console\.district\.example\/ is not an origin/);
  expect(() => loadConfig({ ...base, CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS: \* is not an origin/);
  expect(() => loadConfig({ ...base, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true would trust any X-Forwarded-For/);
  expect(() => loadConfig({ ...base, REGISTRATIONS_PER_HOUR: '0' })).toThrow(/REGISTRATIONS_PER_HOUR/);
  expect(() => loadConfig({ ...base, OIDC_ISSUER: 'https://login.district.example' })).toThrow(/OIDC_ISSUER and OIDC_AUDIENCE go together/);
  expect(() => loadConfig({ ...base, OIDC_ISSUER: 'not a url', OIDC_AUDIENCE: 'one-window' })).toThrow(/OIDC_ISSUER/);
  expect(() => loadConfig({ NODE_ENV: 'production', LIAISONS_FILE: 'l', UTILITY_ENDPOINTS_FILE: 'u', DATABASE_URL: 'postgres://x', OIDC_ISSUER: 'http://login.district.example', OIDC_AUDIENCE: 'one-window' })).toThrow(
    /OIDC_ISSUER must be https/,
  );
});
