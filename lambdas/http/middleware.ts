import type middy from '@middy/core';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { ScimError, invalidSyntax } from '../scim/errors';
import { MAX_BODY_BYTES } from '../scim/discovery';
import { pathUnderTenant } from '../log/provisioning-log';
import { publicError, publicLogFields } from '../log/log-privacy';
import { seal } from '../log/sealed';
import { errorResult, internalError, toProxyResult } from './response';
import { outcomeOf, ruleOf } from '../scim/error-rules';
import { type Telemetry, operationName, recordRequest } from './telemetry';
import { headerValue } from './request';

import type { ScimEvent } from './scim-event';
export type { ScimEvent };
type Request = middy.Request<ScimEvent, APIGatewayProxyResult, Error, Context>;

/**
 * Errors → RFC 7644 §3.12 bodies. A ScimError is the client's to see; anything else is a bug or an
 * infrastructure fault: logged in full, answered with a generic 500 that leaks nothing.
 */
export const scimErrors = (logger: () => Logger): middy.MiddlewareObj<ScimEvent, APIGatewayProxyResult> => ({
  onError: async (request: Request) => {
    const e = request.error;
    if (e instanceof ScimError) {
      request.response = toProxyResult(errorResult(e));
      return;
    }
    logger().error('Unhandled error', { error: publicError(e) });
    request.response = toProxyResult(errorResult(internalError()));
  },
});

const JSON_TYPES = /^application\/(scim\+)?json\s*(;.*)?$/i;
/** JSON can only produce a "__proto__" key from those letters or from \uXXXX escapes. */
const MAYBE_PROTO_KEY = /__proto__|\\u/;

/**
 * 413 above the limit: the only look at a body before the caller is authenticated. Measured without decoding or
 * copying it (`byteLength(…, 'base64')` computes the decoded size).
 */
export function checkBodySize(event: ScimEvent): void {
  if (!event.body) return;
  if (Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8') > MAX_BODY_BYTES) {
    throw new ScimError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  }
}

/**
 * Request body: size limit (413), media type (application/scim+json or application/json, any charset, or
 * none), JSON syntax (400 invalidSyntax — never 415/422 for bad JSON). `__proto__` keys are dropped while
 * parsing so no later object copy can touch a prototype. Undefined when there is no body.
 */
export function parseJsonBody(event: ScimEvent): unknown {
  checkBodySize(event);
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const contentType = headerValue(event.headers, 'content-type');
  if (contentType !== undefined && contentType.trim() !== '' && !JSON_TYPES.test(contentType.trim())) {
    throw new ScimError(415, `Content-Type '${contentType}' is not supported; send application/scim+json.`);
  }
  try {
    // The reviver (a call per key) only when a key could be "__proto__": spelled out, or hidden in \u escapes.
    return MAYBE_PROTO_KEY.test(text) ? JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)) : JSON.parse(text);
  } catch (e) {
    // The reviver walks the parsed value recursively: a body nested thousands of levels deep overflows the
    // stack (a RangeError). No SCIM resource nests like that, so say so instead of echoing the engine's words.
    if (e instanceof RangeError) throw invalidSyntax('The request body is nested too deeply to be a SCIM resource.');
    throw invalidSyntax(`The request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** The admin chain's body parsing (its callers are authenticated by the gateway before the handler runs). */
export const scimBody = (): middy.MiddlewareObj<ScimEvent, APIGatewayProxyResult> => ({
  before: async (request: Request) => {
    request.event.parsedBody = parseJsonBody(request.event);
  },
});

/** The SCIM chain looks at a body's size only; it is parsed once the caller is authenticated (scimRoute). */
export const bodySizeLimit = (): middy.MiddlewareObj<ScimEvent, APIGatewayProxyResult> => ({
  before: async (request: Request) => {
    checkBodySize(request.event);
  },
});

/**
 * One structured log line per request: method, path under the tenant, status, duration, account, what was
 * ignored or rejected (and the rule code). Never headers (the token), never bodies, never the tenant key — and,
 * outside the account, no value of a user's data (issue 14): the line goes through `publicLogFields`, which drops
 * the userName and masks every value in the detail, the path and the ignored list. The same fields, unmasked, feed
 * the provisioning log the account's admins read: locally through `sink`, deployed sealed into the line under
 * `logKey` (../log/sealed.ts) for the log-ingest function to open. The request's metrics (`recordRequest`) are
 * written with it. Real faults log at ERROR; designed answers (the 501 of group writes, 429/503 that Entra
 * retries) and client errors at WARN.
 */
export const requestLog = (
  telemetry: () => Telemetry,
  message: string,
  sink: () => ((fields: Record<string, unknown>) => Promise<void>) | undefined = () => undefined,
  logKey: () => (() => Promise<Buffer>) | undefined = () => undefined,
): middy.MiddlewareObj<ScimEvent, APIGatewayProxyResult> => {
  const started = new WeakMap<object, number>();
  const write = async (request: Request) => {
    const { logger, metrics } = telemetry();
    const status = request.response?.statusCode ?? 500;
    const fields: Record<string, unknown> = {
      method: request.event.httpMethod,
      resource: request.event.resource,
      path: pathUnderTenant(request.event.path ?? ''),
      status,
      durationMs: Date.now() - (started.get(request.event) ?? Date.now()),
      ...request.event.logFields,
    };
    const error = request.error instanceof ScimError ? request.error : undefined;
    if (status >= 400) {
      fields.detail = errorDetail(request.response?.body);
      fields.rule = error ? ruleOf(error) : status >= 500 ? 'internal' : `http${status}`;
    }
    const line = publicLogFields(fields);
    const sealed = await sealedPart(fields, logKey());
    if (sealed) line.sealed = sealed;
    if (outcomeOf(status) === 'fault') logger.error(message, line);
    else if (status >= 400) logger.warn(message, line);
    else logger.info(message, line);
    recordRequest(metrics, {
      operation: operationName(request.event.httpMethod, request.event.resource),
      status,
      durationMs: fields.durationMs as number,
      rule: fields.rule as string | undefined,
      errorType: error?.scimType,
      accountId: typeof fields.accountId === 'string' ? fields.accountId : undefined,
    });
    await sink()?.(fields).catch((e: unknown) => logger.warn('provisioning log write failed', { error: publicError(e) }));
  };
  return {
    before: async (request: Request) => {
      started.set(request.event, Date.now());
      // Start reading the key (once per container) while the operation runs, not when the line is written.
      logKey()?.().catch(() => undefined);
    },
    after: write,
    onError: write,
  };
};

/** The account's own values, sealed: only for a request that reached an account (else no log entry exists). */
async function sealedPart(fields: Record<string, unknown>, key: (() => Promise<Buffer>) | undefined): Promise<string | undefined> {
  if (!key || typeof fields.accountId !== 'string' || fields.accountId === '') return undefined;
  const values = {
    ...(typeof fields.userName === 'string' ? { userName: fields.userName } : {}),
    ...(typeof fields.detail === 'string' ? { detail: fields.detail } : {}),
  };
  if (Object.keys(values).length === 0) return undefined;
  try {
    return seal(await key(), values);
  } catch {
    return undefined; // the key could not be read: the provisioning log shows the masked rule this once
  }
}

function errorDetail(body: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(body ?? '{}') as { detail?: string; message?: string };
    return parsed.detail ?? parsed.message;
  } catch {
    return undefined;
  }
}
