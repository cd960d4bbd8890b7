// Who may reach what, as one table: every principal kind against every endpoint the app serves. The
// endpoints are read from the express app itself, so a new one without a row here fails this test.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type express from 'express';
import { devIdentities } from '../api/dev-sign-in';
import { DEV_PRINCIPALS_FILE } from '../config/principals';
import { apiCaller } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  // As npm start serves it: the console (a stand-in build: its routes, not its pages, are examined here)
  // and the development sign-in.
  const consoleDir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
  service = await startService('matrix', { devUtilityInbox: true, consoleDir, devIdentities: devIdentities(DEV_PRINCIPALS_FILE) });
});
afterAll(async () => {
  await service?.stop();
});
const call = apiCaller(() => service.port);

const KINDS = {
  anonymous: undefined,
  window: 'dev-window',
  admin: 'dev-admin',
  leader: 'dev-leader',
  // The fixture project is followed by agent-01, is industrial (no civil-defense) and asked for gas only.
  'agent-own': 'dev-agent',
  'agent-other': 'dev-agent-2',
  'reviewer-party': 'dev-planning',
  'reviewer-other': 'dev-civil-defense',
  'utility-party': 'dev-gas',
  'utility-other': 'dev-power',
} as const;
type Kind = keyof typeof KINDS;
const SIGNED_IN = (Object.keys(KINDS) as Kind[]).filter((k) => k !== 'anonymous');
const READERS: Kind[] = ['window', 'admin', 'leader', 'agent-own', 'reviewer-party', 'utility-party'];

interface Row {
  /** Who gets past authentication and authorisation (any answer but 401/403; never 5xx). */
  allowed: Kind[] | 'public';
  request: (project: string, kind: Kind) => { path: string; body?: unknown };
  /** Acts on the project: each kind gets a fresh one, so one kind's action does not change what the next meets. */
  acts?: true;
}

const registration = {
  name: '金山卫镇 工业厂房',
  applicant: { name: '上海金山卫某某制造有限公司', uscc: '91310000MA1FL4B24G' },
  category: 'industrial',
  locality: 'jinshanwei',
  utilities: ['gas'],
  agent: 'agent-01',
};
const p = (id: string, rest = '') => `/api/projects/${id}${rest}`;

const MATRIX: Record<string, Row> = {
  'GET /health': { allowed: 'public', request: () => ({ path: '/health' }) },
  'GET /api/openapi.json': { allowed: 'public', request: () => ({ path: '/api/openapi.json' }) },
  'GET /api/sign-in-options': { allowed: 'public', request: () => ({ path: '/api/sign-in-options' }) },
  // The console's built files (and index.html for its pages): public, as any web page is; it holds no data.
  'USE /assets': { allowed: 'public', request: () => ({ path: '/assets/missing.js' }) },
  'GET /api/me': { allowed: SIGNED_IN, request: () => ({ path: '/api/me' }) },
  'GET /api/agents': { allowed: SIGNED_IN.filter((k) => !k.startsWith('utility')), request: () => ({ path: '/api/agents' }) },
  // Development only (never mounted in production or with another principals file): the sign-in's identities.
  'GET /dev/principals': { allowed: 'public', request: () => ({ path: '/dev/principals' }) },
  'USE /api/docs': { allowed: 'public', request: () => ({ path: '/api/docs/' }) },
  'POST /api/projects': { allowed: ['window', 'admin'], request: () => ({ path: '/api/projects', body: registration }) },
  'GET /api/projects': { allowed: SIGNED_IN, request: () => ({ path: '/api/projects?limit=5' }) },
  'GET /api/projects/:id': { allowed: READERS, request: (id) => ({ path: p(id) }) },
  'POST /api/projects/:id/stages/:stage/application': { acts: true, allowed: ['window', 'admin'], request: (id) => ({ path: p(id, '/stages/design/application'), body: {} }) },
  'POST /api/projects/:id/stages/:stage/sign-offs': { acts: true,
    allowed: ['admin', 'reviewer-party', 'reviewer-other', 'utility-party', 'utility-other'],
    request: (id, kind) => ({
      path: p(id, '/stages/design/sign-offs'),
      body: kind === 'admin' ? { party: 'planning', decision: 'approve', proxy: { reference: '规划〔2026〕1号', reason: '书面意见代录' } } : { decision: 'approve' },
    }),
  },
  'POST /api/projects/:id/stages/:stage/supplements': { acts: true, allowed: ['window', 'admin'], request: (id) => ({ path: p(id, '/stages/design/supplements'), body: {} }) },
  'POST /api/projects/:id/withdrawal': { acts: true, allowed: ['window', 'admin'], request: (id) => ({ path: p(id, '/withdrawal'), body: { reason: '建设单位撤回' } }) },
  'PUT /api/projects/:id/agent': { acts: true, allowed: ['admin', 'agent-own'], request: (id) => ({ path: p(id, '/agent'), body: { agent: 'agent-02' } }) },
  'PUT /api/projects/:id/report-cadence': { acts: true, allowed: ['admin', 'agent-own'], request: (id) => ({ path: p(id, '/report-cadence'), body: { cadence: 'weekly' } }) },
  'POST /api/projects/:id/green-channel': { acts: true, allowed: ['admin'], request: (id) => ({ path: p(id, '/green-channel'), body: { agent: 'agent-01' } }) },
  'POST /api/projects/:id/pushes/:company/retry': { acts: true, allowed: ['admin'], request: (id) => ({ path: p(id, '/pushes/gas/retry'), body: { reason: '燃气公司接口已恢复' } }) },
  'POST /api/projects/:id/stages/:stage/reminders': { acts: true, allowed: ['admin'], request: (id) => ({ path: p(id, '/stages/design/reminders'), body: { reason: '已超期' } }) },
  // Not failing: an admin's reset by default is refused (409), which is past authorisation.
  'POST /api/operations/projects/:id/reset': { acts: true, allowed: ['admin'], request: (id) => ({ path: `/api/operations/projects/${id}/reset`, body: { reason: '重置' } }) },
  'POST /api/operations/batches': {
    acts: true,
    allowed: ['admin'],
    request: (id) => ({ path: '/api/operations/batches', body: { action: 'renotify', reason: '统一催办', max: 1, filter: { ids: [id] } } }),
  },
  'GET /api/operations/batches/:id': { allowed: ['admin', 'leader'], request: () => ({ path: '/api/operations/batches/operations-batch-none' }) },
  'GET /api/projects/:id/reports': { allowed: READERS, request: (id) => ({ path: p(id, '/reports') }) },
  'GET /api/projects/:id/escalations': { allowed: READERS, request: (id) => ({ path: p(id, '/escalations') }) },
  // The fixture is industrial: its civil-defense works are waived, and the civil-defense office (no party
  // to its stages) reads and assesses that item; nobody else assesses it, not even an admin.
  'GET /api/projects/:id/waivers': { allowed: [...READERS, 'reviewer-other'], request: (id) => ({ path: p(id, '/waivers') }) },
  'PUT /api/projects/:id/waivers/:item/assessment': { acts: true, allowed: ['reviewer-other'], request: (id) => ({ path: p(id, '/waivers/industrial-civil-defense-works/assessment'), body: { amount: 1000 } }) },
  'GET /api/waivers/stats': { allowed: ['leader', 'admin'], request: () => ({ path: '/api/waivers/stats?from=2026-01-01&to=2026-12-31' }) },
  'GET /api/projects/:id/audit': { allowed: ['admin', 'agent-own'], request: (id) => ({ path: p(id, '/audit') }) },
  // 集中开工 campaigns: read by those who plan or follow projects, written by admins (an unknown id is 404).
  'GET /api/campaigns': { allowed: ['window', 'admin', 'leader', 'agent-own', 'agent-other'], request: () => ({ path: '/api/campaigns' }) },
  'GET /api/campaigns/:id': { allowed: ['window', 'admin', 'leader', 'agent-own', 'agent-other'], request: () => ({ path: '/api/campaigns/00000000-0000-4000-8000-000000000000' }) },
  'POST /api/campaigns': { allowed: ['admin'], request: () => ({ path: '/api/campaigns', body: { name: '访问矩阵 集中开工', startDate: '2099-12-01' } }) },
  'PATCH /api/campaigns/:id': { allowed: ['admin'], request: () => ({ path: '/api/campaigns/00000000-0000-4000-8000-000000000000', body: { name: '改名' } }) },
  // Everyone signed in has an inbox of their own; a notice outside it is 404 (so these reach past 401/403).
  'GET /api/inbox': { allowed: SIGNED_IN, request: () => ({ path: '/api/inbox?limit=5' }) },
  'POST /api/inbox/:id/read': { allowed: SIGNED_IN, request: () => ({ path: '/api/inbox/999999999/read', body: {} }) },
  'POST /api/inbox/:id/acknowledge': { allowed: SIGNED_IN, request: () => ({ path: '/api/inbox/999999999/acknowledge', body: {} }) },
  'GET /api/calendar/working-days': { allowed: SIGNED_IN, request: () => ({ path: '/api/calendar/working-days?from=2026-01-01&to=2026-02-01' }) },
  'GET /api/calendar/deadline': { allowed: SIGNED_IN, request: () => ({ path: '/api/calendar/deadline?from=2026-01-01&days=5' }) },
  'GET /api/calendar/:year': { allowed: SIGNED_IN, request: () => ({ path: '/api/calendar/2026' }) },
  'PUT /api/calendar/:year': { allowed: ['admin'], request: () => ({ path: '/api/calendar/2094', body: { holidays: ['2094-01-01'], workdays: [] } }) },
  // A preview of text that is no notice (400 for an admin) and a year nothing loaded (404): nothing changes.
  'POST /api/calendar/:year/notice': { allowed: ['admin'], request: () => ({ path: '/api/calendar/2094/notice', body: { text: '明天开会', preview: true } }) },
  'DELETE /api/calendar/:year': { allowed: ['admin'], request: () => ({ path: '/api/calendar/2089' }) },
  'GET /api/audit/verify': { allowed: ['admin'], request: () => ({ path: '/api/audit/verify' }) },
  // Across projects: admins only (a project's agent reads its own project's entries above).
  'GET /api/audit': { allowed: ['admin'], request: (id) => ({ path: `/api/audit?project=${id}&limit=5` }) },
  // An admin's check; it reads the project's history and changes nothing, so the shared project serves every kind.
  'POST /api/operations/projects/:id/replay': { allowed: ['admin'], request: (id) => ({ path: `/api/operations/projects/${id}/replay`, body: {} }) },
  'GET /api/operations/stuck': { allowed: ['admin', 'leader'], request: () => ({ path: '/api/operations/stuck?locality=jinshanwei&limit=5' }) },
  // The fixture project runs, so an admin reaches a 409 (nothing to reconcile).
  'POST /api/operations/projects/:id/reconcile': { allowed: ['admin'], request: (id) => ({ path: `/api/operations/projects/${id}/reconcile`, body: { reason: '巡检' } }) },
  // Open to this machine's loopback (as here); from elsewhere it needs an admin token (test/audit-integrity).
  'GET /metrics': { allowed: 'public', request: () => ({ path: '/metrics' }) },
  'GET /api/directory': { allowed: ['admin', 'leader', 'window'], request: () => ({ path: '/api/directory' }) },
  'GET /api/directory/history': { allowed: ['admin'], request: () => ({ path: '/api/directory/history?limit=2' }) },
  // An empty post is refused (400, past authorisation): the shared directory is left as it is.
  'PUT /api/directory/posts/*post': { allowed: ['admin'], request: () => ({ path: '/api/directory/posts/locality:shanyang', body: { people: [] } }) },
  // A department's or company's own done list (已办): only parties have one.
  'GET /api/sign-offs': { allowed: ['reviewer-party', 'reviewer-other', 'utility-party', 'utility-other'], request: () => ({ path: '/api/sign-offs?limit=5' }) },
  'GET /api/stats': { allowed: SIGNED_IN, request: () => ({ path: '/api/stats?from=2026-01-01&to=2026-12-31' }) },
  'GET /api/escalations': { allowed: ['leader', 'admin'], request: () => ({ path: '/api/escalations?locality=jinshanwei&limit=5' }) },
  'GET /api/forecast': { allowed: ['leader', 'admin', 'agent-own', 'agent-other'], request: () => ({ path: '/api/forecast?locality=jinshanwei&limit=5' }) },
  // Development only (never mounted in production): the stand-in utility companies.
  // Pushes arrive without a token; reading needs one: a company reads its own entries.
  'GET /dev/utility-inbox': { allowed: ['window', 'admin', 'utility-party', 'utility-other'], request: () => ({ path: '/dev/utility-inbox' }) },
  'POST /dev/utility-inbox/:company': { allowed: 'public', request: () => ({ path: '/dev/utility-inbox/gas', body: { probe: true } }) },
};

interface RouterLayer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
}

/** Every endpoint the app serves, as 'METHOD /path', read from express's own router. */
function endpoints(app: express.Express): string[] {
  const found: string[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      const path = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${prefix}${layer.route.path === '/' && prefix ? '' : layer.route.path}`);
      } else if (layer.handle.stack) walk(layer.handle.stack, prefix + path);
      else if (path && prefix + path !== '/api') found.push(`USE ${prefix}${path}`);
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return [...new Set(found)].sort();
}

test('every endpoint the app serves has a row in the access matrix, and every row an endpoint', () => {
  expect(endpoints(service.app)).toEqual(Object.keys(MATRIX).sort());
});

/** A project in design review, as the rows find it. */
async function fixtureProject(): Promise<string> {
  const created = await call('POST', '/api/projects', 'dev-window', registration);
  await call('POST', p(created.body.id, '/stages/design/application'), 'dev-window', {});
  return created.body.id as string;
}

let shared: string;
beforeAll(async () => {
  shared = await fixtureProject();
});

test.each(Object.entries(MATRIX))('%s: each kind of principal reaches it only as the table says', async (route, row) => {
  const method = route.split(' ')[0] as string;
  const verb = method === 'USE' ? 'GET' : method;
  const kinds = Object.keys(KINDS) as Kind[];
  const answers = await Promise.all(
    kinds.map(async (kind) => {
      const { path, body } = row.request(row.acts ? await fixtureProject() : shared, kind);
      return call(verb, path, KINDS[kind], body);
    }),
  );
  const outcomes = Object.fromEntries(answers.map((res, i) => [kinds[i], res.status >= 500 ? `error ${res.status}` : res.status === 401 ? 'unauthenticated' : res.status === 403 ? 'forbidden' : 'reached']));
  const expected = Object.fromEntries(
    kinds.map((kind) => [kind, row.allowed === 'public' || row.allowed.includes(kind) ? 'reached' : kind === 'anonymous' ? 'unauthenticated' : 'forbidden']),
  );
  expect(outcomes).toEqual(expected);
});
