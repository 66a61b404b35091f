/**
 * Issue 14 through the admin API over real HTTP: account ids an operator chooses (item 6); the conflict search
 * for every unique kind, scoped to the caller (item 3), through the API and the CLI.
 */
import { run } from '../../cli/main';
import { TestServer, startTestServer } from '../support/local-server';
import { userWith } from '../support/robustness';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

async function admin(method: string, path: string, body?: unknown, base = s.app.adminUrl, token = s.app.adminToken) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('account ids chosen by an operator', () => {
  it.each([['../../etc'], ['UPPER#x'], ['a'.repeat(300)]])('%j → 400 naming the pattern, nothing created', async (id) => {
    const before = (await admin('GET', '/accounts')).body.accounts.length;
    const res = await admin('POST', '/accounts', { id, name: 'Bad Id', type: 'customer' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('is not a valid account id: use 1-64 lower-case letters, digits and hyphens');
    expect((await admin('GET', '/accounts')).body.accounts.length).toBe(before);
  });

  it('a valid chosen id is created, and a malformed partnerId is refused the same way', async () => {
    const res = await admin('POST', '/accounts', { id: 'contoso-eu', name: 'Contoso EU', type: 'customer' });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe('contoso-eu');
    const bad = await admin('POST', '/accounts', { name: 'Child', type: 'customer', partnerId: '../x' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('partnerId "../x" is not a valid account id');
  });
});

describe('conflict search for every unique kind', () => {
  let demoUser: { id: string };
  let otherAdmin: string;
  let demoAdmin: string;
  const asConsole = (token: string, path: string) => admin('GET', path, undefined, `${s.app.url}/console/api`, token);
  const q = (params: Record<string, string>) => `/conflicts?${new URLSearchParams(params).toString()}`;

  beforeAll(async () => {
    const created = await s.scim('POST', '/Users', {
      ...userWith({ userName: 'Conflict.Ann@Contoso-Search.com', email: 'ann.work@contoso-search.com', phone: '+14155550142', extension: '4711', active: false }),
      emails: [
        { type: 'work', value: 'ann.work@contoso-search.com' },
        { type: 'other', value: 'ANN.WORK@contoso-search.com' },
      ],
    });
    expect(created.status).toBe(201);
    demoUser = created.body;
    const other = await admin('POST', '/accounts', { name: 'Other Customer', type: 'customer' });
    otherAdmin = s.app.consoleSession({ role: 'account-admin', accountId: other.body.id, name: 'x@other.example' });
    demoAdmin = s.app.consoleSession({ role: 'account-admin', accountId: 'demo', name: 'y@demo.example' });
  });

  it.each([
    ['userName in another case and fullwidth', { kind: 'userName', value: 'ＣＯＮＦＬＩＣＴ.ann@contoso-search.com' }, ['userName']],
    ['email held twice by one user', { kind: 'email', value: 'Ann.Work@Contoso-Search.com' }, ['emails[type eq "work"].value', 'emails[type eq "other"].value']],
    ['phone in a national format', { kind: 'phone', value: '(415) 555-0142', country: 'US' }, ['phoneNumbers[type eq "mobile"].value']],
    ['extension in its account', { kind: 'extension', value: '4711', account: 'demo' }, ['urn:ietf:params:scim:schemas:extension:scimlink:2.0:User:extension']],
  ])('an operator finds the holder by %s, active or not', async (_what, params, attributes) => {
    const res = await admin('GET', q(params as Record<string, string>));
    expect(res.status).toBe(200);
    expect(res.body.heldElsewhere).toBeUndefined();
    expect(res.body.hits).toEqual([
      expect.objectContaining({ accountId: 'demo', userId: demoUser.id, userName: 'Conflict.Ann@Contoso-Search.com', active: false, attributes }),
    ]);
  });

  it('a phone number is answered in E.164; nothing held → no hit', async () => {
    expect((await admin('GET', q({ kind: 'phone', value: '+1 415 555 0142' }))).body.value).toBe('+14155550142');
    expect(await admin('GET', q({ kind: 'email', value: 'nobody@contoso-search.com' }))).toMatchObject({ status: 200, body: { hits: [] } });
  });

  it("an account admin of the holder's account sees it; another account's admin learns only that it is held elsewhere", async () => {
    const own = await asConsole(demoAdmin, q({ kind: 'email', value: 'ann.work@contoso-search.com' }));
    expect(own.body.hits).toHaveLength(1);
    const elsewhere = await asConsole(otherAdmin, q({ kind: 'email', value: 'ann.work@contoso-search.com' }));
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.hits).toEqual([]);
    expect(elsewhere.body.heldElsewhere).toContain('Another account holds this value');
    const text = JSON.stringify(elsewhere.body);
    for (const secret of ['demo', demoUser.id, 'Conflict.Ann']) expect(text).not.toContain(secret);
    // An extension search is in one account: another account's is refused like every account it does not manage.
    expect((await asConsole(otherAdmin, q({ kind: 'extension', value: '4711', account: 'demo' }))).status).toBe(403);
  });

  it.each([
    [{ kind: 'login', value: 'x' }, 'kind must be one of userName, email, phone, extension'],
    [{ kind: 'email', value: ' ' }, 'value is required'],
    [{ kind: 'extension', value: '4711' }, 'give the account'],
    [{ kind: 'phone', value: '4155550142' }, 'give its country'],
  ])('%j → 400 saying what is missing', async (params, message) => {
    const res = await admin('GET', q(params as Record<string, string>));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  async function cli(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(args, { out: (x) => out.push(x), err: (x) => err.push(x), env: { SCIMLINK_ADMIN_URL: s.app.adminUrl, SCIMLINK_ADMIN_TOKEN: s.app.adminToken } });
    return { code, out: out.join(''), err: err.join('') };
  }

  it('scimlink conflicts search: the holder and the ready delete command for an inactive holder', async () => {
    const r = await cli('conflicts', 'search', 'email', 'ANN.WORK@contoso-search.com');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Conflict.Ann@Contoso-Search.com');
    expect(r.out).toContain(`scimlink users delete demo ${demoUser.id} --yes`);
    expect(r.out).not.toContain('WARNING');
  });

  it('for an active holder: a warning, and no ready --yes command', async () => {
    const active = await s.scim('POST', '/Users', userWith({ userName: 'active.holder@contoso-search.com', email: 'active.holder@contoso-search.com' }));
    const r = await cli('conflicts', 'search', 'userName', 'Active.Holder@contoso-search.com');
    expect(r.out).toContain('WARNING: active.holder@contoso-search.com is ACTIVE');
    expect(r.out).toContain(`scimlink users delete demo ${active.body.id}\n`);
    expect(r.out).not.toContain(`${active.body.id} --yes`);
  });

  it('a national number without --country: the CLI names --country, and sends nothing', async () => {
    const r = await cli('conflicts', 'search', 'phone', '415 555 0142');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--country');
    const phones = await cli('phones', 'search', '4155550142');
    expect(phones.code).toBe(2);
    expect(phones.err).toContain('--country');
  });
});

describe('the CLI never writes control characters it did not create (item 7)', () => {
  async function cli(...args: string[]) {
    const out: string[] = [];
    const code = await run(args, { out: (x) => out.push(x), err: (x) => out.push(x), env: { SCIMLINK_ADMIN_URL: s.app.adminUrl, SCIMLINK_ADMIN_TOKEN: s.app.adminToken } });
    return { code, out: out.join('') };
  }

  it('a displayName with an escape sequence, a carriage return and a bidi override is shown escaped; --json stays exact', async () => {
    const evil = 'Mallory\u001b[2J\u001b]0;owned\u0007\rX\u202Eevil';
    const created = await s.scim('POST', '/Users', { ...userWith({ userName: 'mallory@cli-escape.test', email: 'mallory@cli-escape.test' }), displayName: evil });
    expect(created.status).toBe(201);
    for (const args of [['users', 'list', 'demo'], ['users', 'show', 'demo', created.body.id]]) {
      const r = await cli(...args);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Mallory\\u{1B}[2J\\u{1B}]0;owned\\u{7}\\u{D}X\\u{202E}evil');
      expect(r.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    }
    const asJson = await cli('users', 'show', 'demo', created.body.id, '--json');
    expect(asJson.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(JSON.parse(asJson.out).displayName).toBe(evil);
  });
});
