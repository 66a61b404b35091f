/**
 * The provisioning log: an admin sees Entra's last requests (what was ignored, which rule rejected a value)
 * without CloudWatch — and the log keeps no bodies, tokens or values beyond the userName.
 */
import { run } from '../../cli/main';
import { TestServer, entraUser, startTestServer } from '../support/local-server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

async function log(query = '') {
  await s.app.flushProvisioningLog();
  const res = await fetch(`${s.app.adminUrl}/accounts/demo/log${query}`, { headers: { Authorization: `Bearer ${s.app.adminToken}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { accountId: string; entries: Array<Record<string, unknown>> };
}

describe('provisioning log', () => {
  it('records each request with status, path, userName, ignored attributes and the rule that rejected a value', async () => {
    const ok = entraUser();
    const created = await s.scim('POST', '/Users', ok);
    const bad = entraUser({ phoneNumbers: [{ type: 'mobile', value: '(415) 555-0100' }] });
    expect((await s.scim('POST', '/Users', bad)).status).toBe(400);
    await s.scim('GET', `/Users/${created.body.id}`);
    await s.scim('GET', '/Users', undefined, { token: 'scimlink_wrong' }); // unauthenticated: not this account's

    const { accountId, entries } = await log();
    expect(accountId).toBe('demo');
    const [get, rejected, post] = entries;
    expect(get).toMatchObject({ method: 'GET', path: `/Users/${created.body.id}`, status: 200, userName: ok.userName });
    expect(rejected).toMatchObject({ method: 'POST', path: '/Users', status: 400, userName: bad.userName });
    expect(rejected!.rule).toContain('phoneNumbers[type eq "mobile"].value');
    expect(rejected!.rule).toContain('E.164');
    expect(post).toMatchObject({ method: 'POST', path: '/Users', status: 201, userName: ok.userName });
    expect(post!.ignored).toEqual(expect.arrayContaining(['title', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']));
    expect(entries.filter((e) => e.status === 401)).toEqual([]);

    const text = JSON.stringify(entries);
    // The account's admins see the value their Entra sent, so they can search for it (issue 14; CloudWatch masks it).
    expect(text).toContain("'(415) 555-0100' is not in E.164 format");
    expect(text).not.toContain(s.app.secretToken);
    expect(text).not.toContain(s.app.tenantUrl.split('/scim/')[1]!); // no tenant key
    // no other personal data: names, phone numbers, addresses
    for (const value of [ok.displayName, ok.name.familyName, ok.phoneNumbers[0]!.value, 'Redmond']) expect(text).not.toContain(value);
  });

  it('filters to errors and limits the count', async () => {
    const { entries } = await log('?errors=true&limit=5');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThanOrEqual(5);
    expect(entries.every((e) => Number(e.status) >= 400)).toBe(true);
  });
});

describe('scimlink log', () => {
  it('shows the account’s failed requests (table and --json)', async () => {
    const io = () => {
      const o = { text: '', err: '' };
      return { o, io: { out: (x: string) => void (o.text += x), err: (x: string) => void (o.err += x), env: { SCIMLINK_ADMIN_URL: s.app.adminUrl, SCIMLINK_ADMIN_TOKEN: s.app.adminToken } } };
    };
    const asJson = io();
    expect(await run(['log', '--account', 'demo', '--errors', '--json'], asJson.io)).toBe(0);
    const view = JSON.parse(asJson.o.text) as { entries: Array<{ status: number }> };
    expect(view.entries.length).toBeGreaterThan(0);
    expect(view.entries.every((e) => e.status >= 400)).toBe(true);
    const plain = io();
    expect(await run(['log', '--account', 'demo'], plain.io)).toBe(0);
    expect(plain.o.text).toMatch(/^TIME\s+METHOD\s+PATH\s+STATUS/);
    expect(plain.o.text).toContain('E.164');
    const missing = io();
    expect(await run(['log'], missing.io)).toBe(2);
    expect(missing.o.err).toContain('missing ACCOUNT (see scimlink log show --help)');
    const positional = io();
    expect(await run(['log', 'demo', '--errors'], positional.io)).toBe(0);
    expect(positional.o.text).toContain('E.164');
  });
});

describe('provisioning health (GET /admin/accounts/{id}/integration/health)', () => {
  it('counts requests and rejections, names the top reason with its failing users and an example, and the last success', async () => {
    // Prepare: a fresh server, so the counts are this test's alone.
    const own = await startTestServer();
    try {
      const good = entraUser();
      expect((await own.scim('POST', '/Users', good)).status).toBe(201);
      const bad = [1, 2].map(() => entraUser({ phoneNumbers: [{ type: 'mobile', value: '(415) 555-0100' }] }));
      for (const body of [...bad, bad[0]!]) expect((await own.scim('POST', '/Users', body)).status).toBe(400); // Entra retries one
      const fixed = { ...bad[1]!, phoneNumbers: [{ type: 'mobile', value: '+14155550177' }] };
      expect((await own.scim('POST', '/Users', fixed)).status).toBe(201); // …and the admin fixed the other
      expect((await own.scim('POST', '/Users', { ...entraUser(), emails: [] })).status).toBe(400);
      await own.app.flushProvisioningLog();

      // Act
      const res = await fetch(`${own.app.adminUrl}/accounts/demo/integration/health`, { headers: { Authorization: `Bearer ${own.app.adminToken}` } });

      // Assess
      expect(res.status).toBe(200);
      const health = (await res.json()) as Record<string, any>;
      expect(health).toMatchObject({
        accountId: 'demo',
        last24h: { requests: 6, rejections: 4 },
        last7d: { requests: 6, rejections: 4 },
        complete: true,
        summary: 'Entra is failing 1 user on: phone number not in E.164 format.',
      });
      expect(health.topReasons).toEqual([
        { reason: 'phoneNumbers:e164', label: 'phone number not in E.164 format', rejections: 3, failingUsers: 1, exampleUserName: bad[0]!.userName, lastAt: expect.any(String) },
        { reason: 'emails:required', label: 'no work email address', rejections: 1, failingUsers: 1, exampleUserName: expect.any(String), lastAt: expect.any(String) },
      ]);
      expect(Date.parse(health.lastSuccessAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(JSON.stringify(health)).not.toContain('(415) 555-0100');
    } finally {
      await own.close();
    }
  });
});
