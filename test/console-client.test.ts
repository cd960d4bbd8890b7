// The console's API client (web/src/api/http.ts) against a real local HTTP server that answers as the API
// does: errors become ApiErrors the pages can word, a 503 busy command is sent again with its key, a
// refused token ends the session, a held action is not shown as applied, and an unreachable server is
// status 0. (web/src/api/client.ts only calls createApi with the browser's origin.)
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, createApi, onUnauthorized, setToken, unwrap, unwrapAction } from '../web/src/api/http';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  idempotencyKey?: string;
  body: string;
}

type Answer = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let answer: Answer = (_req, res) => json(res, 500, { error: 'internal', message: 'no answer set' });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: header('authorization'), idempotencyKey: header('idempotency-key'), body });
      void answer(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

beforeEach(() => {
  seen = [];
  setToken(null);
  onUnauthorized(() => undefined);
});

const PROJECT_ID = '0b6f2d5e-6c1a-4f7e-9a51-3f1c2b7d9e10';
const project = { id: PROJECT_ID, name: '客户端测试项目' };

/** Catches what a call throws (and fails the test when it does not throw). */
async function thrown(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected the call to throw');
}

describe('errors', () => {
  test('a 400 keeps its code, the server reason and every failing field', async () => {
    const issues = [
      { path: 'body.agent', message: 'no agent with id agent-99' },
      { path: 'body.people.0.principalId', message: 'Too big: expected string to have <=100 characters' },
    ];
    answer = (_req, res) => json(res, 400, { error: 'invalid-request', message: 'invalid body.agent, body.people.0.principalId', issues });
    const err = await thrown(unwrap(createApi(baseUrl).PUT('/api/projects/{id}/agent', { params: { path: { id: PROJECT_ID } }, body: { agent: 'agent-99' } })));
    expect(err).toMatchObject({ status: 400, code: 'invalid-request', message: 'invalid body.agent, body.people.0.principalId', issues, refusal: undefined });
  });

  test("a 409 keeps the workflow's refusal code and facts", async () => {
    const refusal = { code: 'stage-not-open', params: { stage: 'permit' } };
    answer = (_req, res) => json(res, 409, { error: 'refused', message: 'stage permit is not open', refusal });
    const err = await thrown(unwrap(createApi(baseUrl).POST('/api/projects/{id}/withdrawal', { params: { path: { id: PROJECT_ID } }, body: { reason: '建设单位申请' } })));
    expect(err).toMatchObject({ status: 409, code: 'refused', message: 'stage permit is not open', issues: [], refusal });
  });

  test('a refusal without a code string, and issues that are not a list, are left out', async () => {
    answer = (_req, res) => json(res, 409, { error: 'refused', message: 'no', refusal: { code: 7 }, issues: 'body.x' });
    const err = await thrown(unwrap(createApi(baseUrl).GET('/api/me')));
    expect(err).toMatchObject({ status: 409, code: 'refused', issues: [], refusal: undefined });
  });

  test("a body that is not the API's error shape: its text, or the status when it is empty", async () => {
    answer = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('Bad Gateway from the proxy');
    };
    expect(await thrown(unwrap(createApi(baseUrl).GET('/api/me')))).toMatchObject({ status: 502, code: 'error', message: 'Bad Gateway from the proxy' });

    answer = (_req, res) => {
      res.writeHead(502, { 'content-length': '0' });
      res.end();
    };
    expect(await thrown(unwrap(createApi(baseUrl).GET('/api/me')))).toMatchObject({ status: 502, code: 'error', message: 'HTTP 502' });

    answer = (_req, res) => json(res, 500, { error: 'internal' });
    expect(await thrown(unwrap(createApi(baseUrl).GET('/api/me')))).toMatchObject({ status: 500, code: 'error', message: 'HTTP 500' });
  });

  test('a server that cannot be reached is status 0, network', async () => {
    // A port that was just listening and is closed now: the connection is refused.
    const gone = createServer();
    gone.listen(0, '127.0.0.1');
    await once(gone, 'listening');
    const port = (gone.address() as AddressInfo).port;
    gone.close();
    await once(gone, 'close');
    const err = await thrown(unwrap(createApi(`http://127.0.0.1:${port}`).GET('/api/me')));
    expect(err.status).toBe(0);
    expect(err.code).toBe('network');
    expect(err.message).toBeTruthy();
  });
});

describe('commands', () => {
  test('every command carries its own Idempotency-Key and the token; a read carries neither key', async () => {
    setToken('token-a');
    answer = (_req, res) => json(res, 200, project);
    const api = createApi(baseUrl);
    await unwrap(api.GET('/api/projects/{id}', { params: { path: { id: PROJECT_ID } } }));
    await unwrap(api.POST('/api/projects/{id}/withdrawal', { params: { path: { id: PROJECT_ID } }, body: { reason: '建设单位申请' } }));
    await unwrap(api.PUT('/api/projects/{id}/agent', { params: { path: { id: PROJECT_ID } }, body: { agent: 'agent-1' } }));
    await unwrap(api.POST('/api/projects/{id}/withdrawal', { params: { path: { id: PROJECT_ID } }, body: { reason: '建设单位申请' } }));
    expect(seen.map((s) => [s.method, s.authorization])).toEqual([
      ['GET', 'Bearer token-a'],
      ['POST', 'Bearer token-a'],
      ['PUT', 'Bearer token-a'],
      ['POST', 'Bearer token-a'],
    ]);
    expect(seen[0]?.idempotencyKey).toBeUndefined();
    const keys = seen.slice(1).map((s) => s.idempotencyKey);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The same command twice is two commands: each its own key.
    expect(new Set(keys).size).toBe(3);
  });

  test('a key the page chose is kept (a repair sent again from the page is the same repair)', async () => {
    answer = (_req, res) => json(res, 200, project);
    await unwrap(createApi(baseUrl).POST('/api/projects/{id}/withdrawal', { params: { path: { id: PROJECT_ID } }, headers: { 'idempotency-key': 'chosen-key' }, body: { reason: '建设单位申请' } }));
    expect(seen.map((s) => s.idempotencyKey)).toEqual(['chosen-key']);
  });

  test('a 503 busy is sent again with the same key and body until it is taken', async () => {
    let calls = 0;
    answer = (_req, res) => {
      calls++;
      if (calls <= 2) json(res, 503, { error: 'busy', message: 'the project did not take the command in time; send the same request again with the same Idempotency-Key' });
      else json(res, 200, project);
    };
    const result = await unwrap(createApi(baseUrl).POST('/api/projects/{id}/withdrawal', { params: { path: { id: PROJECT_ID } }, body: { reason: '建设单位申请' } }));
    expect(result).toEqual(project);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.idempotencyKey)).size).toBe(1);
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual(Array(3).fill(['POST', `/api/projects/${PROJECT_ID}/withdrawal`, JSON.stringify({ reason: '建设单位申请' })]));
  });

  test('at most three resends: the fourth busy answer is the person’s to read', async () => {
    answer = (_req, res) => json(res, 503, { error: 'busy', message: 'still busy' });
    const err = await thrown(unwrap(createApi(baseUrl).PUT('/api/projects/{id}/agent', { params: { path: { id: PROJECT_ID } }, body: { agent: 'agent-1' } })));
    expect(err).toMatchObject({ status: 503, code: 'busy', message: 'still busy' });
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => s.idempotencyKey)).size).toBe(1);
  });

  test('a 503 that is not busy, and a busy read, are not sent again', async () => {
    answer = (_req, res) => json(res, 503, { error: 'unavailable', message: 'the database is not reachable' });
    const err = await thrown(unwrap(createApi(baseUrl).POST('/api/projects/{id}/withdrawal', { params: { path: { id: PROJECT_ID } }, body: { reason: '建设单位申请' } })));
    expect(err).toMatchObject({ status: 503, code: 'unavailable' });
    expect(seen).toHaveLength(1);

    seen = [];
    answer = (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html>maintenance</html>');
    };
    await thrown(unwrap(createApi(baseUrl).POST('/api/projects/{id}/withdrawal', { params: { path: { id: PROJECT_ID } }, body: { reason: '建设单位申请' } })));
    expect(seen).toHaveLength(1);

    // Only commands are sent again (a page reloads what it reads).
    seen = [];
    answer = (_req, res) => json(res, 503, { error: 'busy', message: 'busy' });
    await thrown(unwrap(createApi(baseUrl).GET('/api/projects/{id}', { params: { path: { id: PROJECT_ID } } })));
    expect(seen).toHaveLength(1);
  });
});

describe('the session', () => {
  test('a 401 for the token in use ends the session', async () => {
    const ended = jest.fn();
    onUnauthorized(ended);
    setToken('token-a');
    answer = (_req, res) => json(res, 401, { error: 'unauthorized', message: 'token expired' });
    const err = await thrown(unwrap(createApi(baseUrl).GET('/api/projects/{id}', { params: { path: { id: PROJECT_ID } } })));
    expect(err).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(ended).toHaveBeenCalledTimes(1);
  });

  test('a 401 from /api/me (the token being tried at sign-in) is the sign-in page’s, not a sign-out', async () => {
    const ended = jest.fn();
    onUnauthorized(ended);
    setToken('token-typed');
    answer = (_req, res) => json(res, 401, { error: 'unauthorized', message: 'invalid token' });
    await thrown(unwrap(createApi(baseUrl).GET('/api/me')));
    expect(ended).not.toHaveBeenCalled();
  });

  test('a 401 for an earlier token, or with no token, does not end the session', async () => {
    const ended = jest.fn();
    onUnauthorized(ended);
    // No token: nothing to end.
    answer = (_req, res) => json(res, 401, { error: 'unauthorized', message: 'sign in' });
    await thrown(unwrap(createApi(baseUrl).GET('/api/projects/{id}', { params: { path: { id: PROJECT_ID } } })));
    expect(ended).not.toHaveBeenCalled();

    // Sent with the old token, answered after the person signed in again with a new one.
    seen = [];
    setToken('token-old');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    answer = async (_req, res) => {
      await held;
      json(res, 401, { error: 'unauthorized', message: 'token expired' });
    };
    const call = unwrap(createApi(baseUrl).GET('/api/projects/{id}', { params: { path: { id: PROJECT_ID } } }));
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    setToken('token-new');
    release();
    await thrown(call);
    expect(seen[0]?.authorization).toBe('Bearer token-old');
    expect(ended).not.toHaveBeenCalled();
  });
});

describe('actions', () => {
  test('an applied action is the project after it', async () => {
    answer = (_req, res) => json(res, 200, project);
    const api = createApi(baseUrl);
    await expect(unwrapAction(api.PUT('/api/projects/{id}/agent', { params: { path: { id: PROJECT_ID } }, body: { agent: 'agent-1' } }))).resolves.toEqual(project);
  });

  test('a held action (202) is an ApiError 202 held with the server’s words, not a project', async () => {
    const message = 'the project is not making progress; the action is held and applied when it runs again';
    answer = (_req, res) => json(res, 202, { held: true, project: PROJECT_ID, command: 'assignAgent', message });
    const err = await thrown(unwrapAction(createApi(baseUrl).PUT('/api/projects/{id}/agent', { params: { path: { id: PROJECT_ID } }, body: { agent: 'agent-1' } })));
    expect(err).toMatchObject({ status: 202, code: 'held', message });
  });
});
