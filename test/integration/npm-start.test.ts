/**
 * The README's contract: `npm start` prints the Tenant URL and Secret Token lines and serves them; Ctrl-C shuts
 * down cleanly; data persists in the data folder, and each start generates new keys (the old token dies).
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'local/start.ts', '--data-dir', dataDir], {
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
      if (url && token) {
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

  it('prints the two lines, serves, stops on Ctrl-C, and keeps acknowledged data across restarts', async () => {
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
      expect(second.token).not.toBe(first.token);
      const again = await get(`${second.tenantUrl}/Users/${id}`, second.token);
      expect(again.status).toBe(200);
      expect(((await again.json()) as { userName: string }).userName).toBe(body.userName);
      expect((await get(`${second.tenantUrl}/Users/${id}`, first.token)).status).toBe(401);
    } finally {
      expect(await stop(second)).toBe(0);
    }
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
