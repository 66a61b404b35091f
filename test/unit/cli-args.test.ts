/**
 * The CLI's command line: help everywhere, strict options per command, usage errors as one stderr line with
 * exit code 2 — all before any request is made.
 */
import { GROUPS } from '../../cli/commands';
import { run } from '../../cli/main';

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    requests.push(String(input));
    return new Response(JSON.stringify({ accounts: [] }), { status: 200 });
  }) as typeof globalThis.fetch;
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env, fetch });
  return { code, out: out.join(''), err: err.join(''), requests };
}

const CONNECTED = { SCIMLINK_ADMIN_URL: 'http://127.0.0.1:8080/admin', SCIMLINK_ADMIN_TOKEN: 'admin-token-123' };

describe('help', () => {
  it.each([[['--help']], [['-h']], [['help']], [[]]])('prints the top-level usage for %j', async (argv) => {
    const r = await cli(argv);
    if (argv.length === 0) {
      // No command at all is a usage error, not a silent help screen that exits 0 in a script.
      expect(r.code).toBe(2);
      expect(r.err).toBe('scimlink: missing command; expected one of: accounts, integration, keys, users, phones, conflicts, log, profiles, check, verify, completion, help (see scimlink --help)\n');
      return;
    }
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('Usage: scimlink <group> <command>');
    for (const g of GROUPS) for (const c of g.commands) expect(r.out).toContain(`${g.name} ${c.name}`);
    expect(r.out).toContain('--url URL');
    expect(r.out).toContain('SCIMLINK_ADMIN_TOKEN');
    expect(r.out).toContain('SigV4');
  });

  it.each(GROUPS.map((g) => [g.name]))('prints the %s group usage', async (group) => {
    for (const argv of [[group, '--help'], [group, '-h'], ['help', group]]) {
      const r = await cli(argv);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`scimlink ${group} — `);
      for (const c of GROUPS.find((g) => g.name === group)!.commands) expect(r.out).toContain(`scimlink ${group} ${c.name}`);
    }
  });

  it.each(GROUPS.flatMap((g) => g.commands.map((c) => [g.name, c.name])))('prints usage for %s %s', async (group, command) => {
    const r = await cli([group, command, '--help'], CONNECTED);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Usage: scimlink ${group} ${command}`));
    expect(r.out).toContain('--json');
    expect(r.requests).toEqual([]);
    // -h works too, even with the arguments already typed
    expect((await cli([group, command, 'x', 'y', '-h'])).out).toBe(r.out);
  });

  it('documents the confirmation the destructive commands require', async () => {
    expect((await cli(['integration', 'remove', '-h'])).out).toContain('Usage: scimlink integration remove ACCOUNT [--yes]');
    expect((await cli(['keys', 'generate', '-h'])).out).toContain('invalidates the previous Tenant URL and\nSecret Token at once');
    expect((await cli(['users', 'list', '-h'])).out).toContain('Usage: scimlink users list ACCOUNT [--active true|false] [--start N] [--count N]');
    expect((await cli(['phones', 'search', '-h'])).out).toContain('Usage: scimlink phones search NUMBER [--country CC]');
    expect((await cli(['accounts', 'create', '-h'])).out).toContain('Usage: scimlink accounts create [--name NAME] [--type TYPE] [--partner ID]');
  });
});

describe('usage errors: one line on stderr, exit 2, nothing sent', () => {
  it.each([
    [['bogus'], "unknown command 'bogus'; expected one of: accounts, integration, keys, users, phones, conflicts, log, profiles, check, verify, completion, help (see scimlink --help)"],
    [['acounts', 'list'], "unknown command 'acounts' (did you mean accounts?); expected one of: accounts,"],
    [['verfy'], "unknown command 'verfy' (did you mean verify?)"],
    [['accounts', 'lst'], "unknown accounts command 'lst' (did you mean list?); expected one of:"],
    [['users', 'list', 'acme', '--activ', 'true'], "Unknown option '--activ' (did you mean --active?) (see scimlink users list --help)"],
    [['log', 'show', 'a', '--account', 'b'], "ACCOUNT 'a' and --account 'b' differ; give one (see scimlink log show --help)"],
    [['accounts', 'list', '--url', 'http://127.0.0.1:8080'], 'the admin URL ends in /admin (npm start prints it as "Admin URL: …"; deployed, the AdminUrl output): did you mean http://127.0.0.1:8080/admin?'],
    [['accounts'], 'missing accounts command; expected one of: create, list, show, rename, delete (see scimlink accounts --help)'],
    [['accounts', 'remove', 'x'], "unknown accounts command 'remove'; expected one of: create, list, show, rename, delete (see scimlink accounts --help)"],
    [['accounts', 'delete', 'x'], "deleting account x cannot be undone; pass --yes to delete it"],
    [['accounts', 'delete', 'x', '--force'], 'deleting account x with --force removes its integration and deletes all its users at once, releasing their login IDs, emails and phone numbers; pass --yes to delete it'],
    [['accounts', 'delete', '--yes'], 'missing ACCOUNT (see scimlink accounts delete --help)'],
    [['accounts', 'list', '--yes'], "Unknown option '--yes' (see scimlink accounts list --help)"],
    [['accounts', 'list', 'extra'], "unexpected argument 'extra' (see scimlink accounts list --help)"],
    [['accounts', 'show'], 'missing ACCOUNT (see scimlink accounts show --help)'],
    [['users', 'show', 'acme'], 'missing USER_ID (see scimlink users show --help)'],
    [['users', 'delete'], 'missing ACCOUNT and USER_ID (see scimlink users delete --help)'],
    [['accounts', 'create', '--type', 'customer'], 'missing --name (see scimlink accounts create --help)'],
    [['accounts', 'create', '--name', 'Acme'], 'missing --type partner|customer (see scimlink accounts create --help)'],
    [['accounts', 'create', '--name', 'Acme', '--type', 'reseller'], "--type must be partner or customer, got 'reseller'"],
    [['accounts', 'create', '--name'], "Option '--name <value>' argument missing (see scimlink accounts create --help)"],
    [['users', 'list', 'acme', '--active', 'yes'], "--active must be true or false, got 'yes'"],
    [['users', 'list', 'acme', '--count', '0'], "--count must be a positive whole number, got '0'"],
    [['users', 'list', 'acme', '--start', '-1'], "Option '--start' argument is ambiguous (see scimlink users list --help)"],
    [['phones', 'search', '4155550100', '--country', 'USA'], "--country must be a two-letter ISO country code such as US, got 'USA'"],
    [['accounts', 'show', ''], 'ACCOUNT must not be empty (see scimlink accounts show --help)'],
  ])('%j', async (argv, message) => {
    const r = await cli(argv, CONNECTED);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.startsWith(`scimlink: ${message}`)).toBe(true);
    expect(r.err.split('\n')).toHaveLength(2); // one line + the final newline
    expect(r.requests).toEqual([]);
  });

  it('refuses to run without an admin URL and says where it comes from', async () => {
    const r = await cli(['accounts', 'list'], { SCIMLINK_ADMIN_TOKEN: 't' });
    expect(r.code).toBe(2);
    expect(r.err).toBe('scimlink: no admin URL; pass --url or set SCIMLINK_ADMIN_URL (npm start prints it as "Admin URL: …")\n');
  });

  it.each([['not a url'], ['ftp://host/admin'], ['http://user:pw@host/admin']])('refuses the admin URL %s', async (url) => {
    const r = await cli(['accounts', 'list', '--url', url, '--token', 't']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^scimlink: the admin URL .*\n$/);
    expect(r.err).not.toContain('pw@');
  });
});

describe('option placement', () => {
  it('accepts global and command options anywhere on the line', async () => {
    const r = await cli(['--url', 'http://h:1/admin', 'accounts', '--json', 'list', '--token', 'tok'], {});
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ accounts: [] });
    expect(r.requests).toEqual(['http://h:1/admin/accounts']);
  });

  it('lets flags override the environment', async () => {
    const r = await cli(['accounts', 'list', '--url', 'http://flag:2/admin/'], CONNECTED);
    expect(r.requests).toEqual(['http://flag:2/admin/accounts']);
  });
});
