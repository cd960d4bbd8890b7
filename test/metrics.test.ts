// /metrics as a scraper reads it, against the suite's dev server and record: how long each route took, by
// its pattern and status, and the business gauges — open projects by stage and light, stuck cases by
// kind, notices still being delivered (here a mail server that refuses keeps them pending).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import pino from 'pino';
import { createApp } from '../api/app';
import { listen } from '../api/listen';
import { loadPrincipals } from '../config/principals';
import { DEFAULT_POLICY } from '../domain/policy';
import { apiCaller, registerProject } from './support/http';
import { eventually } from './support/eventually';
import { startService } from './support/service';
import { startSmtpServer } from './support/smtp';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  smtp = await startSmtpServer({ accepting: false });
  service = await startService('metrics', { channels: { mailer: smtp.mailer() } });
});

afterAll(async () => {
  await service?.stop();
  await smtp?.stop();
});

const call = apiCaller(() => service.port);
/** The value of one series on the page, or undefined when it is not there. */
const sample = (page: string, series: string): number | undefined => {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
const scrape = async () => (await call('GET', '/metrics')).body as string;

test('/metrics times each route by its pattern and status, and counts open projects by stage and light, stuck cases and notices pending delivery', async () => {
  const id = await registerProject(call, { name: '金山卫镇 指标测试' }, { design: true });
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'maybe' })).status).toBe(400);

  const page = await eventually(scrape, (p) => (sample(p, 'one_window_open_projects{stage="design",light="green"}') ?? 0) >= 1);
  // Routes by pattern, never by id; a refusal under its own status.
  expect(sample(page, 'one_window_http_request_duration_seconds_count{method="POST",route="/api/projects/:id/stages/:stage/application",status="200"}')).toBeGreaterThanOrEqual(1);
  expect(sample(page, 'one_window_http_request_duration_seconds_count{method="POST",route="/api/projects/:id/stages/:stage/sign-offs",status="400"}')).toBeGreaterThanOrEqual(1);
  expect(sample(page, 'one_window_http_request_duration_seconds_count{method="POST",route="/api/projects",status="201"}')).toBeGreaterThanOrEqual(1);
  expect(page).not.toContain(id);
  // The open projects the record counts, as the record has them.
  const active = await service.db.selectFrom('projects').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow();
  const gauged = page
    .split('\n')
    .filter((l) => l.startsWith('one_window_open_projects{'))
    .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
  expect(gauged).toBeGreaterThan(0);
  expect(gauged).toBeLessThanOrEqual(Number(active.n) + 50);
  expect(page).toContain('# TYPE one_window_stuck_cases gauge');
  // The three liaisons' e-mails wait for the mail server: pending delivery.
  const pending = await eventually(scrape, (p) => (sample(p, 'one_window_notices_pending_delivery') ?? 0) >= 1);
  expect(sample(pending, 'one_window_notices_pending_delivery')).toBeGreaterThanOrEqual(1);
  smtp.accept();
}, 60_000);

test("in one process (npm start) /metrics carries the worker's Temporal SDK metrics, and says so when they do not answer", async () => {
  // A stand-in for the runtime's exporter: a real HTTP server with the SDK's page.
  const exporter = createServer((_req, res) => res.end('# TYPE temporal_num_pollers gauge\ntemporal_num_pollers{task_queue="q"} 2\n'));
  exporter.listen(0, '127.0.0.1');
  await once(exporter, 'listening');
  const url = `http://127.0.0.1:${(exporter.address() as AddressInfo).port}/metrics`;
  const principals = loadPrincipals({ NODE_ENV: 'test', PRINCIPALS_FILE: undefined });
  const app = await listen(createApp({ client: service.client, taskQueue: service.taskQueue, principals, policy: DEFAULT_POLICY, db: service.db, logger: pino({ level: 'silent' }), sdkMetricsUrl: url }), 0, '127.0.0.1');
  try {
    const page = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();
    expect(page).toContain('# TYPE one_window_open_projects gauge');
    expect(sample(page, 'temporal_num_pollers{task_queue="q"}')).toBe(2);
    exporter.close();
    await once(exporter, 'close');
    const without = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();
    expect(without).toContain(`# the Temporal SDK's metrics at ${url} did not answer`);
    expect(without).toContain('# TYPE one_window_open_projects gauge');
  } finally {
    exporter.close();
    await app.close();
  }
});

test('from another machine /metrics takes the scrape token (METRICS_TOKEN_FILE), which opens nothing else, or an admin token', async () => {
  // Reached over this machine's own network address, the request does not come from loopback.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  expect(external).toBeDefined();
  const scrapeToken = 'scrape-token-0123456789abcdef';
  const principals = loadPrincipals({ NODE_ENV: 'test', PRINCIPALS_FILE: undefined });
  const app = await listen(
    createApp({ client: service.client, taskQueue: service.taskQueue, principals, policy: DEFAULT_POLICY, db: service.db, logger: pino({ level: 'silent' }), metricsScrapeToken: scrapeToken }),
    0,
    external as string,
  );
  const at = (path: string, token?: string) => fetch(`http://${external}:${app.port}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  try {
    expect((await at('/metrics')).status).toBe(401);
    expect((await at('/metrics', 'dev-window')).status).toBe(403);
    expect((await at('/metrics', 'wrong-token-0123456789abcdef')).status).toBe(401);
    const scraped = await at('/metrics', scrapeToken);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('# TYPE one_window_open_projects gauge');
    expect((await at('/metrics', 'dev-admin')).status).toBe(200);
    // The scrape token is no principal: the API refuses it.
    expect((await at('/api/projects', scrapeToken)).status).toBe(401);
  } finally {
    await app.close();
  }
});
