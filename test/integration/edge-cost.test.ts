/**
 * Issue 13, items 1 and 2, metered with the bench's SDK middleware (items read, RCU as DynamoDB reports them,
 * commands) on an account of 2,000 users:
 * - a request that is not authenticated costs at most the one coalesced key read it shares with authentication —
 *   whatever the route, the query, the body — and its body is not parsed (every route shape × bad credential);
 * - an authenticated one does bounded work: cursor paging (RFC 9865), a bounded startIndex walk, non-indexed
 *   filters over a bounded number of users (400 tooMany past it), Entra's filters still answered by key.
 */
import { installMeter } from '../../bench/lib/ddb-meter';
import { seedUsers } from '../../bench/lib/seed';
import { SCIM_ROUTES } from '../../lambdas/routes';
import { MAX_FILTER_SCAN, MAX_FILTER_WORK } from '../../lambdas/scim/filter';
import { MAX_START_INDEX } from '../../lambdas/scim/list-response';
import { documentClient, scimDeps, setScimDeps } from '../../lambdas/runtime/deps';
import { TestServer, entraUser, startTestServer } from '../support/local-server';

const USERS = 2_000;

let s: TestServer;
let meter: ReturnType<typeof installMeter>;
let current: { url: string; token: string };
let userId: string;
const bad: Array<[string, () => { url: string; authorization?: string }]> = [];

beforeAll(async () => {
  s = await startTestServer();
  // What a deployed request does: the local provisioning-log sink would add its own writes to the meter.
  setScimDeps({ ...scimDeps(), requestSink: undefined });
  // …nor does it emulate DynamoDB Streams (reading each written item before and after): seeding is 2× faster.
  s.app.dynamo.client.middlewareStack.remove('scimlinkLocalStream');
  const seeded = await seedUsers(documentClient(s.app.dynamo.client), s.app.tableName, 'demo', { from: 0, to: USERS, prefix: 'cost' });
  userId = seeded[7]!.id;

  const old = { url: s.app.tenantUrl, token: s.app.secretToken };
  const next = await s.app.admin.generateKeys('demo', s.app.url);
  current = { url: next.tenantUrl, token: next.secretToken };
  await s.app.admin.createAccount({ id: 'other', name: 'Other', type: 'customer' });
  await s.app.admin.addIntegration('other');
  const other = await s.app.admin.generateKeys('other', s.app.url);
  await s.app.admin.createAccount({ id: 'gone', name: 'Gone', type: 'customer' });
  await s.app.admin.addIntegration('gone');
  const gone = await s.app.admin.generateKeys('gone', s.app.url);
  await s.app.admin.removeIntegration('gone');
  const demoKey = current.url.slice(current.url.lastIndexOf('/') + 1);

  bad.push(
    ['no Authorization header', () => ({ url: current.url })],
    ['Bearer junk', () => ({ url: current.url, authorization: 'Bearer junk' })],
    ['Basic scheme', () => ({ url: current.url, authorization: `Basic ${Buffer.from(`x:${current.token}`).toString('base64')}` })],
    ['old token on the current URL', () => ({ url: current.url, authorization: `Bearer ${old.token}` })],
    ['old tenant URL and old token', () => ({ url: old.url, authorization: `Bearer ${old.token}` })],
    ['wrong tenant key, right token', () => ({ url: `${s.app.url}/scim/demo.AAAAAAAAAAAAAAAAAAAAAA`, authorization: `Bearer ${current.token}` })],
    ["another tenant's valid token", () => ({ url: current.url, authorization: `Bearer ${other.secretToken}` })],
    ['removed integration', () => ({ url: gone.tenantUrl, authorization: `Bearer ${gone.secretToken}` })],
    ['unknown account', () => ({ url: `${s.app.url}/scim/nosuch.${demoKey.split('.')[1]}`, authorization: `Bearer ${current.token}` })],
    ['malformed tenant segment', () => ({ url: `${s.app.url}/scim/demo`, authorization: `Bearer ${current.token}` })],
  );
  meter = installMeter(s.app.dynamo.client);
}, 120_000);

afterAll(async () => {
  await s.close();
});

/** A 256 KiB body nested as deep as it goes: 130–300 ms of CPU to parse, before issue 13, for anyone. */
const NESTED = `${'['.repeat(128 * 1024)}${']'.repeat(128 * 1024 - 1)}`;
const clauses = (n: number) => Array.from({ length: n }, (_, i) => `displayName eq "nobody ${i}"`).join(' or ');

/** Every route shape: each SCIM route, GET /Users with every kind of query, writes with valid and hostile bodies. */
function shapes(): Array<{ name: string; method: string; path: string; body?: string; contentType?: string }> {
  const fill = (path: string) => path.replace('/scim/{tenant}', '').replace('{id}', userId);
  const out: Array<{ name: string; method: string; path: string; body?: string; contentType?: string }> = [];
  for (const r of SCIM_ROUTES) {
    const path = fill(r.path);
    const body = r.method === 'PATCH' ? JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] }) : JSON.stringify(entraUser());
    out.push({ name: `${r.method} ${path}`, method: r.method, path, ...(['POST', 'PUT', 'PATCH'].includes(r.method) ? { body } : {}) });
  }
  const list = (name: string, query: string) => out.push({ name: `GET /Users?${name}`, method: 'GET', path: `/Users?${query}` });
  const filter = (f: string) => `filter=${encodeURIComponent(f)}`;
  list('startIndex=999999999', 'startIndex=999999999');
  list('count=500', 'count=500');
  list('filter displayName co', filter('displayName co "zz"'));
  list('filter with 132 or clauses', filter(clauses(132)));
  list('filter userName eq', filter(`userName eq "cost7@contoso.com"`));
  list('filter externalId eq', filter('externalId eq "cost-oid-7"'));
  list('filter id eq', filter(`id eq "${userId}"`));
  list('filter emails[type eq "work"].value eq', filter('emails[type eq "work"].value eq "cost7@contoso.com"'));
  list('malformed filter', filter('userName eq'));
  for (const [method, path] of [['POST', '/Users'], ['PUT', `/Users/${userId}`], ['PATCH', `/Users/${userId}`]] as const) {
    out.push({ name: `${method} ${path} nested 256 KiB body`, method, path, body: NESTED });
    out.push({ name: `${method} ${path} broken JSON as text/plain`, method, path, body: '{"userName":', contentType: 'text/plain' });
  }
  return out;
}

describe('a request that is not authenticated costs one bounded read', () => {
  it('is answered 401 after at most one GetItem/BatchGetItem of ≤ 2 items, for every route shape × bad credential', async () => {
    const rows: string[] = [];
    let requests = 0;
    for (const shape of shapes()) {
      for (const [credential, make] of bad) {
        const { url, authorization } = make();
        // Prepare
        meter.reset();
        // Act
        const res = await fetch(`${url}${shape.path}`, {
          method: shape.method,
          headers: { ...(authorization ? { Authorization: authorization } : {}), 'Content-Type': shape.contentType ?? 'application/scim+json' },
          ...(shape.body !== undefined ? { body: shape.body } : {}),
        });
        const body = (await res.json()) as { status?: string; schemas?: string[] };
        const cost = meter.read();
        requests++;
        // Assess: a SCIM 401 (never the 400/415 a parsed body would give), and one bounded read at most
        const ok =
          res.status === 401 &&
          body.status === '401' &&
          cost.calls <= 1 &&
          cost.commands.every((c) => c === 'GetItemCommand' || c === 'BatchGetItemCommand') &&
          cost.itemsRead <= 2 &&
          cost.rcu <= 2;
        if (!ok) rows.push(`${shape.name} × ${credential}: ${res.status} ${JSON.stringify(cost)}`);
      }
    }
    expect(rows).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(30 * bad.length);
  });

  it('while the same shapes, authenticated, do read the account (the meter sees it)', async () => {
    // Prepare
    meter.reset();
    // Act
    const res = await fetch(`${current.url}/Users?count=100`, { headers: { Authorization: `Bearer ${current.token}` } });
    // Assess
    expect(res.status).toBe(200);
    expect(meter.read().itemsRead).toBeGreaterThanOrEqual(100);
    expect(meter.read().rcu).toBeGreaterThan(2);
  });
});

describe('an authenticated request does bounded work (2,000 users)', () => {
  const get = async (path: string) => {
    meter.reset();
    const res = await fetch(`${current.url}${path}`, { headers: { Authorization: `Bearer ${current.token}` } });
    return { status: res.status, body: (await res.json()) as any, cost: meter.read() }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const q = (filter: string, more = '') => `/Users?filter=${encodeURIComponent(filter)}${more}`;
  /** Follows nextCursor to the end; every page's cost is kept. */
  const walk = async (first: string) => {
    const pages: Array<Awaited<ReturnType<typeof get>>> = [];
    let next: string | undefined = '';
    while (next !== undefined && pages.length < 50) {
      const page = await get(`${first}&cursor=${next}`);
      expect(page.status).toBe(200);
      pages.push(page);
      next = page.body.nextCursor as string | undefined;
    }
    return pages;
  };

  it('a non-indexed filter over more users than it may evaluate is 400 tooMany naming the cheap filters, after reading only the count', async () => {
    // Act
    const res = await get(q('displayName co "User 12"'));
    // Assess
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: '400', scimType: 'tooMany' });
    expect(res.body.detail).toMatch(/userName eq, externalId eq, id eq, emails\[type eq "work"\]\.value eq/);
    expect(res.body.detail).toMatch(/cursor/);
    expect(res.cost.itemsRead).toBeLessThanOrEqual(2 + 16); // auth's batch + the 16 count shards
  });

  it('with cursors the same filter pages through the whole directory, each page evaluating at most MAX_FILTER_SCAN users', async () => {
    // Act
    const pages = await walk(q('displayName co "User 12"', '&count=100'));
    // Assess: every match exactly once (users #12, #120-129, #1200-1299), pages bounded
    const names = pages.flatMap((p) => (p.body.Resources as Array<{ userName: string }>).map((r) => r.userName));
    const expected = Array.from({ length: USERS }, (_, i) => i).filter((i) => `cost User ${i}`.includes('User 12')).map((i) => `cost${i}@contoso.com`);
    expect(names.sort()).toEqual(expected.sort());
    for (const p of pages) expect(p.cost.itemsRead).toBeLessThanOrEqual(MAX_FILTER_SCAN + 2);
    expect(pages.at(-1)?.body.nextCursor).toBeUndefined();
    expect(pages[0]?.body.totalResults).toBeUndefined(); // unknown without reading everything (RFC 9865)
  });

  it('a cursor page that fills up mid-way continues right after its last user (every match once)', async () => {
    // Act: every user matches, so each page fills up before its evaluation budget is spent
    const pages = await walk(q('displayName co "cost"', '&count=400&attributes=userName'));
    // Assess
    const ids = pages.flatMap((p) => (p.body.Resources as Array<{ id: string }>).map((r) => r.id));
    expect(ids).toHaveLength(USERS);
    expect(new Set(ids).size).toBe(USERS);
    expect(pages.slice(0, -1).every((p) => p.body.itemsPerPage === 400)).toBe(true);
  });

  it('a filter with many comparisons evaluates proportionally fewer users per request', async () => {
    // Prepare: 120 comparisons (what fits in the 4,096-character filter limit) → 50,000 / 120 = 416 users per request
    const filter = Array.from({ length: 120 }, (_, i) => `name.givenName eq "cost${i * 16}"`).join(' or ');
    // Act
    const refused = await get(q(filter));
    const pages = await walk(q(filter, '&count=500'));
    // Assess
    expect(refused.body.scimType).toBe('tooMany');
    expect(pages.flatMap((p) => p.body.Resources)).toHaveLength(120);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(USERS / Math.floor(MAX_FILTER_WORK / 120)));
    for (const p of pages) expect(p.cost.itemsRead).toBeLessThanOrEqual(Math.floor(MAX_FILTER_WORK / 120) + 2);
  });

  it('lists every user exactly once by cursor, each page reading the page and the count only', async () => {
    // Act
    const pages = await walk('/Users?count=500&attributes=userName');
    // Assess
    const ids = pages.flatMap((p) => (p.body.Resources as Array<{ id: string }>).map((r) => r.id));
    expect(new Set(ids).size).toBe(USERS);
    expect(ids).toHaveLength(USERS);
    expect(pages[0]?.body.totalResults).toBe(USERS);
    for (const p of pages) expect(p.cost.itemsRead).toBeLessThanOrEqual(500 + 16 + 2);
  });

  it('bounds how far startIndex walks, naming cursors as the way on', async () => {
    // Act
    const last = await get(`/Users?startIndex=${MAX_START_INDEX}&count=1`);
    const beyond = await get(`/Users?startIndex=${MAX_START_INDEX + 1}&count=1`);
    // Assess
    expect(last.status).toBe(200);
    expect(last.body.Resources).toHaveLength(1);
    expect(beyond.status).toBe(400);
    expect(beyond.body).toMatchObject({ scimType: 'invalidValue' });
    expect(beyond.body.detail).toMatch(/startIndex may be at most 1000.*cursor=/);
    expect(beyond.cost.itemsRead).toBeLessThanOrEqual(2);
  });

  it.each([
    ['a cursor we did not issue', '/Users?cursor=bm90LW91cnM', 'invalidCursor'],
    ['a cursor with characters outside RFC 3986 unreserved', '/Users?cursor=a%2Bb', 'invalidCursor'],
    ['cursor and startIndex together', '/Users?cursor=&startIndex=2', 'invalidValue'],
  ])('refuses %s with 400', async (_name, path, scimType) => {
    // Act
    const res = await get(path);
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe(scimType);
  });

  it.each([
    ['userName eq', 'userName eq "cost7@contoso.com"'],
    ['externalId eq', 'externalId eq "cost-oid-7"'],
    ['id eq', () => `id eq "${userId}"`],
    ['emails[type eq "work"].value eq', 'emails[type eq "work"].value eq "cost7@contoso.com"'],
  ] as const)("Entra's %s stays a key lookup at this size", async (_name, filter) => {
    // Act
    const res = await get(q(typeof filter === 'function' ? filter() : filter));
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(1);
    expect(res.cost.itemsRead).toBeLessThanOrEqual(4);
  });

  it('advertises both pagination methods and the bounds in ServiceProviderConfig (RFC 9865 §4)', async () => {
    // Act
    const res = await get('/ServiceProviderConfig');
    // Assess
    expect(res.body.pagination).toEqual({ cursor: true, index: true, defaultPaginationMethod: 'index', defaultPageSize: 100, maxPageSize: 500, cursorTimeout: 86400 });
    expect(res.body['urn:ietf:params:scim:schemas:extension:scimlink:2.0:ServiceProviderConfig']).toMatchObject({ maxStartIndex: MAX_START_INDEX, maxUsersPerNonIndexedFilter: MAX_FILTER_SCAN });
  });
});
