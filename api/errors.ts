// Every error answer has one shape: { error, message, issues? }. User mistakes become 4xx naming the
// field or the reason; only a fault of our own is a 500, and its details go to the log, not the caller.
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import type { RefusalDetail } from '../domain/refusals';

export interface FieldIssue {
  path: string;
  message: string;
}

export const BODY_LIMIT = '256kb';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
    /** A workflow's refusal: its stable code and facts (domain/refusals.ts); `message` keeps the English reason. */
    readonly refusal?: RefusalDetail,
  ) {
    super(message);
  }
}

export type Location = 'body' | 'query' | 'params' | 'headers';

/** Parses a request part, or answers 400 naming each failing field as `body.applicant.uscc`. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: Location): z.output<S> {
  // No body at all reads as {}; any other non-object (null, a number, an array) is named as wrong.
  if (where === 'body' && value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw new HttpError(400, 'invalid-request', 'invalid body', [{ path: 'body', message: 'must be a JSON object' }]);
  }
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  throw new HttpError(400, 'invalid-request', `invalid ${issues.map((i) => i.path).join(', ')}`, issues);
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpError) {
    res.locals.auditDetail = err.message;
    res.status(err.status).json({ error: err.code, message: err.message, ...(err.issues && { issues: err.issues }), ...(err.refusal && { refusal: err.refusal }) });
    return;
  }
  // express.json() failures: malformed JSON, a body too large, a wrong charset are the caller's doing.
  const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
  res.locals.auditDetail = status < 500 ? String(err?.message ?? 'bad request') : 'internal error';
  if (status === 413) {
    res.status(413).json({ error: 'payload-too-large', message: `request body larger than the limit of ${BODY_LIMIT}` });
    return;
  }
  if (status >= 400 && status < 500) {
    const code = err.type === 'entity.parse.failed' ? 'malformed-json' : 'bad-request';
    res.status(status).json({ error: code, message: err.expose ? String(err.message) : 'bad request' });
    return;
  }
  // Not the caller's fault and not a bug: a part the service depends on is away. Said as such, with when to retry.
  const away = AWAY.find((part) => part.away(err));
  if (away) {
    req.log?.error({ err }, `${away.what} did not answer`);
    res.locals.auditDetail = away.detail;
    res.setHeader('Retry-After', '5');
    res.status(503).json({ error: away.error, message: `${away.what} is not answering; repeat the request shortly (with the same Idempotency-Key it applies once)` });
    return;
  }
  req.log?.error({ err }, 'request failed');
  res.status(500).json({ error: 'internal', message: 'internal error; it has been logged' });
};

/** gRPC's UNAVAILABLE status: the server could not be reached, or the connection broke. */
const GRPC_UNAVAILABLE = 14;

/** Whether an error says Temporal could not be reached: gRPC UNAVAILABLE on the error or on one of its
 *  causes (the client wraps the call's error, as a ServiceError or a workflow-level error). */
export function temporalAway(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === GRPC_UNAVAILABLE) return true;
  }
  return false;
}

/** Whether an error says the record's database could not be reached or went away mid-request (a socket
 *  refused, reset or timed out; SQLSTATE 08 connection exceptions, 57P01–03 shutting down or starting,
 *  53300 no connections left; node-postgres' own words for a pool timeout or a lost connection). */
export function databaseAway(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'].includes(code) || /^(08...|57P0[123]|53300)$/.test(code))) return true;
  return typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect)/.test(message);
}

/** What can be away for a while: the record's database, and Temporal (restarting, its network cut). */
const AWAY = [
  { away: databaseAway, what: 'the public record database', detail: 'database unavailable', error: 'database-unavailable' },
  { away: temporalAway, what: 'Temporal', detail: 'temporal unavailable', error: 'temporal-unavailable' },
] as const;
