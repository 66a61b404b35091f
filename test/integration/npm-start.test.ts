/**
 * The docs' contract (docs/local.md): `npm start` prints the Tenant URL and Secret Token lines and serves them;
 * Ctrl-C shuts down cleanly; data persists in the data folder and so do the keys, unless --new-keys (then the old
 * token dies); the printed values are in <data dir>/env for `source`; a mistyped option is refused in one line.
 */
import { ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entraUser } from '../support/local-server';

const ROOT = join(__dirname, '..', '..');

interface Started {
  child: ChildProcessWithoutNullStreams;
  tenantUrl: string;
  token: string;
  output: () => string;
}

const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function start(dataDir: string, extra: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [TSX, 'local/start.ts', '--data-dir', dataDir, ...extra], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not print its lines:\n${out}`)), 60_000);
    const check = () => {
      const url = /^Tenant URL: (\S+)$/m.exec(out)?.[1];
      const token = /^Secret Token: (\S+)$/m.exec(out)?.[1];
      // Everything it prints before serving ends with this line (a pipe may deliver the lines in several chunks).
      if (url && token && out.includes('Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve({ child, tenantUrl: url, token, output: () => out });
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
}

function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.removeAllListeners('exit');
    s.child.on('exit', (code) => resolve(code));
    s.child.kill('SIGINT');
  });
}

const get = (url: string, token: string) => fetch(url, { headers: { Authorization: `Bearer ${token}` } });

describe('npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimlink-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the two lines, serves, stops on Ctrl-C, and keeps acknowledged data and the keys across restarts', async () => {
    const first = await start(dir);
    expect(first.tenantUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/demo\.[A-Za-z0-9_-]+$/);
    expect(first.token).toMatch(/^scimlink_/);
    const probe = await get(`${first.tenantUrl}/Users?filter=userName+eq+%22${crypto.randomUUID()}%22`, first.token);
    expect(probe.status).toBe(200);
    const body = entraUser();
    const created = await fetch(`${first.tenantUrl}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${first.token}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify(body),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('Stopped.');
    expect(first.output()).not.toContain('Warning');

    const second = await start(dir);
    try {
      expect(second.token).toBe(first.token);
      expect(second.output()).toContain('Same keys as the previous start');
      const again = await get(`${second.tenantUrl}/Users/${id}`, second.token);
      expect(again.status).toBe(200);
      expect(((await again.json()) as { userName: string }).userName).toBe(body.userName);
    } finally {
      expect(await stop(second)).toBe(0);
    }

    const third = await start(dir, ['--new-keys']);
    try {
      expect(third.token).not.toBe(first.token);
      expect(third.output()).toContain('New keys');
      expect((await get(`${third.tenantUrl}/Users/${id}`, third.token)).status).toBe(200);
      expect((await get(`${third.tenantUrl}/Users/${id}`, first.token)).status).toBe(401);
    } finally {
      expect(await stop(third)).toBe(0);
    }
  });

  it('writes what it printed to <data dir>/env (owner-only), and the docs\' curl works after sourcing it', async () => {
    const started = await start(dir);
    try {
      const envFile = join(dir, 'env');
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      // A real shell sources the file, as a reader of docs/local.md would.
      const vars = JSON.parse(
        execFileSync('bash', ['-c', `source '${envFile}' && node -e 'const e=process.env;console.log(JSON.stringify([e.TENANT_URL,e.TOKEN,e.SCIMLINK_ADMIN_TOKEN,e.SCIMLINK_URL]))'`], { encoding: 'utf8' }),
      ) as string[];
      const [tenantUrl, token, adminToken, url] = vars as [string, string, string, string];
      expect([tenantUrl, token]).toEqual([started.tenantUrl, started.token]);
      expect(started.output()).toContain(`Admin Token: ${adminToken}`);
      expect((await get(`${tenantUrl}/Users?filter=userName+eq+%22nobody%22`, token)).status).toBe(200);
      // The change-event stream needs the admin token.
      expect((await fetch(`${url}/events`)).status).toBe(401);
      const events = await fetch(`${url}/events`, { headers: { Authorization: `Bearer ${adminToken}` } });
      expect([events.status, events.headers.get('content-type')]).toEqual([200, 'text/event-stream']);
      await events.body?.cancel();
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });

  it('refuses a mistyped option in one line with a suggestion, before starting anything', () => {
    const r = spawnSync(process.execPath, [TSX, 'local/start.ts', '--memroy'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PORT: '0' } });
    expect({ status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({
      status: 2,
      stderr: "npm start: unknown option '--memroy' (did you mean --memory?); see npm start -- --help\n",
      stdout: '',
    });
  });

  it('prints the Console URL: the console page, signed in as the local operator', async () => {
    // Prepare
    const started = await start(dir);
    try {
      // Act
      const line = await waitFor(() => /^Console URL: (\S+)$/m.exec(started.output())?.[1]);
      // Assess
      const url = new URL(line);
      expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/#session=scimlinkconsole_[A-Za-z0-9_-]+$/);
      const page = await fetch(`${url.origin}${url.pathname}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<script defer src="./app.js?v=');
      const session = url.hash.slice('#session='.length);
      const me = await fetch(`${url.origin}/console/api/me`, { headers: { Authorization: session } });
      expect(await me.json()).toEqual({ role: 'operator', name: 'local operator' });
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });
});

async function waitFor<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('npm start did not print the line');
}
