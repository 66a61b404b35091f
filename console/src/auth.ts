/**
 * Signing in. Locally, `npm start` prints a Console URL whose fragment carries a session token (`#session=…`):
 * it is moved to sessionStorage and removed from the address bar (so it is not bookmarked or shared by
 * accident). Deployed, Amazon Cognito's hosted UI signs people in (OAuth 2.0 authorization code + PKCE, RFC
 * 7636; a public client, so no secret in the page) and the ID token goes to sessionStorage: gone when the tab
 * closes, never in localStorage.
 */
export type ConsoleConfig = { auth: 'local' } | { auth: 'cognito'; domain: string; clientId: string };

const TOKEN = 'scimlink.token';
const PKCE = 'scimlink.pkce';

export type SignIn = { token: string } | { redirecting: true } | { signedOut: string };

/** Where Cognito sends people back: the console's canonical URL (registered as callback and sign-out URL). */
export const consoleUrl = (apiBase: string) => `${location.origin}${apiBase}/console/`;

export async function signIn(config: ConsoleConfig, apiBase: string): Promise<SignIn> {
  return config.auth === 'cognito' ? cognitoSignIn(config, apiBase) : localSignIn();
}

function localSignIn(): SignIn {
  const m = /^#session=([^&]+)/.exec(location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN, decodeURIComponent(m[1]));
    history.replaceState(null, '', `${location.pathname}${location.search}#/`);
  }
  const token = sessionStorage.getItem(TOKEN);
  if (token) return { token };
  return { signedOut: 'You are not signed in. Open the Console URL that npm start printed: it signs you in as the local operator.' };
}

async function cognitoSignIn(config: { domain: string; clientId: string }, apiBase: string): Promise<SignIn> {
  const domain = config.domain.replace(/\/+$/, '');
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (code || error) {
    const saved = JSON.parse(sessionStorage.getItem(PKCE) ?? 'null') as { verifier: string; state: string; hash: string } | null;
    sessionStorage.removeItem(PKCE);
    history.replaceState(null, '', `${location.pathname}${saved?.hash || '#/'}`);
    if (error) return { signedOut: `Sign-in failed: ${params.get('error_description') ?? error}.` };
    if (!saved || saved.state !== params.get('state')) return { signedOut: 'Sign-in was interrupted (the answer did not match this tab). Sign in again.' };
    const res = await fetch(`${domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.clientId,
        code: code ?? '',
        redirect_uri: consoleUrl(apiBase),
        code_verifier: saved.verifier,
      }),
    }).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as { id_token?: string } | undefined;
    if (!res?.ok || !body?.id_token) return { signedOut: 'Sign-in could not be completed (the sign-in service did not issue a token). Sign in again.' };
    sessionStorage.setItem(TOKEN, body.id_token);
    return { token: body.id_token };
  }
  const token = sessionStorage.getItem(TOKEN);
  if (token && !expired(token)) return { token };
  sessionStorage.removeItem(TOKEN);
  await redirectToSignIn(domain, config.clientId, apiBase);
  return { redirecting: true };
}

async function redirectToSignIn(domain: string, clientId: string, apiBase: string) {
  const verifier = random(32);
  const state = random(16);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state, hash: location.hash }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: consoleUrl(apiBase),
    scope: 'openid email profile',
    state,
    code_challenge_method: 'S256',
    code_challenge: base64url(new Uint8Array(digest)),
  });
  location.assign(`${domain}/oauth2/authorize?${query}`);
}

/** Forget the token; deployed, also end the Cognito session (else the hosted UI would sign straight back in). */
export function signOut(config: ConsoleConfig, apiBase: string): string {
  sessionStorage.removeItem(TOKEN);
  if (config.auth === 'cognito') {
    const query = new URLSearchParams({ client_id: config.clientId, logout_uri: consoleUrl(apiBase) });
    location.assign(`${config.domain.replace(/\/+$/, '')}/logout?${query}`);
    return 'Signing out…';
  }
  return 'You are signed out. Open the Console URL that npm start printed to sign in again.';
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN);
}

/** A minute early, so a request never leaves with a token that expires on the way. */
function expired(jwt: string): boolean {
  try {
    const payload = JSON.parse(atob((jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now() + 60_000;
  } catch {
    return true;
  }
}

function random(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
