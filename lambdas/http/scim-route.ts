import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { Principal, credentials } from '../auth/authenticator';
import { REQUEST_LOG_MESSAGE } from '../log/provisioning-log';
import { ScimError } from '../scim/errors';
import { UserService, type UserWrites } from '../scim/user-service';
import { ScimDeps, scimDeps } from '../runtime/deps';
import { withDeadline } from './deadline';
import { ScimEvent, bodySizeLimit, parseJsonBody, requestLog, scimErrors } from './middleware';
import { ScimRequest, lowerCaseHeaders, tenantBaseUrl } from './request';
import { ScimResult, toProxyResult } from './response';

export interface ScimRouteContext {
  req: ScimRequest;
  /** Resolves when the bearer token is valid for the tenant URL; rejects with 401. */
  principal: Promise<Principal>;
  /**
   * The parsed JSON body (undefined when none), once the caller is authenticated: rejects with 401 before that,
   * with 415/400 when malformed. A body of a caller who is not authenticated is never parsed.
   */
  body(): Promise<unknown>;
  users: UserService;
  /** Extra fields for this request's log line (e.g. ignored attributes). */
  log: Record<string, unknown>;
  deps: ScimDeps;
}

/**
 * The shared middy chain of every SCIM operation: request log → SCIM errors → body size → the operation.
 *
 * Nothing is done for a caller who is not authenticated but one bounded read (issue 13): a request without a
 * token or with a malformed tenant URL is refused before any read; otherwise authentication's key read of the
 * integration item goes out together with the operation's first *key* read (one BatchGetItem: a user by id, or a
 * uniqueness sentinel), and everything else — queries, further reads, parsing the body, writes — waits for
 * authentication to succeed. The response is released only after it did, whatever the operation did. Handlers
 * that create or change users pass `writes` (the validator, and for PATCH the patch engine): the others do not
 * bundle them.
 */
export function scimRoute(operation: (ctx: ScimRouteContext) => Promise<ScimResult>, options: { writes?: UserWrites } = {}) {
  const logger = () => scimDeps().logger;
  // middy's own early timeout is off: it answers 500 and shares one AbortController between concurrent
  // invocations (the local server runs many); withDeadline answers 503 and aborts this request's work only.
  return middy<ScimEvent, APIGatewayProxyResult>({ timeoutEarlyInMillis: 0 })
    .use(requestLog(logger, REQUEST_LOG_MESSAGE, () => scimDeps().requestSink))
    .use(scimErrors(logger))
    .use(bodySizeLimit())
    .handler((event: ScimEvent, context) => withDeadline(context, () => scimOperation(event, operation, options)));
}

async function scimOperation(event: ScimEvent, operation: (ctx: ScimRouteContext) => Promise<ScimResult>, options: { writes?: UserWrites }) {
  const deps = scimDeps();
  const headers = lowerCaseHeaders(event.headers);
  const presented = credentials(event.pathParameters?.tenant, headers['authorization']);
  const principal = deps.authenticator.verify(presented);
  principal.catch(() => undefined); // awaited below; this only silences the unhandled-rejection warning
  const req: ScimRequest = {
    method: event.httpMethod,
    headers,
    query: queryOf(event),
    params: Object.fromEntries(Object.entries(event.pathParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
    baseUrl: tenantBaseUrl(event, headers),
  };
  const log: Record<string, unknown> = {};
  event.logFields = log;
  let parsed: Promise<unknown> | undefined;
  const body = () =>
    (parsed ??= principal.then(() => {
      const value = parseJsonBody(event);
      // The one personal datum the provisioning log keeps: the userName the request was about.
      const sentUserName = (value as { userName?: unknown } | undefined)?.userName;
      if (typeof sentUserName === 'string') log.userName = sentUserName;
      return value;
    }));
  const users = new UserService(deps.users, presented.accountId, principal, req.baseUrl, options.writes);
  // "Last request seen" is written once authenticated, alongside the operation, never failing it.
  const seen = principal
    .then((p) => deps.lastSeen(p.accountId))
    .catch((e: unknown) => {
      if (!(e instanceof ScimError)) deps.logger.warn('could not record last request time', { error: e as Error });
    });
  let result: ScimResult;
  try {
    result = await operation({ req, principal, body, users, log, deps });
  } finally {
    // Whatever happened, an unauthenticated caller learns nothing but 401.
    log.accountId = (await principal).accountId;
  }
  await seen;
  const resultUserName = (result.body as { userName?: unknown } | undefined)?.userName;
  if (typeof resultUserName === 'string') log.userName = resultUserName;
  return toProxyResult(result);
}

/** RFC 7644 query parameters, matched case-insensitively (clients send `startindex`, `Filter`, …). */
const QUERY_NAMES = ['filter', 'startIndex', 'count', 'cursor', 'attributes', 'excludedAttributes', 'sortBy', 'sortOrder'];
const CANONICAL_QUERY = new Map(QUERY_NAMES.map((n) => [n.toLowerCase(), n]));

function queryOf(event: APIGatewayProxyEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) {
    if (v !== undefined) out[CANONICAL_QUERY.get(k.toLowerCase()) ?? k] = v;
  }
  return out;
}
