/**
 * The worst request of each route shape on a big account (issue 13): items read, RCU as DynamoDB reports them,
 * and ms — authenticated, and with a junk token. On the local server (the deployed handlers on dynalite), users
 * seeded straight into the store. `npx tsx bench/edge.ts [--users=100000]` prints the table on its own;
 * `npm run bench` runs it as section 7 (`--only=edge`).
 */
import { startLocal, DEMO_ACCOUNT_ID } from '../local/app';
import { documentClient, scimDeps, setScimDeps } from '../lambdas/runtime/deps';
import { MAX_FILTER_SCAN } from '../lambdas/scim/filter';
import { MAX_START_INDEX } from '../lambdas/scim/list-response';
import { installMeter } from './lib/ddb-meter';
import { seedUsers } from './lib/seed';
import { userBody } from './lib/users';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Run on its own, the handlers' EMF metric lines would bury the table (npm run bench sets the same).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

export interface EdgeRow {
  shape: string;
  status: number;
  itemsRead: number;
  rcu: number;
  ms: number;
  junkStatus: number;
  junkItemsRead: number;
  junkRcu: number;
  junkMs: number;
}

export async function measureEdge(users: number): Promise<{ users: number; seedMs: number; rows: EdgeRow[] }> {
  const app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
  try {
    setScimDeps({ ...scimDeps(), requestSink: undefined });
    app.dynamo.client.middlewareStack.remove('scimlinkLocalStream');
    const t0 = Date.now();
    const seeded = await seedUsers(documentClient(app.dynamo.client), app.tableName, DEMO_ACCOUNT_ID, { from: 0, to: users, prefix: 'edge' });
    const seedMs = Date.now() - t0;
    const meter = installMeter(app.dynamo.client);
    const id = seeded[Math.floor(users / 2)]?.id ?? '';
    const q = (f: string, more = '') => `/Users?filter=${encodeURIComponent(f)}${more}`;
    const manyClauses = Array.from({ length: 120 }, (_, i) => `name.givenName eq "edge${i * 16}"`).join(' or ');
    const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'displayName', value: 'Edge' }] };
    let created = 0;
    const shapes: Array<[string, string, string | (() => string), unknown?]> = [
      ['GET /Users (deepest startIndex, count 500)', 'GET', `/Users?startIndex=${MAX_START_INDEX}&count=500`],
      ['GET /Users (cursor page of 500)', 'GET', '/Users?cursor=&count=500'],
      ['filter not answered by key, index paging', 'GET', q('displayName co "zz"')],
      [`filter not answered by key, cursor (≤ ${MAX_FILTER_SCAN} users)`, 'GET', q('displayName co "zz"', '&cursor=')],
      ['filter of 120 comparisons, cursor', 'GET', q(manyClauses, '&cursor=&count=500')],
      ['filter userName eq', 'GET', q('userName eq "edge7@contoso.com"')],
      ['filter externalId eq', 'GET', q('externalId eq "edge-oid-7"')],
      ['filter id eq', 'GET', q(`id eq "${id}"`)],
      ['filter emails[type eq "work"].value eq', 'GET', q('emails[type eq "work"].value eq "edge7@contoso.com"')],
      ['GET /Users/{id}', 'GET', `/Users/${id}`],
      ['POST /Users', 'POST', '/Users', () => userBody('edgenew', 3, created++)],
      ['PATCH /Users/{id}', 'PATCH', `/Users/${id}`, patch],
      ['PUT /Users/{id}', 'PUT', `/Users/${id}`, () => ({ ...userBody('edge', 0, Math.floor(users / 2)), displayName: `Put ${created++}` })],
      ['DELETE /Users/{id} (a user created for it)', 'DELETE', () => `/Users/${id}`],
      ['GET /ServiceProviderConfig', 'GET', '/ServiceProviderConfig'],
      ['GET /Schemas', 'GET', '/Schemas'],
      ['GET /Groups', 'GET', '/Groups'],
    ];
    const send = async (method: string, path: string, token: string, body?: unknown) => {
      meter.reset();
      const started = process.hrtime.bigint();
      const res = await fetch(`${app.tenantUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      await res.arrayBuffer();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const cost = meter.read();
      return { status: res.status, itemsRead: cost.itemsRead, rcu: cost.rcu, ms: Math.round(ms * 10) / 10 };
    };
    // Warm: the token hash cached, "last request seen" written this minute (as a warm container).
    await send('GET', q('userName eq "warm-up"'), app.secretToken);
    const rows: EdgeRow[] = [];
    for (const [shape, method, pathOf, bodyOf] of shapes) {
      let path = typeof pathOf === 'function' ? pathOf() : pathOf;
      if (method === 'DELETE') {
        const fresh = await fetch(`${app.tenantUrl}/Users`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${app.secretToken}`, 'Content-Type': 'application/scim+json' },
          body: JSON.stringify(userBody('edgedel', 4, created++)),
        });
        path = `/Users/${String(((await fresh.json()) as { id?: string }).id)}`;
      }
      const body = typeof bodyOf === 'function' ? (bodyOf as () => unknown)() : bodyOf;
      const junk = await send(method, path, 'junk', body);
      const authed = await send(method, path, app.secretToken, typeof bodyOf === 'function' ? (bodyOf as () => unknown)() : bodyOf);
      rows.push({ shape, ...authed, junkStatus: junk.status, junkItemsRead: junk.itemsRead, junkRcu: junk.rcu, junkMs: junk.ms });
    }
    return { users, seedMs, rows };
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const arg = process.argv.find((a) => a.startsWith('--users='));
  const users = arg ? Number(arg.slice('--users='.length)) : 100_000;
  void measureEdge(users).then(({ rows, seedMs }) => {
    console.log(`${users} users seeded in ${(seedMs / 1000).toFixed(1)} s`);
    console.log('route shape | authenticated: status | items read | RCU | ms | junk token: status | items read | RCU | ms');
    for (const r of rows) {
      console.log(`${r.shape} | ${r.status} | ${r.itemsRead} | ${r.rcu} | ${r.ms} | ${r.junkStatus} | ${r.junkItemsRead} | ${r.junkRcu} | ${r.junkMs}`);
    }
  });
}
