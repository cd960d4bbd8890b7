// Prometheus metrics: one registry per app, with Node's default metrics and the service's own counters,
// served as text at GET /metrics — without a token to a scraper on this machine (loopback), with an admin
// token from anywhere else.
import { Router, type RequestHandler } from 'express';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { Principals } from '../config/principals';
import { authenticate, authorizeRole } from './auth';

export interface Metrics {
  registry: Registry;
  /** Answers 401 — no or an unknown token. Counted here instead of filling the audit log. */
  unauthenticated: Counter;
  /** Commands answered although their audit entry could not be written (each is also logged at error level). */
  auditWriteFailures: Counter;
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

export function metricsRouter({ metrics, principals }: { metrics: Metrics; principals: Principals }): Router {
  const router = Router();
  const signedIn = authenticate(principals);
  router.get(
    '/',
    (req, res, next) => (isLoopback(req.socket.remoteAddress) ? next() : signedIn(req, res, next)),
    async (req, res) => {
      if (!isLoopback(req.socket.remoteAddress)) authorizeRole(req, ['admin'], 'read the metrics from another machine');
      res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
  return router;
}
