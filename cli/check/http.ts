/**
 * The check's SCIM client: sends requests the way Entra does (bearer token, `application/scim+json` bodies,
 * query strings encoded by the caller exactly as Entra encodes them) and records every exchange for the
 * report. It never throws for an HTTP or network failure: a step decides what an answer means.
 */
import { SYNTHETIC_HEADER, SYNTHETIC_HEADER_VALUE } from '../../lambdas/scim/synthetic';
import { summarizeAnswer, summarizeBody } from './summary';
import type { Exchange, ScimSender } from './types';

/** Entra gives up on a request after a while too; a stuck endpoint must not hang the check. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface ScimClientOptions {
  /** The tenant URL, without a trailing slash. */
  base: string;
  token: string;
  fetch: typeof fetch;
  timeoutMs?: number;
}

export class ScimClient implements ScimSender {
  /** How many requests went out (the report shows it; tests assert read-only sends no write). */
  sent = 0;

  constructor(private readonly options: ScimClientOptions) {}

  /** The tenant URL requests are relative to. */
  get base(): string {
    return this.options.base;
  }

  /**
   * `path` is relative to the tenant URL and already encoded (`/Users?filter=userName+eq+%22x%22`): the point
   * is to send Entra's encodings byte for byte, so nothing here re-encodes it.
   */
  async send(method: string, path: string, body: unknown, signal: AbortSignal): Promise<Exchange> {
    const request = { method, path, ...(body !== undefined ? { body: summarizeBody(body) } : {}) };
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.token}`,
      Accept: 'application/scim+json',
      // scimlink marks these requests synthetic (not "last request from Entra"; logged as the check's); any
      // other SCIM server ignores an unknown header.
      [SYNTHETIC_HEADER]: SYNTHETIC_HEADER_VALUE,
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = 'application/scim+json';
    // After Ctrl-C nothing new goes out (the cleanup has its own signal).
    signal.throwIfAborted();
    const started = performance.now();
    this.sent += 1;
    try {
      const res = await this.options.fetch(`${this.options.base}${path}`, {
        method,
        headers,
        ...(payload !== undefined ? { body: payload } : {}),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS)]),
      });
      const text = await res.text();
      const ms = performance.now() - started;
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      const contentType = res.headers.get('content-type') ?? undefined;
      const retryAfter = res.headers.get('retry-after') ?? undefined;
      const answerBody = summarizeAnswer(text);
      return {
        request,
        answer: {
          status: res.status,
          ...(contentType ? { contentType } : {}),
          ...(answerBody ? { body: answerBody } : {}),
          ...(retryAfter ? { retryAfter } : {}),
        },
        json,
        ms,
      };
    } catch (e) {
      // Ctrl-C is not the endpoint's fault: let the engine see the abort as such.
      if (signal.aborted) throw signal.reason;
      return { request, answer: { status: 0, body: networkReason(e) }, json: undefined, ms: performance.now() - started };
    }
  }
}

/** Why no HTTP answer came (the report prints it as "no answer (…)"). */
function networkReason(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return `timed out after ${REQUEST_TIMEOUT_MS / 1000} s`;
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}
