/**
 * Issue 14, item 4, through real HTTP: a full Entra cycle with conflicts and rejections, with every log line the
 * handlers print captured. Not one email, phone number, quoted value, filter or PATCH-path text of the users
 * appears in them (CloudWatch's view); the account's provisioning log shows its admins the values Entra sent.
 */
import { LocalApp, startLocal } from '../../local/app';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const lines: string[] = [];
let app: LocalApp;
let restore: () => void;

beforeAll(async () => {
  // Powertools writes JSON lines to process.stdout/stderr (its own Console): collect them, print nothing.
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.startsWith('{')) {
        lines.push(text);
        return true;
      }
      return writes[i]!(chunk, ...(rest as []));
    }) as typeof stream.write;
  });
  restore = () => streams.forEach((stream, i) => (stream.write = writes[i]!));
  app = await startLocal({ port: 0, memory: true, logLevel: 'DEBUG' });
});
afterAll(async () => {
  await app.close();
  restore();
});

async function scim(method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.tenantUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${app.secretToken}`, ...(body ? { 'Content-Type': 'application/scim+json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const user = (n: number, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `privacy.user${n}@contoso-logs.com`,
  displayName: `Privacy User ${n}`,
  emails: [{ type: 'work', value: `privacy.user${n}@contoso-logs.com` }],
  phoneNumbers: [{ type: 'mobile', value: `+1425555${String(1000 + n)}` }],
  ...extra,
});

it('a full Entra cycle with conflicts leaves no email, number, quoted value or filter text in the log output', async () => {
  // Act: Entra's cycle — probe, lookups, creates, conflicts, bad values, PATCHes, filters, deletes
  expect((await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "0b7e2c53-9f0e-4f7a-a3c2-7d0f2f1d1f00"')}`)).status).toBe(200);
  const ids: string[] = [];
  for (let n = 1; n <= 3; n++) {
    expect((await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "privacy.user${n}@contoso-logs.com"`)}`)).status).toBe(200);
    const created = await scim('POST', '/Users', user(n));
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  expect((await scim('POST', '/Users', user(9, { userName: 'PRIVACY.USER1@contoso-logs.com' }))).status).toBe(409);
  expect((await scim('POST', '/Users', user(8, { emails: [{ type: 'work', value: 'privacy.user2@contoso-logs.com' }] }))).status).toBe(409);
  expect((await scim('POST', '/Users', user(7, { phoneNumbers: [{ type: 'mobile', value: '+14255551003' }] }))).status).toBe(409);
  expect((await scim('POST', '/Users', user(6, { phoneNumbers: [{ type: 'mobile', value: '(425) 555-0199' }] }))).status).toBe(400);
  expect((await scim('POST', '/Users', user(5, { emails: [{ type: 'work', value: 'not-an-address.contoso-logs.com' }] }))).status).toBe(400);
  expect((await scim('POST', '/Users', user(4, { userName: 'priv\u200Bacy@contoso-logs.com' }))).status).toBe(400);
  const patchConflict = await scim('PATCH', `/Users/${ids[0]}`, {
    schemas: [PATCH],
    Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'privacy.user3@contoso-logs.com' }],
  });
  expect(patchConflict.status).toBe(409);
  const badPath = await scim('PATCH', `/Users/${ids[0]}`, {
    schemas: [PATCH],
    Operations: [{ op: 'replace', path: 'emails[value eq "secret.path@contoso-logs.com"].display', value: 'x' }],
  });
  expect(badPath.status).toBe(400);
  expect((await scim('GET', `/Users?filter=${encodeURIComponent('phoneNumbers.value eq "+14255551002" and (userName eq "hidden@contoso-logs.com"')}`)).status).toBe(400);
  expect((await scim('GET', '/Users/privacy.user1@contoso-logs.com')).status).toBe(404);
  expect((await scim('PATCH', `/Users/${ids[1]}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })).status).toBe(200);
  expect((await scim('DELETE', `/Users/${ids[2]}`)).status).toBe(204);
  await app.flushProvisioningLog();

  // Assess: CloudWatch's view
  // Our own figures are not the users' data: timestamps and generated ids are taken out before the scan.
  const output = lines
    .join('')
    .replace(/"timestamp":"[^"]*"/g, '')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID');
  expect(lines.filter((l) => l.includes('"SCIM request"')).length).toBeGreaterThanOrEqual(15);
  expect(output).not.toMatch(/[^\s"'{}[\]]+@[^\s"'{}[\]]+\.[a-z]{2,}/i); // any email address
  expect(output).not.toMatch(/contoso-logs/);
  expect(output).not.toMatch(/\+?\d[\d ().-]{6,}\d/); // any phone number, E.164 or national
  expect(output).not.toMatch(/secret\.path|hidden@/);
  expect(output.replace(/'…'/g, '')).not.toContain("'"); // every single-quoted value in a rule is masked
  expect(output).toContain('already in use by another user'); // the rules themselves are there
  expect(output).toContain('emails[type eq \\"work\\"].value');

  // Assess: the account admins' view
  const res = await fetch(`${app.adminUrl}/accounts/demo/log?errors=true`, { headers: { Authorization: `Bearer ${app.adminToken}` } });
  const { entries } = (await res.json()) as { entries: Array<{ rule?: string; userName?: string }> };
  const rules = entries.map((e) => e.rule ?? '').join('\n');
  expect(rules).toContain("userName 'PRIVACY.USER1@contoso-logs.com' is already in use by another user");
  expect(rules).toContain("'+14255551003' is already in use");
  expect(rules).toContain("'(425) 555-0199' is not in E.164 format");
  expect(entries.map((e) => e.userName)).toContain('PRIVACY.USER1@contoso-logs.com');
});
