// All configuration, read from the environment once at start-up and validated; a bad value stops the
// process with a message naming the variable.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** The repository root (holds package.json), whether running from sources or from dist/. */
export const ROOT = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
})();

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const count = (max: number) => z.coerce.number().int().min(1).max(max);
const claimName = z.string().trim().min(1).max(200);
/** `https://a.example, http://localhost:5173` → origins, each exactly scheme://host[:port]. */
const origins = optional.transform((v, ctx) => {
  const list = (v ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const o of list) {
    let origin: string | undefined;
    try {
      origin = new URL(o).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== o) ctx.addIssue({ code: 'custom', message: `${o} is not an origin (scheme://host[:port], no path or trailing slash; no wildcard)` });
  }
  return list;
});
/** Express's `trust proxy`: how many proxies, or which addresses, may set X-Forwarded-For. */
const trustProxy = optional.transform((v, ctx) => {
  if (v === undefined || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true') ctx.addIssue({ code: 'custom', message: 'true would trust any X-Forwarded-For; give the number of proxies or their addresses' });
  return v.split(',').map((a) => a.trim());
});

/** OTLP over HTTP only: gRPC would need a second exporter stack for no gain (collectors take both). */
const otlpProtocol = z.enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json (grpc is not supported: use the collector\'s HTTP port, 4318)' });

/** Generous enough for a busy window office behind one address; tests configure small ones. */
export const LIMIT_DEFAULTS = { windowSeconds: 60, perAddress: 1200, perPrincipal: 600, registrationsPerHour: 200 } as const;

/** Thresholds of the stuck list; see README (Operations). */
export const OPERATIONS_DEFAULTS = { correctionUnansweredDays: 5, activityRetryAttempts: 3, recordPendingMinutes: 10, scanMax: 5000 } as const;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  DATA_DIR: z.string().default('data'),
  PRINCIPALS_FILE: optional,
  NOTIFICATIONS_FILE: optional,
  LIAISONS_FILE: optional,
  POLICY_FILE: optional,
  FEE_WAIVERS_FILE: optional,
  UTILITY_ENDPOINTS_FILE: optional,
  DEV_UTILITY_INBOX: flag.optional(),
  PUSH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // Projects the worker keeps in memory between their tasks: with the workflow thread's heap limit below,
  // the bound of its memory (each holds about 1 MB live in that heap, measured with npm run bench's
  // stack); a project not cached is replayed from its history when it next moves or is read.
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(250),
  // The workflow thread's JavaScript heap limit in MB; default from the cache (worker/worker.ts
  // workflowHeapMb). Without one, V8 lets that heap grow toward a quarter of the machine's memory.
  WORKER_HEAP_MB: z.coerce.number().int().min(64).max(65_536).optional(),
  // The Temporal SDK's stack trace queries (__stack_trace: the Temporal UI's "Stack Trace" tab) need a
  // hook that takes a stack for every promise a workflow makes: a sixth to two fifths of a workflow task.
  // Off unless 'on' (patches/README.md); the workflow thread reads it from the environment it inherits.
  WORKFLOW_STACK_TRACES: z.enum(['on', 'off'], { error: "must be 'on' or 'off'" }).default('off'),
  // How long a human action waits for its project to accept it before the API looks at why (a project
  // whose workflow tasks fail gets the action held for it; otherwise the caller is told to retry).
  ACCEPT_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  DATABASE_URL: optional,
  /** The tables' owner, for migrations; DATABASE_URL's login otherwise. */
  DATABASE_MIGRATION_URL: optional,
  TEMPORAL_ADDRESS: optional,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('one-window'),
  TEMPORAL_TLS: flag.default(false),
  TEMPORAL_TLS_CERT_PATH: optional,
  TEMPORAL_TLS_KEY_PATH: optional,
  TEMPORAL_TLS_CA_PATH: optional,
  TEMPORAL_TLS_SERVER_NAME: optional,
  TEMPORAL_API_KEY: optional,
  TEMPORAL_CLI_PATH: optional,
  TEMPORAL_TEST_SERVER_PATH: optional,
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_DEV_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(3650),
  OIDC_ISSUER: optional.pipe(z.url('must be the identity provider\'s issuer URL').optional()),
  OIDC_AUDIENCE: optional,
  OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  OIDC_ID_CLAIM: claimName.default('sub'),
  OIDC_NAME_CLAIM: claimName.default('name'),
  OIDC_ROLE_CLAIM: claimName.default('one_window_role'),
  OIDC_PARTY_CLAIM: claimName.default('one_window_party'),
  OIDC_LOCALITY_CLAIM: claimName.default('one_window_locality'),
  CORS_ORIGINS: origins,
  TRUST_PROXY: trustProxy,
  RATE_LIMIT_WINDOW_SECONDS: count(86_400).default(LIMIT_DEFAULTS.windowSeconds),
  RATE_LIMIT_PER_ADDRESS: count(1_000_000).default(LIMIT_DEFAULTS.perAddress),
  RATE_LIMIT_PER_PRINCIPAL: count(1_000_000).default(LIMIT_DEFAULTS.perPrincipal),
  REGISTRATIONS_PER_HOUR: count(100_000).default(LIMIT_DEFAULTS.registrationsPerHour),
  // The command seal: the API signs with the private key, workers trust the public keys.
  SEAL_PRIVATE_KEY_FILE: optional,
  SEAL_PUBLIC_KEYS_FILE: optional,
  // Operations: when a case counts as stuck (operations/stuck.ts), and housekeeping's schedule.
  CORRECTION_UNANSWERED_DAYS: count(365).default(OPERATIONS_DEFAULTS.correctionUnansweredDays),
  ACTIVITY_RETRY_ATTEMPTS: count(1000).default(OPERATIONS_DEFAULTS.activityRetryAttempts),
  RECORD_PENDING_MINUTES: count(10_080).default(OPERATIONS_DEFAULTS.recordPendingMinutes),
  STUCK_SCAN_MAX: count(1_000_000).default(OPERATIONS_DEFAULTS.scanMax),
  HOUSEKEEPING_EVERY_MINUTES: count(1440).default(5),
  // `npm run ops`: the admin principal an operator acts as when --as is not given.
  ONE_WINDOW_OPERATOR: optional,
  // E-mail and webhook delivery of notices; without them notices reach the inbox (and the JSONL file).
  SMTP_URL: optional,
  SMTP_FROM: z.string().default('one-window <noreply@one-window.localhost>'),
  WEBHOOK_SECRET: optional,
  // The Temporal SDK's own worker metrics (polls, task slots, latencies), served in Prometheus format at
  // http://<address>/metrics by the worker's runtime; unset, not served.
  TEMPORAL_METRICS_ADDRESS: optional.pipe(z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, e.g. 0.0.0.0:9464').optional()),
  // A file holding the token Prometheus reads /metrics with from another machine (that token reads
  // nothing else); unset, only this machine or an admin token reads them.
  METRICS_TOKEN_FILE: optional,
  // Tracing (OpenTelemetry, OTLP over HTTP; tracing/setup.ts): off unless an endpoint is given or
  // OTEL_TRACES_EXPORTER=otlp (then http://localhost:4318). The standard names, so a collector's usual
  // settings apply; OTEL_EXPORTER_OTLP_HEADERS is read by the exporter itself.
  OTEL_TRACES_EXPORTER: optional.pipe(z.enum(['otlp', 'none'], { error: 'must be otlp or none (OTLP over HTTP is the only exporter)' }).optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional.pipe(z.url({ protocol: /^https?$/, error: 'must be the collector\'s http(s) address, e.g. http://localhost:4318' }).optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional.pipe(z.url({ protocol: /^https?$/, error: 'must be the full http(s) address spans are posted to, e.g. http://localhost:4318/v1/traces' }).optional()),
  OTEL_EXPORTER_OTLP_PROTOCOL: optional.pipe(otlpProtocol.optional()),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: optional.pipe(otlpProtocol.optional()),
  OTEL_SERVICE_NAME: optional,
  // Where people open the console: links in notices point at its project pages.
  PUBLIC_URL: optional.pipe(z.url({ protocol: /^https?$/, error: 'must be the http(s) address people open the console at' }).optional()),
});

export type Config = ReturnType<typeof loadConfig>;

export interface TracingSettings {
  /** Where spans are posted (…/v1/traces). */
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  /** OTEL_SERVICE_NAME; each process names itself otherwise. */
  serviceName?: string;
}

/** As the OpenTelemetry specification reads these variables, except that no setting means off. */
function tracingOf(c: z.infer<typeof schema>): TracingSettings | undefined {
  const endpoint = c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (c.OTEL_EXPORTER_OTLP_ENDPOINT && `${c.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
  if (c.OTEL_TRACES_EXPORTER === 'none' || (c.OTEL_TRACES_EXPORTER === undefined && endpoint === undefined)) return undefined;
  return {
    url: endpoint ?? 'http://localhost:4318/v1/traces',
    protocol: c.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? c.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    ...(c.OTEL_SERVICE_NAME !== undefined && { serviceName: c.OTEL_SERVICE_NAME }),
  };
}

/** The token a Prometheus reads /metrics with (METRICS_TOKEN_FILE's content). */
export function readMetricsToken(file: string): string {
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 16) throw new Error(`invalid configuration: METRICS_TOKEN_FILE ${file} must hold a token of at least 16 characters`);
  return token;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  if (c.TEMPORAL_TLS_CERT_PATH !== undefined && c.TEMPORAL_TLS_KEY_PATH === undefined) {
    throw new Error('invalid configuration: TEMPORAL_TLS_KEY_PATH is required with TEMPORAL_TLS_CERT_PATH');
  }
  const production = c.NODE_ENV === 'production';
  for (const name of ['LIAISONS_FILE', 'UTILITY_ENDPOINTS_FILE', 'DATABASE_URL'] as const) {
    if (production && c[name] === undefined) throw new Error(`invalid configuration: ${name} is required when NODE_ENV=production`);
  }
  if ((c.OIDC_ISSUER === undefined) !== (c.OIDC_AUDIENCE === undefined)) {
    throw new Error('invalid configuration: OIDC_ISSUER and OIDC_AUDIENCE go together (the audience is this API\'s client id at the identity provider)');
  }
  if (production && c.OIDC_ISSUER !== undefined && !c.OIDC_ISSUER.startsWith('https://')) {
    throw new Error('invalid configuration: OIDC_ISSUER must be https:// when NODE_ENV=production');
  }
  if (c.DATABASE_MIGRATION_URL !== undefined && c.DATABASE_URL === undefined) {
    throw new Error('invalid configuration: DATABASE_MIGRATION_URL needs DATABASE_URL (the embedded database migrates itself)');
  }
  if (production && c.DEV_UTILITY_INBOX) throw new Error('invalid configuration: DEV_UTILITY_INBOX is for development only (it answers without a token)');
  const dataDir = resolve(ROOT, c.DATA_DIR);
  return {
    ...c,
    dataDir,
    /** The embedded database's files (used when DATABASE_URL is unset). */
    embeddedDataDir: join(dataDir, 'pgdata'),
    /** Where the scrape token is (METRICS_TOKEN_FILE), read by readMetricsToken at start. */
    metricsTokenFile: c.METRICS_TOKEN_FILE === undefined ? undefined : resolve(ROOT, c.METRICS_TOKEN_FILE),
    /** The console's address for links in notices: PUBLIC_URL, or this machine's API. */
    publicUrl: (c.PUBLIC_URL ?? `http://${c.API_HOST === '0.0.0.0' || c.API_HOST === '::' ? 'localhost' : c.API_HOST}:${c.PORT}`).replace(/\/+$/, ''),
    notificationsFile: resolve(ROOT, c.NOTIFICATIONS_FILE ?? join(dataDir, 'notifications.jsonl')),
    liaisonsFile: resolve(ROOT, c.LIAISONS_FILE ?? join('config', 'liaisons.dev.json')),
    /** The fee-waiver catalogue (config/fee-waivers.ts). */
    feeWaiversFile: resolve(ROOT, c.FEE_WAIVERS_FILE ?? join('config', 'fee-waivers.json')),
    /** Serve /dev/utility-inbox: by default only in development without real company endpoints. */
    devUtilityInbox: c.DEV_UTILITY_INBOX ?? (!production && c.UTILITY_ENDPOINTS_FILE === undefined),
    /** Where and how spans are exported (tracing/setup.ts); undefined: tracing is off. */
    tracing: tracingOf(c),
    /** The stuck list's thresholds, as operations/stuck.ts takes them. */
    stuck: {
      correctionUnansweredDays: c.CORRECTION_UNANSWERED_DAYS,
      activityRetryAttempts: c.ACTIVITY_RETRY_ATTEMPTS,
      recordPendingMinutes: c.RECORD_PENDING_MINUTES,
      scanMax: c.STUCK_SCAN_MAX,
    },
  };
}
