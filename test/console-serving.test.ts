// The console as the API serves it (api/console.ts): its files, index.html for its client-side routes,
// and nothing of /api, /dev, /health or /metrics taken over; the signed-in principal (GET /api/me) and
// the development sign-in's identities (GET /dev/principals), only where they belong.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devIdentities, devSignInFor } from '../api/dev-sign-in';
import { DEV_PRINCIPALS_FILE } from '../config/principals';
import { startApp } from './support/app';

const consoleDir = mkdtempSync(join(tmpdir(), 'console-'));
mkdirSync(join(consoleDir, 'assets'));
writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>一口受理工作台</title>');
writeFileSync(join(consoleDir, 'assets', 'index-abc123.js'), 'console.log(1)');

let app: Awaited<ReturnType<typeof startApp>>;
let bare: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  [app, bare] = await Promise.all([startApp('console-serving', { consoleDir, devIdentities: devIdentities(DEV_PRINCIPALS_FILE) }), startApp('console-bare')]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), bare?.stop()]);
});

const get = (path: string, headers: Record<string, string> = { accept: 'text/html' }, on = app) => fetch(`${on.url}${path}`, { headers });

test('the console answers its own pages with index.html, never cached, under the content security policy', async () => {
  for (const path of ['/', '/sign-in', '/projects/9b2f3c1e-0000-4000-8000-000000000000', '/worklist']) {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('一口受理工作台');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  }
  const asset = await get('/assets/index-abc123.js', {});
  expect(asset.status).toBe(200);
  expect(asset.headers.get('cache-control')).toContain('immutable');
});

test('a missing file, /api, /dev and other methods are not the console', async () => {
  expect((await get('/assets/missing.js', {})).status).toBe(404);
  expect((await get('/favicon.ico')).status).toBe(404);
  const api = await get('/api/nothing-here');
  expect(api.status).toBe(401);
  const dev = await get('/dev/nothing-here');
  expect(dev.status).toBe(404);
  expect(await dev.json()).toMatchObject({ error: 'not-found' });
  const post = await fetch(`${app.url}/projects`, { method: 'POST', headers: { accept: 'text/html' } });
  expect(post.status).toBe(404);
  // Without a console, / is an ordinary 404.
  expect((await get('/', { accept: 'text/html' }, bare)).status).toBe(404);
});

test('GET /api/me names the principal the token belongs to; no token, 401', async () => {
  expect((await app.call('GET', '/api/me', 'dev-planning')).body).toEqual({ id: 'reviewer-planning', role: 'reviewer', name: '区规划资源局 审批员', party: 'planning' });
  expect((await app.call('GET', '/api/me', 'dev-window')).body).toEqual({ id: 'window-01', role: 'window', name: '综合窗口 张敏' });
  expect((await app.call('GET', '/api/me')).status).toBe(401);
});

test('the development identities are offered only by a development service on the development principals', async () => {
  const { body } = await app.call('GET', '/dev/principals');
  expect(body.identities).toContainEqual({ token: 'dev-window', id: 'window-01', name: '综合窗口 张敏', role: 'window' });
  expect(body.identities).toContainEqual({ token: 'dev-gas', id: expect.any(String), name: expect.any(String), role: 'utility', party: 'gas' });
  expect((await bare.call('GET', '/dev/principals')).status).toBe(404);
  expect(devSignInFor({ NODE_ENV: 'development', PRINCIPALS_FILE: undefined })?.length).toBe(body.identities.length);
  expect(devSignInFor({ NODE_ENV: 'production', PRINCIPALS_FILE: undefined })).toBeUndefined();
  expect(devSignInFor({ NODE_ENV: 'development', PRINCIPALS_FILE: '/etc/one-window/principals.json' })).toBeUndefined();
});
