/**
 * The text filter of the accounts list (issue 16, item 3) over real HTTP: name or id, ignoring case, within what
 * the caller manages; the CLI's `accounts list --filter` sends it.
 */
import { run } from '../../cli/main';
import { TestServer, startTestServer } from '../support/local-server';

let s: TestServer;
let ids: Record<string, string>;

async function call(base: string, path: string, token: string) {
  const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { accounts: Array<{ name: string }> } };
}
const admin = (path: string) => call(s.app.adminUrl, path, s.app.adminToken);
const names = async (path: string, token?: string) =>
  (token ? await call(`${s.app.url}/console/api`, path, token) : await admin(path)).body.accounts.map((a) => a.name).sort();

beforeAll(async () => {
  s = await startTestServer();
  ids = {};
  const create = async (name: string, type: string, partnerId?: string) => {
    const res = await fetch(`${s.app.adminUrl}/accounts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.app.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, type, ...(partnerId ? { partnerId } : {}) }),
    });
    ids[name] = ((await res.json()) as { id: string }).id;
  };
  await create('Northwind Partners', 'partner');
  await create('Contoso Ltd', 'customer', ids['Northwind Partners']);
  await create('Contoso Pharma', 'customer');
  await create('Fabrikam', 'customer', ids['Northwind Partners']);
});
afterAll(async () => {
  await s.close();
});

describe('GET /admin/accounts?q=', () => {
  it.each([
    ['contoso', ['Contoso Ltd', 'Contoso Pharma']],
    ['  CONTOSO l  ', ['Contoso Ltd']],
    ['ＣＯＮＴＯＳＯ ｐｈａｒｍａ', ['Contoso Pharma']],
    ['nomatch', []],
  ])('q=%j matches the name, ignoring case and width', async (q, expected) => {
    expect(await names(`/accounts?q=${encodeURIComponent(q)}`)).toEqual(expected);
  });

  it('matches the account id too, and an empty q lists every account', async () => {
    const id = ids.Fabrikam!;
    expect(await names(`/accounts?q=${encodeURIComponent(id.toUpperCase())}`)).toEqual(['Fabrikam']);
    expect(await names('/accounts?q=')).toEqual(await names('/accounts'));
  });

  it('stays within what the caller manages: a partner never finds a customer it does not manage', async () => {
    const partner = s.app.consoleSession({ role: 'partner', accountId: ids['Northwind Partners']!, name: 'pat@partner.example' });
    expect(await names('/accounts?q=contoso', partner)).toEqual(['Contoso Ltd']);
    expect(await names(`/accounts?q=${encodeURIComponent(ids['Contoso Pharma']!)}`, partner)).toEqual([]);
  });

  it('refuses a filter over 200 characters with a 400 naming the rule', async () => {
    expect(await admin(`/accounts?q=${'x'.repeat(201)}`)).toEqual({ status: 400, body: { status: 400, message: 'q must be at most 200 characters' } });
  });
});

describe('scimlink accounts list --filter', () => {
  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const env = { SCIMLINK_ADMIN_URL: s.app.adminUrl, SCIMLINK_ADMIN_TOKEN: s.app.adminToken };
    const code = await run(argv, { out: (x) => out.push(x), err: (x) => err.push(x), env });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('lists only the matching accounts, and says so when none match', async () => {
    const r = await cli(['accounts', 'list', '--filter', 'pharma']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Contoso Pharma');
    expect(r.out).not.toContain('Contoso Ltd');
    expect(await cli(['accounts', 'list', '--filter', 'nomatch'])).toEqual({ code: 0, out: "No accounts match 'nomatch'.\n", err: '' });
  });
});
