import { randomUUID } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { ScimError, notFound } from '../lambdas/scim/errors';
import { errorResult, toProxyResult } from '../lambdas/http/response';
import { RouteDef } from '../lambdas/routes';
import { FUNCTION_TIMEOUT_SECONDS } from '../lambdas/http/deadline';
import { ProxyHandler } from './handlers';
import { matchRoute } from './router';

/** API Gateway's own payload limit; the handlers enforce the (smaller) SCIM limit with a 413. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The local stand-in for API Gateway (REST API, Lambda proxy integration): each HTTP request becomes the same
 * `APIGatewayProxyEvent` the deployed functions receive, and is answered by the same handler module.
 */
export function createHttpAdapter(
  routes: RouteDef[],
  handlers: Record<string, ProxyHandler>,
  /** Local-only endpoints (e.g. the events stream) tried first; return true when handled. */
  local: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean = () => false,
  /** Routes behind API Gateway's COGNITO_USER_POOLS authorizer, which the adapter plays (see `CognitoStandIn`). */
  cognito?: CognitoStandIn,
  /** The Host names requests may carry and the public address URLs are built from (see `localAddress`). */
  address?: LocalAddress,
): LocalServer {
  const cognitoRoutes = new Set(cognito?.routes ?? []);
  // Requests being answered (not the long-lived local streams): `whenIdle` waits for them on shutdown.
  let active = 0;
  const idle: Array<() => void> = [];
  const server = createServer((req, res) => {
    // Once close() has begun, a kept-alive socket ends with its response instead of idling until the client's
    // keep-alive timeout: requests in flight at Ctrl-C finish, then nothing holds the process.
    const socket = req.socket;
    res.once('finish', () => {
      if (!server.listening) socket.end();
    });
    active += 1;
    let counted = true;
    const settle = () => {
      if (!counted) return;
      counted = false;
      active -= 1;
      if (active === 0) for (const resolve of idle.splice(0)) resolve();
    };
    handle(req, res, settle).finally(settle).catch((e: unknown) => {
      // Only reachable by a bug in this adapter: never leave the socket hanging.
      console.error('local adapter error', e);
      if (!res.headersSent) send(res, toProxyResult(errorResult(new ScimError(500, 'Internal error in the local adapter'))));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, detach: () => void) {
    const url = new URL(req.url ?? '/', 'http://local');
    // DNS rebinding: a web page on evil.example whose name resolves to 127.0.0.1 reaches this server from the
    // victim's browser with `Host: evil.example`. Only this server's own names are answered.
    const host = req.headers.host?.toLowerCase();
    if (address && (!host || !address.hosts.has(host))) {
      sendScimError(res, new ScimError(421, `This server does not answer to Host '${host ?? ''}'; use ${address.public.origin} (PUBLIC_URL sets another address).`));
      return;
    }
    if (local(req, res, url)) {
      detach(); // a local stream (SSE) stays open until its client or close() ends it: not waited for
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (body === 'too-large') {
      send(res, toProxyResult(errorResult(new ScimError(413, `The request body is larger than ${GATEWAY_MAX_BYTES} bytes.`))));
      return;
    }
    const match = matchRoute(routes, method, url.pathname);
    if (match === undefined) {
      send(res, toProxyResult(errorResult(notFound(`No SCIM endpoint at ${url.pathname}`))));
      return;
    }
    if (match === 'method-not-allowed') {
      send(res, toProxyResult(errorResult(new ScimError(405, `${method} is not supported on ${url.pathname}`))));
      return;
    }
    const handler = handlers[match.route.handler];
    if (!handler) throw new Error(`No handler module ${match.route.handler}`);
    let claims: Record<string, string> | undefined;
    if (cognito && cognitoRoutes.has(match.route)) {
      claims = cognito.claims(req.headers.authorization);
      // What API Gateway answers when the authorizer refuses the token: the handler never runs.
      if (!claims) {
        send(res, { statusCode: 401, headers: { 'Content-Type': 'application/json' }, body: '{"message":"Unauthorized"}' });
        return;
      }
    }
    const event = toEvent(req, method, url, match.route.path, match.params, body, claims);
    // URLs in answers (tenant URLs, meta.location) come from the configured address, never from the request.
    if (address) {
      event.headers.host = address.public.host;
      event.headers['x-forwarded-proto'] = address.public.protocol.replace(':', '');
    }
    const result = await handler(event, lambdaContext(match.route.handler));
    send(res, result);
  }

  return Object.assign(server, {
    whenIdle: () => (active === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
  });
}

/** The local adapter's server: `whenIdle` resolves once no request is being answered (local streams aside). */
export type LocalServer = Server & { whenIdle(): Promise<void> };

function toEvent(
  req: IncomingMessage,
  method: string,
  url: URL,
  resource: string,
  params: Record<string, string>,
  body: string,
  claims: Record<string, string> | undefined,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.join(',') : v;
    multiValueHeaders[k] = Array.isArray(v) ? v : [v];
  }
  headers['x-forwarded-proto'] ??= 'http';
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(query).length > 0;
  return {
    httpMethod: method,
    path: url.pathname,
    resource,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: params,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      path: url.pathname,
      stage: 'local',
      requestId: randomUUID(),
      httpMethod: method,
      resourcePath: resource,
      // Where API Gateway puts the ID token's claims once its Cognito authorizer accepted the token.
      ...(claims ? { authorizer: { claims } } : {}),
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/**
 * The local authorizer of the console routes: the claims of a valid token (from the `Authorization` header), or
 * undefined → 401 before any handler runs, as API Gateway does.
 */
export interface CognitoStandIn {
  routes: RouteDef[];
  claims: (authorization: string | undefined) => Record<string, string> | undefined;
}

/** As Lambda gives it: the time left of the function's timeout, counted from the invocation (lib/handler-function.ts). */
function lambdaContext(name: string): Context {
  const deadline = Date.now() + FUNCTION_TIMEOUT_SECONDS * 1000;
  return {
    functionName: name,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  } as unknown as Context;
}

function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > GATEWAY_MAX_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Where the local server is reached: its public origin, and every `Host` value it answers to. */
export interface LocalAddress {
  public: URL;
  hosts: Set<string>;
}

const ANY_INTERFACE = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The public address is `publicUrl` when given (a tunnel, a LAN name), else `http://<host>:<port>` — with
 * 127.0.0.1 for a server bound to every interface, since 0.0.0.0 is not an address a client can use. Loopback
 * names on the port are always accepted (the machine's own tools), plus the public host.
 */
export function localAddress(host: string, port: number, publicUrl?: string): LocalAddress {
  const bound = ANY_INTERFACE.has(host) ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const pub = new URL(publicUrl ?? `http://${bound}:${port}`);
  const hosts = new Set([`${bound}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, pub.host.toLowerCase()]);
  return { public: pub, hosts };
}

/** PUBLIC_URL as an origin: http(s), no path, query or credentials (the routes live at the root). */
export function parsePublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`PUBLIC_URL '${raw}' is not a URL (e.g. https://abc.example.dev)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PUBLIC_URL must start with http:// or https://, got '${raw}'`);
  if (url.username || url.password || url.search || url.hash || url.pathname.replace(/\/+$/, '') !== '') {
    throw new Error(`PUBLIC_URL must be an origin only (scheme, host, port), got '${raw}'`);
  }
  return url.origin;
}

export function sendScimError(res: ServerResponse, error: ScimError) {
  send(res, toProxyResult(errorResult(error)));
}

function send(res: ServerResponse, result: { statusCode: number; headers?: Record<string, unknown>; body: string }) {
  res.writeHead(result.statusCode, result.headers as Record<string, string>);
  res.end(result.body);
}
