/**
 * `scimlink check` is synthetic traffic end to end (lambdas/scim/synthetic.ts): against a fresh local server it
 * passes, yet publishes no change event, leaves "last request from Entra" unset and marks every provisioning-log
 * entry it caused. The same requests without the marker (a real client) do all three, so the test can fail.
 */
import { run } from '../../cli/main';
import type { ProvisioningLogView } from '../../lambdas/admin/contract';
import { LocalUserEvent } from '../../local/events';
import { TestServer, entraUser, startTestServer } from '../support/local-server';

let s: TestServer;
/** Every change event of the server's life (the server is this file's alone). */
const seen: LocalUserEvent[] = [];

beforeAll(async () => {
  s = await startTestServer();
  s.app.events.subscribe((e) => seen.push(e));
});
afterAll(() => s.close());

async function provisioningLog(): Promise<ProvisioningLogView['entries']> {
  await s.app.flushProvisioningLog();
  const res = await fetch(`${s.app.adminUrl}/accounts/demo/log?limit=500`, { headers: { Authorization: `Bearer ${s.app.adminToken}` } });
  return ((await res.json()) as ProvisioningLogView).entries;
}

describe('scimlink check is synthetic traffic', () => {
  it('passes with writes on a local URL, but moves no "last request", publishes no event, and marks its log entries', async () => {
    // Prepare
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t), env: { SCIMLINK_SCIM_TOKEN: s.app.secretToken } };

    // Act
    const code = await run(['check', s.app.tenantUrl], io);

    // Assess
    expect(out.join('')).toContain('PASS: Entra ID can provision users to this tenant URL');
    expect(code).toBe(0);
    s.app.dynamo.flushStream(); // events are handed over after the answers, as DynamoDB Streams does
    expect(seen).toEqual([]);
    expect((await s.app.admin.getIntegration('demo')).lastRequestAt).toBeUndefined();
    const entries = await provisioningLog();
    expect(entries.map((e) => e.method)).toEqual(expect.arrayContaining(['POST', 'PATCH', 'PUT', 'DELETE', 'GET']));
    expect(entries.filter((e) => e.synthetic !== true)).toEqual([]);
  });

  it('the same kind of requests from a real client: the event, "last request" and an unmarked log entry', async () => {
    const user = entraUser();
    expect((await s.scim('POST', '/Users', user)).status).toBe(201);

    s.app.dynamo.flushStream();
    expect(seen.map((e) => [e.detail.changeType, e.detail.userName])).toEqual([['created', user.userName]]);
    expect((await s.app.admin.getIntegration('demo')).lastRequestAt).toEqual(expect.any(String));
    const entries = await provisioningLog();
    expect(entries.filter((e) => e.synthetic !== true).map((e) => [e.method, e.userName])).toEqual([['POST', user.userName]]);
    const out: string[] = [];
    const env = { SCIMLINK_ADMIN_URL: s.app.adminUrl, SCIMLINK_ADMIN_TOKEN: s.app.adminToken };
    expect(await run(['log', '--account', 'demo', '--limit', '2'], { out: (t) => out.push(t), err: (t) => out.push(t), env })).toBe(0);
    expect(out.join('')).toMatch(/^TIME +FROM +METHOD[^\n]*\n\S+ +client +POST +\/Users +201 [^\n]*\n\S+ +check +/);
  });
});
