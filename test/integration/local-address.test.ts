/**
 * The local server's address (issue 13 item 6): it answers only to its own Host names (no DNS rebinding), builds
 * every URL from its configured address (PUBLIC_URL), never from the request's Host, and keeps /events behind
 * the admin token. Real HTTP with a hand-set Host header (node:http: fetch does not let a caller set Host).
 */
import { request } from 'node:http';
import { LocalApp, startLocal } from '../../local/app';

let app: LocalApp;
beforeAll(async () => {
  app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT', publicUrl: 'https://tunnel.example.dev' });
});
afterAll(() => app.close());

function send(path: string, host: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, path, method, headers: { Host: host, ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      // /events never ends by itself: the status and headers are all this test needs.
      if (res.headers['content-type'] === 'text/event-stream') {
        resolve({ status: res.statusCode ?? 0, body: '' });
        req.destroy();
      }
    });
    req.on('error', reject);
    req.end(body);
  });
}

const tenantPath = () => new URL(app.tenantUrl).pathname;
const admin = () => ({ Authorization: `Bearer ${app.adminToken}` });

describe('the local server address', () => {
  it('prints tenant and admin URLs on the public address', () => {
    expect(app.tenantUrl).toMatch(/^https:\/\/tunnel\.example\.dev\/scim\/demo\.[\w-]+$/);
    expect(app.adminUrl).toBe('https://tunnel.example.dev/admin');
  });

  it.each(['tunnel.example.dev', `127.0.0.1:${0}`, 'localhost', '[::1]'])('answers to its own name %s', async (name) => {
    const host = name.endsWith(':0') ? `127.0.0.1:${app.port}` : name === 'tunnel.example.dev' ? name : `${name}:${app.port}`;
    const res = await send(`${tenantPath()}/Users?filter=userName+eq+%22x%22`, host, { Authorization: `Bearer ${app.secretToken}` });
    expect(res.status).toBe(200);
  });

  it.each(['evil.example', `evil.example:${0}`, 'tunnel.example.dev:8443', `127.0.0.2:${0}`])('refuses Host %j with 421 before any handler (DNS rebinding)', async (host) => {
    const res = await send(`${tenantPath()}/Users`, host.replace(':0', `:${app.port}`), { Authorization: `Bearer ${app.secretToken}` });
    expect(res.status).toBe(421);
    expect(JSON.parse(res.body)).toMatchObject({ status: '421', detail: expect.stringContaining('use https://tunnel.example.dev') });
  });

  it('builds URLs from the configured address, whatever Host (loopback) the request named', async () => {
    const headers = { Authorization: `Bearer ${app.secretToken}`, 'Content-Type': 'application/scim+json', 'X-Forwarded-Proto': 'http' };
    const body = JSON.stringify({ userName: 'addr@contoso.com', displayName: 'A', emails: [{ type: 'work', value: 'addr@contoso.com' }] });
    const created = await send(`${tenantPath()}/Users`, `localhost:${app.port}`, headers, 'POST', body);
    expect(created.status).toBe(201);
    expect((JSON.parse(created.body) as { meta: { location: string } }).meta.location).toMatch(/^https:\/\/tunnel\.example\.dev\/scim\/demo\.[\w-]+\/Users\//);
    const keys = await send('/admin/accounts/demo/integration', `127.0.0.1:${app.port}`, admin());
    expect((JSON.parse(keys.body) as { tenantUrl: string }).tenantUrl).toBe(app.tenantUrl);
  });

  it('serves /events only with the admin token', async () => {
    expect((await send('/events', `127.0.0.1:${app.port}`)).status).toBe(401);
    expect((await send('/events', `127.0.0.1:${app.port}`, { Authorization: `Bearer ${app.secretToken}` })).status).toBe(401);
    expect((await send('/events', `127.0.0.1:${app.port}`, admin())).status).toBe(200);
  });
});
