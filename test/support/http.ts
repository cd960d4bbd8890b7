// A caller of the API over real HTTP: JSON in and out, an optional bearer token and extra headers.
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export function apiCaller(port: () => number) {
  return async function call<T = any>(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const res = await fetch(`http://127.0.0.1:${port()}${path}`, {
      method,
      headers: {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      // A string is sent as it is (to send malformed JSON on purpose).
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      // No answer within this is a hang, and fails the test rather than stalling it.
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers };
  };
}

/** Registers a project over HTTP as the window (a general project in jinshanwei with power unless told
 *  otherwise) and, with `design`, submits its design application; answers its id. */
export async function registerProject(call: ReturnType<typeof apiCaller>, registration: Record<string, unknown> & { name: string }, { design = false } = {}): Promise<string> {
  const registered = await call('POST', '/api/projects', 'dev-window', {
    applicant: { name: '上海金山卫某某实业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'jinshanwei',
    utilities: ['power'],
    ...registration,
  });
  if (registered.status !== 201) throw new Error(`registration refused: ${registered.status} ${JSON.stringify(registered.body)}`);
  const id = registered.body.id as string;
  if (design) {
    const applied = await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {});
    if (applied.status !== 200) throw new Error(`design application refused: ${applied.status} ${JSON.stringify(applied.body)}`);
  }
  return id;
}
