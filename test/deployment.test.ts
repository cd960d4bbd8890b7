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

// Compose applies YAML merge keys (<<:), as the file uses for the shared service settings.
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'));
const baseConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));

test('compose runs Temporal on PostgreSQL, its UI, and our worker and API against that Temporal', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['api', 'mailpit', 'postgresql', 'record-db', 'seal-keys', 'temporal', 'temporal-ui', 'utility-stand-in', 'worker']);
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
