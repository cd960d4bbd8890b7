// Builds the HTTP app; api/main.ts listens. Tests use the app in-process against real servers.
import type { Client } from '@temporalio/client';
import express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { LIMIT_DEFAULTS } from '../config/env';
import type { OidcVerifier } from '../config/oidc';
import type { Principals } from '../config/principals';
import type { Db } from '../db/connect';
import type { Policy } from '../domain/policy';
import { auditCommands } from './audit';
import { auditLogRouter } from './audit-log';
import { authenticate } from './auth';
import { calendarRouter } from './calendar';
import { campaignsRouter } from './campaigns';
import { calendarNoticeRouter } from './calendar-notice';
import { directoryRouter } from './directory';
import { calendarPropagation } from './calendar-propagation';
import { statsRouter } from './stats';
import { waiversRouter } from './waivers';
import { loadWaiverCatalogue } from '../config/fee-waivers';
import type { WaiverCatalogue } from '../domain/waivers';
import { escalationsRouter } from './escalations';
import { forecastRouter } from './forecast';
import { BODY_LIMIT, HttpError, errorHandler } from './errors';
import { openApiDocument } from './openapi';
import { devUtilityInbox } from './dev-utility-inbox';
import { countUnauthenticated, createMetrics, metricsRouter, timeRequests, type Metrics } from './metrics';
import { registerBusinessMetrics } from './business-metrics';
import { operationsRepairsRouter } from './operations-repairs';
import { operationsReplayRouter } from './operations-replay';
import { operationsRouter } from './operations';
import { inboxRouter } from './inbox';
import { DEFAULT_ACCEPT_TIMEOUT_MS } from '../operations/actions';
import { projectsRouter } from './projects';
import type { StuckOptions } from '../operations/stuck';
import { perAddressLimit, perPrincipalLimit, registrationQuota, type RateLimits } from './rate-limits';
import { corsFor, securityHeaders } from './security';
import { consoleRouter } from './console';
import { devSignInRouter, type DevIdentity } from './dev-sign-in';
import { meRouter } from './me';
import { agentsRouter } from './agents';
import { traceLogProps, traceRequests } from './tracing';
import { signOffsRouter } from './sign-offs';

/** A request with a body must say it is JSON; otherwise its fields would all read as missing. */
const requireJson: express.RequestHandler = (req, _res, next) => {
  const hasBody = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    throw new HttpError(415, 'unsupported-media-type', `send the body as Content-Type: application/json (got ${req.get('content-type') ?? 'none'})`);
  }
  next();
};

export interface AppDeps {
  client: Client;
  taskQueue: string;
  principals: Principals;
  policy: Policy;
  db: Db;
  logger: Logger;
  /** Mount the development stand-in for the utility companies (never in production). */
  devUtilityInbox?: boolean;
  /** Verifies bearer JWTs from the district's identity provider (OIDC_ISSUER); static tokens otherwise. */
  oidc?: OidcVerifier;
  /** Rate limits and quotas (defaults: config/env.ts). */
  limits?: RateLimits;
  /** Origins allowed by CORS; none, no CORS header at all. */
  corsOrigins?: readonly string[];
  /** Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-For gives the client address. */
  trustProxy?: boolean | number | string[];
  /** The registry served at /metrics; a new one by default. */
  metrics?: Metrics;
  /** How long an action waits to be accepted (ACCEPT_TIMEOUT_MS). */
  acceptTimeoutMs?: number;
  /** Thresholds of the stuck list (config/env.ts `stuck`); defaults otherwise. */
  stuck?: Partial<StuckOptions>;
  /** Where people open the console (PUBLIC_URL): notices link to its project pages. */
  publicUrl?: string;
  /** The Temporal SDK's metrics page of a worker in this process, appended to /metrics. */
  sdkMetricsUrl?: string;
  /** A token that reads /metrics only (METRICS_TOKEN_FILE's content). */
  metricsScrapeToken?: string;
  /** The built web console's folder (web/dist), served at `/`; none, no console. */
  consoleDir?: string;
  /** The development identities the console's sign-in offers (/dev/principals); none in production. */
  devIdentities?: readonly DevIdentity[];
  /** The fee-waiver catalogue (FEE_WAIVERS_FILE); config/fee-waivers.json by default. */
  waiverCatalogue?: WaiverCatalogue;
}

export function createApp(deps: AppDeps): express.Express {
  const {
    client,
    taskQueue,
    principals,
    policy,
    db,
    logger,
    devUtilityInbox: inbox = false,
    oidc,
    limits = LIMIT_DEFAULTS,
    corsOrigins = [],
    trustProxy = false,
    metrics = createMetrics(),
    acceptTimeoutMs,
    stuck,
    publicUrl,
    sdkMetricsUrl,
    metricsScrapeToken,
    consoleDir,
    devIdentities,
    waiverCatalogue = loadWaiverCatalogue(),
  } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  // First: the request's span covers all the app does, and the log lines can name its trace.
  app.use(traceRequests());
  // Tokens never reach the log.
  app.use(pinoHttp({ logger, redact: ['req.headers.authorization'], customProps: traceLogProps }));
  app.use(securityHeaders({ ...(oidc && { identityProvider: oidc.issuer }) }));
  const cors = corsFor(corsOrigins);
  if (cors) app.use(cors);
  // Static files before the request limits: a page load fetches dozens (the font's subsets), and they
  // cost nothing to serve; /api keeps its limits.
  if (consoleDir) app.use(consoleRouter(consoleDir));
  app.use(perAddressLimit(limits));
  app.use(countUnauthenticated(metrics));
  app.use(timeRequests(metrics));
  // Once per registry (a test may hand the same one to two apps).
  if (!metrics.registry.getSingleMetric('one_window_open_projects')) {
    registerBusinessMetrics(metrics.registry, { db, client, ...(stuck && { stuck }), onError: (gauge, err) => logger.warn({ err, gauge }, 'a metric could not be read') });
  }
  // First, so that commands refused before any route (not JSON, too large) are audited too.
  app.use('/api', auditCommands(db, logger, metrics));
  app.use(requireJson);
  app.use(express.json({ limit: BODY_LIMIT, strict: false }));

  app.use('/metrics', metricsRouter({ metrics, principals, ...(sdkMetricsUrl !== undefined && { sdkMetricsUrl }), ...(metricsScrapeToken !== undefined && { scrapeToken: metricsScrapeToken }) }));

  app.get('/health', async (_req, res) => {
    try {
      await client.workflowService.getSystemInfo({});
      res.json({ status: 'ok', temporal: 'ok' });
    } catch {
      res.status(503).json({ status: 'degraded', temporal: 'unreachable' });
    }
  });

  const document = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(document));

  // How the console signs people in: at the identity provider when one is configured (authorization code
  // with PKCE, this API's audience as the console's client id); otherwise with a token.
  app.get('/api/sign-in-options', (_req, res) => {
    res.json({ oidc: oidc ? { issuer: oidc.issuer, clientId: oidc.audience } : null });
  });

  const identify = authenticate(principals, oidc);
  app.use('/api', identify, perPrincipalLimit(limits));
  app.use('/api/me', meRouter());
  app.use('/api/agents', agentsRouter({ principals }));
  app.post('/api/projects', registrationQuota(limits));
  app.use('/api/projects', projectsRouter({ client, taskQueue, principals, policy, db, waiverCatalogue, ...(acceptTimeoutMs !== undefined && { acceptTimeoutMs }) }));
  const propagation = calendarPropagation(client);
  app.use('/api/calendar', calendarRouter({ db, propagation }));
  app.use('/api/calendar', calendarNoticeRouter({ db, propagation }));
  app.use('/api/campaigns', campaignsRouter({ client, db, acceptTimeoutMs: acceptTimeoutMs ?? DEFAULT_ACCEPT_TIMEOUT_MS }));
  app.use('/api/stats', statsRouter({ db }));
  app.use('/api/waivers', waiversRouter({ db }));
  app.use('/api/escalations', escalationsRouter({ db }));
  app.use('/api/forecast', forecastRouter({ db }));
  app.use('/api/directory', directoryRouter({ db, principals }));
  app.use('/api/operations', operationsRepairsRouter({ client, db, taskQueue }));
  app.use('/api/audit', auditLogRouter({ db, principals }));
  app.use('/api/inbox', inboxRouter({ db, client, acceptTimeoutMs: acceptTimeoutMs ?? DEFAULT_ACCEPT_TIMEOUT_MS, ...(publicUrl !== undefined && { publicUrl }) }));
  app.use('/api/operations', operationsReplayRouter({ client }));
  app.use('/api/operations', operationsRouter({ client, db, ...(stuck && { stuck }) }));
  app.use('/api/sign-offs', signOffsRouter({ db, principals }));
  if (inbox) app.use('/dev/utility-inbox', devUtilityInbox({ guard: identify }));
  if (devIdentities) app.use('/dev/principals', devSignInRouter(devIdentities));
  app.use((req) => {
    throw new HttpError(404, 'not-found', `no route ${req.method} ${req.path}`);
  });
  app.use(errorHandler);
  return app;
}
