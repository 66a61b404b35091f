/**
 * SPEC §2: generating keys again kills the previous tenant URL and token on the very next request (no grace
 * window, even though the handlers cache token hashes), and provisioned users stay.
 */
import { TestServer, entraUser, startTestServer } from '../support/local-server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

describe('key regeneration', () => {
  it('invalidates the old URL and token at once; the new ones see the same users', async () => {
    // Prepare: a user, and a warm token-hash cache for the current keys
    const created = await s.scim('POST', '/Users', entraUser());
    expect(created.status).toBe(201);
    const oldUrl = s.app.tenantUrl;
    const oldToken = s.app.secretToken;
    expect((await s.scim('GET', `/Users/${created.body.id}`)).status).toBe(200);

    // Act
    const next = await s.app.admin.generateKeys('demo', s.app.url);

    // Assess: old URL + old token, old URL + new token, new URL + old token all fail; new pair works
    expect(next.tenantUrl).not.toBe(oldUrl);
    expect(next.secretToken).not.toBe(oldToken);
    expect(next.secretToken).toMatch(/^scimlink_[A-Za-z0-9_-]{43}$/);
    const tries = [
      [oldUrl, oldToken, 401],
      [oldUrl, next.secretToken, 401],
      [next.tenantUrl, oldToken, 401],
      [next.tenantUrl, next.secretToken, 200],
    ] as const;
    for (const [url, token, status] of tries) {
      const res = await s.scim('GET', `${url}/Users/${created.body.id}`, undefined, { token });
      expect({ url: url === oldUrl ? 'old' : 'new', token: token === oldToken ? 'old' : 'new', status: res.status }).toEqual({
        url: url === oldUrl ? 'old' : 'new',
        token: token === oldToken ? 'old' : 'new',
        status,
      });
    }
    const again = await s.scim('GET', `${next.tenantUrl}/Users/${created.body.id}`, undefined, { token: next.secretToken });
    expect(again.body.userName).toBe(created.body.userName);
    expect(again.body.meta.location).toBe(`${next.tenantUrl}/Users/${created.body.id}`);
  });
});
