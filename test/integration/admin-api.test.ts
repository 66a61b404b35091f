/**
 * Issue 3 through the admin API over real HTTP (the CLI test drives the same routes through `scimlink`):
 * partner accounts refused, tenants isolated, removal revokes, phone conflicts found and cleared.
 */
import { TestServer, entraUser, startTestServer } from '../support/local-server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

async function admin(method: string, path: string, body?: unknown, token: string | null = s.app.adminToken) {
  const res = await fetch(`${s.app.adminUrl}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A customer account with the integration and keys: its tenant URL and token. */
async function tenant(name: string) {
  const acc = await admin('POST', '/accounts', { name, type: 'customer' });
  expect(acc.status).toBe(201);
  expect((await admin('PUT', `/accounts/${acc.body.id}/integration`)).status).toBe(200);
  const keys = await admin('POST', `/accounts/${acc.body.id}/integration/keys`);
  expect(keys.status).toBe(201);
  return { id: acc.body.id as string, url: keys.body.tenantUrl as string, token: keys.body.secretToken as string };
}

describe('admin auth', () => {
  it('needs the admin token; the SCIM token does not work on admin routes and vice versa', async () => {
    expect((await admin('GET', '/accounts', undefined, null)).status).toBe(401);
    expect((await admin('GET', '/accounts', undefined, s.app.secretToken)).status).toBe(401);
    const scimWithAdminToken = await s.scim('GET', '/Users?filter=userName+eq+%22x%22', undefined, { token: s.app.adminToken });
    expect(scimWithAdminToken.status).toBe(401);
  });
});

describe('accounts and the integration', () => {
  it('refuses the integration on a partner account with the SPEC message', async () => {
    const partner = await admin('POST', '/accounts', { name: 'Partner Co', type: 'partner' });
    const res = await admin('PUT', `/accounts/${partner.body.id}/integration`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'integrations are not supported for partner accounts; create a customer account and add the integration there',
    );
    const customer = await admin('POST', '/accounts', { name: 'Customer Co', type: 'customer', partnerId: partner.body.id });
    expect(customer.status).toBe(201);
    expect((await admin('GET', `/accounts/${customer.body.id}`)).body.partnerId).toBe(partner.body.id);
    const list = await admin('GET', '/accounts');
    expect(list.body.accounts.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([partner.body.id, customer.body.id]));
    // A customer named as the partner is not "not found": it exists, it is the wrong type.
    const wrongType = await admin('POST', '/accounts', { name: 'Sub Co', type: 'customer', partnerId: customer.body.id });
    expect([wrongType.status, wrongType.body.message]).toEqual([400, `account ${customer.body.id} is a customer account; --partner / partnerId needs a partner account`]);
    expect((await admin('POST', '/accounts', { name: 'Sub Co', type: 'customer', partnerId: 'nope' })).body.message).toBe('partner account nope not found');
  });

  it('shows the integration state: keys generated, last request seen, users provisioned', async () => {
    const t = await tenant('State Co');
    const before = await admin('GET', `/accounts/${t.id}/integration`);
    expect(before.body).toMatchObject({ accountId: t.id, integration: 'Entra ID Sync', usersProvisioned: 0, tenantUrl: t.url });
    expect(before.body.keysGeneratedAt).toEqual(expect.any(String));
    expect(before.body.lastRequestAt).toBeUndefined();
    await s.scim('POST', `${t.url}/Users`, entraUser(), { token: t.token });
    const after = await admin('GET', `/accounts/${t.id}/integration`);
    expect(after.body.usersProvisioned).toBe(1);
    expect(after.body.lastRequestAt).toEqual(expect.any(String));
  });

  it('removing the integration revokes the token on the next request; users stay', async () => {
    const t = await tenant('Removal Co');
    const created = await s.scim('POST', `${t.url}/Users`, entraUser(), { token: t.token });
    expect(created.status).toBe(201);
    expect((await admin('DELETE', `/accounts/${t.id}/integration`)).status).toBe(204);
    expect((await s.scim('GET', `${t.url}/Users/${created.body.id}`, undefined, { token: t.token })).status).toBe(401);
    expect((await admin('GET', `/accounts/${t.id}/users/${created.body.id}`)).status).toBe(200);
  });
});

describe('tenant isolation', () => {
  it("a user of A is invisible and untouchable through B's URL and token", async () => {
    const a = await tenant('Tenant A');
    const b = await tenant('Tenant B');
    const body = entraUser();
    const u = (await s.scim('POST', `${a.url}/Users`, body, { token: a.token })).body;
    const asB = (method: string, path: string, payload?: unknown) => s.scim(method, `${b.url}${path}`, payload, { token: b.token });
    const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] };

    expect((await asB('GET', `/Users/${u.id}`)).status).toBe(404);
    for (const f of [`id eq "${u.id}"`, `userName eq "${body.userName}"`, `externalId eq "${body.externalId}"`, `emails[type eq "work"].value eq "${body.emails[0]!.value}"`]) {
      expect((await asB('GET', `/Users?filter=${encodeURIComponent(f)}`)).body.totalResults).toBe(0);
    }
    expect((await asB('GET', '/Users')).body.totalResults).toBe(0);
    expect((await asB('PATCH', `/Users/${u.id}`, patch)).status).toBe(404);
    expect((await asB('PUT', `/Users/${u.id}`, entraUser())).status).toBe(404);
    expect((await asB('DELETE', `/Users/${u.id}`)).status).toBe(404);
    // A's token on B's URL, B's token on A's URL
    expect((await s.scim('GET', `${b.url}/Users`, undefined, { token: a.token })).status).toBe(401);
    expect((await s.scim('GET', `${a.url}/Users/${u.id}`, undefined, { token: b.token })).status).toBe(401);
    // …and A's user is untouched
    const still = await s.scim('GET', `${a.url}/Users/${u.id}`, undefined, { token: a.token });
    expect(still.body).toMatchObject({ active: true, meta: { version: 'W/"1"' } });
    // uniqueness is platform-wide: B cannot take A's login ID, and the 409 does not reveal A
    const clash = await asB('POST', '/Users', entraUser({ userName: body.userName }));
    expect(clash.status).toBe(409);
    expect(JSON.stringify(clash.body)).not.toContain(a.id);
  });
});

describe('phone conflicts', () => {
  it('finds an inactive user holding a number (any input format) and deleting it unblocks Entra', async () => {
    const a = await tenant('Stale Co');
    const b = await tenant('New Co');
    const number = '+442071838750';
    const stale = await s.scim('POST', `${a.url}/Users`, entraUser({ active: false, phoneNumbers: [{ type: 'work', value: number }] }), { token: a.token });
    expect(stale.status).toBe(201);
    const blocked = entraUser({ phoneNumbers: [{ type: 'mobile', value: number }] });
    expect((await s.scim('POST', `${b.url}/Users`, blocked, { token: b.token })).status).toBe(409);

    const search = await admin('GET', `/phones?number=${encodeURIComponent('+44 20 7183 8750')}`);
    expect(search.status).toBe(200);
    expect(search.body).toEqual({
      number,
      hits: [{ accountId: a.id, accountName: 'Stale Co', userId: stale.body.id, userName: stale.body.userName, active: false, types: ['work'], value: number }],
    });
    const national = await admin('GET', `/phones?number=${encodeURIComponent('020 7183 8750')}&country=GB`);
    expect(national.body.hits[0].userId).toBe(stale.body.id);
    expect((await admin('GET', '/phones?number=hello')).status).toBe(400);

    expect((await admin('DELETE', `/accounts/${a.id}/users/${stale.body.id}`)).status).toBe(204);
    expect((await admin('GET', `/phones?number=${encodeURIComponent(number)}`)).body.hits).toEqual([]);
    expect((await s.scim('POST', `${b.url}/Users`, blocked, { token: b.token })).status).toBe(201);
  });

  it('lists an account’s users, active and inactive, filterable by active', async () => {
    const t = await tenant('Listing Co');
    await s.scim('POST', `${t.url}/Users`, entraUser(), { token: t.token });
    await s.scim('POST', `${t.url}/Users`, entraUser({ active: false }), { token: t.token });
    const all = await admin('GET', `/accounts/${t.id}/users`);
    expect(all.body.totalResults).toBe(2);
    const inactive = await admin('GET', `/accounts/${t.id}/users?active=false`);
    expect(inactive.body.users.map((u: { active: boolean }) => u.active)).toEqual([false]);
  });
});

describe('accounts rename (issue 16)', () => {
  it('changes the name in the account and in the list; id, type, partner, keys and users stay', async () => {
    // Prepare
    const t = await tenant('Contsoo Ltd');
    const before = (await admin('GET', `/accounts/${t.id}`)).body;
    expect((await s.scim('POST', `${t.url}/Users`, entraUser(), { token: t.token })).status).toBe(201);

    // Act
    const res = await admin('PATCH', `/accounts/${t.id}`, { name: '  Contoso Ltd  ' });

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before, name: 'Contoso Ltd' });
    expect((await admin('GET', `/accounts/${t.id}`)).body).toEqual({ ...before, name: 'Contoso Ltd' });
    const listed = (await admin('GET', '/accounts')).body.accounts.find((a: { id: string }) => a.id === t.id);
    expect(listed).toEqual({ ...before, name: 'Contoso Ltd' });
    const users = await s.scim('GET', `${t.url}/Users`, undefined, { token: t.token });
    expect([users.status, users.body.totalResults]).toEqual([200, 1]);
  });

  it.each([
    ['an empty name', { name: '   ' }, 'name is required (1-200 characters)'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name is required (1-200 characters)'],
    ['another attribute beside the name', { name: 'Fine', type: 'partner' }, 'send a JSON object with the new name only: {"name": "..."}'],
    ['no body', undefined, 'send a JSON object with the new name only: {"name": "..."}'],
  ])('refuses %s with a 400 and changes nothing', async (_what, body, message) => {
    const acc = (await admin('POST', '/accounts', { name: 'Unchanged Co', type: 'customer' })).body;
    const res = await admin('PATCH', `/accounts/${acc.id}`, body);
    expect([res.status, res.body.message]).toEqual([400, message]);
    expect((await admin('GET', `/accounts/${acc.id}`)).body).toEqual(acc);
  });

  it('answers 404 for an account that does not exist, and creates none', async () => {
    const res = await admin('PATCH', '/accounts/no-such-account', { name: 'Ghost' });
    expect([res.status, res.body.message]).toEqual([404, 'account no-such-account not found']);
    expect((await admin('GET', '/accounts')).body.accounts.map((a: { id: string }) => a.id)).not.toContain('no-such-account');
  });
});
