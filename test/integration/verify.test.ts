/**
 * `scimlink verify` end to end (issue 6): the admin route GET /admin/verify on the local server, through the CLI,
 * on a clean table and on one with a planted inconsistency.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { run } from '../../cli/main';
import { documentClient } from '../../lambdas/runtime/deps';
import { TestServer, startTestServer } from '../support/local-server';
import { userWith } from '../support/robustness';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

async function verify(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { SCIMLINK_ADMIN_URL: s.app.adminUrl, SCIMLINK_ADMIN_TOKEN: s.app.adminToken };
  const code = await run(['verify', ...args], { out: (x) => out.push(x), err: (x) => err.push(x), env });
  return { code, out: out.join(''), err: err.join('') };
}

it('reports a clean table (exit 0), then a planted orphan and a missing sentinel (exit 3), never a secret', async () => {
  const created = await s.scim('POST', '/Users', userWith({ userName: 'v1@verify.test', email: 'v1@verify.test', phone: '+14155550177', externalId: 'v-1' }));
  expect(created.status).toBe(201);
  const clean = await verify();
  expect(clean).toMatchObject({ code: 0, err: '' });
  expect(clean.out).toContain('Consistent: no findings.');

  const doc = documentClient(s.app.dynamo.client);
  await doc.send(new DeleteCommand({ TableName: s.app.tableName, Key: { pk: 'UNIQUE#phone#14155550177', sk: 'UNIQUE' } }));
  await doc.send(new PutCommand({ TableName: s.app.tableName, Item: { pk: 'UNIQUE#email#ghost@verify.test', sk: 'UNIQUE', kind: 'sentinel', accountId: 'demo', userId: 'gone', domainRoot: 'verify.test', domainPath: 'test.verify.' } }));
  const broken = await verify('--json');
  expect(broken.code).toBe(3);
  const report = JSON.parse(broken.out);
  expect(report.consistent).toBe(false);
  expect(report.findings.map((f: { kind: string; key: string }) => `${f.kind} ${f.key}`).sort()).toEqual([
    'missing-sentinel UNIQUE#phone#14155550177',
    'orphan-sentinel UNIQUE#email#ghost@verify.test',
  ]);
  // The planted orphan blocks the value, exactly what the finding says: Entra would get 409 for it.
  expect((await s.scim('POST', '/Users', userWith({ userName: 'v2@verify.test', email: 'ghost@verify.test' }))).status).toBe(409);
  for (const secret of [s.app.secretToken, s.app.adminToken, s.app.tenantUrl.split('.').pop()!]) expect(broken.out).not.toContain(secret);

  // The admin API needs the admin token like every admin route.
  expect((await fetch(`${s.app.adminUrl}/verify`)).status).toBe(401);
});
