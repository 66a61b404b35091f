import { LocalApp, startLocal } from '../../local/app';

export interface ScimResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  text: string;
}

export interface TestServer {
  app: LocalApp;
  /** Send a request relative to the tenant URL, with the demo token unless `token` is given. */
  scim(method: string, path: string, body?: unknown, init?: { token?: string | null; headers?: Record<string, string>; raw?: string }): Promise<ScimResponse>;
  close(): Promise<void>;
}

/** A real HTTP server on the embedded store (in memory), as `npm start -- --memory` runs it. */
export async function startTestServer(): Promise<TestServer> {
  const app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
  return {
    app,
    async scim(method, path, body, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const token = init.token === undefined ? app.secretToken : init.token;
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (init.raw !== undefined) payload = init.raw;
      else if (body !== undefined) payload = JSON.stringify(body);
      if (payload !== undefined) headers['Content-Type'] ??= 'application/scim+json';
      const url = path.startsWith('http') ? path : `${app.tenantUrl}${path}`;
      return readResponse(await fetch(url, { method, headers, body: payload }));
    },
    close: () => app.close(),
  };
}

/** Status, headers, text and the body parsed as JSON (undefined when it is not JSON). */
export async function readResponse(res: Response): Promise<ScimResponse> {
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

let counter = 0;
/** A valid Entra-shaped user body with unique values. */
export function entraUser(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const n = `${Date.now().toString(36)}${counter}`;
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    externalId: `ext-${n}`,
    userName: `user${n}@contoso.com`,
    active: true,
    displayName: `User ${n}`,
    name: { givenName: 'Test', familyName: `User${n}` },
    emails: [{ primary: true, type: 'work', value: `user${n}@contoso.com` }],
    phoneNumbers: [{ type: 'mobile', value: `+1415${String(1000000 + counter).slice(-7)}` }],
    addresses: [{ type: 'work', locality: 'Redmond', country: 'US' }],
    title: 'Engineer',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D' },
    ...overrides,
  };
}
