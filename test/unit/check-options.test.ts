/**
 * `scimlink check`'s command line through the real `run()`: help, the tenant URL, the three ways to pass the
 * token, and usage errors (exit 2, nothing sent). No server is involved: the fetch stub records any request.
 */
import { run } from '../../cli/main';
import { runCheckCommand } from '../../cli/check';
import { isCheckCommand, normaliseTenantUrl } from '../../cli/check/options';

const TENANT = 'https://scim.example.com/scim/acme.k3y';
const TOKEN = 'scimlink_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

function io(env: NodeJS.ProcessEnv = {}, extra: { stdin?: () => Promise<string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: Array<{ url: string; auth: string | null }> = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
    // A refused token: the probe fails and everything else is skipped, so these tests send one request.
    return new Response(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'no' }), {
      status: 401,
      headers: { 'content-type': 'application/scim+json' },
    });
  }) as typeof globalThis.fetch;
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), env, fetch, ...extra }, out, err, requests };
}

describe('help', () => {
  it.each([[['check', '--help']], [['check', '-h']], [['help', 'check']], [['check', TENANT, '-h']]])('%j prints the check usage', async (argv) => {
    const t = io();
    expect(await run(argv, t.io)).toBe(0);
    const out = t.out.join('');
    expect(out).toMatch(/^Usage: scimlink check TENANT_URL/);
    expect(out).toContain('--read-only');
    expect(out).toContain('SCIMLINK_SCIM_TOKEN');
    expect(out).toContain('probe: 401/403/404');
    expect(t.requests).toEqual([]);
  });

  it('is listed in the top-level help', async () => {
    const t = io();
    expect(await run(['--help'], t.io)).toBe(0);
    expect(t.out.join('')).toMatch(/\n {2}check TENANT_URL +play Entra ID against a tenant URL/);
  });
});

describe('recognising the check command', () => {
  it.each([
    [['check', TENANT], true],
    [['--token', 'x', 'check', TENANT], true],
    [['--json', 'check'], true],
    [['help', 'check'], true],
    [['users', 'list', 'check'], false],
    [['--url', 'check', 'accounts', 'list'], false],
    [[], false],
  ])('%j → %s', (argv, expected) => {
    expect(isCheckCommand(argv)).toBe(expected);
  });
});

describe('the token', () => {
  it('comes from --token, and is sent as a bearer token', async () => {
    const t = io();
    expect(await run(['check', TENANT, '--token', TOKEN], t.io)).toBe(1);
    expect(t.requests).toHaveLength(1);
    expect(t.requests[0]).toEqual({ url: expect.stringMatching(/^https:\/\/scim\.example\.com\/scim\/acme\.k3y\/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22$/), auth: `Bearer ${TOKEN}` });
  });

  it('comes from SCIMLINK_SCIM_TOKEN', async () => {
    const t = io({ SCIMLINK_SCIM_TOKEN: ` ${TOKEN}\n` });
    await run(['check', TENANT], t.io);
    expect(t.requests[0]?.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('comes from stdin with --token - (first line), ahead of the env var', async () => {
    const t = io({ SCIMLINK_SCIM_TOKEN: 'scimlink_other' }, { stdin: async () => `${TOKEN}\nignored\n` });
    await runCheckCommand(['check', TENANT, '--token', '-'], t.io);
    expect(t.requests[0]?.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('is never printed, even when the endpoint echoes it', async () => {
    const t = io({ SCIMLINK_SCIM_TOKEN: TOKEN });
    t.io.fetch = (async () =>
      new Response(JSON.stringify({ status: '401', detail: `token ${TOKEN} is not valid` }), { status: 401, headers: { 'content-type': 'application/scim+json' } })) as typeof fetch;
    expect(await run(['check', TENANT], t.io)).toBe(1);
    const printed = t.out.join('') + t.err.join('');
    expect(printed).toContain('[token]');
    expect(printed).not.toContain(TOKEN);
  });

  it.each([
    [[], {}, 'no SCIM token: pass --token TOKEN, --token - to read it from stdin, or set SCIMLINK_SCIM_TOKEN'],
    [['--token', ''], {}, 'the SCIM token is empty'],
    [['--token', 'scimlinkadmin_abc'], {}, 'that is the admin token; check needs the Secret Token'],
  ])('is refused with exit 2 for %j', async (extra, env, message) => {
    const t = io(env);
    expect(await run(['check', TENANT, ...extra], t.io)).toBe(2);
    expect(t.err.join('')).toContain(`scimlink: ${message}`);
    expect(t.requests).toEqual([]);
  });
});

describe('usage errors (exit 2, nothing sent)', () => {
  it.each([
    [['check'], 'missing TENANT_URL (see scimlink check --help)'],
    [['check', TENANT, 'extra'], "unexpected argument 'extra' (see scimlink check --help)"],
    [['check', TENANT, '--url', 'x'], "Unknown option '--url' (see scimlink check --help)"],
    [['check', 'not a url'], "the tenant URL 'not a url' is not a valid URL"],
    [['check', 'ftp://x/scim'], 'the tenant URL must start with https://'],
    [['check', 'https://u:p@x/scim'], 'must not contain a user name or password'],
    [['check', 'https://x/scim?aadOptscim062020'], 'without a query string'],
  ])('%j', async (argv, message) => {
    const t = io({ SCIMLINK_SCIM_TOKEN: TOKEN });
    expect(await run(argv, t.io)).toBe(2);
    expect(t.err.join('')).toContain(message);
    expect(t.requests).toEqual([]);
  });
});

describe('normaliseTenantUrl', () => {
  it('drops trailing slashes and keeps the path', () => {
    expect(normaliseTenantUrl('https://h.example/scim/a.b//')).toBe('https://h.example/scim/a.b');
    expect(normaliseTenantUrl(' http://127.0.0.1:8080/scim/demo.x ')).toBe('http://127.0.0.1:8080/scim/demo.x');
  });
});
