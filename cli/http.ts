/**
 * The admin API client: builds URLs under the admin base URL, authenticates (Bearer admin token locally, SigV4
 * when deployed), and turns every failure into a one-line CliError. It never puts the token or credentials in
 * a message.
 */
import type { AdminErrorBody } from '../lambdas/admin/contract';
import { CliError, UsageError, oneLine } from './errors';
import { signRequest } from './sigv4';

/** A stuck server must not hang a script forever. */
const TIMEOUT_MS = 30_000;

export interface ConnectionOptions {
  /** The admin base URL, e.g. http://127.0.0.1:8080/admin (`npm start` prints it as `Admin URL: …`). */
  url?: string;
  /** Local admin token (`npm start` prints it); absent → SigV4 with the caller's AWS credentials. */
  token?: string;
  region?: string;
  profile?: string;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
}

export type Query = Record<string, string | number | boolean | undefined>;

export class AdminClient {
  private readonly base: URL;

  constructor(private readonly options: ConnectionOptions) {
    if (!options.url) {
      throw new UsageError('no admin URL; pass --url or set SCIMLINK_ADMIN_URL (npm start prints it as "Admin URL: …")');
    }
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new UsageError(`the admin URL '${options.url}' is not a valid URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new UsageError(`the admin URL '${options.url}' must start with http:// or https://`);
    }
    if (base.username || base.password) {
      // Credentials belong in --token or the AWS chain, never in a URL that ends up in messages.
      throw new UsageError('the admin URL must not contain a user name or password; pass --token instead');
    }
    // `--url http://127.0.0.1:8080` would only earn `404 No SCIM endpoint at /accounts`: say what is missing.
    if (!/\/admin\/?$/.test(base.pathname)) {
      const suggested = `${base.origin}${base.pathname.replace(/\/+$/, '')}/admin`;
      throw new UsageError(`the admin URL ends in /admin (npm start prints it as "Admin URL: …"; deployed, the AdminUrl output): did you mean ${suggested}?`);
    }
    this.base = base;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  /** 204 answers resolve to undefined. */
  delete<T = void>(path: string, query?: Query): Promise<T> {
    return this.request<T>('DELETE', path, { query });
  }

  /** The URL an admin path resolves to (kept under the base path: `…/admin` + `/accounts`). */
  urlFor(path: string, query?: Query): URL {
    const url = new URL(this.base.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    url.search = '';
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private async request<T>(method: string, path: string, init: { query?: Query; body?: unknown }): Promise<T> {
    const url = this.urlFor(path, init.query);
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const authHeaders = this.options.token
      ? { authorization: `Bearer ${this.options.token}` }
      : await this.sign({ method, url, headers, ...(body !== undefined ? { body } : {}) });

    let res: Response;
    try {
      res = await this.options.fetch(url.href, {
        method,
        headers: { ...headers, ...authHeaders },
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      throw new CliError(this.unreachable(e));
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new CliError(this.httpFailure(res.status, text));
    if (res.status === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`the admin API at ${this.base.origin} answered ${res.status} with a body that is not JSON`);
    }
  }

  private async sign(request: Parameters<typeof signRequest>[0]): Promise<Record<string, string>> {
    try {
      return await signRequest(request, this.options);
    } catch (e) {
      if (e instanceof CliError) throw e;
      // The SDK's message names the providers it tried; it never contains key material.
      const reason = oneLine(e instanceof Error ? e.message : String(e));
      throw new CliError(`no usable AWS credentials to sign the request (${reason}); configure AWS credentials, or pass --token for a local server`);
    }
  }

  /** `<status> <message>` from the contract's error body, or the best one-line reason another body gives. */
  private httpFailure(status: number, text: string): string {
    let message: string | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<AdminErrorBody> & { Message?: string; detail?: string };
      // contract.ts `{status, message}`; API Gateway's own answers use `message`/`Message` (e.g. IAM denials).
      message = parsed.message ?? parsed.Message ?? parsed.detail;
    } catch {
      message = text.length > 0 && text.length <= 200 ? text : undefined;
    }
    let reason = `${status} ${oneLine(message ?? 'request failed')}`;
    // The local server's 401 already says which token to use; a SigV4 refusal comes from API Gateway and does not.
    if ((status === 401 || status === 403) && !this.options.token) {
      reason += ' (the request was signed with your AWS credentials; check they are allowed to invoke the admin API, or pass --token for a local server)';
    }
    return reason;
  }

  private unreachable(e: unknown): string {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
      return `the admin API at ${this.base.origin} did not answer within ${TIMEOUT_MS / 1000}s`;
    }
    const detail = oneLine(err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e));
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(this.base.hostname);
    return `cannot reach the admin API at ${this.base.origin} (${detail})${local ? '; is npm start running?' : ''}`;
  }
}
