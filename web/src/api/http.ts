// The API client, typed by the OpenAPI document (schema.d.ts is generated from api/openapi.ts before every
// build): a path, parameter or field the API does not have fails the console's type check. It names no
// browser global, so the unit tests build one against a local server; client.ts makes the console's own.
import createClient from 'openapi-fetch';
import type { paths } from './schema';
import type { Held, Project, Refusal } from './types';

export * from './types';

/** An answer other than 2xx, with the server's reason (and, for 400, each failing field; for a workflow's
 *  refusal, its code, which the console words in the reader's language). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
    readonly refusal?: Refusal,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let token: string | null = null;
let unauthorized: () => void = () => undefined;

/** What to do when the API no longer accepts the token (it expired, or was retired): sign out. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

/** The bearer token every later request carries (null: none). */
export function setToken(next: string | null): void {
  token = next;
}

/** Copies of the commands in flight, to send again while the API answers 503 busy. */
const resendable = new WeakMap<Request, Request>();
const BUSY_RESENDS = 3;

/** A client of the API at baseUrl: the bearer token, an Idempotency-Key on every command, a 401 that ends
 *  the session, and a 503 busy sent again. */
export function createApi(baseUrl: string) {
  const api = createClient<paths>({ baseUrl });
  api.use({
    onRequest({ request }) {
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      // Every command carries an Idempotency-Key, so that sending it again applies it once.
      if (request.method !== 'GET' && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', crypto.randomUUID());
      if (request.method !== 'GET') resendable.set(request, request.clone());
      return request;
    },
    async onResponse({ request, response }) {
      // A token that worked until now and is refused: the session is over. (A wrong token at sign-in is
      // the sign-in page's to explain.)
      if (response.status === 401 && token && request.headers.get('authorization') === `Bearer ${token}` && !request.url.endsWith('/api/me')) unauthorized();
      // 503 busy: the project did not take the command in time, and the API asks for the same request
      // again with the same key — done here, a few times, before the person is told.
      const copy = resendable.get(request);
      let answer = response;
      for (let i = 0; copy && answer.status === 503 && i < BUSY_RESENDS; i++) {
        const busy = ((await answer.clone().json().catch(() => ({}))) as { error?: string }).error === 'busy';
        if (!busy) break;
        answer = await fetch(copy.clone());
      }
      return answer;
    },
  });
  return api;
}

function errorOf(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
    const { error, message, issues, refusal } = body as { error?: unknown; message: string; issues?: unknown; refusal?: unknown };
    const coded = typeof refusal === 'object' && refusal !== null && typeof (refusal as Refusal).code === 'string' ? (refusal as Refusal) : undefined;
    return new ApiError(status, typeof error === 'string' ? error : 'error', message, Array.isArray(issues) ? (issues as ApiError['issues']) : [], coded);
  }
  return new ApiError(status, 'error', typeof body === 'string' && body ? body : `HTTP ${status}`);
}

/** The answer's data, or an ApiError with the server's reason (status 0 when the server cannot be reached). */
export async function unwrap<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  if (!result.response.ok || result.data === undefined) throw errorOf(result.response.status, result.error);
  return result.data;
}

/** A project action's answer: the project after it. A held action (202: the project's workflow is not
 *  making progress; the action is applied when it runs again) is reported as an ApiError with status 202,
 *  so the page keeps showing what is true now. */
export async function unwrapAction(request: Promise<{ data?: Project | Held; error?: unknown; response: Response }>): Promise<Project> {
  const answer = await unwrap(request);
  if ('held' in answer) throw new ApiError(202, 'held', answer.message);
  return answer;
}

/** What a list asks with `recorded=` to show a change its caller just made: the project and the version
 *  the action's answer gives its state (X-One-Window-Version), or the project alone after a registration. */
export function recordedAfter(id: string, response: Response): string {
  const version = response.headers.get('X-One-Window-Version');
  return version ? `${id}@${version}` : id;
}
