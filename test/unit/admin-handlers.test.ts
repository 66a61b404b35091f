/**
 * Issue 7 at the handler level, as deployed: the admin handlers behind API Gateway, with the Cognito
 * authorizer's claims in `requestContext.authorizer.claims` (/console/api) or an IAM identity (/admin). Roles are
 * refused before any table read the caller may not make.
 */
import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { TokenHashStore } from '../../lambdas/auth/ports';
import { buildAdminDeps, setAdminDeps } from '../../lambdas/runtime/admin-deps';
import { documentClient } from '../../lambdas/runtime/deps';
import { handler as accountsCreate } from '../../lambdas/admin-accounts-create';
import { handler as accountsGet } from '../../lambdas/admin-accounts-get';
import { handler as accountsList } from '../../lambdas/admin-accounts-list';
import { handler as conflictsSearch } from '../../lambdas/admin-conflicts-search';
import { handler as usersGet } from '../../lambdas/admin-users-get';
import { handler as verify } from '../../lambdas/admin-verify';
import { handler as whoami } from '../../lambdas/admin-whoami';
import { invoker, json } from '../support/lambda';

const HOST = 'abc123.execute-api.us-east-1.amazonaws.com';
const ARN = 'arn:aws:iam::123456789012:user/ops';
/** The stack's operator role (with a path); its callers arrive as STS sessions of it. */
const OPERATOR_ROLE = 'arn:aws:iam::123456789012:role/ops/scimlink-prod-OperatorsRole';
const ACCOUNTS = [
  { id: 'p1', name: 'Partner One', type: 'partner', createdAt: '2024-01-01T00:00:00.000Z' },
  { id: 'c1', name: 'Customer One', type: 'customer', partnerId: 'p1', createdAt: '2024-01-01T00:00:00.000Z' },
  { id: 'c2', name: 'Customer Two', type: 'customer', createdAt: '2024-01-01T00:00:00.000Z' },
];

const CLAIMS = {
  operator: { 'cognito:groups': 'operator', email: 'ops@scimlink.dev', sub: 's-op' },
  partner: { 'cognito:groups': '[partner]', 'custom:accountId': 'p1', email: 'pat@partner.example', sub: 's-p' },
  accountAdmin: { 'cognito:groups': 'account-admin', 'custom:accountId': 'c1', email: 'ann@contoso.com', sub: 's-a' },
  noGroup: { email: 'eve@example.com', sub: 's-e' },
};

interface EventInit {
  method?: 'GET' | 'POST' | 'DELETE';
  resource: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Cognito ID-token claims (a /console/api route); absent → an /admin route with `identity`. */
  claims?: Record<string, string>;
  identity?: { userArn?: string | null; caller?: string | null };
}

/** An API Gateway REST (v1 payload) proxy event as the deployed stage hands it to an admin function. */
function event({ method = 'GET', resource, params, query, body, claims, identity }: EventInit): APIGatewayProxyEvent {
  let path = resource;
  for (const [k, v] of Object.entries(params ?? {})) path = path.replace(`{${k}}`, v);
  return {
    httpMethod: method,
    resource,
    path,
    pathParameters: params ?? null,
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: null,
    headers: { Host: HOST, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    multiValueHeaders: {},
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: {
      path: `/prod${path}`,
      stage: 'prod',
      httpMethod: method,
      requestId: 'req-1',
      identity: { userArn: null, caller: null, ...identity },
      ...(claims ? { authorizer: { claims } } : {}),
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

const invoke = invoker('scimlink-admin-test');

const ddb = mockClient(DynamoDBDocumentClient);
const noTokenHashes: TokenHashStore = {
  get: () => Promise.reject(new Error('not used')),
  put: () => Promise.reject(new Error('not used')),
  delete: () => Promise.reject(new Error('not used')),
};

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  for (const a of ACCOUNTS) {
    const key = { pk: `ACCOUNT#${a.id}`, sk: 'ACCOUNT' };
    ddb.on(GetCommand, { Key: key }).resolves({ Item: { ...key, kind: 'account', ...a } });
  }
  ddb.on(QueryCommand).resolves({ Items: ACCOUNTS.map((a) => ({ pk: 'ACCOUNTS', sk: `ACCOUNT#${a.id}`, kind: 'accountRef', ...a })) });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(ScanCommand).resolves({ Items: [] });
  setAdminDeps(
    buildAdminDeps({
      doc: documentClient(new DynamoDBClient({ region: 'us-east-1' })),
      tableName: 'T',
      tokenHashes: noTokenHashes,
      logger: new Logger({ serviceName: 'scimlink-test', logLevel: 'SILENT' }),
      auth: { mode: 'iam', operators: [ARN, OPERATOR_ROLE] },
    }),
  );
});

afterEach(() => {
  setAdminDeps(undefined);
});

const ACCOUNT = '/console/api/accounts/{accountId}';

describe('named operators (issue 13, item 4): /admin answers only the IAM principals the deployer named', () => {
  it.each([
    ['a named IAM user', ARN],
    ['a session of the named operator role', 'arn:aws:sts::123456789012:assumed-role/scimlink-prod-OperatorsRole/alice'],
  ])('accepts %s', async (_name, userArn) => {
    // Act
    const res = await invoke(whoami, event({ resource: '/admin/me', identity: { userArn } }));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ role: 'operator', name: userArn });
  });

  it.each([
    ['another IAM user of the account', 'arn:aws:iam::123456789012:user/intern'],
    ['a session of another role', 'arn:aws:sts::123456789012:assumed-role/AdministratorAccess/bob'],
    ['the operator role name in another account', 'arn:aws:sts::999999999999:assumed-role/scimlink-prod-OperatorsRole/eve'],
    ['the account root', 'arn:aws:iam::123456789012:root'],
    ['a caller id without an ARN', null],
  ])('refuses %s with 403 before any read, on every admin route', async (_name, userArn) => {
    for (const [handler, resource, params] of [
      [accountsList, '/admin/accounts', undefined],
      [accountsGet, '/admin/accounts/{accountId}', { accountId: 'c1' }],
      [usersGet, '/admin/accounts/{accountId}/users/{userId}', { accountId: 'c1', userId: 'u1' }],
      [verify, '/admin/verify', undefined],
      [whoami, '/admin/me', undefined],
    ] as const) {
      // Prepare
      ddb.resetHistory();
      // Act
      const res = await invoke(handler, event({ resource, params, identity: { userArn, caller: 'AIDAEXAMPLE' } }));
      // Assess
      expect({ resource, status: res.statusCode }).toEqual({ resource, status: 403 });
      expect(json(res).message).toMatch(/is not a named operator of this stage/);
      expect(ddb.calls()).toHaveLength(0);
    }
  });
});

describe('who the caller is', () => {
  it.each([
    ['an operator (Cognito)', { claims: CLAIMS.operator }, { role: 'operator', name: 'ops@scimlink.dev' }],
    ['a partner (Cognito)', { claims: CLAIMS.partner }, { role: 'partner', accountId: 'p1', name: 'pat@partner.example' }],
    ['an account admin (Cognito)', { claims: CLAIMS.accountAdmin }, { role: 'account-admin', accountId: 'c1', name: 'ann@contoso.com' }],
    ['an IAM caller on /admin (the CLI)', { identity: { userArn: ARN } }, { role: 'operator', name: ARN }],
  ])('GET …/me for %s', async (_name, init, expected) => {
    // Act
    const res = await invoke(whoami, event({ resource: '/console/api/me', ...init }));

    // Assess
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual(expected);
  });

  it('no Cognito group → 403, and nothing read', async () => {
    const res = await invoke(accountsList, event({ resource: '/console/api/accounts', claims: CLAIMS.noGroup }));
    expect(res.statusCode).toBe(403);
    expect(json(res).message).toMatch(/^eve@example.com is in no scimlink group/);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('neither claims nor an IAM identity (not through the gateway) → 403', async () => {
    const res = await invoke(whoami, event({ resource: '/admin/me' }));
    expect(res.statusCode).toBe(403);
    expect(json(res).message).toBe('admin routes require AWS IAM (SigV4) authorisation');
  });
});

describe('per-account routes', () => {
  it('an account admin asking for another account → 403 before any read', async () => {
    // Act
    const res = await invoke(accountsGet, event({ resource: ACCOUNT, params: { accountId: 'c2' }, claims: CLAIMS.accountAdmin }));

    // Assess
    expect(res.statusCode).toBe(403);
    expect(json(res)).toEqual({ status: 403, message: 'account c2 is not one you manage' });
    expect(ddb.calls()).toHaveLength(0);
  });

  it("a partner: another's customer and an unknown account get the same 403; the user is never read", async () => {
    for (const accountId of ['c2', 'no-such-account']) {
      ddb.resetHistory();
      const res = await invoke(
        usersGet,
        event({ resource: `${ACCOUNT}/users/{userId}`, params: { accountId, userId: 'u-1' }, claims: CLAIMS.partner }),
      );
      expect(res.statusCode).toBe(403);
      expect(json(res).message).toBe(`account ${accountId} is not one you manage`);
      expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1); // the account, to see its partner; not the user
      expect(ddb).not.toHaveReceivedCommandWith(GetCommand, { Key: { pk: `ACCOUNT#${accountId}`, sk: 'USER#u-1' } });
    }
  });

  it('a partner reaches its customer; an account admin its own account; an operator any', async () => {
    for (const [claims, accountId] of [
      [CLAIMS.partner, 'c1'],
      [CLAIMS.partner, 'p1'],
      [CLAIMS.accountAdmin, 'c1'],
      [CLAIMS.operator, 'c2'],
    ] as const) {
      const res = await invoke(accountsGet, event({ resource: ACCOUNT, params: { accountId }, claims }));
      expect(res.statusCode).toBe(200);
      expect(json(res).id).toBe(accountId);
    }
  });

  it('an operator still gets the 404 of an unknown account', async () => {
    const res = await invoke(accountsGet, event({ resource: ACCOUNT, params: { accountId: 'nope' }, claims: CLAIMS.operator }));
    expect(res.statusCode).toBe(404);
  });
});

describe('routes without an account', () => {
  it('accounts list is filtered to what the caller manages', async () => {
    const ids = async (claims: Record<string, string>) =>
      json(await invoke(accountsList, event({ resource: '/console/api/accounts', claims }))).accounts.map((a: { id: string }) => a.id);
    expect(await ids(CLAIMS.operator)).toEqual(['p1', 'c1', 'c2']);
    expect(await ids(CLAIMS.partner)).toEqual(['p1', 'c1']);
    expect(await ids(CLAIMS.accountAdmin)).toEqual(['c1']);
  });

  it('a partner creates a customer under itself: partnerId is written as the partner', async () => {
    // Act
    const res = await invoke(
      accountsCreate,
      event({ method: 'POST', resource: '/console/api/accounts', body: { name: 'New Co', type: 'customer' }, claims: CLAIMS.partner }),
    );

    // Assess
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ name: 'New Co', type: 'customer', partnerId: 'p1' });
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item;
    expect(put).toMatchObject({ kind: 'account', type: 'customer', partnerId: 'p1' });
  });

  it.each([
    ['a partner account', CLAIMS.partner, { name: 'X', type: 'partner' }, 'a partner creates customer accounts only'],
    [
      'a customer of another partner',
      CLAIMS.partner,
      { name: 'X', type: 'customer', partnerId: 'p9' },
      'a partner creates customer accounts under itself only (partnerId p1)',
    ],
    ['anything, as an account admin', CLAIMS.accountAdmin, { name: 'X', type: 'customer' }, 'an account admin cannot create accounts'],
  ])('refuses %s (403, nothing written)', async (_name, claims, body, message) => {
    const res = await invoke(accountsCreate, event({ method: 'POST', resource: '/console/api/accounts', body, claims }));
    expect(res.statusCode).toBe(403);
    expect(json(res).message).toBe(message);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('verify: operators only, and no scan for anyone else', async () => {
    for (const claims of [CLAIMS.partner, CLAIMS.accountAdmin]) {
      const res = await invoke(verify, event({ resource: '/console/api/verify', claims }));
      expect(res.statusCode).toBe(403);
      expect(json(res).message).toBe('verify is for operators only');
    }
    expect(ddb).not.toHaveReceivedCommand(ScanCommand);
    expect((await invoke(verify, event({ resource: '/admin/verify', identity: { userArn: ARN } }))).statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommand(ScanCommand);
  });
});

describe('conflict search: the kinds it knows', () => {
  it.each([
    ['userName', 'ann@contoso.com'],
    ['email', 'ann@contoso.com'],
    ['phone', '+14155550100'],
  ])('kind=%s is looked up (nobody holds %s here)', async (kind, value) => {
    const res = await invoke(conflictsSearch, event({ resource: '/admin/conflicts', query: { kind, value }, identity: { userArn: ARN } }));
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ kind, value, hits: [] });
  });

  it('kind=extension is looked up in the given account', async () => {
    const res = await invoke(conflictsSearch, event({ resource: '/admin/conflicts', query: { kind: 'extension', value: '4711', account: 'c1' }, identity: { userArn: ARN } }));
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ kind: 'extension', value: '4711', hits: [] });
  });

  it.each(['', 'phoneNumber', 'EMAIL'])('kind=%j → 400 naming the kinds, nothing read', async (kind) => {
    const res = await invoke(conflictsSearch, event({ resource: '/admin/conflicts', query: { kind, value: 'x' }, identity: { userArn: ARN } }));
    expect(res.statusCode).toBe(400);
    expect(json(res).message).toBe('kind must be one of userName, email, phone, extension, e.g. ?kind=email&value=ann%40contoso.com');
    expect(ddb.calls()).toHaveLength(0);
  });
});
