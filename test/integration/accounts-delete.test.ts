/**
 * Deleting an account (issue 16, item 3) over real HTTP on the embedded store: refused while it has users or the
 * integration, unless forced; a forced delete goes in bounded calls (202 + what remains, then 200), releases every
 * unique value as a SCIM DELETE does, revokes the tenant URL at once, and leaves `verify` clean.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambdas/runtime/deps';
import { TestServer, entraUser, startTestServer } from '../support/local-server';

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

async function tenant(name: string, partnerId?: string) {
  const acc = await admin('POST', '/accounts', { name, type: 'customer', ...(partnerId ? { partnerId } : {}) });
  expect(acc.status).toBe(201);
  expect((await admin('PUT', `/accounts/${acc.body.id}/integration`)).status).toBe(200);
  const keys = await admin('POST', `/accounts/${acc.body.id}/integration/keys`);
  return { id: acc.body.id as string, url: keys.body.tenantUrl as string, token: keys.body.secretToken as string };
}

/** Every item left under the account's partition and its provisioning log. */
async function itemsOf(accountId: string): Promise<string[]> {
  const doc = documentClient(s.app.dynamo.client);
  const keys: string[] = [];
  for (const pk of [`ACCOUNT#${accountId}`, `LOG#${accountId}`]) {
    const res = await doc.send(new QueryCommand({ TableName: s.app.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
    keys.push(...(res.Items ?? []).map((i) => `${i.pk}|${i.sk}`));
  }
  return keys;
}

const accountIds = async () => (await admin('GET', '/accounts')).body.accounts.map((a: { id: string }) => a.id);

describe('accounts delete (issue 16)', () => {
  it('deletes an account without users or integration at once: 200, then 404 and gone from the list', async () => {
    // Prepare
    const acc = (await admin('POST', '/accounts', { name: 'Mistyped Co', type: 'customer' })).body;

    // Act
    const res = await admin('DELETE', `/accounts/${acc.id}`);

    // Assess
    expect(res).toEqual({
      status: 200,
      body: { accountId: acc.id, deleted: true, integrationRemoved: false, usersDeleted: 0, usersRemaining: 0, itemsDeleted: 0 },
    });
    expect((await admin('GET', `/accounts/${acc.id}`)).status).toBe(404);
    expect(await accountIds()).not.toContain(acc.id);
    expect(await itemsOf(acc.id)).toEqual([]);
    expect((await admin('DELETE', `/accounts/${acc.id}`)).body).toEqual({ status: 404, message: `account ${acc.id} not found` });
  });

  it('refuses (409, naming how many users and the integration) without force, and changes nothing', async () => {
    // Prepare
    const t = await tenant('Busy Co');
    for (let i = 0; i < 2; i++) expect((await s.scim('POST', `${t.url}/Users`, entraUser(), { token: t.token })).status).toBe(201);
    const before = await itemsOf(t.id);

    // Act
    const res = await admin('DELETE', `/accounts/${t.id}`);

    // Assess
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      `account ${t.id} has 2 users and the Entra ID Sync integration; delete with force (?force=true, scimlink accounts delete --force) ` +
        'to delete its users, releasing their login IDs, emails and phone numbers, and remove the integration',
    );
    expect(await itemsOf(t.id)).toEqual(before);
    expect((await s.scim('GET', `${t.url}/Users`, undefined, { token: t.token })).body.totalResults).toBe(2);
    // The integration alone is reason enough.
    const empty = await tenant('Integrated Co');
    expect((await admin('DELETE', `/accounts/${empty.id}?force=false`)).body.message).toMatch(new RegExp(`^account ${empty.id} has the Entra ID Sync integration;`));
  });

  it('with force, deletes a bounded batch per call (202 + what remains) until the account is gone; every value is free again', async () => {
    // Prepare: five users holding login IDs, emails, phones, extensions, externalIds; a provisioning log.
    const t = await tenant('Leaving Co');
    const bodies = Array.from({ length: 5 }, (_, i) =>
      entraUser({ 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User': { extension: `10${i}` } }),
    );
    for (const body of bodies) expect((await s.scim('POST', `${t.url}/Users`, body, { token: t.token })).status).toBe(201);
    await s.app.flushProvisioningLog();
    expect((await itemsOf(t.id)).some((k) => k.startsWith(`LOG#${t.id}|`))).toBe(true);
    const other = await tenant('Arriving Co');

    // Act: the first call removes the integration and deletes two users.
    const first = await admin('DELETE', `/accounts/${t.id}?force=true&limit=2`);

    // Assess
    expect(first).toEqual({
      status: 202,
      body: { accountId: t.id, deleted: false, integrationRemoved: true, usersDeleted: 2, usersRemaining: 3, itemsDeleted: 0 },
    });
    // Entra's URL and token stop working at once (as `integration remove`), while users remain.
    expect((await s.scim('GET', `${t.url}/Users`, undefined, { token: t.token })).status).toBe(401);
    expect((await admin('GET', `/accounts/${t.id}`)).status).toBe(200);

    const calls = [first.body];
    for (let i = 0; i < 20 && !calls[calls.length - 1].deleted; i++) {
      const next = await admin('DELETE', `/accounts/${t.id}?force=true&limit=2`);
      expect(next.status).toBe(next.body.deleted ? 200 : 202);
      calls.push(next.body);
    }
    expect(calls[calls.length - 1]).toMatchObject({ deleted: true, usersRemaining: 0 });
    expect(calls.reduce((n, c) => n + c.usersDeleted, 0)).toBe(5);
    expect(calls.every((c) => c.usersDeleted + c.itemsDeleted <= 2)).toBe(true);
    expect((await admin('GET', `/accounts/${t.id}`)).status).toBe(404);
    expect(await itemsOf(t.id)).toEqual([]);
    expect((await admin('GET', `/verify`)).body).toMatchObject({ consistent: true, findings: [] });
    // Another tenant can now take every login ID, email and phone number the deleted users held.
    for (const body of bodies) {
      const res = await s.scim('POST', `${other.url}/Users`, body, { token: other.token });
      expect([res.status, res.body.userName]).toEqual([201, body.userName]);
    }
    expect((await admin('GET', `/phones?number=${encodeURIComponent(bodies[0]!.phoneNumbers[0]!.value)}`)).body.hits[0].accountId).toBe(other.id);
  });

  it('refuses a partner that still manages customers, naming how many; once they are gone the partner goes too', async () => {
    const partner = (await admin('POST', '/accounts', { name: 'Partner Co', type: 'partner' })).body;
    const customer = (await admin('POST', '/accounts', { name: 'Its Customer', type: 'customer', partnerId: partner.id })).body;

    const refused = await admin('DELETE', `/accounts/${partner.id}?force=true`);
    expect(refused.body).toEqual({ status: 409, message: `partner account ${partner.id} manages 1 customer account; delete them first` });
    expect(await accountIds()).toEqual(expect.arrayContaining([partner.id, customer.id]));

    expect((await admin('DELETE', `/accounts/${customer.id}`)).status).toBe(200);
    expect((await admin('DELETE', `/accounts/${partner.id}`)).status).toBe(200);
    expect(await accountIds()).not.toContain(partner.id);
  });

  it.each([
    ['force=yes', "force must be 'true' or 'false'"],
    ['limit=0', 'limit must be a whole number from 1 to 100'],
    ['limit=101', 'limit must be a whole number from 1 to 100'],
    ['limit=2.5', 'limit must be a whole number from 1 to 100'],
  ])('refuses ?%s with a 400 and deletes nothing', async (query, message) => {
    const acc = (await admin('POST', '/accounts', { name: 'Kept Co', type: 'customer' })).body;
    expect((await admin('DELETE', `/accounts/${acc.id}?${query}`)).body).toEqual({ status: 400, message });
    expect((await admin('GET', `/accounts/${acc.id}`)).body).toEqual(acc);
  });
});
