/**
 * API Gateway (REST API, Lambda proxy integrations) in front of the function environments, built from the
 * template by ./api-model.ts. A request to `http://127.0.0.1:<port>/<stage>/<path>` is matched on the resource
 * tree (literal parts before `{param}`, a single trailing slash ignored, `{proxy+}` greedy), authorised as the
 * method says (NONE; AWS_IAM: SigV4 verified with the caller's secret, then the caller's identity policy and the
 * API's resource policy; COGNITO_USER_POOLS: the ID token's signature, issuer and expiry), and turned into the
 * proxy event API Gateway sends (`multiValueHeaders`, decoded query, `requestContext` with the identity or the
 * claims, `isBase64Encoded`). Anything API Gateway answers by itself goes through the template's gateway responses.
 */
import { createPublicKey, randomUUID, verify as verifySignature } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { AwsCall } from './aws-endpoint';
import { ApiMethod, RestApiModel } from './api-model';
import { readBody, wildcard } from './http';
import { Statement, matches } from './iam';
import type { InvokeResult } from './lambda-runtime';
import { ACCOUNT, REGION } from './template';

/** An IAM principal the emulator knows (the test's operator): keys, ARN and the identity policy statements. */
export interface IamIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  arn: string;
  userId: string;
  policy: Statement[];
}

/** The user pool the Cognito authorizer trusts: its ARN and the public key its ID tokens are signed with. */
export interface UserPoolKeys {
  arn: string;
  issuer: string;
  publicKeyPem: string;
}

export interface GatewayDeps {
  invoke(functionArn: string, event: APIGatewayProxyEvent): Promise<InvokeResult>;
  identities: IamIdentity[];
  userPools: UserPoolKeys[];
}

/** The status API Gateway uses for each response type when the API does not set one. */
const DEFAULT_STATUS: Record<string, number> = {
  ACCESS_DENIED: 403, API_CONFIGURATION_ERROR: 500, AUTHORIZER_CONFIGURATION_ERROR: 500, AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_PARAMETERS: 400, BAD_REQUEST_BODY: 400, EXPIRED_TOKEN: 403, INTEGRATION_FAILURE: 504, INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403, INVALID_SIGNATURE: 403, MISSING_AUTHENTICATION_TOKEN: 403, QUOTA_EXCEEDED: 429, REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404, THROTTLED: 429, UNAUTHORIZED: 401, UNSUPPORTED_MEDIA_TYPE: 415, WAF_FILTERED: 403,
};
const DEFAULT_MESSAGE: Record<string, string> = {
  MISSING_AUTHENTICATION_TOKEN: 'Missing Authentication Token',
  UNAUTHORIZED: 'Unauthorized',
  ACCESS_DENIED: 'User is not authorized to access this resource',
  INVALID_SIGNATURE: 'The request signature we calculated does not match the signature you provided.',
  API_CONFIGURATION_ERROR: 'Internal server error',
  DEFAULT_5XX: 'Internal server error',
  REQUEST_TOO_LARGE: 'Request Too Long',
};
const MAX_PAYLOAD = 10 * 1024 * 1024;

export interface GatewayLogEntry {
  method: string;
  path: string;
  resourcePath?: string;
  status: number;
  responseType?: string;
  functionArn?: string;
}

export class ApiGatewayEmulator {
  private server!: Server;
  url = '';
  /** One line per request, like the stage's access log (the tests read it to prove which method answered). */
  readonly accessLog: GatewayLogEntry[] = [];

  constructor(
    readonly api: RestApiModel,
    private readonly deps: GatewayDeps,
  ) {}

  /** `<url>/<stage>`: what `API_BASE_URL` (the public URL) stands for here. */
  get stageUrl(): string {
    return `${this.url}/${this.api.stage}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`test harness error: ${e instanceof Error ? e.stack : String(e)}`);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://gateway');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const log: GatewayLogEntry = { method, path: url.pathname, status: 0 };
    this.accessLog.push(log);
    const fail = (type: string) => {
      log.responseType = type;
      log.status = this.gatewayResponse(res, type, requestId);
    };
    if (raw.length > MAX_PAYLOAD) return fail('REQUEST_TOO_LARGE');

    // Stage, then the resource tree. An unknown path or method is MISSING_AUTHENTICATION_TOKEN, as in AWS.
    const stagePrefix = `/${this.api.stage}`;
    if (url.pathname !== stagePrefix && !url.pathname.startsWith(`${stagePrefix}/`)) return fail('MISSING_AUTHENTICATION_TOKEN');
    const path = url.pathname.slice(stagePrefix.length) || '/';
    const match = this.match(method, path);
    if (!match) return fail('MISSING_AUTHENTICATION_TOKEN');
    const { method: m, params } = match;
    log.resourcePath = m.resourcePath;

    const headers = headerMaps(req.rawHeaders, this.api.domainName);
    const sourceArn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${this.api.apiId}/${this.api.stage}/${method}${path}`;
    let identity: Partial<Record<string, string | null>> = {};
    let authorizer: Record<string, unknown> | undefined;
    if (m.authorizationType === 'AWS_IAM') {
      const auth = await this.verifySigV4(req, url, raw);
      if (auth === 'missing') return fail('MISSING_AUTHENTICATION_TOKEN');
      if (auth === 'invalid') return fail('INVALID_SIGNATURE');
      if (!this.allowedByPolicies(auth, sourceArn)) return fail('ACCESS_DENIED');
      identity = { accountId: ACCOUNT, caller: auth.userId, accessKey: auth.accessKeyId, user: auth.userId, userArn: auth.arn };
    } else if (!this.allowedByPolicies(undefined, sourceArn)) {
      return fail('ACCESS_DENIED');
    }
    if (m.authorizationType === 'COGNITO_USER_POOLS') {
      const claims = this.verifyIdToken(m, headers.single);
      if (!claims) return fail('UNAUTHORIZED');
      authorizer = { claims };
    } else if (m.authorizationType === 'CUSTOM') {
      throw new Error(`${m.logicalId}: Lambda authorizers are not emulated`);
    }

    if (m.integrationType !== 'AWS_PROXY' || !m.functionArn) throw new Error(`${m.logicalId}: integration ${m.integrationType} is not emulated`);
    // API Gateway may only invoke the function if its resource policy says so (AWS::Lambda::Permission).
    const permitted = this.api.invokePermissions.some((p) => p.functionArn === m.functionArn && (!p.sourceArn || wildcard(p.sourceArn, sourceArn)));
    if (!permitted) return fail('API_CONFIGURATION_ERROR');
    log.functionArn = m.functionArn;

    const contentType = headers.single['Content-Type'] ?? headers.single['content-type'] ?? '';
    const binary = this.api.binaryMediaTypes.some((t) => wildcard(t, contentType.split(';')[0]?.trim() ?? ''));
    const query = queryMaps(url);
    const now = new Date();
    const event: APIGatewayProxyEvent = {
      resource: m.resourcePath,
      path,
      httpMethod: method,
      headers: headers.single,
      multiValueHeaders: headers.multi,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters: Object.keys(params).length > 0 ? params : null,
      stageVariables: null,
      requestContext: {
        resourceId: m.resourceId,
        resourcePath: m.resourcePath,
        httpMethod: method,
        extendedRequestId: requestId.slice(0, 16),
        requestTime: now.toUTCString(),
        path: `${stagePrefix}${path}`,
        accountId: ACCOUNT,
        protocol: 'HTTP/1.1',
        stage: this.api.stage,
        domainPrefix: this.api.apiId,
        requestTimeEpoch: now.getTime(),
        requestId,
        identity: {
          cognitoIdentityPoolId: null,
          accountId: null,
          cognitoIdentityId: null,
          caller: null,
          sourceIp: '127.0.0.1',
          principalOrgId: null,
          accessKey: null,
          cognitoAuthenticationType: null,
          cognitoAuthenticationProvider: null,
          userArn: null,
          userAgent: headers.single['User-Agent'] ?? headers.single['user-agent'] ?? null,
          user: null,
          apiKey: null,
          apiKeyId: null,
          clientCert: null,
          ...identity,
        },
        domainName: this.api.domainName,
        deploymentId: 'deployment',
        apiId: this.api.apiId,
        ...(authorizer ? { authorizer } : {}),
      } as unknown as APIGatewayProxyEvent['requestContext'],
      body: raw.length === 0 ? null : binary ? raw.toString('base64') : raw.toString('utf8'),
      isBase64Encoded: binary && raw.length > 0,
    };

    const result = await this.deps.invoke(m.functionArn, event);
    const out = result.ok ? (result.payload as Record<string, any> | null) : null; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!out || typeof out.statusCode !== 'number') {
      // A function error or a malformed proxy result: 502 "Internal server error".
      log.responseType = 'DEFAULT_5XX';
      log.status = this.gatewayResponse(res, 'DEFAULT_5XX', requestId, 502);
      return;
    }
    const outHeaders: Record<string, string | string[]> = { 'x-amzn-RequestId': requestId };
    for (const [k, v] of Object.entries((out.headers ?? {}) as Record<string, unknown>)) outHeaders[k] = String(v);
    for (const [k, v] of Object.entries((out.multiValueHeaders ?? {}) as Record<string, unknown[]>)) outHeaders[k] = v.map(String);
    const body = out.body === undefined || out.body === null ? '' : out.isBase64Encoded ? Buffer.from(String(out.body), 'base64') : String(out.body);
    res.writeHead(out.statusCode, outHeaders).end(body);
    log.status = out.statusCode;
  }

  /** Best match for `path`: literal parts win over `{param}`, which win over `{proxy+}`; one trailing slash ignored. */
  private match(method: string, path: string): { method: ApiMethod; params: Record<string, string> } | undefined {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const segments = trimmed === '/' ? [] : trimmed.slice(1).split('/');
    let best: { method: ApiMethod; params: Record<string, string>; score: number[] } | undefined;
    for (const m of this.api.methods) {
      if (m.httpMethod !== method && m.httpMethod !== 'ANY') continue;
      const pattern = m.resourcePath === '/' ? [] : m.resourcePath.slice(1).split('/');
      const params: Record<string, string> = {};
      const score: number[] = [];
      let ok = true;
      for (let i = 0; i < pattern.length && ok; i += 1) {
        const p = pattern[i] as string;
        const seg = segments[i];
        if (/^\{.+\+\}$/.test(p)) {
          if (segments.length <= i) ok = false;
          else params[p.slice(1, -2)] = segments.slice(i).map(decode).join('/');
          score.push(0);
          break;
        }
        if (seg === undefined || seg === '') ok = false;
        else if (/^\{.+\}$/.test(p)) {
          params[p.slice(1, -1)] = decode(seg);
          score.push(1);
        } else if (p === seg) score.push(2);
        else ok = false;
      }
      const greedy = pattern.some((p) => /^\{.+\+\}$/.test(p));
      if (!ok || (!greedy && pattern.length !== segments.length)) continue;
      score.push(m.httpMethod === method ? 1 : 0);
      if (!best || compare(score, best.score) > 0) best = { method: m, params, score };
    }
    return best && { method: best.method, params: best.params };
  }

  private async verifySigV4(req: IncomingMessage, url: URL, body: Buffer): Promise<IamIdentity | 'missing' | 'invalid'> {
    const authorization = String(req.headers.authorization ?? '');
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(authorization);
    if (!m) return 'missing';
    const [, accessKeyId, , region, service, signedHeaders, signature] = m;
    const identity = this.deps.identities.find((i) => i.accessKeyId === accessKeyId);
    if (!identity || service !== 'execute-api' || region !== REGION) return 'invalid';
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!date) return 'invalid';
    const signingDate = new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`);
    if (Math.abs(Date.now() - signingDate.getTime()) > 5 * 60_000) return 'invalid';
    const headers: Record<string, string> = {};
    for (const name of (signedHeaders as string).split(';')) headers[name] = String(req.headers[name] ?? '');
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
    }
    const signer = new SignatureV4({
      service: 'execute-api',
      region: REGION,
      credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey },
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      { method: req.method ?? 'GET', protocol: 'https:', hostname: headers.host ?? '', path: url.pathname, query, headers, ...(body.length > 0 ? { body: body.toString('utf8') } : {}) },
      { signingDate, unsignableHeaders: new Set(), signableHeaders: new Set(Object.keys(headers)) },
    );
    const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''))?.[1];
    return expected === signature ? identity : 'invalid';
  }

  /**
   * execute-api:Invoke for one request: an explicit Deny in the resource policy refuses; IAM callers need an Allow
   * from their identity policy or the resource policy (same account); other callers need the resource policy's
   * Allow when the API has one.
   */
  private allowedByPolicies(caller: IamIdentity | undefined, sourceArn: string): boolean {
    const call: AwsCall = { role: caller?.arn ?? 'anonymous', action: 'execute-api:Invoke', resource: sourceArn, context: caller ? { 'aws:PrincipalArn': caller.arn, 'aws:PrincipalAccount': ACCOUNT } : {} };
    const policy = this.api.resourcePolicy ?? [];
    const applies = (s: Statement) => matches(s, call) && (s.principals ?? []).some((p) => p === '*' || (caller && (p === caller.arn || p === ACCOUNT || p === `arn:aws:iam::${ACCOUNT}:root`)));
    if (policy.some((s) => s.effect === 'Deny' && applies(s))) return false;
    const resourceAllows = policy.some((s) => s.effect === 'Allow' && applies(s));
    if (!caller) return policy.length === 0 || resourceAllows;
    const identityAllows = caller.policy.some((s) => s.effect === 'Allow' && matches(s, call)) && !caller.policy.some((s) => s.effect === 'Deny' && matches(s, call));
    return identityAllows || resourceAllows;
  }

  /** The ID token's claims if its signature, issuer (one of the authorizer's pools), use and expiry hold. */
  private verifyIdToken(m: ApiMethod, headers: Record<string, string>): Record<string, string> | undefined {
    const headerName = /^method\.request\.header\.(.+)$/.exec(m.authorizer?.identitySource ?? '')?.[1]?.toLowerCase();
    const token = Object.entries(headers).find(([k]) => k.toLowerCase() === headerName)?.[1];
    if (!token) return undefined;
    const [h, p, s] = token.replace(/^Bearer /, '').split('.');
    if (!h || !p || !s) return undefined;
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const pool = this.deps.userPools.find((u) => (m.authorizer?.providerArns ?? []).includes(u.arn) && u.issuer === claims.iss);
    if (!pool) return undefined;
    const ok = verifySignature('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey(pool.publicKeyPem), Buffer.from(s, 'base64url'));
    if (!ok || claims.token_use !== 'id' || typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return undefined;
    // The REST authorizer hands claims over as strings (lists as "[a b]").
    return Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));
  }

  /** Answers a gateway response of `type` (falling back to DEFAULT_4XX/5XX) with its template rendered. */
  private gatewayResponse(res: ServerResponse, type: string, requestId: string, status?: number): number {
    const code = status ?? DEFAULT_STATUS[type] ?? 500;
    const def = this.api.gatewayResponses.get(type) ?? this.api.gatewayResponses.get(code >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    const message = DEFAULT_MESSAGE[type] ?? DEFAULT_MESSAGE.DEFAULT_5XX ?? '';
    const statusCode = status ?? Number(def?.statusCode ?? code);
    const template = def?.templates['application/json'] ?? Object.values(def?.templates ?? {})[0];
    const body = template
      ? template
          .replaceAll('$context.requestId', requestId)
          .replaceAll('$context.error.messageString', JSON.stringify(message))
          .replaceAll('$context.error.message', message)
          .replaceAll('$context.error.responseType', type)
      : JSON.stringify({ message });
    res.writeHead(statusCode, { 'Content-Type': 'application/json', ...(def?.headers ?? {}), 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': type }).end(body);
    return statusCode;
  }
}

/** Headers as API Gateway passes them: names as sent, `headers` with the last value, `multiValueHeaders` all. */
function headerMaps(rawHeaders: string[], domainName: string): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    let name = rawHeaders[i] as string;
    let value = rawHeaders[i + 1] as string;
    // The client called 127.0.0.1; the function must see the API's own host, as behind execute-api.
    if (name.toLowerCase() === 'host') {
      name = 'Host';
      value = domainName;
    }
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  for (const [k, v] of [['X-Forwarded-Proto', 'https'], ['X-Forwarded-Port', '443'], ['X-Forwarded-For', '127.0.0.1']] as const) {
    single[k] = v;
    multi[k] = [v];
  }
  return { single, multi };
}

/** Query parameters decoded (`+` is a space, as the REST API decodes it), or null when there are none. */
function queryMaps(url: URL): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    single[k] = v;
    (multi[k] ??= []).push(v);
  }
  return Object.keys(single).length > 0 ? { single, multi } : { single: null, multi: null };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

