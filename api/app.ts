// Builds the HTTP app; api/main.ts listens. Tests use the app in-process against real servers.
import type { Client } from '@temporalio/client';
import express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import type { Principals } from '../config/principals';
import type { Db } from '../db/connect';
import type { Policy } from '../domain/policy';
import { auditCommands } from './audit';
import { auditLogRouter } from './audit-log';
import { authenticate } from './auth';
import { calendarRouter } from './calendar';
import { notifyCalendarChanged } from './project-client';
import { statsRouter } from './stats';
import { BODY_LIMIT, HttpError, errorHandler } from './errors';
import { openApiDocument } from './openapi';
import { devUtilityInbox } from './dev-utility-inbox';
import { countUnauthenticated, createMetrics, metricsRouter, type Metrics } from './metrics';
import { projectsRouter } from './projects';

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
  /** The registry served at /metrics; a new one by default. */
  metrics?: Metrics;
}

export function createApp({ client, taskQueue, principals, policy, db, logger, devUtilityInbox: inbox = false, metrics = createMetrics() }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Tokens never reach the log.
  app.use(pinoHttp({ logger, redact: ['req.headers.authorization'] }));
  app.use(countUnauthenticated(metrics));
  // First, so that commands refused before any route (not JSON, too large) are audited too.
  app.use('/api', auditCommands(db, logger, metrics));
  app.use(requireJson);
  app.use(express.json({ limit: BODY_LIMIT, strict: false }));

  app.use('/metrics', metricsRouter({ metrics, principals }));

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

  app.use('/api', authenticate(principals));
  app.use('/api/projects', projectsRouter({ client, taskQueue, principals, policy, db }));
  app.use('/api/calendar', calendarRouter({ db, onYearChanged: (year) => notifyCalendarChanged(client, year) }));
  app.use('/api/stats', statsRouter({ db }));
  app.use('/api/audit', auditLogRouter({ db }));
  if (inbox) app.use('/dev/utility-inbox', devUtilityInbox());
  app.use((req) => {
    throw new HttpError(404, 'not-found', `no route ${req.method} ${req.path}`);
  });
  app.use(errorHandler);
  return app;
}
