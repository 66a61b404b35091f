/**
 * Stopping `npm start` (Ctrl-C → app.close()) with a client's keep-alive socket open. The server keeps idle sockets
 * 65 s (longer than clients do, so a client never reuses a socket the server is closing: ECONNRESET under load);
 * so close() must end those sockets itself, including the ones whose request was still in flight when it began —
 * otherwise the process waits for the client's own keep-alive timeout.
 */
import { Socket, connect } from 'node:net';
import { once } from 'node:events';
import { startTestServer } from '../support/local-server';

/** A raw HTTP/1.1 client that never closes on its own: only the server can end this socket. */
async function rawClient(url: string): Promise<{ socket: Socket; received: () => string }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let data = '';
  socket.on('data', (c: Buffer) => (data += c.toString('utf8')));
  return { socket, received: () => data };
}

describe('closing the local server with keep-alive clients', () => {
  it('answers a request in flight at close, then ends its socket (no wait for the client to time out)', async () => {
    const s = await startTestServer();
    const tenant = new URL(s.app.tenantUrl);
    const { socket, received } = await rawClient(s.app.tenantUrl);
    const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] });
    // Headers and half the body: the server is reading the request (active, not idle) when close() begins.
    socket.write(
      `PATCH ${tenant.pathname}/Users/00000000-0000-4000-8000-000000000000 HTTP/1.1\r\nHost: ${tenant.host}\r\n` +
        `Authorization: Bearer ${s.app.secretToken}\r\nContent-Type: application/scim+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    const closing = s.close();
    const ended = once(socket, 'end');
    socket.write(body.slice(10));
    await ended; // a wrong server idles the socket 65 s: the test's own timeout fails it first
    await closing;
    expect(received()).toMatch(/^HTTP\/1\.1 404 /); // the in-flight request was answered, not dropped
    expect(received()).toContain('"status":"404"');
    socket.destroy();
  });

  it('tells clients it keeps idle sockets 65 s, longer than the 60 s of load balancers and tunnels', async () => {
    const s = await startTestServer();
    try {
      const res = await fetch(`${s.app.tenantUrl}/ServiceProviderConfig`, { headers: { Authorization: `Bearer ${s.app.secretToken}` } });
      await res.arrayBuffer();
      expect(res.headers.get('keep-alive')).toBe('timeout=65');
    } finally {
      await s.close();
    }
  });
});
