import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  body: string;
  ms: number;
}

/**
 * A minimal keep-alive HTTP/1.1 client for the load generator: cheaper per request than `fetch`, so the
 * client's own CPU (it shares this 2-core machine with the server) disturbs the figures less.
 */
export function scimClient(tenantUrl: string, token: string, maxSockets = 32) {
  const base = new URL(tenantUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const auth = `Bearer ${token}`;
  return {
    send(method: string, path: string, body?: unknown): Promise<Reply> {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = { Authorization: auth, Accept: 'application/scim+json' };
      if (payload !== undefined) {
        headers['Content-Type'] = 'application/scim+json';
        headers['Content-Length'] = String(Buffer.byteLength(payload));
      }
      const start = process.hrtime.bigint();
      return new Promise((resolve, reject) => {
        const req = request(
          { agent, host: base.hostname, port: base.port, method, path: `${base.pathname}${path}`, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - start) / 1e6 }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

export type ScimClient = ReturnType<typeof scimClient>;
