import 'aws-sdk-client-mock-jest';
import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { generateToken, hashToken } from '../../lambdas/auth/tokens';
import { buildScimDeps, documentClient, scimDeps, setScimDeps } from '../../lambdas/runtime/deps';
import { FileTokenHashStore } from '../../local/file-token-hash-store';
import { handler as groups } from '../../lambdas/groups';
import { handler as usersCreate } from '../../lambdas/users-create';
import { handler as usersGet } from '../../lambdas/users-get';
import { handler as usersList } from '../../lambdas/users-list';
import { invoker, json } from '../support/lambda';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const HOST = 'abc123.execute-api.us-east-1.amazonaws.com';
const ACC = 'acc1';
const TENANT_KEY = 'tk_Q2x5-9';
const TENANT = `${ACC}.${TENANT_KEY}`;
const TOKEN = generateToken();

const USER_DATA = {
  userName: 'alice@contoso.com',
  displayName: 'Alice Secretperson',
  active: true,
  emails: [{ value: 'alice@contoso.com', type: 'work', primary: true }],
  phoneNumbers: [{ value: '+14155550100', type: 'mobile' }],
};
const USER_ITEM = {
  pk: `ACCOUNT#${ACC}`,
  sk: 'USER#u-1',
  kind: 'user',
  id: 'u-1',
  accountId: ACC,
  data: USER_DATA,
  created: '2024-01-01T00:00:00.000Z',
  lastModified: '2024-01-02T00:00:00.000Z',
  version: 3,
  uniques: ['userName#alice@contoso.com', 'email#alice@contoso.com', 'phone#14155550100'],
};

const ddb = mockClient(DynamoDBDocumentClient);
let logger: Logger;

/**
 * The handlers read the integration item (auth) and their first item together, as one strongly consistent
 * BatchGetItem (lambdas/store/consistent-reads.ts). The mock answers it key by key from the GetCommand answers
 * set up in each test — each key is forwarded as a GetCommand through the same mock, so a test states per key
 * what the table holds (or that reading it fails) whichever way the key is read, and `toHaveReceivedCommandWith(
 * GetCommand, …)` says that the key was read.
 */
function answerBatchGetsKeyByKey() {
  const forward = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  ddb.on(BatchGetCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: Array<Record<string, unknown>>; ConsistentRead?: boolean }> }) => {
    const Responses: Record<string, Array<Record<string, unknown>>> = {};
    for (const [TableName, { Keys, ConsistentRead }] of Object.entries(input.RequestItems)) {
      const items = await Promise.all(Keys.map((Key) => forward.send(new GetCommand({ TableName, Key, ConsistentRead }))));
      Responses[TableName] = items.flatMap((out) => (out.Item ? [out.Item] : []));
    }
    return { Responses };
  });
}

interface EventInit {
  method: 'GET' | 'POST';
  id?: string;
  body?: string;
  headers?: Record<string, string | undefined>;
  query?: Record<string, string>;
  /** Stage prefix of the path as called; '' for a custom domain. */
  stage?: string;
}

/** An API Gateway REST (v1 payload) proxy event for /scim/{tenant}/Users[/{id}]. */
function event({ method, id, body, headers = {}, query, stage = '/prod' }: EventInit): APIGatewayProxyEvent {
  const path = `/scim/${TENANT}/Users${id ? `/${id}` : ''}`;
  const allHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries({ Host: HOST, Authorization: `Bearer ${TOKEN}`, ...headers })) if (v !== undefined) allHeaders[k] = v;
  return {
    httpMethod: method,
    resource: `/scim/{tenant}/Users${id ? '/{id}' : ''}`,
    path,
    pathParameters: { tenant: TENANT, ...(id ? { id } : {}) },
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: null,
    headers: allHeaders,
    multiValueHeaders: {},
    body: body ?? null,
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: { path: `${stage}${path}`, stage: 'prod', httpMethod: method, requestId: 'req-1' } as APIGatewayProxyEvent['requestContext'],
  };
}

const invoke = invoker('scimlink-test');
const contentType = (res: APIGatewayProxyResult) => String(res.headers?.['Content-Type'] ?? '');

const validUser = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: 'bob@contoso.com',
    displayName: 'Bob',
    active: 'True',
    emails: [{ type: 'work', value: 'bob@contoso.com', primary: true }],
    ...overrides,
  });

const savedApiBaseUrl = process.env.API_BASE_URL;

beforeEach(async () => {
  delete process.env.API_BASE_URL; // meta.location must come from the request (Host + stage), not an override
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb
    .on(GetCommand, { Key: { pk: `ACCOUNT#${ACC}`, sk: 'INTEGRATION' } })
    .resolves({ Item: { pk: `ACCOUNT#${ACC}`, sk: 'INTEGRATION', kind: 'integration', addedAt: '2024-01-01T00:00:00.000Z', tenantKey: TENANT_KEY } });
  ddb.on(GetCommand, { Key: { pk: `ACCOUNT#${ACC}`, sk: 'USER#u-1' } }).resolves({ Item: USER_ITEM });
  ddb.on(TransactWriteCommand).resolves({});
  // A create reads the account's count shards (its user quota): none yet.
  ddb.on(QueryCommand).resolves({ Items: [] });
  answerBatchGetsKeyByKey();

  const tokenHashes = new FileTokenHashStore(); // no file: in memory
  await tokenHashes.put(ACC, { tenantKey: TENANT_KEY, hash: hashToken(TOKEN) });
  logger = new Logger({ serviceName: 'scimlink-test', logLevel: 'SILENT' });
  setScimDeps(buildScimDeps({ doc: documentClient(new DynamoDBClient({ region: 'us-east-1' })), tableName: 'T', tokenHashes, logger }));
});

afterEach(() => {
  setScimDeps(undefined);
  if (savedApiBaseUrl !== undefined) process.env.API_BASE_URL = savedApiBaseUrl;
  jest.restoreAllMocks();
});

describe('GET /Users/{id}', () => {
  it.each<[string, string, string]>([
    ['default execute-api endpoint', '/prod', `https://${HOST}/prod/scim/${TENANT}/Users/u-1`],
    ['custom domain (no stage in the path)', '', `https://${HOST}/scim/${TENANT}/Users/u-1`],
  ])('200 application/scim+json with meta.location from the Host header and stage prefix (%s)', async (_name, stage, location) => {
    // Act
    const res = await invoke(usersGet, event({ method: 'GET', id: 'u-1', stage }));

    // Assess
    expect(res.statusCode).toBe(200);
    expect(contentType(res)).toMatch(/^application\/scim\+json/);
    expect(res.headers?.ETag).toBe('W/"3"');
    const body = json(res);
    expect(body).toMatchObject({ id: 'u-1', userName: 'alice@contoso.com', displayName: 'Alice Secretperson', active: true });
    expect(body.meta).toEqual({
      resourceType: 'User',
      created: '2024-01-01T00:00:00.000Z',
      lastModified: '2024-01-02T00:00:00.000Z',
      location,
      version: 'W/"3"',
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'T', Key: { pk: `ACCOUNT#${ACC}`, sk: 'USER#u-1' }, ConsistentRead: true });
  });

  it('reads the integration item (auth) and the user in one strongly consistent BatchGetItem: one call, one round trip', async () => {
    // Act
    const res = await invoke(usersGet, event({ method: 'GET', id: 'u-1' }));

    // Assess
    expect(res.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { T: { Keys: [{ pk: `ACCOUNT#${ACC}`, sk: 'INTEGRATION' }, { pk: `ACCOUNT#${ACC}`, sk: 'USER#u-1' }], ConsistentRead: true } },
    });
  });

  it('keys DynamoDB leaves unprocessed are read again one by one', async () => {
    // Prepare: the first answer carries the integration item and leaves the user unprocessed
    ddb.on(BatchGetCommand).resolvesOnce({
      Responses: { T: [{ pk: `ACCOUNT#${ACC}`, sk: 'INTEGRATION', kind: 'integration', addedAt: '2024-01-01T00:00:00.000Z', tenantKey: TENANT_KEY }] },
      UnprocessedKeys: { T: { Keys: [{ pk: `ACCOUNT#${ACC}`, sk: 'USER#u-1' }], ConsistentRead: true } },
    });

    // Act
    const res = await invoke(usersGet, event({ method: 'GET', id: 'u-1' }));

    // Assess
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ id: 'u-1', userName: 'alice@contoso.com' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'T', Key: { pk: `ACCOUNT#${ACC}`, sk: 'USER#u-1' }, ConsistentRead: true });
  });

  it.each<[string, Record<string, string | undefined>]>([
    ['a wrong token', { Authorization: `Bearer ${generateToken()}` }],
    ['no Authorization header', { Authorization: undefined }],
    ['a Basic scheme', { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }],
  ])('%s → 401 SCIM error body, and none of the user data in the response', async (_name, headers) => {
    // Act
    const res = await invoke(usersGet, event({ method: 'GET', id: 'u-1', headers }));

    // Assess
    expect(res.statusCode).toBe(401);
    expect(contentType(res)).toMatch(/^application\/scim\+json/);
    expect(json(res)).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });
    expect(res.body).not.toContain('alice@contoso.com');
    expect(res.body).not.toContain('Secretperson');
    expect(res.body).not.toContain('+14155550100');
    expect(res.body).not.toContain(TOKEN);
    expect(res.headers?.ETag).toBeUndefined();
  });

  it('an unknown id → 404 SCIM error body', async () => {
    // Act
    const res = await invoke(usersGet, event({ method: 'GET', id: 'no-such-user' }));

    // Assess
    expect(res.statusCode).toBe(404);
    expect(contentType(res)).toMatch(/^application\/scim\+json/);
    const body = json(res);
    expect(body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
    expect(typeof body.detail).toBe('string');
  });

  it('a DynamoDB error of an unknown kind → 500 whose body says nothing about it (logged instead)', async () => {
    // Prepare
    const failure = new DynamoDBServiceException({
      name: 'MysteriousInternalFault',
      $fault: 'server',
      $metadata: { httpStatusCode: 500, requestId: 'RID-SECRET-42' },
      message: 'arn:aws:dynamodb:us-east-1:123456789012:table/T exploded at partition 7',
    });
    ddb.on(GetCommand, { Key: { pk: `ACCOUNT#${ACC}`, sk: 'USER#u-1' } }).rejects(failure);
    const logged = jest.spyOn(logger, 'error');

    // Act
    const res = await invoke(usersGet, event({ method: 'GET', id: 'u-1' }));

    // Assess
    expect(res.statusCode).toBe(500);
    expect(contentType(res)).toMatch(/^application\/scim\+json/);
    const body = json(res);
    expect(Object.keys(body).sort()).toEqual(['detail', 'schemas', 'status']);
    expect(body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '500' });
    for (const leak of ['MysteriousInternalFault', 'arn:aws', 'exploded', 'partition', 'RID-SECRET-42', 'DynamoDB', 'stack', '.ts:', '    at ']) {
      expect(res.body).not.toContain(leak);
    }
    // Logged with its name and frames; the values in its message masked (lambdas/log/log-privacy.ts).
    expect(logged).toHaveBeenCalledWith('Unhandled error', {
      error: expect.objectContaining({ name: 'MysteriousInternalFault', message: expect.stringContaining('exploded at partition 7') }),
    });
  });
});

describe('POST /Users', () => {
  it('a valid user → 201 with Location, written in one transaction', async () => {
    // Act
    const res = await invoke(usersCreate, event({ method: 'POST', body: validUser(), headers: { 'Content-Type': 'application/scim+json' } }));

    // Assess
    expect(res.statusCode).toBe(201);
    const body = json(res);
    expect(body).toMatchObject({ userName: 'bob@contoso.com', active: true });
    expect(res.headers?.Location).toBe(`https://${HOST}/prod/scim/${TENANT}/Users/${body.id}`);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it.each(['{"userName": ', 'not json', '{"userName":"x",}'])('malformed JSON %j → 400 invalidSyntax and nothing written', async (raw) => {
    // Act
    const res = await invoke(usersCreate, event({ method: 'POST', body: raw, headers: { 'Content-Type': 'application/scim+json' } }));

    // Assess
    expect(res.statusCode).toBe(400);
    expect(contentType(res)).toMatch(/^application\/scim\+json/);
    expect(json(res)).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidSyntax' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('a phone number not in E.164 → 400 naming the attribute and the rule, and nothing written', async () => {
    // Prepare
    const body = validUser({ phoneNumbers: [{ type: 'mobile', value: '(415) 555-0100' }] });

    // Act
    const res = await invoke(usersCreate, event({ method: 'POST', body, headers: { 'Content-Type': 'application/json; charset=utf-8' } }));

    // Assess
    expect(res.statusCode).toBe(400);
    const error = json(res);
    expect(error).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidValue' });
    expect(error.detail).toContain('phoneNumbers[type eq "mobile"].value');
    expect(error.detail).toContain('(415) 555-0100');
    expect(error.detail).toContain('E.164');
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('a bad token → 401 and nothing written, even for a valid body', async () => {
    // Act
    const res = await invoke(usersCreate, event({ method: 'POST', body: validUser(), headers: { Authorization: `Bearer ${generateToken()}` } }));

    // Assess
    expect(res.statusCode).toBe(401);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe("GET /Users?filter=… — Entra's Test Connection probe", () => {
  const GUID = '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef';

  it.each([`userName eq "${GUID}"`, `userName+eq+"${GUID}"`, `userName eq ${GUID}`])('filter %j → 200 empty ListResponse', async (filter) => {
    // Act
    const res = await invoke(usersList, event({ method: 'GET', query: { filter } }));

    // Assess
    expect(res.statusCode).toBe(200);
    expect(contentType(res)).toMatch(/^application\/scim\+json/);
    expect(json(res)).toEqual({ schemas: [LIST_SCHEMA], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { pk: `UNIQUE#userName#${GUID}`, sk: 'UNIQUE' }, ConsistentRead: true });
  });

  it('with a bad token the probe is 401, not an empty list', async () => {
    // Act
    const res = await invoke(usersList, event({ method: 'GET', query: { filter: `userName eq "${GUID}"` }, headers: { Authorization: 'Bearer nope' } }));

    // Assess
    expect(res.statusCode).toBe(401);
    expect(json(res)).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });
  });
});

describe('the request log line (what CloudWatch Logs gets)', () => {
  beforeEach(() => {
    // The deps of the top-level beforeEach, with a logger that writes INFO lines.
    logger = new Logger({ serviceName: 'scimlink', logLevel: 'INFO' });
    setScimDeps({ ...scimDeps(), logger });
  });

  /** Powertools writes JSON lines to stdout (WARN and ERROR to stderr): capture both, as Lambda's log agent does. */
  function captureLines(): () => Array<Record<string, unknown>> {
    const chunks: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        chunks.push(String(chunk));
        return true;
      });
    }
    return () => chunks.flatMap((c) => c.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  const context = (awsRequestId: string) =>
    ({
      functionName: 'users-get',
      functionVersion: '$LATEST',
      memoryLimitInMB: '1024',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:users-get',
      awsRequestId,
      getRemainingTimeInMillis: () => 10_000,
    }) as unknown as Parameters<typeof usersGet>[1];

  it('carries the Lambda context and the account id, never the tenant key, the token or the user', async () => {
    // Prepare
    const lines = captureLines();

    // Act
    const ok = await usersGet(event({ method: 'GET', id: 'u-1' }), context('req-ok'));
    const refused = await usersGet(event({ method: 'GET', id: 'u-1', headers: { Authorization: 'Bearer scimlink_wrong' } }), context('req-401'));

    // Assess
    expect([ok.statusCode, refused.statusCode]).toEqual([200, 401]);
    const [first, second] = lines().filter((l) => l.message === 'SCIM request');
    expect(first).toMatchObject({
      level: 'INFO',
      function_name: 'users-get',
      function_request_id: 'req-ok',
      function_memory_size: '1024',
      cold_start: expect.any(Boolean),
      accountId: ACC,
      method: 'GET',
      resource: '/scim/{tenant}/Users/{id}',
      // Outside the account a path keeps only route words and the ids we generate (issue 14): 'u-1' is not one.
      path: '/Users/…',
      status: 200,
    });
    // The next invocation starts clean: an unauthenticated request names no account.
    expect(second).toMatchObject({ level: 'WARN', function_request_id: 'req-401', status: 401, rule: 'unauthorized' });
    expect(second).not.toHaveProperty('accountId');
    const text = JSON.stringify(lines());
    for (const secret of [TENANT_KEY, TOKEN, 'Secretperson', '+14155550100']) expect(text).not.toContain(secret);
  });

  it('logs the designed 501 of a group write at WARN, with its rule: it is not a fault', async () => {
    // Prepare
    const lines = captureLines();

    // Act
    const res = await groups({ ...event({ method: 'POST', body: '{"displayName":"Sales"}' }), resource: '/scim/{tenant}/Groups' }, context('req-501'));

    // Assess
    expect(res.statusCode).toBe(501);
    const line = lines().find((l) => l.message === 'SCIM request');
    expect(line).toMatchObject({ level: 'WARN', status: 501, rule: 'groupsNotSupported', accountId: ACC });
    expect(lines().filter((l) => l.level === 'ERROR')).toEqual([]);
  });
});
