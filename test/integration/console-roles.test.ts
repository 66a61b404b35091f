/**
 * Issue 7 over real HTTP: the console API (/console/api, Cognito-authorised when deployed — here the local
 * adapter's console sessions) applies the caller's role on every route. An account admin reaches its own account
 * only, a partner its customers, an operator everything; console sessions and the admin token are not
 * interchangeable.
 */
import { TestServer, entraUser, startTestServer } from '../support/local-server';

let s: TestServer;

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
}

/** `raw`: the token as the whole Authorization header (API Gateway's Cognito authorizer takes it that way too). */
async function call(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  raw = false,
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = raw ? token : `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const consoleApi = (token: string | null, method: string, path: string, body?: unknown) =>
  call(`${s.app.url}/console/api`, method, path, token, body);
const admin = (method: string, path: string, body?: unknown) => call(s.app.adminUrl, method, path, s.app.adminToken, body);

interface Tenant {
  id: string;
  url: string;
  token: string;
  userId: string;
  phone: string;
}

/** An account (through the operator's admin API) with the integration, keys and one provisioned user. */
async function account(name: string, type: 'partner' | 'customer', partnerId?: string): Promise<Tenant> {
  const created = await admin('POST', '/accounts', { name, type, ...(partnerId ? { partnerId } : {}) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  if (type === 'partner') return { id, url: '', token: '', userId: '', phone: '' };
  expect((await admin('PUT', `/accounts/${id}/integration`)).status).toBe(200);
  const keys = await admin('POST', `/accounts/${id}/integration/keys`);
  const user = entraUser();
  const res = await s.scim('POST', `${keys.body.tenantUrl}/Users`, user, { token: keys.body.secretToken });
  expect(res.status).toBe(201);
  return { id, url: keys.body.tenantUrl, token: keys.body.secretToken, userId: res.body.id, phone: user.phoneNumbers[0]!.value };
}

let p1: Tenant, p2: Tenant, c1: Tenant, c2: Tenant, c3: Tenant, c4: Tenant;
let operator: string, partner: string, accountAdmin: string;

beforeAll(async () => {
  s = await startTestServer();
  p1 = await account('Partner One', 'partner');
  p2 = await account('Partner Two', 'partner');
  c1 = await account('Customer One', 'customer', p1.id);
  c2 = await account('Customer Two', 'customer', p1.id);
  c3 = await account('Customer Three', 'customer', p2.id);
  c4 = await account('Customer Four', 'customer');
  operator = s.app.consoleSession({ role: 'operator', name: 'ops@scimlink.dev' });
  partner = s.app.consoleSession({ role: 'partner', accountId: p1.id, name: 'pat@partner.example' });
  accountAdmin = s.app.consoleSession({ role: 'account-admin', accountId: c1.id, name: 'ann@contoso.com' });
});
afterAll(async () => {
  await s.close();
});

/** Every per-account operation, as a caller would attempt it on `t`. */
const perAccount = (t: Tenant): Array<[string, string, unknown?]> => [
  ['GET', `/accounts/${t.id}`],
  ['PATCH', `/accounts/${t.id}`, { name: 'Renamed by someone else' }],
  ['DELETE', `/accounts/${t.id}?force=true`],
  ['GET', `/accounts/${t.id}/integration`],
  ['GET', `/accounts/${t.id}/integration/health`],
  ['PUT', `/accounts/${t.id}/integration`],
  ['POST', `/accounts/${t.id}/integration/keys`],
  ['DELETE', `/accounts/${t.id}/integration`],
  ['GET', `/accounts/${t.id}/users`],
  ['GET', `/accounts/${t.id}/users/${t.userId}`],
  ['DELETE', `/accounts/${t.id}/users/${t.userId}`],
  ['GET', `/accounts/${t.id}/log`],
];

/** Refused everywhere with the same 403 — and nothing changed: the tenant's Entra token and user still work. */
async function expectRefusedEverywhere(token: string, t: Tenant) {
  for (const [method, path, body] of perAccount(t)) {
    const res = await consoleApi(token, method, path, body);
    expect({ method, path, status: res.status, body: res.body }).toEqual({
      method,
      path,
      status: 403,
      body: { status: 403, message: `account ${t.id} is not one you manage` },
    });
  }
  const user = await s.scim('GET', `${t.url}/Users/${t.userId}`, undefined, { token: t.token });
  expect(user.status).toBe(200);
  expect((await admin('GET', `/accounts/${t.id}`)).body.name).not.toBe('Renamed by someone else');
}

describe('tokens', () => {
  it('/console/api without a token, or with an unknown one → 401 as API Gateway answers it', async () => {
    for (const token of [null, 'scimlinkconsole_nope', s.app.adminToken, s.app.secretToken]) {
      const res = await consoleApi(token, 'GET', '/accounts');
      expect(res).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    }
  });

  it('/admin does not take a console session, even an operator one', async () => {
    const res = await call(s.app.adminUrl, 'GET', '/accounts', operator);
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/^admin token missing or wrong/);
  });

  it('the session is accepted as "Bearer <t>" or raw, like an ID token', async () => {
    expect((await call(`${s.app.url}/console/api`, 'GET', '/me', accountAdmin, undefined, true)).status).toBe(200);
  });

  it('consoleUrl carries an operator session', async () => {
    const match = /^(.+)\/console\/#session=(.+)$/.exec(s.app.consoleUrl);
    expect(match?.[1]).toBe(s.app.url);
    expect((await consoleApi(match![2]!, 'GET', '/me')).body.role).toBe('operator');
  });
});

describe('whoami', () => {
  it('answers the role, the account and the name', async () => {
    expect((await consoleApi(operator, 'GET', '/me')).body).toEqual({ role: 'operator', name: 'ops@scimlink.dev' });
    expect((await consoleApi(partner, 'GET', '/me')).body).toEqual({ role: 'partner', accountId: p1.id, name: 'pat@partner.example' });
    expect((await consoleApi(accountAdmin, 'GET', '/me')).body).toEqual({
      role: 'account-admin',
      accountId: c1.id,
      name: 'ann@contoso.com',
    });
    expect((await admin('GET', '/me')).body).toEqual({ role: 'operator', name: 'local admin token' });
  });
});

describe('an account admin', () => {
  it('reads and manages its own account', async () => {
    expect((await consoleApi(accountAdmin, 'GET', `/accounts/${c1.id}`)).body).toMatchObject({ id: c1.id, partnerId: p1.id });
    expect((await consoleApi(accountAdmin, 'GET', `/accounts/${c1.id}/integration`)).body.usersProvisioned).toBe(1);
    const users = await consoleApi(accountAdmin, 'GET', `/accounts/${c1.id}/users`);
    expect(users.body.users.map((u: { id: string }) => u.id)).toEqual([c1.userId]);
    expect((await consoleApi(accountAdmin, 'GET', `/accounts/${c1.id}/users/${c1.userId}`)).status).toBe(200);
    await s.app.flushProvisioningLog();
    expect((await consoleApi(accountAdmin, 'GET', `/accounts/${c1.id}/log`)).body.entries.length).toBeGreaterThan(0);
    expect((await consoleApi(accountAdmin, 'GET', '/accounts')).body.accounts.map((a: { id: string }) => a.id)).toEqual([c1.id]);
  });

  it('cannot read or change another account — a sibling, its partner, or one that does not exist', async () => {
    await expectRefusedEverywhere(accountAdmin, c2);
    await expectRefusedEverywhere(accountAdmin, c3);
    expect((await consoleApi(accountAdmin, 'GET', `/accounts/${p1.id}`)).status).toBe(403);
    const unknown = await consoleApi(accountAdmin, 'GET', '/accounts/no-such-account');
    expect(unknown.body.message).toBe('account no-such-account is not one you manage');
  });

  it('creates no account, renames or deletes none (not even its own) and runs no verify', async () => {
    const rename = await consoleApi(accountAdmin, 'PATCH', `/accounts/${c1.id}`, { name: 'Own Rename' });
    expect(rename.body).toEqual({ status: 403, message: 'an account admin cannot rename accounts; ask your partner or an operator' });
    expect((await admin('GET', `/accounts/${c1.id}`)).body.name).toBe('Customer One');
    const del = await consoleApi(accountAdmin, 'DELETE', `/accounts/${c1.id}?force=true`);
    expect(del.body).toEqual({ status: 403, message: 'an account admin cannot delete accounts; ask your partner or an operator' });
    expect((await s.scim('GET', `${c1.url}/Users/${c1.userId}`, undefined, { token: c1.token })).status).toBe(200);
    expect((await consoleApi(accountAdmin, 'POST', '/accounts', { name: 'X', type: 'customer' })).status).toBe(403);
    expect((await consoleApi(accountAdmin, 'GET', '/verify')).status).toBe(403);
  });
});

describe('a partner', () => {
  it('reaches itself and the customers it manages', async () => {
    for (const t of [c1, c2]) {
      expect((await consoleApi(partner, 'GET', `/accounts/${t.id}`)).status).toBe(200);
      expect((await consoleApi(partner, 'GET', `/accounts/${t.id}/users/${t.userId}`)).status).toBe(200);
    }
    expect((await consoleApi(partner, 'GET', `/accounts/${p1.id}`)).body.type).toBe('partner');
  });

  it("cannot reach another partner's customer, a customer without a partner, or the other partner", async () => {
    await expectRefusedEverywhere(partner, c3);
    await expectRefusedEverywhere(partner, c4);
    expect((await consoleApi(partner, 'GET', `/accounts/${p2.id}`)).status).toBe(403);
  });

  it('creates customers under itself only', async () => {
    const created = await consoleApi(partner, 'POST', '/accounts', { name: 'Partner-made Co', type: 'customer' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Partner-made Co', type: 'customer', partnerId: p1.id });
    expect((await consoleApi(partner, 'PUT', `/accounts/${created.body.id}/integration`)).status).toBe(200);

    const elsewhere = await consoleApi(partner, 'POST', '/accounts', { name: 'Y', type: 'customer', partnerId: p2.id });
    expect(elsewhere.status).toBe(403);
    expect((await consoleApi(partner, 'POST', '/accounts', { name: 'Z', type: 'partner' })).status).toBe(403);

    const listed = (await consoleApi(partner, 'GET', '/accounts')).body.accounts.map((a: { id: string }) => a.id);
    expect(listed.sort()).toEqual([p1.id, c1.id, c2.id, created.body.id].sort());
  });

  it('renames the customers it manages', async () => {
    const renamed = await consoleApi(partner, 'PATCH', `/accounts/${c2.id}`, { name: 'Customer Two (EU)' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: c2.id, name: 'Customer Two (EU)', type: 'customer', partnerId: p1.id });
    expect((await admin('GET', `/accounts/${c2.id}`)).body.name).toBe('Customer Two (EU)');
  });

  it('deletes a customer it manages (forced: its users and integration go too), never its own account', async () => {
    const own = await consoleApi(partner, 'DELETE', `/accounts/${p1.id}`);
    expect(own.body).toEqual({ status: 403, message: 'a partner cannot delete its own account; ask an operator' });
    const doomed = await account('Customer Leaving', 'customer', p1.id);
    const res = await consoleApi(partner, 'DELETE', `/accounts/${doomed.id}?force=true`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accountId: doomed.id, deleted: true, integrationRemoved: true, usersDeleted: 1 });
    expect((await admin('GET', `/accounts/${doomed.id}`)).status).toBe(404);
    expect((await s.scim('GET', `${doomed.url}/Users/${doomed.userId}`, undefined, { token: doomed.token })).status).toBe(401);
  });

  it('runs no verify', async () => {
    expect((await consoleApi(partner, 'GET', '/verify')).body).toEqual({ status: 403, message: 'verify is for operators only' });
  });
});

describe('an operator', () => {
  it('sees every account and runs verify', async () => {
    const listed = (await consoleApi(operator, 'GET', '/accounts')).body.accounts.map((a: { id: string }) => a.id);
    expect(listed).toEqual(expect.arrayContaining([p1.id, p2.id, c1.id, c2.id, c3.id, c4.id, 'demo']));
    for (const t of [c3, c4]) {
      expect((await consoleApi(operator, 'GET', `/accounts/${t.id}/users/${t.userId}`)).status).toBe(200);
    }
    expect((await consoleApi(operator, 'GET', '/verify')).status).toBe(200);
    expect((await consoleApi(operator, 'GET', '/accounts/no-such-account')).status).toBe(404);
  });
});

describe('phone search', () => {
  const holders = async (token: string, phone: string) =>
    (await consoleApi(token, 'GET', `/phones?number=${encodeURIComponent(phone)}`)).body.hits.map((h: { accountId: string }) => h.accountId);

  it('shows a holder only to those who manage its account', async () => {
    expect(await holders(operator, c3.phone)).toEqual([c3.id]);
    expect(await holders(partner, c3.phone)).toEqual([]);
    expect(await holders(accountAdmin, c3.phone)).toEqual([]);

    expect(await holders(partner, c2.phone)).toEqual([c2.id]);
    expect(await holders(accountAdmin, c2.phone)).toEqual([]);
    expect(await holders(accountAdmin, c1.phone)).toEqual([c1.id]);
  });
});
