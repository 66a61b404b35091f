/**
 * Issue 14 through the admin API over real HTTP: account ids an operator chooses (item 6).
 */
import { TestServer, startTestServer } from '../support/local-server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.app.adminUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${s.app.adminToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('account ids chosen by an operator', () => {
  it.each([['../../etc'], ['UPPER#x'], ['a'.repeat(300)]])('%j → 400 naming the pattern, nothing created', async (id) => {
    const before = (await admin('GET', '/accounts')).body.accounts.length;
    const res = await admin('POST', '/accounts', { id, name: 'Bad Id', type: 'customer' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('is not a valid account id: use 1-64 lower-case letters, digits and hyphens');
    expect((await admin('GET', '/accounts')).body.accounts.length).toBe(before);
  });

  it('a valid chosen id is created, and a malformed partnerId is refused the same way', async () => {
    const res = await admin('POST', '/accounts', { id: 'contoso-eu', name: 'Contoso EU', type: 'customer' });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe('contoso-eu');
    const bad = await admin('POST', '/accounts', { name: 'Child', type: 'customer', partnerId: '../x' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('partnerId "../x" is not a valid account id');
  });
});
