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
