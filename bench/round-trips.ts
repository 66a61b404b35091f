/**
 * Counts the DynamoDB calls each SCIM operation makes, and how many of them are sequential (a "round trip" is a
 * moment where the handler waits on DynamoDB with nothing else in flight). Runs against the local server, with an
 * SDK middleware on the store's client. `npx tsx bench/round-trips.ts`
 */
import { randomUUID } from 'node:crypto';
import { startLocal } from '../local/app';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
  // A call's depth is 1 + the deepest call that had finished when it started: the longest chain of calls that
  // waited on each other, i.e. the sequential round trips.
  let finishedDepth = 0;
  let calls = 0;
  let waves = 0;
  const names: string[] = [];
  app.dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      calls++;
      names.push(context.commandName ?? '?');
      const depth = finishedDepth + 1;
      waves = Math.max(waves, depth);
      try {
        return await next(args);
      } finally {
        finishedDepth = Math.max(finishedDepth, depth);
      }
    },
    { step: 'initialize', name: 'roundTripCounter', priority: 'high' },
  );
  const send = async (method: string, path: string, body?: unknown) => {
    calls = 0;
    waves = 0;
    finishedDepth = 0;
    names.length = 0;
    const res = await fetch(`${app.tenantUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${app.secretToken}`, 'Content-Type': 'application/scim+json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
    return { status: res.status, json, calls, waves, names: [...names] };
  };
  const user = (n: string) => ({
    userName: `${n}@contoso.com`,
    externalId: `ext-${n}`,
    displayName: n,
    emails: [{ type: 'work', value: `${n}@contoso.com` }],
    phoneNumbers: [{ type: 'mobile', value: `+1415${Math.floor(1e6 + Math.random() * 8e6)}` }],
  });
  const rows: Array<[string, Awaited<ReturnType<typeof send>>]> = [];
  // warm the token-hash cache first (a cold Lambda reads the secret once)
  await send('GET', `/Users?filter=userName+eq+%22warm%22`);
  rows.push(['probe (userName eq <guid>)', await send('GET', `/Users?filter=userName+eq+%22${randomUUID()}%22`)]);
  const created = await send('POST', '/Users', user('bench1'));
  rows.push(['POST /Users', created]);
  const id = String(created.json?.id);
  rows.push(['GET /Users/{id}', await send('GET', `/Users/${id}`)]);
  rows.push(['filter userName eq', await send('GET', `/Users?filter=${encodeURIComponent('userName eq "bench1@contoso.com"')}`)]);
  rows.push(['filter externalId eq', await send('GET', `/Users?filter=${encodeURIComponent('externalId eq "ext-bench1"')}`)]);
  rows.push(['filter emails[type eq "work"].value eq', await send('GET', `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "bench1@contoso.com"')}`)]);
  const op = (o: unknown[]) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: o });
  rows.push(['PATCH (multi-attribute replace)', await send('PATCH', `/Users/${id}`, op([{ op: 'replace', value: { displayName: 'B', 'name.givenName': 'G', 'emails[type eq "work"].value': 'bench1b@contoso.com' } }]))]);
  rows.push(['PATCH disable', await send('PATCH', `/Users/${id}`, op([{ op: 'Replace', path: 'active', value: 'False' }]))]);
  rows.push(['PUT /Users/{id}', await send('PUT', `/Users/${id}`, user('bench1c'))]);
  rows.push(['GET /Users (page of 100)', await send('GET', `/Users?count=100`)]);
  rows.push(['DELETE /Users/{id}', await send('DELETE', `/Users/${id}`)]);
  console.log('operation | status | sequential round trips | DynamoDB calls | commands');
  for (const [name, r] of rows) console.log(`${name} | ${r.status} | ${r.waves} | ${r.calls} | ${r.names.join(', ')}`);
  await app.close();
}

void main();
