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
    [['check', 'https://x/scim/a.b?aadOptscim062020'], 'without a query string'],
    [['check', 'https://x/scim/a.b/Users'], 'the tenant URL ends in /Users: pass it without that part (Entra appends /Users itself), e.g. scimlink check https://x/scim/a.b'],
    [['check', 'https://x/prod/scim/a.b/Users/123/'], 'ends in /Users/123: pass it without that part'],
    [['check', 'https://x/scim/a.b/ServiceProviderConfig'], 'e.g. scimlink check https://x/scim/a.b'],
    [['check', 'http://127.0.0.1:8080/admin'], 'that is the admin or console address; check needs the Tenant URL'],
    [['check', 'https://x/prod/scim'], 'the tenant URL is incomplete: it ends in /scim/<account>.<key>'],
    [['check', TENANT, '--write', '--read-only'], '--write and --read-only exclude each other'],
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

/** A stub that answers like a healthy endpoint, recording each request's method, path and headers. */
function healthy() {
  const requests: Array<{ method: string; path: string; headers: Headers }> = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    requests.push({ method, path: url.pathname + url.search, headers: new Headers(init?.headers) });
    const body = method === 'GET' && url.pathname.endsWith('/Users')
      ? { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] }
      : { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'no' };
    return new Response(JSON.stringify(body), { status: method === 'GET' && url.pathname.endsWith('/Users') ? 200 : 404, headers: { 'content-type': 'application/scim+json' } });
  }) as typeof globalThis.fetch;
  const out: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => out.push(s), env: { SCIMLINK_SCIM_TOKEN: TOKEN }, fetch }, out, requests };
}

describe('what the check may write', () => {
  it('against a non-local URL it is read-only unless --write: GETs only, and the header says how to write', async () => {
    const t = healthy();
    expect(await run(['check', TENANT], t.io)).toBe(0);
    expect(new Set(t.requests.map((r) => r.method))).toEqual(new Set(['GET']));
    expect(t.out.join('')).toContain('read-only (not a local URL): probe and discovery only; --write also runs the user lifecycle');
  });

  it('with --write it sends the lifecycle (here the create fails against the stub, and nothing is left to remove)', async () => {
    const t = healthy();
    expect(await run(['check', TENANT, '--write'], t.io)).toBe(1);
    expect(t.requests.map((r) => r.method)).toContain('POST');
  });

  it('marks every request synthetic (X-Scimlink-Synthetic: check)', async () => {
    const t = healthy();
    await run(['check', TENANT], t.io);
    expect(t.requests.length).toBeGreaterThan(0);
    for (const r of t.requests) expect(r.headers.get('x-scimlink-synthetic')).toBe('check');
  });

  it('plain http on a host that is not this machine is a warning, not a failure', async () => {
    const t = healthy();
    expect(await run(['check', 'http://scim.example.com/scim/acme.k3y'], t.io)).toBe(0);
    const out = t.out.join('');
    expect(out).toMatch(/\[1\/5\] WARN {2}Tenant URL scheme \(Entra needs https:\/\/\)/);
    expect(out).toContain('problem:  Entra accepts only https:// tenant URLs, this one is http://');
  });

  it('a wrong token stops the run with one failure and what to do, no rows of skipped steps', async () => {
    const t = io({ SCIMLINK_SCIM_TOKEN: TOKEN });
    expect(await run(['check', TENANT], t.io)).toBe(1);
    const out = t.out.join('');
    expect(out.match(/^\[\d\/\d\]/gm)).toEqual(['[1/5]', '[2/5]']);
    expect(out).not.toContain('SKIP');
    expect(out).toMatch(/\nStopped: the token or the tenant URL was refused: use the Secret Token printed with this Tenant URL[^\n]*\.\nFAIL: probe failed, so nothing else was checked; 1 request in/);
    expect(t.requests).toHaveLength(1);
  });
});
