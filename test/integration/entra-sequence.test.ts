/**
 * The Entra ID provisioning sequence against the real local server (HTTP → handlers → dynalite), as SPEC §3–§4
 * describe it. Each describe is one behaviour Entra relies on.
 */
import { randomUUID } from 'node:crypto';
import { TestServer, entraUser, startTestServer } from '../support/local-server';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const EXT = 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

async function create(overrides: Record<string, unknown> = {}) {
  const res = await s.scim('POST', '/Users', entraUser(overrides));
  expect(res.status).toBe(201);
  return res.body as { id: string; userName: string; emails: Array<{ value: string }>; meta: { version: string } };
}

describe('Test Connection', () => {
  it('answers the random-GUID userName probe with an empty ListResponse (Entra encodes spaces as +)', async () => {
    const guid = randomUUID();
    const res = await s.scim('GET', `/Users?filter=userName+eq+%22${guid}%22`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(res.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'scimlink_wrong'],
  ])('refuses %s with a 401 SCIM error body', async (_what, token) => {
    const res = await s.scim('GET', `/Users?filter=userName+eq+%22x%22`, undefined, { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '401' });
    expect(res.body.detail).toEqual(expect.any(String));
  });

  it('refuses a tenant URL with a wrong key even with the right token', async () => {
    const wrongTenant = s.app.tenantUrl.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAA');
    const res = await s.scim('GET', `${wrongTenant}/Users`);
    expect(res.status).toBe(401);
  });

  it('serves discovery documents advertising only the User resource type', async () => {
    const spc = await s.scim('GET', '/ServiceProviderConfig');
    expect(spc.status).toBe(200);
    expect(spc.body.patch.supported).toBe(true);
    expect(spc.body.etag.supported).toBe(true);
    // Not deployed with `documentationUrl`: no made-up link (RFC 7643 §5 makes it optional).
    expect(spc.body).not.toHaveProperty('documentationUri');
    const types = await s.scim('GET', '/ResourceTypes');
    expect(types.body.Resources.map((r: { id: string }) => r.id)).toStrictEqual(['User']);
    const schemas = await s.scim('GET', '/Schemas');
    expect(schemas.body.Resources.map((r: { id: string }) => r.id)).toContain('urn:ietf:params:scim:schemas:core:2.0:User');
    const one = await s.scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User');
    expect(one.status).toBe(200);
    expect(one.body.attributes.map((a: { name: string }) => a.name)).toContain('userName');
    expect((await s.scim('GET', '/ResourceTypes/Group')).status).toBe(404);
  });
});

describe('create, read, filter', () => {
  it('creates a user (201, ETag, Location) and ignores unsupported attributes', async () => {
    const body = entraUser();
    const res = await s.scim('POST', '/Users', body);
    expect(res.status).toBe(201);
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.body.userName).toBe(body.userName);
    expect(res.body.title).toBeUndefined();
    expect(res.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toBeUndefined();
    expect(res.body.meta).toMatchObject({ resourceType: 'User', version: 'W/"1"', location: `${s.app.tenantUrl}/Users/${res.body.id}` });
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(res.headers.get('location')).toBe(res.body.meta.location);

    const got = await s.scim('GET', `/Users/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('is found a moment after creation by every filter Entra sends', async () => {
    const u = await create();
    const full = (await s.scim('GET', `/Users/${u.id}`)).body;
    const filters = [
      `userName eq "${u.userName.toUpperCase()}"`,
      `userName eq ${u.userName}`,
      `externalId eq "${full.externalId}"`,
      `id eq "${u.id}"`,
      `emails[type eq "work"].value eq "${u.emails[0]!.value}"`,
      `phoneNumbers[type eq "mobile"].value eq "${full.phoneNumbers[0].value}"`,
      `userName eq "${u.userName}" and active eq true`,
    ];
    for (const f of filters) {
      const res = await s.scim('GET', `/Users?filter=${encodeURIComponent(f)}`);
      expect({ f, status: res.status, ids: res.body.Resources?.map((r: { id: string }) => r.id) }).toEqual({ f, status: 200, ids: [u.id] });
      expect(res.body.totalResults).toBe(1);
    }
  });

  it('honours attributes and excludedAttributes', async () => {
    const u = await create();
    const some = await s.scim('GET', `/Users/${u.id}?attributes=userName,emails`);
    expect(Object.keys(some.body).sort()).toEqual(['emails', 'id', 'schemas', 'userName']);
    const filtered = await s.scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${u.id}"`)}&excludedAttributes=emails,name`);
    expect(filtered.body.Resources[0].emails).toBeUndefined();
    expect(filtered.body.Resources[0].userName).toBe(u.userName);
  });

  it('answers 404 with a SCIM error for an unknown id', async () => {
    const res = await s.scim('GET', `/Users/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '404' });
  });

  it('tolerates a trailing slash and the ?aadOptscim062020 flag', async () => {
    const u = await create();
    expect((await s.scim('GET', `/Users/${u.id}/?aadOptscim062020`)).status).toBe(200);
    expect((await s.scim('GET', `/Users/?aadOptscim062020&filter=${encodeURIComponent(`id eq "${u.id}"`)}`)).body.totalResults).toBe(1);
  });

  it('accepts application/json and "True"/"False" strings, treats null as absent', async () => {
    const body = entraUser({ active: 'False', displayName: null, nickName: null });
    const res = await s.scim('POST', '/Users', body, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(201);
    expect(res.body.active).toBe(false);
    expect(res.body.displayName).toBeUndefined();
  });
});

describe('PATCH, both Entra dialects', () => {
  it('disables with the old dialect (op "Replace", string "False"); the user stays readable and filterable', async () => {
    const u = await create();
    const res = await s.scim('PATCH', `/Users/${u.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect(res.body.meta.version).toBe('W/"2"');
    const found = await s.scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${u.userName}"`)}`);
    expect(found.body.Resources[0].active).toBe(false);
  });

  it('applies the new dialect: no-path replace with dotted keys and a URN key', async () => {
    const u = await create();
    const res = await s.scim('PATCH', `/Users/${u.id}?aadOptscim062020`, {
      schemas: [PATCH],
      Operations: [
        {
          op: 'replace',
          value: {
            displayName: 'New Name',
            'name.givenName': 'Ann',
            'name.familyName': 'Other',
            active: false,
            [`${EXT}:extension`]: '4711',
          },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'New Name', name: { givenName: 'Ann', familyName: 'Other' }, active: false, [EXT]: { extension: '4711' } });
    expect(res.body.schemas).toContain(EXT);
  });

  it('creates the entry when add/replace targets a value path that matches nothing', async () => {
    const u = await create({ phoneNumbers: undefined });
    const res = await s.scim('PATCH', `/Users/${u.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+442071838750' },
        { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'London' },
        { op: 'add', path: 'roles[primary eq "True"].value', value: 'Agent' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.phoneNumbers).toEqual([{ type: 'work', value: '+442071838750' }]);
    expect(res.body.addresses[0]).toMatchObject({ type: 'work', locality: 'London' });
    expect(res.body.roles).toEqual([{ primary: true, value: 'Agent' }]);
  });

  it('removes only the matching entries', async () => {
    const u = await create({
      emails: [
        { type: 'work', value: `w${Date.now()}@contoso.com` },
        { type: 'other', value: `o${Date.now()}@contoso.com` },
      ],
    });
    const res = await s.scim('PATCH', `/Users/${u.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: 'emails[type eq "other"]' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.emails.map((e: { type: string }) => e.type)).toStrictEqual(['work']);
  });

  it('rejects an invalid value with a 400 naming the attribute and rule, and changes nothing', async () => {
    const u = await create();
    const res = await s.scim('PATCH', `/Users/${u.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'Changed' },
        { op: 'replace', path: 'phoneNumbers[type eq "mobile"].value', value: '(415) 555-0100' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidValue');
    expect(res.body.detail).toContain('phoneNumbers[type eq "mobile"].value');
    expect(res.body.detail).toContain('E.164');
    const after = await s.scim('GET', `/Users/${u.id}`);
    expect(after.body.meta.version).toBe('W/"1"');
    expect(after.body.displayName).not.toBe('Changed');
  });

  it('answers 412 when If-Match does not match, and applies when it does', async () => {
    const u = await create();
    const body = { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'X' }] };
    expect((await s.scim('PATCH', `/Users/${u.id}`, body, { headers: { 'If-Match': 'W/"7"' } })).status).toBe(412);
    expect((await s.scim('PATCH', `/Users/${u.id}`, body, { headers: { 'If-Match': 'W/"1"' } })).status).toBe(200);
  });
});

describe('PUT and DELETE', () => {
  it('replaces the user; DELETE answers 204 then 404', async () => {
    const u = await create();
    const replacement = entraUser({ displayName: 'Replaced' });
    const put = await s.scim('PUT', `/Users/${u.id}`, replacement);
    expect(put.status).toBe(200);
    expect(put.body.userName).toBe(replacement.userName);
    expect(put.body.displayName).toBe('Replaced');
    expect(put.body.id).toBe(u.id);
    const del = await s.scim('DELETE', `/Users/${u.id}`);
    expect(del.status).toBe(204);
    expect((await s.scim('GET', `/Users/${u.id}`)).status).toBe(404);
    expect((await s.scim('DELETE', `/Users/${u.id}`)).status).toBe(404);
  });
});

describe('uniqueness', () => {
  it('refuses a taken login ID in another case with 409 uniqueness, without revealing the holder', async () => {
    const u = await create();
    const res = await s.scim('POST', '/Users', entraUser({ userName: u.userName.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.body.scimType).toBe('uniqueness');
    expect(res.body.detail).toContain('userName');
    expect(res.body.detail).not.toContain(u.id);
  });

  it('treats emails as one namespace across types, and phones by their digits across types', async () => {
    const u = await create();
    const full = (await s.scim('GET', `/Users/${u.id}`)).body;
    const email = await s.scim('POST', '/Users', entraUser({ emails: [{ type: 'work', value: `x${Date.now()}@c.com` }, { type: 'other', value: u.emails[0]!.value.toUpperCase() }] }));
    expect(email.status).toBe(409);
    expect(email.body.detail).toContain('emails[type eq "other"].value');
    const phone = await s.scim('POST', '/Users', entraUser({ phoneNumbers: [{ type: 'work', value: full.phoneNumbers[0].value }] }));
    expect(phone.status).toBe(409);
    expect(phone.body.detail).toContain('phoneNumbers[type eq "work"].value');
  });

  it('lets a user repeat its own value across types', async () => {
    const value = `same${Date.now()}@contoso.com`;
    const res = await s.scim('POST', '/Users', entraUser({ userName: value, emails: [{ type: 'work', value }, { type: 'other', value }] }));
    expect(res.status).toBe(201);
  });

  it('releases values on PATCH, PUT and DELETE so another user can take them', async () => {
    const a = await create();
    const aFull = (await s.scim('GET', `/Users/${a.id}`)).body;
    // PATCH frees the old email
    const newEmail = `moved${Date.now()}@contoso.com`;
    expect((await s.scim('PATCH', `/Users/${a.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: newEmail }] })).status).toBe(200);
    expect((await s.scim('POST', '/Users', entraUser({ emails: [{ type: 'work', value: aFull.emails[0].value }] }))).status).toBe(201);
    // PUT frees the old userName
    expect((await s.scim('PUT', `/Users/${a.id}`, { ...aFull, userName: `renamed${Date.now()}@contoso.com`, emails: [{ type: 'work', value: newEmail }] })).status).toBe(200);
    expect((await s.scim('POST', '/Users', entraUser({ userName: aFull.userName }))).status).toBe(201);
    // DELETE frees the phone and the new email
    expect((await s.scim('DELETE', `/Users/${a.id}`)).status).toBe(204);
    expect((await s.scim('POST', '/Users', entraUser({ emails: [{ type: 'work', value: newEmail }], phoneNumbers: aFull.phoneNumbers }))).status).toBe(201);
  });

  it.each([
    ['one email', (n: number) => ({ emails: [{ type: 'work', value: `race${n}@contoso.com` }] }), (n: number) => `emails[type eq "work"].value eq "race${n}@contoso.com"`],
    ['one phone (as mobile, work or other)', (n: number, i = 0) => ({ phoneNumbers: [{ type: ['mobile', 'work', 'other'][i % 3], value: `+4930${n}` }] }), (n: number) => `phoneNumbers.value eq "+4930${n}"`],
  ])('lets N concurrent creates race for %s: exactly one 201, the rest 409, nothing half-written', async (_what, values, filter) => {
    const n = Date.now() % 1_000_000_000;
    const bodies = Array.from({ length: 12 }, (_, i) => entraUser(values(n, i)));
    const results = await Promise.all(bodies.map((b) => s.scim('POST', '/Users', b)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(11);
    const found = await s.scim('GET', `/Users?filter=${encodeURIComponent(filter(n))}`);
    expect(found.body.totalResults).toBe(1);
    // The losers left nothing behind: with the contested value changed, each of them can be created now.
    for (const [i, body] of bodies.entries()) {
      if (statuses[i] === 201) continue;
      expect((await s.scim('POST', '/Users', { ...body, ...values(n + 1 + i) })).status).toBe(201);
    }
  });
});

describe('listing', () => {
  it('pages with startIndex/count and reports totalResults', async () => {
    const all = await s.scim('GET', '/Users?count=0');
    expect(all.status).toBe(200);
    expect(all.body.Resources).toEqual([]);
    const total = all.body.totalResults as number;
    expect(total).toBeGreaterThan(3);
    const seen = new Set<string>();
    for (let start = 1; start <= total; start += 2) {
      const page = await s.scim('GET', `/Users?startIndex=${start}&count=2`);
      expect(page.body).toMatchObject({ totalResults: total, startIndex: start });
      expect(page.body.itemsPerPage).toBe(Math.min(2, total - start + 1));
      for (const r of page.body.Resources) seen.add(r.id);
    }
    expect(seen.size).toBe(total);
  });

  it('evaluates filters no key answers over the account (co, or, not)', async () => {
    const u = await create({ displayName: `Zebra ${Date.now()}` });
    const res = await s.scim('GET', `/Users?filter=${encodeURIComponent('displayName co "zebra" or not (active pr)')}`);
    expect(res.status).toBe(200);
    expect(res.body.Resources.map((r: { id: string }) => r.id)).toContain(u.id);
  });

  it('rejects a malformed filter with 400 invalidFilter', async () => {
    const res = await s.scim('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidFilter');
  });
});

describe('bad requests and Groups', () => {
  it('answers malformed JSON with 400 invalidSyntax', async () => {
    const res = await s.scim('POST', '/Users', undefined, { raw: '{"userName": ' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidSyntax' });
  });

  it('answers a huge body with 413', async () => {
    const res = await s.scim('POST', '/Users', entraUser({ displayName: 'x'.repeat(300 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.status).toBe('413');
  });

  it('names the attribute and the rule of a missing mandatory attribute', async () => {
    const res = await s.scim('POST', '/Users', entraUser({ emails: [{ type: 'other', value: `o${Date.now()}@x.com` }] }));
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('emails[type eq "work"].value is required');
  });

  it('answers GET /Groups with an empty list, GET /Groups/{id} with 404, and writes with 501', async () => {
    const list = await s.scim('GET', '/Groups?filter=displayName+eq+%22x%22');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ totalResults: 0, Resources: [] });
    expect((await s.scim('GET', '/Groups/abc')).status).toBe(404);
    const post = await s.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'g' });
    expect(post.status).toBe(501);
    expect(post.body.detail).toContain('Provision Microsoft Entra ID Groups');
  });
});

describe('GET /health (uptime checks)', () => {
  it('answers 200 {"status":"ok"} with no credentials, and says nothing else', async () => {
    const res = await fetch(`${s.app.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
