/**
 * Each CLI command against a fetch stub answering contract.ts shapes: the request it sends (method, path,
 * query, body, auth), what it prints, `--json`, and how failures become one stderr line with exit code 1.
 */
import type {
  AccountDeletionView,
  AccountView,
  AdminUserView,
  GeneratedKeysView,
  IntegrationView,
  PhoneSearchView,
  UserListView,
} from '../../lambdas/admin/contract';
import type { ProvisioningHealth } from '../../lambdas/log/provisioning-health';
import { run } from '../../cli/main';

interface Recorded {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}
type Answer = { status: number; body?: unknown; raw?: string };
type Routes = Record<string, (req: Recorded) => Answer>;

const ADMIN_TOKEN = 'local-admin-token-0123456789';
const ENV = { SCIMLINK_ADMIN_URL: 'http://127.0.0.1:8080/admin', SCIMLINK_ADMIN_TOKEN: ADMIN_TOKEN };

async function cli(argv: string[], routes: Routes = {}, env: NodeJS.ProcessEnv = ENV) {
  const requests: Recorded[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const rec: Recorded = { method: init?.method ?? 'GET', url, headers, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    requests.push(rec);
    const key = `${rec.method} ${url.pathname}`;
    const answer = routes[key]?.(rec) ?? { status: 404, body: { status: 404, message: `no stub for ${key}` } };
    const payload = answer.raw ?? (answer.body === undefined ? null : JSON.stringify(answer.body));
    return new Response(payload, { status: answer.status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env, fetch });
  return { code, out: out.join(''), err: err.join(''), requests };
}

const ACME: AccountView = { id: 'acme', name: 'Acme', type: 'customer', partnerId: 'p1', createdAt: '2025-01-02T03:04:05.000Z' };
const PARTNER: AccountView = { id: 'p1', name: 'Partner One', type: 'partner', createdAt: '2025-01-01T00:00:00.000Z' };
const INTEGRATION: IntegrationView = {
  accountId: 'acme',
  integration: 'Entra ID Sync',
  addedAt: '2025-01-02T03:05:00.000Z',
  usersProvisioned: 0,
};
const KEYS: GeneratedKeysView = {
  tenantUrl: 'http://127.0.0.1:8080/scim/acme.k2',
  secretToken: 'scimlink_NEWTOKEN',
  keysGeneratedAt: '2025-01-03T00:00:00.000Z',
  warning: 'Shown once: copy the Secret Token now. The previous Tenant URL and Secret Token no longer work.',
};
function user(id: string, over: Partial<AdminUserView> = {}): AdminUserView {
  return {
    accountId: 'acme',
    id,
    userName: `${id}@contoso.com`,
    displayName: `User ${id}`,
    active: true,
    emails: [{ type: 'work', value: `${id}@contoso.com` }],
    phoneNumbers: [{ type: 'mobile', value: '+14155550100' }],
    created: '2025-01-02T00:00:00.000Z',
    lastModified: '2025-01-02T00:00:00.000Z',
    ...over,
  };
}

describe('connection', () => {
  it('sends the admin token as a Bearer header to the admin base URL, and never prints it', async () => {
    const r = await cli(['accounts', 'list'], { 'GET /admin/accounts': () => ({ status: 200, body: { accounts: [ACME] } }) });
    expect(r.code).toBe(0);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.headers.authorization).toBe(`Bearer ${ADMIN_TOKEN}`);
    expect(r.requests[0]!.url.href).toBe('http://127.0.0.1:8080/admin/accounts');
    expect(r.out + r.err).not.toContain(ADMIN_TOKEN);
  });

  it('redacts the admin token even if a server message echoes it', async () => {
    const r = await cli(['accounts', 'show', 'x'], {
      'GET /admin/accounts/x': () => ({ status: 401, body: { status: 401, message: `bad token ${ADMIN_TOKEN}` } }),
    });
    expect(r.code).toBe(1);
    expect(r.err).not.toContain(ADMIN_TOKEN);
    // The local server's 401 says which token to use itself: no second hint.
    expect(r.err).toBe('scimlink: 401 bad token [admin token]\n');
  });

  it('reports an unreachable server in one line, exit 1', async () => {
    const refused = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8080' } });
    }) as typeof fetch;
    const err: string[] = [];
    const code = await run(['accounts', 'list'], { out: () => undefined, err: (s) => err.push(s), env: ENV, fetch: refused });
    expect(code).toBe(1);
    expect(err.join('')).toBe('scimlink: cannot reach the admin API at http://127.0.0.1:8080 (ECONNREFUSED); is npm start running?\n');
  });

  it('turns a non-JSON error body into one line', async () => {
    const r = await cli(['accounts', 'list'], { 'GET /admin/accounts': () => ({ status: 502, raw: 'Bad Gateway\n\nupstream died' }) });
    expect(r.code).toBe(1);
    expect(r.err).toBe('scimlink: 502 Bad Gateway upstream died\n');
  });

  it("shows API Gateway's own error shape (`{message}`) too", async () => {
    const r = await cli(['accounts', 'list'], { 'GET /admin/accounts': () => ({ status: 403, body: { message: 'Missing Authentication Token' } }) });
    expect(r.err).toBe('scimlink: 403 Missing Authentication Token\n');
  });
});

describe('accounts', () => {
  it('create posts name, type and partner, and prints the account', async () => {
    const r = await cli(['accounts', 'create', '--name', 'Acme', '--type', 'customer', '--partner', 'p1'], {
      'POST /admin/accounts': () => ({ status: 201, body: ACME }),
    });
    expect(r.code).toBe(0);
    expect(r.requests[0]!.body).toEqual({ name: 'Acme', type: 'customer', partnerId: 'p1' });
    expect(r.requests[0]!.headers['content-type']).toBe('application/json');
    expect(r.out).toBe(
      [
        'Created customer account acme.',
        'ID:       acme',
        'Name:     Acme',
        'Type:     customer',
        'Partner:  p1',
        'Created:  2025-01-02T03:04:05.000Z',
        'Next: scimlink integration add acme',
        '',
      ].join('\n'),
    );
  });

  it('list prints an aligned table; --json prints the answer', async () => {
    const routes = { 'GET /admin/accounts': () => ({ status: 200, body: { accounts: [ACME, PARTNER] } }) };
    const r = await cli(['accounts', 'list'], routes);
    expect(r.out).toBe(
      [
        'ID    NAME         TYPE      PARTNER  CREATED',
        'acme  Acme         customer  p1       2025-01-02T03:04:05.000Z',
        'p1    Partner One  partner            2025-01-01T00:00:00.000Z',
        '',
      ].join('\n'),
    );
    const j = await cli(['accounts', 'list', '--json'], routes);
    expect(JSON.parse(j.out)).toEqual({ accounts: [ACME, PARTNER] });
  });

  it('show encodes the id as one path segment', async () => {
    const r = await cli(['accounts', 'show', 'a/b c'], { 'GET /admin/accounts/a%2Fb%20c': () => ({ status: 200, body: ACME }) });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Name:     Acme');
  });

  it('a 404 is one line with the server message', async () => {
    const r = await cli(['accounts', 'show', 'nope'], {
      'GET /admin/accounts/nope': () => ({ status: 404, body: { status: 404, message: 'Account nope not found' } }),
    });
    expect(r).toMatchObject({ code: 1, out: '', err: 'scimlink: 404 Account nope not found\n' });
  });

  const step = (over: Partial<AccountDeletionView>): Answer => ({
    status: over.deleted ? 200 : 202,
    body: { accountId: 'acme', deleted: false, integrationRemoved: false, usersDeleted: 0, usersRemaining: 0, itemsDeleted: 0, ...over },
  });

  it('delete --force --yes calls again while the server answers 202, then sums up what went', async () => {
    // Prepare: 250 users, 100 per call, then the count shards.
    const answers = [
      step({ integrationRemoved: true, usersDeleted: 100, usersRemaining: 150 }),
      step({ usersDeleted: 100, usersRemaining: 50 }),
      step({ usersDeleted: 50, itemsDeleted: 3 }),
      step({ deleted: true, itemsDeleted: 2 }),
    ];

    // Act
    const r = await cli(['accounts', 'delete', 'acme', '--force', '--yes'], { 'DELETE /admin/accounts/acme': () => answers.shift()! });

    // Assess
    expect(r.code).toBe(0);
    expect(r.requests.map((q) => `${q.method} ${q.url.pathname}${q.url.search}`)).toEqual(Array(4).fill('DELETE /admin/accounts/acme?force=true'));
    expect(r.out).toBe(
      'Deleted 100 users; 150 remain…\nDeleted 200 users; 50 remain…\nDeleted 250 users; 0 remain…\n' +
        'Deleted account acme (the Entra ID Sync integration removed; 250 users deleted, their login IDs, emails and phone numbers free again).\n',
    );
  });

  it('delete without --force sends no force; --json prints the summed answer', async () => {
    const r = await cli(['accounts', 'delete', 'acme', '--yes', '--json'], { 'DELETE /admin/accounts/acme': () => step({ deleted: true }) });
    expect(r.requests[0]?.url.search).toBe('');
    expect(JSON.parse(r.out)).toEqual({ accountId: 'acme', deleted: true, integrationRemoved: false, usersDeleted: 0, usersRemaining: 0, itemsDeleted: 0 });
  });

  it('delete stops (exit 1, saying what remains) after five calls in a row that delete nothing', async () => {
    const r = await cli(['accounts', 'delete', 'acme', '--force', '--yes'], { 'DELETE /admin/accounts/acme': () => step({ usersRemaining: 1 }) });
    expect(r.requests).toHaveLength(5);
    expect(r).toMatchObject({
      code: 1,
      err: 'scimlink: account acme is not deleted yet (1 user left) and the last 5 calls deleted nothing (users changing under the delete?); run the command again\n',
    });
  });

  it('delete refused by the server (users, no --force) is one line with its reason', async () => {
    const message = 'account acme has 2 users; delete with force (?force=true, scimlink accounts delete --force) to delete its users';
    const r = await cli(['accounts', 'delete', 'acme', '--yes'], { 'DELETE /admin/accounts/acme': () => ({ status: 409, body: { status: 409, message } }) });
    expect(r).toMatchObject({ code: 1, out: '', err: `scimlink: 409 ${message}\n` });
  });
});

describe('integration', () => {
  const refusal = 'integrations are not supported for partner accounts; create a customer account and add the integration there';

  it('add on a partner account prints the SPEC refusal and exits 1', async () => {
    const r = await cli(['integration', 'add', 'p1'], {
      'PUT /admin/accounts/p1/integration': () => ({ status: 400, body: { status: 400, message: refusal } }),
    });
    expect(r).toMatchObject({ code: 1, out: '', err: `scimlink: 400 ${refusal}\n` });
  });

  it('add puts the integration and points to key generation', async () => {
    const r = await cli(['integration', 'add', 'acme'], { 'PUT /admin/accounts/acme/integration': () => ({ status: 200, body: INTEGRATION }) });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Keys generated:     never (setup not complete; run: scimlink keys generate acme)');
    expect(r.out).toContain('Next: scimlink keys generate acme');
  });

  it('show prints state, including the last SCIM request, users and provisioning health', async () => {
    const shown: IntegrationView = { ...INTEGRATION, keysGeneratedAt: 'T1', lastRequestAt: 'T2', tenantUrl: KEYS.tenantUrl, usersProvisioned: 3 };
    const health: ProvisioningHealth = {
      accountId: 'acme',
      last24h: { requests: 40, rejections: 12 },
      last7d: { requests: 300, rejections: 80 },
      topReasons: [{ reason: 'phoneNumbers:e164', label: 'phone number not in E.164 format', rejections: 80, failingUsers: 12, exampleUserName: 'ann@contoso.com', lastAt: 'T3' }],
      lastSuccessAt: 'T4',
      complete: true,
      entriesRead: 300,
      summary: 'Entra is failing 12 users on: phone number not in E.164 format.',
    };
    const r = await cli(['integration', 'show', 'acme'], {
      'GET /admin/accounts/acme/integration': () => ({ status: 200, body: shown }),
      'GET /admin/accounts/acme/integration/health': () => ({ status: 200, body: health }),
    });
    expect(r.out).toBe(
      [
        'Account:            acme',
        'Integration:        Entra ID Sync',
        'Added:              2025-01-02T03:05:00.000Z',
        'Keys generated:     T1',
        `Tenant URL:         ${KEYS.tenantUrl}`,
        'Last SCIM request:  T2',
        'Users provisioned:  3',
        'Provisioning health:  Entra is failing 12 users on: phone number not in E.164 format.',
        '  last 24 hours:      40 requests, 12 refused',
        '  last 7 days:        300 requests, 80 refused',
        '  last success:       T4',
        '  refused for:        phone number not in E.164 format: 12 failing users (e.g. ann@contoso.com), 80 refused requests',
        '',
      ].join('\n'),
    );
  });

  it('remove refuses without --yes, saying why', async () => {
    const r = await cli(['integration', 'remove', 'acme']);
    expect(r.code).toBe(2);
    expect(r.requests).toEqual([]);
    expect(r.err).toBe(
      "scimlink: removing the integration revokes Entra's access to account acme at once (its Tenant URL and Secret Token stop working); pass --yes to remove it\n",
    );
  });

  it('remove --yes deletes it', async () => {
    const r = await cli(['integration', 'remove', 'acme', '--yes'], { 'DELETE /admin/accounts/acme/integration': () => ({ status: 204 }) });
    expect(r.code).toBe(0);
    expect(r.requests.map((q) => q.method)).toStrictEqual(['DELETE']);
    expect(r.out).toContain('Removed Entra ID Sync from account acme');
    const j = await cli(['integration', 'remove', 'acme', '--yes', '--json'], { 'DELETE /admin/accounts/acme/integration': () => ({ status: 204 }) });
    expect(JSON.parse(j.out)).toEqual({ accountId: 'acme', removed: true });
  });
});

describe('keys generate', () => {
  const keysRoute = { 'POST /admin/accounts/acme/integration/keys': () => ({ status: 201, body: KEYS }) };

  it('first generation: prints the Tenant URL, the Secret Token and the warning', async () => {
    const r = await cli(['keys', 'generate', 'acme'], {
      'GET /admin/accounts/acme/integration': () => ({ status: 200, body: INTEGRATION }),
      ...keysRoute,
    });
    expect(r.code).toBe(0);
    expect(r.requests.map((q) => `${q.method} ${q.url.pathname}`)).toEqual([
      'GET /admin/accounts/acme/integration',
      'POST /admin/accounts/acme/integration/keys',
    ]);
    expect(r.out.split('\n').slice(0, 2)).toEqual([`Tenant URL: ${KEYS.tenantUrl}`, `Secret Token: ${KEYS.secretToken}`]);
    expect(r.out).toContain(KEYS.warning);
  });

  it('refuses to replace existing keys without --yes', async () => {
    const r = await cli(['keys', 'generate', 'acme'], {
      'GET /admin/accounts/acme/integration': () => ({ status: 200, body: { ...INTEGRATION, keysGeneratedAt: '2025-01-02T09:00:00.000Z' } }),
      ...keysRoute,
    });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.requests.map((q) => q.method)).toStrictEqual(['GET']);
    expect(r.err).toBe(
      'scimlink: keys for account acme were generated at 2025-01-02T09:00:00.000Z; generating again invalidates the current Tenant URL and Secret Token at once; pass --yes to replace them\n',
    );
  });

  it('--yes replaces them without asking; --json prints the answer', async () => {
    const r = await cli(['keys', 'generate', 'acme', '--yes', '--json'], keysRoute);
    expect(r.code).toBe(0);
    expect(r.requests.map((q) => q.method)).toStrictEqual(['POST']);
    expect(JSON.parse(r.out)).toEqual(KEYS);
  });

  it('without the integration: the server reason, exit 1', async () => {
    const r = await cli(['keys', 'generate', 'acme'], {
      'GET /admin/accounts/acme/integration': () => ({ status: 404, body: { status: 404, message: 'Account acme has no Entra ID Sync integration; add it first.' } }),
    });
    expect(r).toMatchObject({ code: 1, err: 'scimlink: 404 Account acme has no Entra ID Sync integration; add it first.\n' });
  });
});

describe('users', () => {
  const page = (over: Partial<UserListView> = {}): UserListView => ({
    totalResults: 2,
    startIndex: 1,
    users: [user('u1'), user('u2', { active: false, phoneNumbers: [] })],
    ...over,
  });

  it('list passes paging and the active filter, prints a table', async () => {
    const r = await cli(['users', 'list', 'acme', '--active', 'false', '--start', '3', '--count', '2'], {
      'GET /admin/accounts/acme/users': () => ({ status: 200, body: page({ totalResults: 9, startIndex: 3 }) }),
    });
    expect(r.code).toBe(0);
    expect(Object.fromEntries(r.requests[0]!.url.searchParams)).toEqual({ startIndex: '3', count: '2', active: 'false' });
    expect(r.out).toBe(
      [
        'ID  USERNAME        DISPLAY NAME  ACTIVE  EMAIL           PHONES',
        'u1  u1@contoso.com  User u1       yes     u1@contoso.com  mobile +14155550100',
        'u2  u2@contoso.com  User u2       no      u2@contoso.com',
        '3–4 of 9 inactive users. Next page: scimlink users list acme --start 5 --count 2 --active false',
        '',
      ].join('\n'),
    );
  });

  it('list without options sends no query; an empty account says so', async () => {
    const r = await cli(['users', 'list', 'acme'], {
      'GET /admin/accounts/acme/users': () => ({ status: 200, body: { totalResults: 0, startIndex: 1, users: [] } }),
    });
    expect(r.requests[0]!.url.search).toBe('');
    expect(r.out).toBe('No users in account acme.\n');
  });

  it('show prints every stored field', async () => {
    const r = await cli(['users', 'show', 'acme', 'u1'], {
      'GET /admin/accounts/acme/users/u1': () => ({
        status: 200,
        body: user('u1', { externalId: 'e1', extension: '1234', address: { locality: 'Redmond', country: 'US' } }),
      }),
    });
    expect(r.out).toContain('User name:      u1@contoso.com');
    expect(r.out).toContain('Phones:         mobile +14155550100');
    expect(r.out).toContain('Extension:      1234');
    expect(r.out).toContain('Work address:   Redmond, US');
  });

  it('delete requires --yes, then deletes', async () => {
    const refused = await cli(['users', 'delete', 'acme', 'u1']);
    expect(refused.code).toBe(2);
    expect(refused.requests).toEqual([]);
    expect(refused.err).toContain('pass --yes to delete it');
    const r = await cli(['users', 'delete', 'acme', 'u1', '--yes'], { 'DELETE /admin/accounts/acme/users/u1': () => ({ status: 204 }) });
    expect(r.code).toBe(0);
    expect(r.out).toBe('Deleted user u1 of account acme; its login ID, emails and phone numbers are free again.\n');
  });
});

describe('phones search', () => {
  const hits: PhoneSearchView = {
    number: '+14155550100',
    hits: [
      { accountId: 'acme', accountName: 'Acme', userId: 'u2', userName: 'old@contoso.com', active: false, types: ['mobile', 'work'], value: '+14155550100' },
      { accountId: 'beta', userId: 'x9', userName: 'b@fabrikam.com', active: true, types: ['other'], value: '+14155550100' },
    ],
  };

  it('sends the number as typed plus the country; a ready delete command for an inactive holder, a warning for an active one', async () => {
    const r = await cli(['phones', 'search', '(415) 555-0100', '--country', 'us'], { 'GET /admin/phones': () => ({ status: 200, body: hits }) });
    expect(r.code).toBe(0);
    expect(Object.fromEntries(r.requests[0]!.url.searchParams)).toEqual({ number: '(415) 555-0100', country: 'US' });
    expect(r.out).toBe(
      [
        '2 users hold +14155550100:',
        'ACCOUNT  ACCOUNT NAME  USER ID  USERNAME         ACTIVE  TYPE',
        'acme     Acme          u2       old@contoso.com  no      mobile,work',
        'beta                   x9       b@fabrikam.com   yes     other',
        '',
        'To free the number, delete the holder (this releases all its unique values):',
        '  scimlink users delete acme u2 --yes',
        "  WARNING: b@fabrikam.com is ACTIVE: its account's Entra still provisions it. Deleting it removes a working user,",
        '  and Entra re-creates it in its next cycle if it is still in scope. Fix the data in Entra instead, or, if you',
        '  are sure, add --yes to:',
        '  scimlink users delete beta x9',
        '',
      ].join('\n'),
    );
  });

  it('no hit; a bad number is the server reason', async () => {
    const none = await cli(['phones', 'search', '+14155550199'], { 'GET /admin/phones': () => ({ status: 200, body: { number: '+14155550199', hits: [] } }) });
    expect(none.out).toBe('No user holds +14155550199.\n');
    const bad = await cli(['phones', 'search', '+abc'], {
      'GET /admin/phones': () => ({ status: 400, body: { status: 400, message: "'abc' is not a phone number" } }),
    });
    expect(bad).toMatchObject({ code: 1, err: "scimlink: 400 'abc' is not a phone number\n" });
    // A national number without --country is refused before any request, naming the option.
    const national = await cli(['phones', 'search', '415 555 0100'], {});
    expect(national.code).toBe(2);
    expect(national.err).toContain('add --country');
    expect(national.requests).toEqual([]);
  });
});
