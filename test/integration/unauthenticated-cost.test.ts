/**
 * Issue 13, item 1: a request that is not authenticated costs at most the one coalesced key read it shares with
 * authentication — whatever the route, the query, the body or the account's size — and its body is not parsed.
 * Metered with the bench's SDK middleware (items read, RCU as DynamoDB reports them, commands) on an account of
 * 2,000 users, for every route shape × every kind of bad credential.
 */
import { installMeter } from '../../bench/lib/ddb-meter';
import { seedUsers } from '../../bench/lib/seed';
import { SCIM_ROUTES } from '../../lambdas/routes';
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
