/**
 * What `cdk deploy` ships, tested before it is deployed (issue 15, docs/deployed-tests.md): every bundle in
 * cdk.out under the AWS Lambda runtime interface client on the runtime's Node major, reached only through the
 * template — its API Gateway resource tree, authorizers and gateway responses, its event source mapping and
 * log subscriptions — with every AWS call checked against the function's role in the template.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { ENTRA_PATCH_CASES } from '../fixtures/entra-patch';
import { ENTRA_USER_CASES } from '../fixtures/entra-users';
import { entraUser } from '../support/local-server';
import { Clients } from './harness/clients';
import { DeployedStack, startDeployedStack } from './harness/deployed-stack';
import { runtimeMajor } from './harness/functions';

const ROOT = path.join(__dirname, '..', '..');
const RUNTIME = path.join(__dirname, 'runtime', 'node_modules');
const binaries = { node: path.join(RUNTIME, `node-linux-${process.arch}`, 'bin', 'node'), ric: path.join(RUNTIME, 'aws-lambda-ric') };
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let d: DeployedStack;
let c: Clients;
/** The customer account of the Entra flows, with its current tenant URL and token. */
const tenant = { id: '', url: '', token: '' };

beforeAll(async () => {
  d = await startDeployedStack(process.env.CDK_OUT ?? path.join(ROOT, 'cdk.out'), binaries);
  c = new Clients(d);
}, 600_000);

afterAll(async () => {
  await d?.stop();
});

describe('every bundle under the Lambda runtime interface client', () => {
  it('runs on a Node binary of the functions’ runtime major', () => {
    const version = execFileSync(binaries.node, ['--version'], { encoding: 'utf8' }).trim();
    const majors = new Set(d.functions.map((f) => runtimeMajor(f.runtime)));
    expect([...majors]).toEqual([Number(/^v(\d+)/.exec(version)?.[1])]);
  });

  it('initialises every function of the template (handler string, environment and memory from the template)', () => {
    const lines = d.functions.map((f) => `${f.logicalId.padEnd(48)} ${String(d.initTimes.get(f.logicalId)).padStart(5)} ms  ${f.handler} ${f.runtime} ${f.memorySize} MB`);
    // The init-time table of docs/deployed-tests.md comes from this output.
    console.log(`init time per function (${d.functions.length} functions):\n${lines.join('\n')}`);
    expect([...d.initTimes.keys()].sort()).toEqual(d.functions.map((f) => f.logicalId).sort());
  });
});

describe('admin flow as an IAM principal (SigV4, AWS_IAM methods)', () => {
  it('refuses unsigned requests and principals without execute-api:Invoke before any function runs', async () => {
    const unsigned = await c.admin('GET', '/accounts', undefined, null);
    expect(unsigned.status).toBe(404); // MISSING_AUTHENTICATION_TOKEN, as the gateway responses map it
    expect(unsigned.body).toMatchObject({ schemas: [ERROR], status: '404' });
    const stranger = await c.admin('GET', '/accounts', undefined, d.stranger);
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('x-amzn-errortype')).toBe('ACCESS_DENIED');
  });

  it('tells the operator who they are (the IAM identity API Gateway put in requestContext)', async () => {
    const me = await c.admin('GET', '/me');
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain(d.operator.arn);
  });

  it('creates a customer account, adds Entra ID Sync, generates keys; a partner account is refused the integration', async () => {
    const partner = await c.admin('POST', '/accounts', { name: 'Partner Co', type: 'partner' });
    expect(partner.status).toBe(201);
    const refused = await c.admin('PUT', `/accounts/${partner.body.id}/integration`);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('integrations are not supported for partner accounts');

    const account = await c.admin('POST', '/accounts', { name: 'Contoso', type: 'customer', partnerId: partner.body.id });
    expect(account.status).toBe(201);
    expect((await c.admin('PUT', `/accounts/${account.body.id}/integration`)).status).toBe(200);
    const keys = await c.admin('POST', `/accounts/${account.body.id}/integration/keys`);
    expect(keys.status).toBe(201);
    expect(keys.body.tenantUrl).toMatch(new RegExp(`^https://${d.gateway.api.domainName.replaceAll('.', '\\.')}/${d.gateway.api.stage}/scim/`));
    expect(keys.body.secretToken).toMatch(/^scimlink_/);
    Object.assign(tenant, { id: account.body.id, url: keys.body.tenantUrl, token: keys.body.secretToken });
    expect((await c.admin('GET', `/accounts/${tenant.id}`)).body).toMatchObject({ name: 'Contoso', type: 'customer' });
    expect((await c.admin('GET', '/accounts')).body.accounts.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([partner.body.id, tenant.id]));
    expect((await c.admin('GET', `/accounts/${tenant.id}/integration`)).body).toMatchObject({ integration: 'Entra ID Sync', tenantUrl: tenant.url });
  });
});

describe("Entra's Test Connection and user sequence through the template's routes", () => {
  it('Test Connection: the random-GUID userName probe answers an empty ListResponse', async () => {
    const res = await c.scim('GET', `${tenant.url}/Users?filter=userName+eq+%22${randomUUID()}%22`, tenant.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(res.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'scimlink_wrong'],
  ])('refuses %s with a 401 SCIM error from the function', async (_what, token) => {
    const res = await c.scim('GET', `${tenant.url}/Users`, token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '401' });
  });

  it('answers discovery, a trailing slash and ?aadOptscim062020; unknown paths get the SCIM 404 gateway response', async () => {
    for (const p of ['/ServiceProviderConfig', '/Schemas', '/ResourceTypes/', '/ResourceTypes/User', '/Groups?aadOptscim062020']) {
      expect([p, (await c.scim('GET', `${tenant.url}${p}`, tenant.token)).status]).toEqual([p, 200]);
    }
    const unknown = await c.scim('GET', `${tenant.url}/Nope`, tenant.token);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ schemas: [ERROR], status: '404' });
    const groupWrite = await c.scim('POST', `${tenant.url}/Groups`, tenant.token, { displayName: 'g' });
    expect(groupWrite.status).toBe(501);
  });

  it.each(ENTRA_USER_CASES.filter((k) => k.method === 'POST').map((k) => [k.name, k] as const))('creates Entra’s "%s" body', async (_name, k) => {
    const res = await c.scim('POST', `${tenant.url}/Users`, tenant.token, k.body);
    expect(res.status).toBe(201);
    expect(res.body.userName).toBe(k.expected.userName);
    expect(c.local(res.headers.get('location') ?? '')).toMatch(/\/Users\/[^/]+$/);
  });

  it('creates, finds, patches (both dialects), replaces, disables and deletes a user', async () => {
    const body = entraUser();
    const created = await c.scim('POST', `${tenant.url}/Users`, tenant.token, body);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const found = await c.scim('GET', `${tenant.url}/Users?filter=userName+eq+%22${encodeURIComponent(body.userName)}%22`, tenant.token);
    expect(found.body.totalResults).toBe(1);
    expect((await c.scim('GET', `${tenant.url}/Users/${id}/`, tenant.token)).body.id).toBe(id);

    // Entra's default-dialect bodies (values that are unique platform-wide are left out: other users of this run hold them).
    for (const k of ENTRA_PATCH_CASES.filter((p) => p.dialect !== 'aadOptscim062020' && !/userName|phoneNumbers|emails/.test(JSON.stringify(p.body)))) {
      const res = await c.scim('PATCH', `${tenant.url}/Users/${id}`, tenant.token, k.body);
      expect([k.name, res.status]).toEqual([k.name, res.status === 204 ? 204 : 200]);
    }
    const flagged = await c.scim('PATCH', `${tenant.url}/Users/${id}?aadOptscim062020`, tenant.token, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(flagged.status).toBe(200);
    expect(flagged.body.active).toBe(false);

    const replaced = await c.scim('PUT', `${tenant.url}/Users/${id}`, tenant.token, { ...body, displayName: 'Replaced Name', active: true });
    expect(replaced.status).toBe(200);
    expect(replaced.body.displayName).toBe('Replaced Name');
    expect((await c.scim('DELETE', `${tenant.url}/Users/${id}`, tenant.token)).status).toBe(204);
    expect((await c.scim('GET', `${tenant.url}/Users/${id}`, tenant.token)).status).toBe(404);
  });

  it('answers a bad body with a SCIM 400 naming the attribute', async () => {
    const res = await c.scim('POST', `${tenant.url}/Users`, tenant.token, entraUser({ phoneNumbers: [{ type: 'mobile', value: '(415) 555-0100' }] }));
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('phoneNumbers');
  });
});

describe('admin: users, phone conflicts, key regeneration, removal (IAM)', () => {
  it('finds the holder of a phone number and deleting it unblocks the other account', async () => {
    const number = '+442071838750';
    const stale = await c.scim('POST', `${tenant.url}/Users`, tenant.token, entraUser({ active: false, phoneNumbers: [{ type: 'work', value: number }] }));
    expect(stale.status).toBe(201);
    const other = await c.admin('POST', '/accounts', { name: 'Fabrikam', type: 'customer' });
    await c.admin('PUT', `/accounts/${other.body.id}/integration`);
    const otherKeys = (await c.admin('POST', `/accounts/${other.body.id}/integration/keys`)).body;
    const blocked = entraUser({ phoneNumbers: [{ type: 'mobile', value: number }] });
    expect((await c.scim('POST', `${otherKeys.tenantUrl}/Users`, otherKeys.secretToken, blocked)).status).toBe(409);

    const search = await c.admin('GET', `/phones?number=${encodeURIComponent('+44 20 7183 8750')}`);
    expect(search.status).toBe(200);
    expect(search.body.hits).toEqual([expect.objectContaining({ accountId: tenant.id, userId: stale.body.id, active: false })]);
    // A mistyped account name is not permanent (issue 16).
    const renamed = await c.admin('PATCH', `/accounts/${other.body.id}`, { name: 'Fabrikam Inc' });
    expect([renamed.status, renamed.body.name]).toEqual([200, 'Fabrikam Inc']);
    // The general conflict search (issue 14) finds the same holder, here by its login ID.
    const byLogin = await c.admin('GET', `/conflicts?${new URLSearchParams({ kind: 'userName', value: stale.body.userName })}`);
    expect(byLogin.status).toBe(200);
    expect(JSON.stringify(byLogin.body)).toContain(stale.body.id);
    expect((await c.admin('GET', `/accounts/${tenant.id}/users/${stale.body.id}`)).body.userName).toBe(stale.body.userName);
    expect((await c.admin('GET', `/accounts/${tenant.id}/users`)).body.totalResults).toBeGreaterThan(0);
    expect((await c.admin('DELETE', `/accounts/${tenant.id}/users/${stale.body.id}`)).status).toBe(204);
    expect((await c.admin('GET', `/phones?number=${encodeURIComponent(number)}`)).body.hits).toEqual([]);
    expect((await c.scim('POST', `${otherKeys.tenantUrl}/Users`, otherKeys.secretToken, blocked)).status).toBe(201);
    // An account goes with its users and integration (issue 16): its token secret is deleted, its values are free.
    const gone = await c.admin('DELETE', `/accounts/${other.body.id}?force=true`);
    expect([gone.status, gone.body.deleted, gone.body.usersDeleted, gone.body.integrationRemoved]).toEqual([200, true, 1, true]);
    expect((await c.scim('GET', `${otherKeys.tenantUrl}/Users`, otherKeys.secretToken)).status).toBe(401);
    expect((await c.admin('GET', `/phones?number=${encodeURIComponent(number)}`)).body.hits).toEqual([]);
    expect((await c.admin('GET', `/accounts/${other.body.id}`)).status).toBe(404);
  });

  it('verify reads the whole table (the one function with Scan)', async () => {
    const res = await c.admin('GET', '/verify');
    expect(res.status).toBe(200);
  });

  it('regenerating keys refuses the old tenant URL and token on the very next request', async () => {
    const before = { ...tenant };
    const keys = await c.admin('POST', `/accounts/${tenant.id}/integration/keys`);
    expect(keys.status).toBe(201);
    expect((await c.scim('GET', `${before.url}/Users`, before.token)).status).toBe(401);
    expect((await c.scim('GET', `${keys.body.tenantUrl}/Users`, keys.body.secretToken)).status).toBe(200);
    Object.assign(tenant, { url: keys.body.tenantUrl, token: keys.body.secretToken });
  });
});

describe('console API with Cognito ID-token claims (COGNITO_USER_POOLS methods)', () => {
  const pool = () => {
    const p = d.userPools[0];
    if (!p) throw new Error('the template has no user pool');
    return p;
  };

  it('serves the console page and its config without sign-in', async () => {
    expect((await c.get('/console')).status).toBe(200);
    const config = await c.get('/console/config.json');
    expect(config.status).toBe(200);
  });

  it('refuses a missing, forged or expired ID token with the SCIM 401 gateway response', async () => {
    expect((await c.consoleApi('GET', '/me', null)).status).toBe(401);
    const forged = pool().idToken({ sub: 'x', 'cognito:groups': ['operator'] }).replace(/\.[^.]+$/, '.AAAA');
    expect((await c.consoleApi('GET', '/me', forged)).status).toBe(401);
    expect((await c.consoleApi('GET', '/me', pool().idToken({ sub: 'x', 'cognito:groups': ['operator'] }, -60))).status).toBe(401);
  });

  it('gives an account admin its own account only; an operator sees every account', async () => {
    const admin = pool().idToken({ sub: randomUUID(), email: 'admin@contoso.com', 'cognito:groups': ['account-admin'], 'custom:accountId': tenant.id });
    const me = await c.consoleApi('GET', '/me', admin);
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain('admin@contoso.com');
    expect((await c.consoleApi('GET', `/accounts/${tenant.id}/integration`, admin)).status).toBe(200);
    expect((await c.consoleApi('GET', '/accounts', admin)).body.accounts.map((a: { id: string }) => a.id)).toEqual([tenant.id]);
    const operator = pool().idToken({ sub: randomUUID(), email: 'ops@example.com', 'cognito:groups': ['operator'] });
    expect((await c.consoleApi('GET', '/accounts', operator)).body.accounts.length).toBeGreaterThan(1);
  });
});

describe('change events: DynamoDB Streams → the template’s filter → publisher → EventBridge', () => {
  it('publishes User Changed events for user items only (sentinels and log items are filtered out)', async () => {
    const before = d.events.events.length;
    const filteredBefore = d.streams.filteredOut;
    const user = await c.scim('POST', `${tenant.url}/Users`, tenant.token, entraUser());
    expect(user.status).toBe(201);
    await d.drain();
    const mine = d.events.events.slice(before).filter((e) => JSON.stringify(e.detail).includes(user.body.id));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]?.bus).toBe(d.stack.resolve({ Ref: d.stack.ofType('AWS::Events::EventBus')[0]?.[0] }));
    // The create also wrote sentinel items (userName, email, phone): the filter kept them away from the function.
    expect(d.streams.filteredOut).toBeGreaterThan(filteredBefore);
  });

  it('retries a batch EventBridge refused and parks it on the on-failure destination after the last retry', async () => {
    d.events.failNext = 1_000;
    try {
      await c.scim('POST', `${tenant.url}/Users`, tenant.token, entraUser());
      await d.drain();
    } finally {
      d.events.failNext = 0;
    }
    expect(d.streams.deadLetters.length).toBe(1);
  });
});

describe('provisioning log: function log lines → the template’s subscription filter → log-ingest → admin log', () => {
  it("shows Entra's requests in the account's log", async () => {
    await c.scim('GET', `${tenant.url}/Users?filter=userName+eq+%22nobody%40contoso.com%22`, tenant.token);
    await d.drain();
    expect(d.logs.deliveries.length).toBeGreaterThan(0);
    // Only the request lines pass the filter (no START/END/REPORT platform lines).
    expect(d.logs.deliveries.flatMap((x) => x.messages).every((m) => m.includes('"SCIM request"'))).toBe(true);
    const log = await c.admin('GET', `/accounts/${tenant.id}/log`);
    expect(log.status).toBe(200);
    expect(log.body.entries.length).toBeGreaterThan(0);
  });

  it('removing the integration revokes the token at once; users stay readable to the admin', async () => {
    expect((await c.admin('DELETE', `/accounts/${tenant.id}/integration`)).status).toBe(204);
    expect((await c.scim('GET', `${tenant.url}/Users`, tenant.token)).status).toBe(401);
    expect((await c.admin('GET', `/accounts/${tenant.id}/users`)).body.totalResults).toBeGreaterThan(0);
  });
});

describe('every method of the template answers', () => {
  it('sweeps the methods no flow above called (a route added to the stack is exercised without a test change)', async () => {
    const covered = (m: { httpMethod: string; resourcePath: string }) =>
      d.gateway.accessLog.some((l) => l.method === m.httpMethod && l.resourcePath === m.resourcePath && l.functionArn);
    const account = await c.admin('POST', '/accounts', { name: 'Sweep', type: 'customer' });
    await c.admin('PUT', `/accounts/${account.body.id}/integration`);
    const keys = (await c.admin('POST', `/accounts/${account.body.id}/integration/keys`)).body;
    const tenantSegment = new URL(keys.tenantUrl).pathname.split('/').pop() as string;
    const operator = d.userPools[0]?.idToken({ sub: randomUUID(), email: 'sweep@example.com', 'cognito:groups': ['operator'] }) ?? null;
    const answers: string[] = [];
    for (const m of d.gateway.api.methods.filter((x) => !covered(x))) {
      const path = m.resourcePath.replace(/\{([^}]+)\}/g, (_p, name: string) => (name === 'tenant' ? tenantSegment : name === 'accountId' ? account.body.id : 'sweep-1'));
      const body = ['POST', 'PUT', 'PATCH'].includes(m.httpMethod) ? {} : undefined;
      const url = `${d.gateway.stageUrl}${path}`;
      let res;
      if (m.authorizationType === 'AWS_IAM') res = await c.admin(m.httpMethod, path.replace(/^\/admin/, ''), body);
      else if (m.authorizationType === 'COGNITO_USER_POOLS') res = await c.consoleApi(m.httpMethod, path.replace(/^\/console\/api/, ''), operator, body);
      else res = await c.scim(m.httpMethod, url, m.resourcePath.includes('{tenant}') ? keys.secretToken : null, body);
      answers.push(`${m.httpMethod} ${m.resourcePath} → ${res.status}${res.headers.get('x-amzn-errortype') ? ` (${res.headers.get('x-amzn-errortype')})` : ''}`);
    }
    console.log(`swept ${answers.length} methods:\n${answers.join('\n')}`);
    // Every method reached its function, which answered without a server error (501 is the designed answer to a
    // Groups write, 503 a transient one; 500, 502 and 504 are bugs or a function that failed).
    expect(d.gateway.api.methods.filter((m) => !covered(m)).map((m) => `${m.httpMethod} ${m.resourcePath}`)).toEqual([]);
    expect(answers.filter((a) => / → 50[024]/.test(a))).toEqual([]);
  });
});

describe('IAM, both ways', () => {
  it('every AWS call of every function was allowed by its role in the template', () => {
    expect(d.iam.denied()).toEqual([]);
  });

  it('every function answered at least one request in these flows', () => {
    const silent = d.functions.filter((f) => !d.logs.lines(f.logGroupName).some((l) => l.startsWith('REPORT ')));
    expect(silent.map((f) => f.logicalId)).toEqual([]);
  });

  it('every statement of every function role was needed by some flow (no unused grant)', () => {
    const roles = new Set(d.functions.map((f) => f.roleLogicalId));
    expect(d.iam.unused(roles).map((s) => `${s.id} ${s.actions.join(',')} on ${s.resources.join(',')}`)).toEqual([]);
    // Per action, for the record (docs/deployed-tests.md): actions granted next to used ones that no flow called.
    console.log(`granted actions no flow called:\n${d.iam.unusedActions(roles).map((x) => `${x.statement}: ${x.actions.join(', ')}`).join('\n')}`);
  });
});
