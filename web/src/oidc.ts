// Signing in at the district's identity provider (OpenID Connect): the authorization code flow with PKCE
// (RFC 7636, S256), as a browser app without a secret must. The console's client id there is the API's
// audience; the provider sends the person back to /sign-in with a code, which is redeemed here for the
// access token the API verifies. What the round trip needs to remember waits in sessionStorage.
const KEY = 'one-window.sign-in';

interface Pending {
  state: string;
  verifier: string;
  tokenEndpoint: string;
  clientId: string;
  /** The page the person was on before signing in. */
  from?: string;
}

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const random = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(n)));
const redirectUri = () => `${window.location.origin}/sign-in`;

/** Failures of the round trip, in words a person can pass on (the provider's own when it gives them). */
export class SignInError extends Error {}

/** Sends the browser to the provider's login page. */
export async function beginSignIn(issuer: string, clientId: string, from?: string): Promise<void> {
  const discovery = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`).then(
    (res) => (res.ok ? (res.json() as Promise<{ authorization_endpoint?: string; token_endpoint?: string }>) : Promise.reject(new SignInError(`${issuer}: HTTP ${res.status}`))),
    () => Promise.reject(new SignInError(`${issuer} cannot be reached`)),
  );
  if (!discovery.authorization_endpoint || !discovery.token_endpoint) throw new SignInError(`${issuer} names no authorization or token endpoint`);
  const verifier = random(32);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const pending: Pending = { state: random(16), verifier, tokenEndpoint: discovery.token_endpoint, clientId, ...(from !== undefined && { from }) };
  sessionStorage.setItem(KEY, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri(), scope: 'openid profile', state: pending.state, code_challenge: challenge, code_challenge_method: 'S256' })) {
    url.searchParams.set(k, v);
  }
  window.location.assign(url.toString());
}

/** Whether this address is the provider sending the person back (a code or an error). */
export const isReturn = (params: URLSearchParams) => params.has('code') || params.has('error');

/** Redeems the code the provider sent back; answers the token for the API and where the person was. */
export async function finishSignIn(params: URLSearchParams): Promise<{ token: string; from?: string }> {
  const saved = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  const error = params.get('error');
  if (error) throw new SignInError(params.get('error_description') ?? error);
  const pending = saved ? (JSON.parse(saved) as Pending) : null;
  // A code for another sign-in (or none started here) is refused: it could be someone else's.
  if (!pending || pending.state !== params.get('state')) throw new SignInError('the sign-in was not started in this browser tab; sign in again');
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code') ?? '', redirect_uri: redirectUri(), client_id: pending.clientId, code_verifier: pending.verifier }),
  }).catch(() => Promise.reject(new SignInError('the identity provider cannot be reached')));
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) throw new SignInError(body.error_description ?? body.error ?? `HTTP ${res.status}`);
  return { token: body.access_token, ...(pending.from !== undefined && { from: pending.from }) };
}
