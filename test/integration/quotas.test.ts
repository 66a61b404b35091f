/**
 * Quotas (issue 14, item 5) over real HTTP on the embedded store: an operator sets an account's user limit; past it
 * Entra's create gets 403 naming the limit, recorded in the provisioning log, and nothing is written; concurrent
 * creates never pass it; deleting frees a place; a partner's customer accounts are limited the same way.
 */
import { run } from '../../cli/main';
import { TestServer, readResponse, startTestServer } from '../support/local-server';
import { userWith } from '../support/robustness';

let s: TestServer;
let t: { accountId: string; url: string; token: string };
beforeAll(async () => {
  s = await startTestServer();
  const account = await s.app.admin.createAccount({ id: 'limited', name: 'Limited', type: 'customer' });
  await s.app.admin.addIntegration(account.id);
  const keys = await s.app.admin.generateKeys(account.id, s.app.url);
  t = { accountId: account.id, url: keys.tenantUrl, token: keys.secretToken };
});
afterAll(async () => {
  await s.close();
});

async function admin(method: string, path: string, body?: unknown, token = s.app.adminToken, base = s.app.adminUrl) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const create = async (n: string) =>
  readResponse(
    await fetch(`${t.url}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify(userWith({ userName: `${n}@quota.test`, email: `${n}@quota.test` })),
    }),
  );
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (x) => out.push(x), err: (x) => err.push(x), env: { SCIMLINK_ADMIN_URL: s.app.adminUrl, SCIMLINK_ADMIN_TOKEN: s.app.adminToken } });
  return { code, out: out.join(''), err: err.join('') };
}

describe('the user limit of an account', () => {
  it('the deployment default applies until an operator sets the account its own', async () => {
    const before = await admin('GET', '/accounts/limited/quotas');
    expect(before.body).toEqual({ accountId: 'limited', users: { limit: 100000, default: 100000, used: 0 } });
    const set = await admin('PUT', '/accounts/limited/quotas', { maxUsers: 3 });
    expect([set.status, set.body.users]).toEqual([200, { limit: 3, default: 100000, override: 3, used: 0 }]);
    expect((await admin('GET', '/accounts/limited')).body.maxUsers).toBe(3);
  });

  it('past it: 403 naming the limit, nothing written, a provisioning-log entry; a delete frees a place', async () => {
    const made = [await create('q1'), await create('q2'), await create('q3')];
    expect(made.map((r) => r.status)).toStrictEqual([201, 201, 201]);
    const refused = await create('q4');
    expect(refused.status).toBe(403);
    expect(refused.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect(refused.body.detail).toContain('This account has reached its limit of 3 users (quota)');
    const found = await readResponse(await fetch(`${t.url}/Users?filter=${encodeURIComponent('userName eq "q4@quota.test"')}`, { headers: { Authorization: `Bearer ${t.token}` } }));
    expect(found.body.totalResults).toBe(0);
    await s.app.flushProvisioningLog(); // written off the request path (within ~20 ms): all of it before reading
    const log = await admin('GET', '/accounts/limited/log?errors=true');
    expect(log.body.entries[0]).toMatchObject({ status: 403, userName: 'q4@quota.test' });
    expect(log.body.entries[0].rule).toContain('reached its limit of 3 users (quota)');

    expect((await admin('DELETE', `/accounts/limited/users/${made[0]!.body.id}`)).status).toBe(204);
    expect((await create('q4')).status).toBe(201);
    expect((await admin('GET', '/accounts/limited/quotas')).body.users.used).toBe(3);
  });

  it('concurrent creates never pass it: with 2 places left, 12 at once → exactly 2 created, the rest 403 (or 503 to retry)', async () => {
    expect((await admin('PUT', '/accounts/limited/quotas', { maxUsers: 5 })).status).toBe(200);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => create(`burst${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(2);
    expect(statuses.every((x) => x === 201 || x === 403 || x === 503)).toBe(true);
    expect((await admin('GET', '/accounts/limited/quotas')).body.users.used).toBe(5);
    expect((await admin('GET', '/verify')).body.findings).toEqual([]);
  });

  it('a lowered limit removes nobody; null returns to the default', async () => {
    expect((await admin('PUT', '/accounts/limited/quotas', { maxUsers: 1 })).body.users).toMatchObject({ limit: 1, used: 5 });
    expect((await create('low')).status).toBe(403);
    const back = await admin('PUT', '/accounts/limited/quotas', { maxUsers: null });
    expect(back.body.users).toEqual({ limit: 100000, default: 100000, used: 5 });
    expect((await create('low')).status).toBe(201);
  });

  it.each([[{ maxUsers: -1 }], [{ maxUsers: 1.5 }], [{ maxUsers: '10' }], [{ maxUsers: 20_000_000 }], [{ other: 1 }], [{}], [[1]]])('%j → 400, nothing changed', async (body) => {
    const res = await admin('PUT', '/accounts/limited/quotas', body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/maxUsers/);
    expect((await admin('GET', '/accounts/limited/quotas')).body.users.override).toBeUndefined();
  });

  it('an account admin may read its quota but not set it; maxAccounts is for partner accounts', async () => {
    const session = s.app.consoleSession({ role: 'account-admin', accountId: 'limited', name: 'a@limited.example' });
    const base = `${s.app.url}/console/api`;
    expect((await admin('GET', '/accounts/limited/quotas', undefined, session, base)).status).toBe(200);
    const refused = await admin('PUT', '/accounts/limited/quotas', { maxUsers: 999999 }, session, base);
    expect([refused.status, refused.body.message]).toEqual([403, 'setting quotas is for operators only']);
    const wrong = await admin('PUT', '/accounts/limited/quotas', { maxAccounts: 3 });
    expect(wrong.status).toBe(400);
  });
});

describe("a partner's customer accounts", () => {
  it('a partner creates up to its limit, then 403 naming it; an operator may still create under it; the CLI shows and sets', async () => {
    const partner = await admin('POST', '/accounts', { id: 'reseller', name: 'Reseller', type: 'partner' });
    expect(partner.status).toBe(201);
    // One customer from before (an operator's): counted.
    expect((await admin('POST', '/accounts', { name: 'Old Customer', type: 'customer', partnerId: 'reseller' })).status).toBe(201);
    const set = await cli('quotas', 'set', 'reseller', '--max-accounts', '2');
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/customer accounts\s+1\s+2\s+own \(default 100\)/);

    const session = s.app.consoleSession({ role: 'partner', accountId: 'reseller', name: 'p@reseller.example' });
    const base = `${s.app.url}/console/api`;
    expect((await admin('POST', '/accounts', { name: 'Second', type: 'customer' }, session, base)).status).toBe(201);
    const third = await admin('POST', '/accounts', { name: 'Third', type: 'customer' }, session, base);
    expect(third.status).toBe(403);
    expect(third.body.message).toContain('partner reseller has reached its limit of 2 customer accounts');
    expect((await admin('GET', '/accounts', undefined, session, base)).body.accounts.filter((a: { name: string }) => a.name === 'Third')).toEqual([]);
    // The operator decides: not refused, still counted.
    expect((await admin('POST', '/accounts', { name: 'By Operator', type: 'customer', partnerId: 'reseller' })).status).toBe(201);
    const shown = await cli('quotas', 'show', 'reseller', '--json');
    expect(JSON.parse(shown.out).customerAccounts).toEqual({ limit: 2, default: 100, override: 2, used: 3 });
  });

  it("deleting one of its customers frees a place in the partner's quota", async () => {
    const session = s.app.consoleSession({ role: 'partner', accountId: 'reseller', name: 'p@reseller.example' });
    const base = `${s.app.url}/console/api`;
    const second = (await admin('GET', '/accounts', undefined, session, base)).body.accounts.find((a: { name: string }) => a.name === 'Second');
    const byOperator = (await admin('GET', '/accounts')).body.accounts.find((a: { name: string }) => a.name === 'By Operator');
    expect((await admin('DELETE', `/accounts/${second.id}`)).body).toMatchObject({ deleted: true });
    expect((await admin('DELETE', `/accounts/${byOperator.id}`)).body).toMatchObject({ deleted: true });
    expect((await admin('GET', '/accounts/reseller/quotas')).body.customerAccounts).toMatchObject({ limit: 2, used: 1 });
    expect((await admin('POST', '/accounts', { name: 'Fourth', type: 'customer' }, session, base)).status).toBe(201);
  });

  it('the CLI refuses a limit that is not a number before sending anything', async () => {
    const r = await cli('quotas', 'set', 'limited', '--max-users', 'lots');
    expect(r.code).toBe(2);
    expect(r.err).toContain("--max-users must be a whole number or 'default'");
  });
});
