/**
 * The `scimlink` CLI end to end, in-process through `run()`, against the real local server (admin API + SCIM on
 * the embedded store): the operator's whole flow of SPEC §2 and §5, checked from the SCIM side as Entra sees it.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { LocalApp, startLocal } from '../../local/app';
import { run } from '../../cli/main';

let app: LocalApp;
/** Everything any command printed, to prove the admin token never appears. */
const printed: string[] = [];

beforeAll(async () => {
  app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
});
afterAll(async () => {
  await app?.close();
});

async function cli(argv: string[], env: NodeJS.ProcessEnv = { SCIMLINK_ADMIN_URL: app.adminUrl, SCIMLINK_ADMIN_TOKEN: app.adminToken }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env });
  const result = { code, out: out.join(''), err: err.join('') };
  printed.push(result.out, result.err);
  return result;
}

async function cliJson<T>(argv: string[]): Promise<T> {
  const r = await cli([...argv, '--json']);
  expect(r).toMatchObject({ code: 0, err: '' });
  return JSON.parse(r.out) as T;
}

async function scim(method: string, url: string, token: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/scim+json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function scimUser(name: string, over: Record<string, unknown> = {}) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `${name}@contoso.com`,
    displayName: name,
    active: true,
    emails: [{ type: 'work', value: `${name}@contoso.com` }],
    ...over,
  };
}

/** `Tenant URL: …` / `Secret Token: …` from `keys generate`. */
function keysFrom(out: string) {
  const tenantUrl = /^Tenant URL: (\S+)$/m.exec(out)?.[1];
  const secretToken = /^Secret Token: (\S+)$/m.exec(out)?.[1];
  if (!tenantUrl || !secretToken) throw new Error(`no keys in:\n${out}`);
  return { tenantUrl, secretToken };
}

const SCIM_TOKEN = /scimlink_[A-Za-z0-9_-]{43}/;
const PARTNER_REFUSAL =
  'integrations are not supported for partner accounts; create a customer account and add the integration there';

describe('scimlink CLI against the local server', () => {
  let partnerId: string;
  let accountId: string;
  let keys: { tenantUrl: string; secretToken: string };
  let activeId: string;
  let staleId: string;

  it('refuses the integration on a partner account with the SPEC message, exit 1', async () => {
    partnerId = (await cliJson<{ id: string }>(['accounts', 'create', '--name', 'Partner One', '--type', 'partner'])).id;
    const r = await cli(['integration', 'add', partnerId]);
    expect(r).toEqual({ code: 1, out: '', err: `scimlink: 400 ${PARTNER_REFUSAL}\n` });
  });

  it('accounts rename changes the name only; without --name it is a usage error', async () => {
    const id = (await cliJson<{ id: string }>(['accounts', 'create', '--name', 'Fabrikm', '--type', 'customer'])).id;
    const renamed = await cli(['accounts', 'rename', id, '--name', 'Fabrikam']);
    expect(renamed).toMatchObject({ code: 0, err: '' });
    expect(renamed.out).toContain(`Renamed account ${id}.`);
    expect(renamed.out).toMatch(/^Name:\s+Fabrikam$/m);
    expect((await cliJson<{ name: string; type: string }>(['accounts', 'show', id]))).toMatchObject({ name: 'Fabrikam', type: 'customer' });
    const usage = await cli(['accounts', 'rename', id]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--name');
    expect((await cli(['accounts', 'rename', 'no-such-account', '--name', 'X'])).err).toBe('scimlink: 404 account no-such-account not found\n');
  });

  it('accounts delete: refused while the account has users and the integration; --force --yes deletes them; verify is clean', async () => {
    // Prepare
    const id = (await cliJson<{ id: string }>(['accounts', 'create', '--name', 'Leaving Corp', '--type', 'customer'])).id;
    expect((await cli(['integration', 'add', id])).code).toBe(0);
    const leaving = keysFrom((await cli(['keys', 'generate', id])).out);
    for (const name of ['lea', 'lee']) expect((await scim('POST', `${leaving.tenantUrl}/Users`, leaving.secretToken, scimUser(name))).status).toBe(201);

    // Act + Assess: refused without --force, naming what is there; nothing changes.
    const refused = await cli(['accounts', 'delete', id, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`^scimlink: 409 account ${id} has 2 users and the Entra ID Sync integration; delete with force`));
    expect((await scim('GET', `${leaving.tenantUrl}/Users`, leaving.secretToken)).body.totalResults).toBe(2);

    const forced = await cli(['accounts', 'delete', id, '--force', '--yes']);
    expect(forced).toEqual({
      code: 0,
      out: `Deleted account ${id} (the Entra ID Sync integration removed; 2 users deleted, their login IDs, emails and phone numbers free again).\n`,
      err: '',
    });
    expect((await cli(['accounts', 'show', id])).err).toBe(`scimlink: 404 account ${id} not found\n`);
    expect((await scim('GET', `${leaving.tenantUrl}/Users`, leaving.secretToken)).status).toBe(401);
    const verified = await cli(['verify']);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('Consistent: no findings.');
  });

  it('creates a customer account, adds the integration and generates keys', async () => {
    const created = await cli(['accounts', 'create', '--name', 'Acme Corp', '--type', 'customer', '--partner', partnerId]);
    expect(created.code).toBe(0);
    accountId = /^ID:\s+(\S+)$/m.exec(created.out)?.[1] ?? '';
    expect(accountId).not.toBe('');
    expect(created.out).toContain(`Partner:  ${partnerId}`);

    const listed = await cli(['accounts', 'list']);
    expect(listed.out).toMatch(new RegExp(`^${accountId}\\s+Acme Corp\\s+customer\\s+${partnerId}\\s`, 'm'));
    expect(listed.out).toMatch(new RegExp(`^${partnerId}\\s+Partner One\\s+partner\\s`, 'm'));

    const added = await cli(['integration', 'add', accountId]);
    expect(added.code).toBe(0);
    expect(added.out).toContain('Entra ID Sync');
    expect(added.out).toContain(`Next: scimlink keys generate ${accountId}`);

    const generated = await cli(['keys', 'generate', accountId]);
    expect(generated).toMatchObject({ code: 0, err: '' });
    keys = keysFrom(generated.out);
    expect(keys.secretToken).toMatch(SCIM_TOKEN);
    expect(keys.tenantUrl.startsWith(`${app.url}/scim/`)).toBe(true);
  });

  it('the generated pair provisions users over SCIM; users list shows active and inactive ones', async () => {
    const active = await scim('POST', `${keys.tenantUrl}/Users`, keys.secretToken, scimUser('ann'));
    expect(active.status).toBe(201);
    activeId = active.body.id;
    const stale = await scim(
      'POST',
      `${keys.tenantUrl}/Users`,
      keys.secretToken,
      scimUser('stale', { active: false, phoneNumbers: [{ type: 'mobile', value: '+14155550100' }] }),
    );
    expect(stale.status).toBe(201);
    staleId = stale.body.id;

    const listed = await cli(['users', 'list', accountId]);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(new RegExp(`^${activeId}\\s+ann@contoso.com\\s+ann\\s+yes\\s`, 'm'));
    expect(listed.out).toMatch(new RegExp(`^${staleId}\\s+stale@contoso.com\\s+stale\\s+no\\s+stale@contoso.com\\s+mobile \\+14155550100$`, 'm'));

    const inactive = await cliJson<{ totalResults: number; users: Array<{ id: string; active: boolean }> }>(['users', 'list', accountId, '--active', 'false']);
    expect(inactive.users.map((u) => [u.id, u.active])).toEqual([[staleId, false]]);

    const shown = await cli(['users', 'show', accountId, staleId]);
    expect(shown.out).toContain('Active:         no');
    expect(shown.out).toContain('Phones:         mobile +14155550100');
  });

  it('keys generate refuses to replace keys without --yes, and changes nothing', async () => {
    const r = await cli(['keys', 'generate', accountId]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^scimlink: keys for account \S+ were generated at .*; generating again invalidates the current Tenant URL and Secret Token at once; pass --yes to replace them\n$/);
    expect((await scim('GET', `${keys.tenantUrl}/Users/${activeId}`, keys.secretToken)).status).toBe(200);
  });

  it('keys generate --yes: the old URL and token get 401 on the next request, the new pair works, users stay', async () => {
    const old = keys;
    const r = await cli(['keys', 'generate', accountId, '--yes']);
    expect(r.code).toBe(0);
    keys = keysFrom(r.out);
    expect(keys.tenantUrl).not.toBe(old.tenantUrl);
    expect(keys.secretToken).not.toBe(old.secretToken);

    expect((await scim('GET', `${old.tenantUrl}/Users/${activeId}`, old.secretToken)).status).toBe(401);
    expect((await scim('GET', `${old.tenantUrl}/Users/${activeId}`, keys.secretToken)).status).toBe(401);
    expect((await scim('GET', `${keys.tenantUrl}/Users/${activeId}`, old.secretToken)).status).toBe(401);
    const list = await scim('GET', `${keys.tenantUrl}/Users`, keys.secretToken);
    expect(list.status).toBe(200);
    expect(list.body.Resources.map((u: { id: string }) => u.id).sort()).toEqual([activeId, staleId].sort());

    const shown = await cliJson<{ keysGeneratedAt?: string; tenantUrl?: string; usersProvisioned: number }>(['integration', 'show', accountId]);
    expect(shown.tenantUrl).toBe(keys.tenantUrl);
    expect(shown.usersProvisioned).toBe(2);
  });

  it('phones search finds the inactive holder of a number typed any way; its delete command frees the number', async () => {
    // Entra's create of a new user with that number is blocked by the stale one.
    const newcomer = scimUser('newcomer', { phoneNumbers: [{ type: 'work', value: '+14155550100' }] });
    const blocked = await scim('POST', `${keys.tenantUrl}/Users`, keys.secretToken, newcomer);
    expect(blocked.status).toBe(409);

    const found = await cli(['phones', 'search', '+1 (415) 555-0100']);
    expect(found.code).toBe(0);
    expect(found.out).toContain('1 user holds +14155550100:');
    expect(found.out).toMatch(new RegExp(`^${accountId}\\s+Acme Corp\\s+${staleId}\\s+stale@contoso.com\\s+no\\s+mobile$`, 'm'));
    const command = /^ {2}scimlink (users delete .+)$/m.exec(found.out)?.[1];
    expect(command).toBe(`users delete ${accountId} ${staleId} --yes`);

    const viaCountry = await cliJson<{ number: string; hits: Array<{ userId: string; active: boolean; types: string[] }> }>([
      'phones', 'search', '(415) 555-0100', '--country', 'US',
    ]);
    expect(viaCountry.number).toBe('+14155550100');
    expect(viaCountry.hits).toEqual([expect.objectContaining({ userId: staleId, active: false, types: ['mobile'] })]);

    // Act: run exactly the printed command
    const deleted = await cli(command!.split(' '));
    expect(deleted.code).toBe(0);

    expect((await cli(['phones', 'search', '+14155550100'])).out).toBe('No user holds +14155550100.\n');
    expect((await cli(['users', 'show', accountId, staleId])).code).toBe(1);
    expect((await scim('GET', `${keys.tenantUrl}/Users/${staleId}`, keys.secretToken)).status).toBe(404);
    const retried = await scim('POST', `${keys.tenantUrl}/Users`, keys.secretToken, newcomer);
    expect(retried.status).toBe(201);
  });

  it('integration remove needs --yes, then revokes the SCIM token at once', async () => {
    const refused = await cli(['integration', 'remove', accountId]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("revokes Entra's access");
    expect((await scim('GET', `${keys.tenantUrl}/Users`, keys.secretToken)).status).toBe(200);

    const removed = await cli(['integration', 'remove', accountId, '--yes']);
    expect(removed.code).toBe(0);
    expect((await scim('GET', `${keys.tenantUrl}/Users`, keys.secretToken)).status).toBe(401);
    expect((await scim('GET', `${keys.tenantUrl}/Users/${activeId}`, keys.secretToken)).status).toBe(401);
    // Users are kept
    expect((await cliJson<{ totalResults: number }>(['users', 'list', accountId])).totalResults).toBe(2);
  });

  it('--json prints parseable JSON on every read command', async () => {
    for (const argv of [
      ['accounts', 'list'],
      ['accounts', 'show', accountId],
      ['integration', 'show', 'demo'],
      ['users', 'list', accountId, '--count', '1'],
      ['users', 'show', accountId, activeId],
      ['phones', 'search', '+14155550100'],
    ]) {
      const r = await cli([...argv, '--json']);
      expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 0, err: '' });
      expect(() => JSON.parse(r.out)).not.toThrow();
    }
  });

  it('keeps the admin and SCIM credentials apart', async () => {
    // The admin token on a SCIM route
    expect((await scim('GET', `${app.tenantUrl}/Users`, app.adminToken)).status).toBe(401);
    // A valid SCIM token on the admin API
    const r = await cli(['accounts', 'list'], { SCIMLINK_ADMIN_URL: app.adminUrl, SCIMLINK_ADMIN_TOKEN: app.secretToken });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^scimlink: 401 /);
    expect(r.err.split('\n')).toHaveLength(2);
  });

  it('connection failures are one line: wrong URL, missing token on a local server', async () => {
    // A port nobody listens on: bind one, then free it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const refused = await cli(['accounts', 'list'], { SCIMLINK_ADMIN_URL: `http://127.0.0.1:${port}/admin`, SCIMLINK_ADMIN_TOKEN: 't' });
    expect(refused).toEqual({
      code: 1,
      out: '',
      err: `scimlink: cannot reach the admin API at http://127.0.0.1:${port} (ECONNREFUSED); is npm start running?\n`,
    });
    const wrongToken = await cli(['accounts', 'list'], { SCIMLINK_ADMIN_URL: app.adminUrl, SCIMLINK_ADMIN_TOKEN: 'scimlinkadmin_wrong' });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.err).toMatch(/^scimlink: 401 .*SCIMLINK_ADMIN_TOKEN.*\n$/);
  });

  it('no output ever contained the admin token; only keys generate printed a SCIM token', async () => {
    expect(printed.length).toBeGreaterThan(20);
    for (const text of printed) expect(text).not.toContain(app.adminToken);
    const withToken = printed.filter((t) => SCIM_TOKEN.test(t));
    expect(withToken).toHaveLength(3); // the flow's first keys, their regeneration, the keys of the account deleted above
    for (const t of withToken) expect(t).toMatch(/^Tenant URL: .+\nSecret Token: scimlink_/);
  });
});
