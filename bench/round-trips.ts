/**
 * DynamoDB cost of each SCIM operation, measured on the local server (the deployed handlers on dynalite): the
 * sequential round trips (calls that waited on each other), the total calls, and the read/write capacity units
 * DynamoDB reports (`ReturnConsumedCapacity: 'TOTAL'`, asked for by a bench-only SDK middleware; emulated
 * transactions report DynamoDB's transactional price, see local/dynamo/transactions.ts).
 * `npx tsx bench/round-trips.ts` prints the table on its own.
 */
import { randomUUID } from 'node:crypto';
import { startLocal } from '../local/app';
import { scimDeps, setScimDeps } from '../lambdas/runtime/deps';
import { installMeter, type DdbCost } from './lib/ddb-meter';
import { entraDisablePatch, entraMultiPatch, userBody } from './lib/users';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface RoundTripRow extends DdbCost {
  status: number;
  kind: 'read' | 'write';
  /**
   * The target: reads 1 round trip where possible and never more than 2 including auth; writes ≤ 3. A read whose
   * first call is a Query waits for authentication (issue 13: a Query costs by the item, so an unauthenticated
   * caller gets none), one round trip more: `externalId eq` 3, a page 2. A GetItem-first read still shares one
   * BatchGetItem with auth's read (one item, bounded).
   */
  target: number;
}

export async function measureRoundTrips(): Promise<Record<string, RoundTripRow>> {
  const app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
  try {
    // As deployed: `npm start` also writes each request's provisioning-log line to the table itself (a
    // BatchWriteItem after the response is computed); in Lambda that line goes to CloudWatch Logs instead.
    setScimDeps({ ...scimDeps(), requestSink: undefined });
    const meter = installMeter(app.dynamo.client);
    const send = async (method: string, path: string, body?: unknown) => {
      meter.reset();
      const res = await fetch(`${app.tenantUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${app.secretToken}`, 'Content-Type': 'application/scim+json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const json = res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
      return { status: res.status, json, cost: meter.read() };
    };
    const rows: Record<string, RoundTripRow> = {};
    const row = (name: string, kind: 'read' | 'write', r: Awaited<ReturnType<typeof send>>, target = kind === 'read' ? 2 : 3) => {
      rows[name] = { ...r.cost, status: r.status, kind, target };
      return r;
    };
    const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;
    // A warm container: the token hash is cached (a cold one reads the secret once every 5 minutes) and
    // "last request seen" was written this minute (a write at most once a minute per account).
    await send('GET', q('userName eq "warm-up"'));
    // 100 users for the page, created through the API.
    for (let i = 0; i < 100; i++) await send('POST', '/Users', userBody('rtpage', 1, i));

    row('probe (userName eq <guid>)', 'read', await send('GET', q(`userName eq "${randomUUID()}"`)), 1);
    const created = row('POST /Users', 'write', await send('POST', '/Users', userBody('rt', 2, 1)));
    const id = String(created.json?.id);
    row('GET /Users/{id}', 'read', await send('GET', `/Users/${id}`), 1);
    row('filter userName eq', 'read', await send('GET', q('userName eq "rt1@contoso.com"')));
    row('filter externalId eq', 'read', await send('GET', q('externalId eq "rt-oid-1"')), 3);
    row('filter emails[type eq "work"].value eq', 'read', await send('GET', q('emails[type eq "work"].value eq "rt1@contoso.com"')));
    row('PATCH (multi-attribute replace)', 'write', await send('PATCH', `/Users/${id}`, entraMultiPatch('rt', 1)));
    row('PATCH disable', 'write', await send('PATCH', `/Users/${id}`, entraDisablePatch()));
    row('PUT /Users/{id}', 'write', await send('PUT', `/Users/${id}`, { ...userBody('rt', 2, 1), displayName: 'Replaced' }));
    row('GET /Users (page of 100)', 'read', await send('GET', '/Users?count=100'), 2);
    row('DELETE /Users/{id}', 'write', await send('DELETE', `/Users/${id}`));
    return rows;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  void measureRoundTrips().then((rows) => {
    console.log('operation | status | sequential round trips (target) | calls | RCU | WCU | commands');
    for (const [name, r] of Object.entries(rows)) {
      console.log(`${name} | ${r.status} | ${r.sequential} (≤ ${r.target}) | ${r.calls} | ${r.rcu} | ${r.wcu} | ${r.commands.join(', ')}`);
    }
  });
}
