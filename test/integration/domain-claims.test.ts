/**
 * Domain claims (issue 14, item 2) over real HTTP on the embedded store: an operator claims a domain for an
 * account; another account's create, replace and patch of a login ID or email in it (or a subdomain) get 409
 * naming the attribute and nothing about the holder; the claiming account and unclaimed domains behave as before;
 * claiming lists the values already held elsewhere; nested and double claims are refused; release restores.
 */
import { run } from '../../cli/main';
import { TestServer, readResponse, startTestServer } from '../support/local-server';
import { userWith } from '../support/robustness';

let s: TestServer;
let other: { accountId: string; url: string; token: string };
beforeAll(async () => {
  s = await startTestServer();
  const account = await s.app.admin.createAccount({ id: 'squatter', name: 'Squatter', type: 'customer' });
  await s.app.admin.addIntegration(account.id);
  const keys = await s.app.admin.generateKeys(account.id, s.app.url);
  other = { accountId: account.id, url: keys.tenantUrl, token: keys.secretToken };
});
afterAll(async () => {
  await s.close();
});

async function admin(method: string, path: string, token = s.app.adminToken, base = s.app.adminUrl) {
  const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const otherScim = async (method: string, path: string, body?: unknown) =>
  readResponse(
    await fetch(`${other.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${other.token}`, 'Content-Type': 'application/scim+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (x) => out.push(x), err: (x) => err.push(x), env: { SCIMLINK_ADMIN_URL: s.app.adminUrl, SCIMLINK_ADMIN_TOKEN: s.app.adminToken } });
  return { code, out: out.join(''), err: err.join('') };
}

describe('claiming a domain', () => {
  let squatted: { id: string };
  let squattedSub: { id: string };

  beforeAll(async () => {
    // Values the squatter took before the claim: the claim must list them.
    const a = await otherScim('POST', '/Users', userWith({ userName: 'bob@acme-claims.com', email: 'bob.other@elsewhere.test' }));
    const b = await otherScim('POST', '/Users', userWith({ userName: 'carol@elsewhere.test', email: 'carol@EU.Acme-Claims.com' }));
    expect([a.status, b.status]).toEqual([201, 201]);
    squatted = a.body;
    squattedSub = b.body;
    // The demo account's own value in the domain is not listed.
    expect((await s.scim('POST', '/Users', userWith({ userName: 'ann@acme-claims.com', email: 'ann@acme-claims.com' }))).status).toBe(201);
  });

  it('201, in canonical form, listing the values other accounts hold in the domain and its subdomains', async () => {
    const res = await admin('PUT', `/accounts/demo/domains/${encodeURIComponent('ＡＣＭＥ-Claims.COM')}`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ domain: 'acme-claims.com', accountId: 'demo', complete: true });
    expect(res.body.heldElsewhere).toEqual(
      expect.arrayContaining([
        { kind: 'userName', value: 'bob@acme-claims.com', accountId: 'squatter', userId: squatted.id },
        { kind: 'email', value: 'carol@eu.acme-claims.com', accountId: 'squatter', userId: squattedSub.id },
      ]),
    );
    expect(res.body.heldElsewhere).toHaveLength(2);
    // Again: 200, the same claim.
    const again = await admin('PUT', '/accounts/demo/domains/acme-claims.com');
    expect([again.status, again.body.claimedAt]).toEqual([200, res.body.claimedAt]);
    expect((await admin('GET', '/accounts/demo/domains')).body.domains.map((d: { domain: string }) => d.domain)).toStrictEqual(['acme-claims.com']);
  });

  it.each([
    ['userName', { userName: 'dave@acme-claims.com', email: 'dave@elsewhere.test' }, 'userName'],
    ['work email', { userName: 'erin@elsewhere.test', email: 'Erin@ACME-claims.com' }, 'emails[type eq "work"].value'],
    ['userName in a subdomain', { userName: 'frank@mail.eu.acme-claims.com', email: 'frank@elsewhere.test' }, 'userName'],
  ])('another account creating a %s in it → 409 uniqueness naming the attribute, nothing written', async (_what, values, attribute) => {
    const res = await otherScim('POST', '/Users', userWith(values));
    expect(res.status).toBe(409);
    expect(res.body.scimType).toBe('uniqueness');
    expect(res.body.detail).toContain(`${attribute} '`);
    expect(res.body.detail).toContain('belongs to another account');
    expect(res.body.detail).not.toMatch(/demo/i);
    const found = await otherScim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${values.userName}"`)}`);
    expect(found.body.totalResults).toBe(0);
  });

  it('another account replacing or patching a user into the domain → 409, the user unchanged', async () => {
    const created = await otherScim('POST', '/Users', userWith({ userName: 'gina@elsewhere.test', email: 'gina@elsewhere.test' }));
    expect(created.status).toBe(201);
    const put = await otherScim('PUT', `/Users/${created.body.id}`, userWith({ userName: 'gina@acme-claims.com', email: 'gina@elsewhere.test' }));
    expect([put.status, put.body.scimType]).toEqual([409, 'uniqueness']);
    expect(put.body.detail).toContain("userName 'gina@acme-claims.com' is in the domain acme-claims.com, which belongs to another account");
    const patch = await otherScim('PATCH', `/Users/${created.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Add', path: 'emails[type eq "other"].value', value: 'gina@eu.acme-claims.com' }],
    });
    expect([patch.status, patch.body.scimType]).toEqual([409, 'uniqueness']);
    expect(patch.body.detail).toContain('emails[type eq "other"].value');
    const after = await otherScim('GET', `/Users/${created.body.id}`);
    expect(after.body.userName).toBe('gina@elsewhere.test');
    expect(after.body.emails).toHaveLength(1);
  });

  it('a value held before the claim stays, and that user can still be updated otherwise', async () => {
    const res = await otherScim('PATCH', `/Users/${squatted.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'displayName', value: 'Bob Renamed' }],
    });
    expect([res.status, res.body.displayName]).toEqual([200, 'Bob Renamed']);
  });

  it('the claiming account creates in the domain and subdomains; unclaimed look-alike domains behave as before', async () => {
    expect((await s.scim('POST', '/Users', userWith({ userName: 'hal@acme-claims.com', email: 'hal@eu.acme-claims.com' }))).status).toBe(201);
    // `acmeshop-claims.com` and `acme-claims.com.evil.test` are other domains.
    expect((await otherScim('POST', '/Users', userWith({ userName: 'ivy@x-acme-claims.com', email: 'ivy@acme-claims.com.evil.test' }))).status).toBe(201);
  });

  it('another account cannot claim it, a subdomain of it, or (while it holds a subdomain) its parent', async () => {
    const same = await admin('PUT', '/accounts/squatter/domains/acme-claims.com');
    expect([same.status, same.body.message]).toEqual([409, 'cannot claim acme-claims.com: acme-claims.com is claimed by another account']);
    const sub = await admin('PUT', '/accounts/squatter/domains/eu.acme-claims.com');
    expect(sub.status).toBe(409);
    expect(sub.body.message).toContain('its parent domain acme-claims.com is claimed by another account');
    expect((await admin('PUT', '/accounts/squatter/domains/sub.parent-claims.test')).status).toBe(201);
    const parent = await admin('PUT', '/accounts/demo/domains/parent-claims.test');
    expect(parent.status).toBe(409);
    expect(parent.body.message).toContain('its subdomain sub.parent-claims.test is claimed by another account');
    // The refused parent claim left nothing behind: the squatter may still write in parent-claims.test.
    expect((await admin('GET', '/accounts/demo/domains')).body.domains.map((d: { domain: string }) => d.domain)).toStrictEqual(['acme-claims.com']);
    expect((await otherScim('POST', '/Users', userWith({ userName: 'joe@parent-claims.test', email: 'joe@parent-claims.test' }))).status).toBe(201);
  });

  it.each([['com'], ['acme..com'], ['a.b.c.d.e.f.g'], ['10.0.0.1'], ['acme com']])('a malformed domain %j → 400', async (domain) => {
    const res = await admin('PUT', `/accounts/demo/domains/${encodeURIComponent(domain)}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(JSON.stringify(domain));
  });

  it('only operators: a partner or account admin gets 403, even for its own account', async () => {
    const accountAdmin = s.app.consoleSession({ role: 'account-admin', accountId: 'demo', name: 'admin@demo.example' });
    for (const [method, path] of [['GET', '/accounts/demo/domains'], ['PUT', '/accounts/demo/domains/mine.test'], ['DELETE', '/accounts/demo/domains/acme-claims.com']]) {
      const res = await admin(method as string, path as string, accountAdmin, `${s.app.url}/console/api`);
      expect(res.status).toBe(403);
    }
    expect((await admin('PUT', '/accounts/no-such-account/domains/x.test')).status).toBe(404);
  });

  it('the CLI claims, lists and releases; after release the domain is open again', async () => {
    const claimed = await cli('domains', 'claim', 'squatter', 'cli-claims.test');
    expect(claimed.code).toBe(0);
    expect(claimed.out).toContain('Claimed cli-claims.test for account squatter');
    const listed = await cli('domains', 'list', 'demo');
    expect(listed.out).toContain('acme-claims.com');
    expect(listed.out).toContain('bob@acme-claims.com');
    expect(listed.out).toContain(`scimlink conflicts search userName bob@acme-claims.com`);
    const json = JSON.parse((await cli('domains', 'list', 'demo', '--json')).out);
    expect(json.domains[0].heldElsewhere).toHaveLength(2);
    const refused = await cli('domains', 'claim', 'demo', 'cli-claims.test');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('cli-claims.test is claimed by another account');

    const released = await cli('domains', 'release', 'demo', 'acme-claims.com');
    expect([released.code, released.out]).toEqual([0, 'Released acme-claims.com: any account may hold login IDs and emails in it again.\n']);
    expect((await otherScim('POST', '/Users', userWith({ userName: 'dave@acme-claims.com', email: 'dave@elsewhere.test' }))).status).toBe(201);
    expect((await admin('DELETE', '/accounts/demo/domains/acme-claims.com')).status).toBe(404);
  });

  it('deleting the claiming account releases its claims', async () => {
    await s.app.admin.createAccount({ id: 'short-lived', name: 'Short Lived', type: 'customer' });
    expect((await admin('PUT', '/accounts/short-lived/domains/short-lived.test')).status).toBe(201);
    expect((await otherScim('POST', '/Users', userWith({ userName: 'kim@short-lived.test', email: 'kim@elsewhere.test' }))).status).toBe(409);
    expect((await admin('DELETE', '/accounts/short-lived')).body).toMatchObject({ deleted: true });
    expect((await otherScim('POST', '/Users', userWith({ userName: 'kim@short-lived.test', email: 'kim@elsewhere.test' }))).status).toBe(201);
    expect((await admin('PUT', '/accounts/squatter/domains/short-lived.test')).status).toBe(201);
  });

  it('verify stays clean after all of it', async () => {
    const res = await admin('GET', '/verify');
    expect(res.body.findings).toEqual([]);
  });
});
