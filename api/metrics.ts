// Prometheus metrics: one registry per app, with Node's default metrics and the service's own counters,
// served as text at GET /metrics — without a token to a scraper on this machine (loopback), with the
// scrape token (METRICS_TOKEN_FILE) or an admin token from anywhere else.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Principals } from '../config/principals';
import { authenticate, authorizeRole } from './auth';

export interface Metrics {
  registry: Registry;
  /** Answers 401 — no or an unknown token. Counted here instead of filling the audit log. */
  unauthenticated: Counter;
  /** Commands answered although their audit entry could not be written (each is also logged at error level). */
  auditWriteFailures: Counter;
  /** How long each answer took, by method, route (its pattern, not the path: ids would explode the
   *  series) and status. */
  requestDuration: Histogram;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    unauthenticated: new Counter({
      name: 'one_window_unauthenticated_requests_total',
      help: 'Requests answered 401 (no or an unknown bearer token); not written to the audit log',
      registers: [registry],
    }),
    auditWriteFailures: new Counter({
      name: 'one_window_audit_write_failures_total',
      help: 'Commands answered without an audit entry because writing it failed after retries',
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'one_window_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      // From a cached read (a few ms) to an action waiting on a busy project (ACCEPT_TIMEOUT_MS, 10 s).
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

/** Times every answer. The route is the matched pattern (`/api/projects/:id`); anything unmatched shares
 *  one label, so the series stay few. */
export function timeRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.requestDuration.startTimer();
    // The pattern with its mount point, taken when the router matches it: by the time an error has been
    // answered the router has put req.baseUrl back, so reading both at 'finish' would lose the mount.
    let route = 'unmatched';
    let matched: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => matched,
      set(value: { path?: unknown } | undefined) {
        matched = value;
        if (typeof value?.path === 'string') res.locals.route = route = `${req.baseUrl}${value.path === '/' && req.baseUrl ? '' : value.path}`;
      },
    });
    res.on('finish', () => end({ method: req.method, route, status: String(res.statusCode) }));
    next();
  };
}

/** Counts every 401 the app answers. */
export function countUnauthenticated(metrics: Metrics): RequestHandler {
  return (_req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode === 401) metrics.unauthenticated.inc();
    });
    next();
  };
}

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address));
}

/** The SDK's page, or a comment saying it did not answer (the rest of /metrics is served regardless). */
async function sdkMetrics(url: string): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.text();
  } catch (err) {
    return `# the Temporal SDK's metrics at ${url} did not answer: ${(err as Error).message}\n`;
  }
}

/** Whether the request carries the scraper's token (METRICS_TOKEN_FILE), compared in constant time. */
function scraper(req: Request, tokenSha256: Buffer | undefined): boolean {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
  if (tokenSha256 === undefined || token === undefined) return false;
  return timingSafeEqual(createHash('sha256').update(token).digest(), tokenSha256);
}

export interface MetricsRouterOptions {
  metrics: Metrics;
  principals: Principals;
  sdkMetricsUrl?: string;
  /** A token that reads /metrics and nothing else (METRICS_TOKEN_FILE): a Prometheus on another machine
   *  or container needs no admin token. */
  scrapeToken?: string;
}

export function metricsRouter({ metrics, principals, sdkMetricsUrl, scrapeToken }: MetricsRouterOptions): Router {
  const router = Router();
  const signedIn = authenticate(principals);
  const scrapeTokenSha256 = scrapeToken === undefined ? undefined : createHash('sha256').update(scrapeToken).digest();
  router.get(
    '/',
    (req, res, next) => (isLoopback(req.socket.remoteAddress) || scraper(req, scrapeTokenSha256) ? next() : signedIn(req, res, next)),
    async (req, res) => {
      if (!isLoopback(req.socket.remoteAddress) && !scraper(req, scrapeTokenSha256)) authorizeRole(req, ['admin'], 'read the metrics from another machine');
      const own = await metrics.registry.metrics();
      res.set('content-type', metrics.registry.contentType).send(sdkMetricsUrl === undefined ? own : `${own}\n${await sdkMetrics(sdkMetricsUrl)}`);
    },
  );
  return router;
}
