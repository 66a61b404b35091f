/**
 * Issue 13, item 3, locally: tenant A's URL is flooded — unauthenticated requests of every costly shape and its
 * own token's expensive queries, far more at once than its fair share — while tenant B runs a whole Entra cycle.
 * B must see no failure at all; A is answered 401, 400, 429 or 200, never a 5xx.
 */
import { MAX_IN_FLIGHT_PER_TENANT } from '../../lambdas/http/tenant-share';
import { TestServer, entraUser, startTestServer } from '../support/local-server';

/** More than A's fair share at once (the flood of issue 13 was 24 at a time). */
const FLOODERS = MAX_IN_FLIGHT_PER_TENANT + 8;
const B_USERS = 5;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('a flood at tenant A', () => {
  it("does not fail a single request of tenant B's Entra cycle", async () => {
    // Prepare: tenant B with its own keys; tenant A (the demo account) with a few hundred users to query
    await s.app.admin.createAccount({ id: 'tenantb', name: 'Tenant B', type: 'customer' });
    await s.app.admin.addIntegration('tenantb');
    const b = await s.app.admin.generateKeys('tenantb', s.app.url);
    for (let i = 0; i < 30; i++) expect((await s.scim('POST', '/Users', entraUser())).status).toBe(201);
    const a = { url: s.app.tenantUrl, token: s.app.secretToken };
    const floodShapes = [
      () => fetch(`${a.url}/Users?startIndex=999`, { headers: { Authorization: 'Bearer junk' } }),
      () => fetch(`${a.url}/Users?filter=${encodeURIComponent('displayName co "zz"')}`),
      () => fetch(`${a.url}/Users`, { method: 'POST', headers: { Authorization: 'Bearer junk', 'Content-Type': 'application/scim+json' }, body: `{"a":${'['.repeat(5000)}` }),
      () => fetch(`${a.url}/Users?filter=${encodeURIComponent('displayName co "User" or title pr')}&count=500`, { headers: { Authorization: `Bearer ${a.token}` } }),
      () => fetch(`${a.url}/Users?cursor=&count=500`, { headers: { Authorization: `Bearer ${a.token}` } }),
    ];
    const aStatuses = new Map<number, number>();
    let flooding = true;
    const flooder = async (n: number) => {
      for (let i = n; flooding; i++) {
        const res = await (floodShapes[i % floodShapes.length] as () => Promise<Response>)();
        await res.arrayBuffer();
        aStatuses.set(res.status, (aStatuses.get(res.status) ?? 0) + 1);
      }
    };
    const flood = Promise.all(Array.from({ length: FLOODERS }, (_, n) => flooder(n)));

    // Act: B's cycle, user by user, as Entra runs it: probe, create, find, update, disable, replace, delete
    const failures: string[] = [];
    let requests = 0;
    const send = async (method: string, path: string, expected: number, body?: unknown) => {
      const res = await s.scim(method, `${b.tenantUrl}${path}`, body, { token: b.secretToken });
      requests++;
      if (res.status !== expected) failures.push(`${method} ${path}: ${res.status} ${res.text.slice(0, 120)}`);
      return res;
    };
    try {
      for (let i = 0; i < B_USERS; i++) {
        const user = entraUser();
        const q = (f: string) => `/Users?filter=${encodeURIComponent(f)}`;
        await send('GET', q(`userName eq "${user.userName}"`), 200);
        const created = await send('POST', '/Users', 201, user);
        const id = String(created.body?.id);
        await send('GET', q(`userName eq "${user.userName}"`), 200);
        await send('GET', `/Users/${id}`, 200);
        await send('PATCH', `/Users/${id}`, 200, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'displayName', value: `B ${i}` }] });
        await send('PATCH', `/Users/${id}`, 200, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
        await send('PUT', `/Users/${id}`, 200, { ...user, displayName: `B ${i} replaced` });
        await send('DELETE', `/Users/${id}`, 204);
      }
    } finally {
      flooding = false;
      await flood;
    }

    // Assess
    expect(failures).toEqual([]);
    expect(requests).toBe(B_USERS * 8);
    const aTotal = [...aStatuses.values()].reduce((x, y) => x + y, 0);
    expect(aTotal).toBeGreaterThan(FLOODERS);
    expect([...aStatuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect([...aStatuses.keys()].every((status) => [200, 400, 401, 429].includes(status))).toBe(true);
    console.log(`flood: tenant B ${requests} requests, 0 failures, while tenant A got ${aTotal} (${JSON.stringify(Object.fromEntries(aStatuses))})`);
  }, 180_000);
});
