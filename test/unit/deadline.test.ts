/**
 * Issue 13, item 9: a request that runs out of time answers 503 with Retry-After (Entra retries it), never 500,
 * and the work done for a request stops once it is answered — in time or not. The DynamoDB client here is the
 * real SDK with a request handler that never answers on its own: it only settles when the SDK aborts the call,
 * so every call still open when a request ends shows up as not aborted.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { generateToken, hashToken } from '../../lambdas/auth/tokens';
import { DEADLINE_MARGIN_MS, TIMEOUT_RETRY_AFTER_SECONDS, withDeadline } from '../../lambdas/http/deadline';
import { buildScimDeps, documentClient, setScimDeps } from '../../lambdas/runtime/deps';
import { abortWithRequest, requestSignal, sharedBatches } from '../../lambdas/runtime/request-scope';
import { CoalescingReader } from '../../lambdas/store/consistent-reads';
import { ScimError } from '../../lambdas/scim/errors';
import { handler as usersGet } from '../../lambdas/users-get';
import { handler as usersList } from '../../lambdas/users-list';
import { FileTokenHashStore } from '../../local/file-token-hash-store';
import { caught } from '../support/caught';

const ACC = 'acc1';
const TENANT_KEY = 'tk_deadline';
const TOKEN = generateToken();

/** A DynamoDB client whose every call hangs until the SDK aborts it; `calls` says which were aborted. */
function hangingDynamo() {
  const calls: Array<{ aborted: boolean }> = [];
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: {
      handle: (_request: unknown, options?: { abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          const call = { aborted: false };
          calls.push(call);
          options?.abortSignal?.addEventListener('abort', () => {
            call.aborted = true;
            const e = new Error('Request aborted');
            e.name = 'AbortError';
            reject(e);
          });
        }),
    } as never,
  });
  return { doc: documentClient(client), calls };
}

/** A Lambda context with `ms` left, counted down for real as Lambda does. */
const contextWith = (ms: number): Context => {
  const deadline = Date.now() + ms;
  return { functionName: 'users-get', awsRequestId: 'r-1', getRemainingTimeInMillis: () => deadline - Date.now() } as unknown as Context;
};

const event = (path: string, query: Record<string, string> | null = null): APIGatewayProxyEvent =>
  ({
    httpMethod: 'GET',
    resource: '/scim/{tenant}/Users/{id}',
    path: `/scim/${ACC}.${TENANT_KEY}${path}`,
    pathParameters: { tenant: `${ACC}.${TENANT_KEY}`, id: 'u-1' },
    queryStringParameters: query,
    headers: { Host: 'h.example', Authorization: `Bearer ${TOKEN}` },
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1' },
  }) as unknown as APIGatewayProxyEvent;

afterEach(() => setScimDeps(undefined));

describe('withDeadline', () => {
  it('rejects with 503 + Retry-After when the work outlives the function, and aborts its signal', async () => {
    // Prepare
    let seen: AbortSignal | undefined;
    const never = () => {
      seen = requestSignal();
      return new Promise<never>(() => undefined);
    };
    // Act
    const e = (await caught(withDeadline(contextWith(DEADLINE_MARGIN_MS + 50), never))) as ScimError;
    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect(e.status).toBe(503);
    expect(e.headers).toEqual({ 'Retry-After': String(TIMEOUT_RETRY_AFTER_SECONDS) });
    expect(e.detail).toMatch(/ran out of time/);
    expect(seen?.aborted).toBe(true);
  });

  it('returns the work\'s answer in time, then aborts what the work left running', async () => {
    // Prepare
    const { doc, calls } = hangingDynamo();
    const scoped = abortWithRequest(doc);
    // Act: the work starts a call it never awaits, and answers
    const answer = await withDeadline(contextWith(10_000), async () => {
      scoped.send(new GetCommand({ TableName: 'T', Key: { pk: 'a', sk: 'b' } })).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 20)); // the call is on its way
      return 'answered';
    });
    await new Promise((r) => setImmediate(r));
    // Assess
    expect(answer).toBe('answered');
    expect(calls).toEqual([{ aborted: true }]);
  });

  it('runs without a deadline when the context has none (tests, scripts)', async () => {
    // Act / Assess
    await expect(withDeadline(undefined, async () => 42)).resolves.toBe(42);
  });
});

describe('abortWithRequest', () => {
  it('does not start a call for a request that was already answered, and leaves calls outside requests alone', async () => {
    // Prepare
    const { doc, calls } = hangingDynamo();
    const scoped = abortWithRequest(doc);
    let late: Promise<unknown> | undefined;
    await withDeadline(undefined, async () => {
      // a continuation that runs after the answer (e.g. a retry loop's next attempt)
      late = new Promise((r) => setTimeout(r, 10)).then(() => scoped.send(new GetCommand({ TableName: 'T', Key: { pk: 'a', sk: 'b' } })));
      late.catch(() => undefined);
    });
    // Act
    const refused = await late?.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    const outside = scoped.send(new GetCommand({ TableName: 'T', Key: { pk: 'c', sk: 'd' } }));
    outside.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 10));
    // Assess: the late call never reached the SDK; the one outside any request is sent, and not aborted
    expect(refused?.name).toBe('AbortError');
    expect(calls).toEqual([{ aborted: false }]);
    expect(scoped).not.toBe(doc);
    expect(doc.send).toBe(Object.getPrototypeOf(doc).send); // the injected client itself is unchanged
  });
});

describe('a SCIM request whose DynamoDB calls hang', () => {
  it.each([
    ['GET /Users/{id}', usersGet, '/Users/u-1', null],
    ['GET /Users?filter=externalId eq', usersList, '/Users', { filter: 'externalId eq "x"' }],
  ] as const)('%s answers 503 with Retry-After and a SCIM body before the function times out, and every call is aborted', async (_name, handler, path, query) => {
    // Prepare
    const { doc, calls } = hangingDynamo();
    const tokenHashes = new FileTokenHashStore();
    await tokenHashes.put(ACC, { tenantKey: TENANT_KEY, hash: hashToken(TOKEN) });
    setScimDeps(buildScimDeps({ doc, tableName: 'T', tokenHashes, logger: new Logger({ logLevel: 'SILENT' }) }));
    // Act
    const res = await handler(event(path, query), contextWith(DEADLINE_MARGIN_MS + 300));
    await new Promise((r) => setImmediate(r));
    // Assess
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['Retry-After']).toBe(String(TIMEOUT_RETRY_AFTER_SECONDS));
    expect(JSON.parse(res.body)).toMatchObject({ status: '503', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !c.aborted)).toEqual([]);
  });
});

describe('a read batched for two concurrent requests (the local server)', () => {
  it('is given up only when both requests have been answered', async () => {
    // Prepare
    const { doc, calls } = hangingDynamo();
    const reader = new CoalescingReader(abortWithRequest(doc), sharedBatches);
    const read = (sk: string) => reader.get('T', { pk: 'p', sk }).catch(() => undefined);
    // Act: both requests read in the same tick (one BatchGetItem); the first times out, the second later
    const first = withDeadline(contextWith(DEADLINE_MARGIN_MS + 20), () => read('a'));
    const second = withDeadline(contextWith(DEADLINE_MARGIN_MS + 250), () => read('b'));
    await first.catch(() => undefined);
    const afterFirst = calls.map((c) => c.aborted);
    await second.catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    // Assess
    expect(afterFirst).toEqual([false]);
    expect(calls).toEqual([{ aborted: true }]);
  });
});
