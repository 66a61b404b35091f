/**
 * The CLI as a tool: --version, shell completion generated from the command definitions, and named profiles in
 * the XDG config directory (never a secret), through the real run() with a recording fetch.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GROUPS } from '../../cli/commands';
import { run } from '../../cli/main';

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: Array<{ url: string; auth: string | null }> = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
    return new Response(JSON.stringify({ accounts: [] }), { status: 200 });
  }) as typeof globalThis.fetch;
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env, fetch });
  return { code, out: out.join(''), err: err.join(''), requests };
}

const home = () => ({ XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'scimlink-cfg-')) });

describe('--version', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(await cli(['--version'], {})).toMatchObject({ code: 0, out: `scimlink ${version}\n` });
  });
});

describe('completion', () => {
  it('bash: every group, its commands and their options', async () => {
    const r = await cli(['completion', 'bash'], {});
    expect(r.code).toBe(0);
    expect(r.out).toContain('complete -F _scimlink scimlink');
    for (const g of GROUPS) {
      expect(r.out).toContain(`    ${g.name})`);
      expect(r.out).toContain(g.commands.map((c) => c.name).join(' '));
    }
    expect(r.out).toMatch(/list\) opts="--active --start --count /);
    expect(r.out).toMatch(/check\) opts="--token --read-only --write/);
  });

  it('zsh loads it through bashcompinit; another shell is a usage error', async () => {
    expect((await cli(['completion', 'zsh'], {})).out).toMatch(/^autoload -U \+X bashcompinit && bashcompinit\n/);
    expect(await cli(['completion', 'fish'], {})).toMatchObject({ code: 2, err: 'scimlink: completion needs the shell: scimlink completion bash, or scimlink completion zsh\n' });
  });
});

describe('profiles', () => {
  it('set, list, use by name or as the default, remove; the file holds no token', async () => {
    const env = home();
    expect((await cli(['profiles', 'set', 'prod', '--url', 'https://api.example.com/prod/admin', '--region', 'eu-west-1', '--aws-profile', 'ops', '--default'], env)).code).toBe(0);
    const file = join(env.XDG_CONFIG_HOME, 'scimlink', 'config.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ default: 'prod', profiles: { prod: { url: 'https://api.example.com/prod/admin', region: 'eu-west-1', awsProfile: 'ops' } } });
    expect((await cli(['profiles', 'list'], env)).out).toMatch(/prod \(default\) +https:\/\/api\.example\.com\/prod\/admin +eu-west-1 +ops/);

    // A named profile wins over the environment a local `source .scimlink/env` left, and sends no admin token.
    const aws = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
    const local = { ...env, ...aws, SCIMLINK_ADMIN_URL: 'http://127.0.0.1:8080/admin', SCIMLINK_ADMIN_TOKEN: 'scimlinkadmin_local' };
    expect((await cli(['profiles', 'set', 'staging', '--url', 'https://staging.example.com/admin', '--region', 'us-east-1'], env)).code).toBe(0);
    const named = await cli(['accounts', 'list', '--profile', 'staging'], local);
    expect(named.requests).toEqual([{ url: 'https://staging.example.com/admin/accounts', auth: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d+\/us-east-1\/execute-api\//) }]);
    // Without --profile the environment wins over the default profile; with neither, the default profile is used.
    expect((await cli(['accounts', 'list'], local)).requests[0]).toEqual({ url: 'http://127.0.0.1:8080/admin/accounts', auth: 'Bearer scimlinkadmin_local' });
    expect((await cli(['accounts', 'list', '--token', 't0ken123'], env)).requests[0]?.url).toBe('https://api.example.com/prod/admin/accounts');

    expect((await cli(['profiles', 'remove', 'prod'], env)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ profiles: { staging: { url: 'https://staging.example.com/admin', region: 'us-east-1' } } });
  });

  it.each([
    [['accounts', 'list', '--profile', 'prd'], "no profile 'prd' in", "(did you mean prod?) (profiles: prod); create it with scimlink profiles set NAME --url URL (the AWS profile option is --aws-profile)"],
    [['profiles', 'set', 'new'], 'missing --url for the new profile', ''],
    [['profiles', 'set', 'x', '--url', 'https://a/admin', '--token', 'abcdefgh'], 'a profile never holds a token', ''],
    [['profiles', 'set', 'bad name', '--url', 'https://a/admin'], "profile name 'bad name' must be", ''],
  ])('%j is refused (exit 2, nothing sent)', async (argv, first, second) => {
    const env = home();
    await cli(['profiles', 'set', 'prod', '--url', 'https://api.example.com/prod/admin'], env);
    const r = await cli(argv, env);
    expect(r.code).toBe(2);
    expect(r.err).toContain(first);
    expect(r.err).toContain(second);
    expect(r.requests).toEqual([]);
  });

  it('refuses a config file that carries a token', async () => {
    const env = home();
    mkdirSync(join(env.XDG_CONFIG_HOME, 'scimlink'));
    writeFileSync(join(env.XDG_CONFIG_HOME, 'scimlink', 'config.json'), JSON.stringify({ default: 'p', profiles: { p: { url: 'https://a/admin', token: 'x' } } }));
    const r = await cli(['accounts', 'list'], env);
    expect(r.code).toBe(1);
    expect(r.err).toContain("profile 'p' in");
    expect(r.err).toContain("has 'token'; a profile holds only url, region and awsProfile (never a token)");
    expect(r.requests).toEqual([]);
  });
});
