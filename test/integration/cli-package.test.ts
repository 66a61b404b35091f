/**
 * The installable CLI (cli/build.ts): the esbuild bundle packed by npm, installed outside the repository into an
 * empty prefix (no node_modules, no tsx anywhere near it), answers --version and administers a real local server.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../../cli/build';
import { TestServer, startTestServer } from '../support/local-server';

let s: TestServer;
const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
let bin: string;
let outside: string;

beforeAll(async () => {
  s = await startTestServer();
  const { tarball } = buildCli(temp('scimlink-pack-'));
  const prefix = temp('scimlink-prefix-');
  outside = temp('scimlink-cwd-');
  // --offline: the package has no dependencies, so nothing may be fetched.
  execFileSync('npm', ['install', '--global', '--prefix', prefix, tarball, '--offline', '--no-audit', '--no-fund'], { cwd: outside, stdio: 'pipe' });
  bin = join(prefix, 'bin', 'scimlink');
}, 120_000);
afterAll(async () => {
  await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Runs the installed tool from a directory outside the repository, with no NODE_PATH to lean on. Asynchronously:
 * the local server answering it runs in this process.
 */
function scimlink(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  const { NODE_PATH: _ignored, ...base } = process.env;
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: outside, encoding: 'utf8', env: { ...base, XDG_CONFIG_HOME: outside, ...env } }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the packed CLI, installed outside the repository', () => {
  it('installs one file and no dependencies', () => {
    const installed = readdirSync(join(bin, '..', '..', 'lib', 'node_modules', 'scimlink')).sort();
    expect(installed).toEqual(['package.json', 'scimlink.cjs']);
  });

  it('answers --version and suggests on a typo', async () => {
    const { version } = require('../../package.json') as { version: string };
    expect(await scimlink(['--version'])).toMatchObject({ status: 0, stdout: `scimlink ${version}\n` });
    expect(await scimlink(['acounts', 'list'])).toMatchObject({ status: 2, stderr: expect.stringContaining("unknown command 'acounts' (did you mean accounts?)") });
  });

  it('administers the local server', async () => {
    const r = await scimlink(['accounts', 'show', 'demo', '--json'], { SCIMLINK_ADMIN_URL: s.app.adminUrl, SCIMLINK_ADMIN_TOKEN: s.app.adminToken });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'demo', type: 'customer' });
  });
});
