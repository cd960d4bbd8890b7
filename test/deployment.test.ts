// docker-compose.yml and the Dockerfile are for users (no Docker engine here): checked as text, so they
// keep pointing at what the build really produces.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadLiaisons } from '../config/liaisons';
import { ROOT, loadConfig } from '../config/env';
import { loadUtilityEndpoints } from '../config/utility-endpoints';
import { UTILITIES } from '../domain/codes';
import { loadPrincipals } from '../config/principals';
import { initPrincipals } from '../scripts/principals-init';
import { registerBusinessMetrics } from '../api/business-metrics';
import { createMetrics } from '../api/metrics';

// Compose applies YAML merge keys (<<:), as the file uses for the shared service settings.
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'));
const baseConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));

test('compose runs Temporal on PostgreSQL, its UI, and our worker and API against that Temporal', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['api', 'grafana', 'jaeger', 'mailpit', 'postgresql', 'prometheus', 'record-db', 'seal-keys', 'temporal', 'temporal-ui', 'utility-stand-in', 'worker']);
  // E-mails go to the local mail catcher, whose UI only this machine reaches.
  expect(compose.services.worker.environment.SMTP_URL).toBe('smtp://mailpit:1025');
  expect(compose.services.mailpit.ports).toEqual(['127.0.0.1:8025:8025']);
  // Temporal's front door trusts whoever reaches it: only this host's loopback may.
  expect(compose.services.temporal.ports).toEqual(['127.0.0.1:7233:7233']);
  expect(compose.services['temporal-ui'].ports).toEqual(['127.0.0.1:8080:8080']);
  // The API seals commands with the private key the seal-keys service made; the worker verifies with the public one.
  const keygen = compose.services['seal-keys'];
  const steps = (keygen.command[2] as string).split(' && ').map((step) => step.split(' '));
  expect(steps.map(([, script]) => existsSync(join(ROOT, (script as string).replace(/^dist\//, '').replace(/\.js$/, '.ts'))))).toEqual([true, true]);
  const keysAt = steps[0]?.[2] as string;
  expect(keygen.volumes).toEqual([`seal-keys:${keysAt}`]);
  for (const name of ['worker', 'api']) {
    expect(compose.services[name].volumes).toContain(`seal-keys:${keysAt}:ro`);
    expect(compose.services[name].depends_on['seal-keys']).toEqual({ condition: 'service_completed_successfully' });
  }
  expect(compose.services.api.environment.SEAL_PRIVATE_KEY_FILE).toBe(`${keysAt}/seal-private.pem`);
  expect(compose.services.worker.environment.SEAL_PUBLIC_KEYS_FILE).toBe(`${keysAt}/seal-public.pem`);
  expect(compose.services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  for (const name of ['worker', 'api']) {
    const service = compose.services[name];
    expect(service.build).toBe('.');
    expect(service.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', NODE_ENV: 'production' });
    // The record lives in its own database, which the service waits for.
    const { POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB } = compose.services['record-db'].environment;
    expect(service.environment.DATABASE_URL).toBe(`postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@record-db:5432/${POSTGRES_DB}`);
    expect(service.depends_on['record-db']).toEqual({ condition: 'service_healthy' });
    // The command runs a file the TypeScript build emits from a source that exists.
    const [node, script] = service.command;
    expect(node).toBe('node');
    expect(existsSync(join(ROOT, script.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    // In production the API refuses the public development tokens: it reads the principals made at first start.
    expect(service.environment.PRINCIPALS_FILE).toBe(`${compose.services['seal-keys'].volumes[0].split(':')[1]}/principals.json`);
    // Production requires the liaison directory and the companies' endpoints; both must load.
    expect(() => loadLiaisons(join(ROOT, service.environment.LIAISONS_FILE.replace('/app/', '')))).not.toThrow();
    const endpoints = loadUtilityEndpoints({ PORT: 3000, UTILITY_ENDPOINTS_FILE: join(ROOT, service.environment.UTILITY_ENDPOINTS_FILE.replace('/app/', '')) });
    expect(Object.keys(endpoints).sort()).toEqual([...UTILITIES].sort());
    expect(() => loadConfig(Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, String(v)])))).not.toThrow();
  }
  // The pushes go to the stand-in on the compose network; nothing unauthenticated is published.
  const standIn = compose.services['utility-stand-in'];
  expect(standIn.ports).toBeUndefined();
  expect(existsSync(join(ROOT, standIn.command[1].replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
  const endpoints = JSON.parse(readFileSync(join(ROOT, 'config', 'utility-endpoints.compose.json'), 'utf8'));
  expect(Object.values(endpoints).every((url) => String(url).startsWith(`http://utility-stand-in:${standIn.environment.PORT}/`))).toBe(true);
  expect(compose.services.api.environment.DEV_UTILITY_INBOX).toBeUndefined();
  expect(compose.services.api.environment.API_HOST).toBe('0.0.0.0');
});

test('Prometheus scrapes the API with the scrape token seal-keys makes, and the worker\'s SDK metrics; Grafana shows a dashboard of metrics the service has', () => {
  const prometheus = compose.services.prometheus;
  const config = parse(readFileSync(join(ROOT, prometheus.volumes[0].split(':')[0]), 'utf8'));
  expect(prometheus.volumes[0].split(':')[1]).toBe('/etc/prometheus/prometheus.yml');
  expect(prometheus.ports).toEqual(['127.0.0.1:9090:9090']);
  type Job = { job_name: string; static_configs: { targets: string[] }[]; authorization?: { credentials_file: string } };
  const jobs: Record<string, Job> = Object.fromEntries((config.scrape_configs as Job[]).map((j) => [j.job_name, j]));
  const { api, worker } = compose.services;
  expect(jobs['one-window-api']?.static_configs[0]?.targets).toEqual([`api:${api.environment.PORT}`]);
  expect(jobs['one-window-worker']?.static_configs[0]?.targets).toEqual([`worker:${(worker.environment.TEMPORAL_METRICS_ADDRESS as string).split(':')[1]}`]);
  expect(() => loadConfig(Object.fromEntries(Object.entries({ ...worker.environment, LIAISONS_FILE: undefined, UTILITY_ENDPOINTS_FILE: undefined, NODE_ENV: 'test' }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])))).not.toThrow();
  // The token file the API reads is the one Prometheus sends, from the keys volume seal-keys fills.
  const keys = compose.services['seal-keys'].volumes[0].split(':')[1] as string;
  expect(api.environment.METRICS_TOKEN_FILE).toBe(`${keys}/metrics-token`);
  expect(jobs['one-window-api']?.authorization?.credentials_file).toBe(`${keys}/metrics-token`);
  expect(prometheus.volumes).toContain(`seal-keys:${keys}:ro`);
  const folder = mkdtempSync(join(tmpdir(), 'keys-'));
  initPrincipals(folder);
  expect(readFileSync(join(folder, 'metrics-token'), 'utf8').trim()).toMatch(/^[\w-]{32}$/);

  // Grafana: the data source is that Prometheus, the dashboard is provisioned from the mounted folder.
  const grafana = compose.services.grafana;
  expect(grafana.ports).toEqual(['127.0.0.1:3001:3000']);
  const mounted = Object.fromEntries((grafana.volumes as string[]).map((v) => v.split(':')).map(([from, to]) => [to, from]));
  const provisioning = join(ROOT, mounted['/etc/grafana/provisioning'] as string);
  const source = parse(readFileSync(join(provisioning, 'datasources', 'prometheus.yml'), 'utf8')).datasources[0];
  expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090', uid: 'prometheus' });
  const provider = parse(readFileSync(join(provisioning, 'dashboards', 'one-window.yml'), 'utf8')).providers[0];
  expect(mounted[provider.options.path]).toBe('./deploy/grafana/dashboards');
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'dashboards', 'one-window.json'), 'utf8'));
  expect(grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(`${provider.options.path}/one-window.json`);
  // Every panel reads that data source, says what it means, and asks for metrics the API really serves.
  const served = new Set(dashboardMetricsServed());
  for (const panel of dashboard.panels as { title: string; description: string; targets: { expr: string; datasource: { uid: string } }[] }[]) {
    expect(panel.description.length).toBeGreaterThan(20);
    for (const target of panel.targets) {
      expect(target.datasource.uid).toBe(source.uid);
      for (const name of target.expr.match(/one_window_\w+/g) ?? []) expect([panel.title, served.has(name.replace(/_(bucket|count|sum)$/, ''))]).toEqual([panel.title, true]);
    }
  }
  // (The worker's temporal_* names are checked against a real worker's exporter in restart.test.ts.)
});

test('the API and the worker send their traces to Jaeger\'s OTLP/HTTP port on the compose network; its UI is on this host only', () => {
  const { api, worker, jaeger } = compose.services;
  for (const service of [api, worker]) {
    const env = Object.fromEntries(Object.entries({ ...service.environment, LIAISONS_FILE: undefined, UTILITY_ENDPOINTS_FILE: undefined, NODE_ENV: 'test' }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    expect(loadConfig(env).tracing).toEqual({ url: 'http://jaeger:4318/v1/traces', protocol: 'http/protobuf' });
  }
  expect(jaeger.image).toMatch(/^jaegertracing\/all-in-one:\d/);
  expect(jaeger.ports).toEqual(['127.0.0.1:16686:16686']);
});

/** The metric names of the API's registry, business gauges included. */
function dashboardMetricsServed(): string[] {
  const metrics = createMetrics();
  registerBusinessMetrics(metrics.registry, { db: undefined as never, client: undefined as never });
  return metrics.registry.getMetricsAsArray().map((m) => m.name);
}

test('the Dockerfile copies every source folder the build compiles', () => {
  const built = (baseConfig.include as string[]).filter((dir) => !(buildConfig.exclude as string[]).includes(dir));
  for (const dir of built) expect(dockerfile).toMatch(new RegExp(`^COPY ${dir} ${dir}$`, 'm'));
});

test('the principals made at first start are accepted in production, and their tokens are not the public ones', () => {
  const folder = mkdtempSync(join(tmpdir(), 'principals-'));
  const { file } = initPrincipals(folder);
  const principals = loadPrincipals({ NODE_ENV: 'production', PRINCIPALS_FILE: file });
  const [line] = readFileSync(join(folder, 'tokens.txt'), 'utf8').trim().split('\n');
  const [id, , token] = (line as string).split('\t');
  expect(principals.authenticate(token as string)?.id).toBe(id);
  expect(principals.authenticate('dev-window')).toBeUndefined();
  expect(statSync(join(folder, 'tokens.txt')).mode & 0o077).toBe(0);
  // Run again, it leaves the file (and its tokens) as they are.
  expect(initPrincipals(folder).created).toBe(false);
});
