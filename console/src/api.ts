/**
 * The admin API as the console calls it: `${apiBase}/console/api/...` with the signed-in person's token. Every
 * failure becomes an Error whose message is one plain sentence to show next to the action that failed.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Session {
  apiBase: string;
  token: () => string | undefined;
  /** Called on a 401: the session is gone (expired, or the local server restarted). */
  unauthorized: () => void;
}

let session: Session | undefined;

export function configureApi(s: Session): void {
  session = s;
}

/** The page path before '/console' (the API Gateway stage when deployed, '' locally). */
export function apiBaseOf(pathname: string): string {
  const i = pathname.lastIndexOf('/console');
  return i > 0 ? pathname.slice(0, i) : '';
}

/** GETs started early (during sign-in, beside /me) and handed to the first view that asks for them. */
const early = new Map<string, Promise<unknown>>();

/** Start a GET now, so the first page does not wait for /me first: one round trip less on first load. */
export function prefetch(path: string): void {
  const p = api('GET', path);
  p.catch(() => undefined); // reported when the view takes it, not as an unhandled rejection
  early.set(path, p);
}

/** Forget what no view took (data fetched for one page must not be served stale to a later one). */
export const dropPrefetched = () => early.clear();

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const ready = method === 'GET' ? early.get(path) : undefined;
  if (ready) {
    early.delete(path);
    return ready as Promise<T>;
  }
  if (!session) throw new ApiError(0, 'The console is not signed in.');
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = session.token();
  // API Gateway's Cognito authorizer reads the raw ID token from Authorization (the local adapter accepts it too).
  if (token) headers.Authorization = token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${session.apiBase}/console/api${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'Could not reach scimlink. Check your connection and try again.');
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (res.ok) return data as T;
  if (res.status === 401) session.unauthorized();
  throw new ApiError(res.status, plainWords(res.status, data));
}

function plainWords(status: number, data: unknown): string {
  if (status === 401) return 'Your sign-in is no longer valid. Sign in again.';
  // Admin operations answer { message }; API Gateway's own answers (throttling, unknown route) carry the SCIM
  // error body of lib/gateway-responses.ts, whose words are in `detail`.
  const body = data as { message?: unknown; detail?: unknown } | undefined;
  const message = body?.message ?? body?.detail;
  if (status >= 500 && status !== 503) return 'scimlink had an internal problem (it has been logged). Try again in a moment.';
  if (typeof message !== 'string' || message === '') return `The request failed (HTTP ${status}).`;
  return sentence(message);
}

/** "account x not found" → "Account x not found." */
export const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;

export const enc = encodeURIComponent;
