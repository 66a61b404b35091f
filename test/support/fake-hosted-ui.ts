import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeHostedUi {
  url: string;
  /** The ID token the next code is redeemed for. */
  idToken: string;
  /** Every request, in order, with its query or form parameters and the status answered. */
  requests: Array<{ path: string; params: Record<string, string>; status: number }>;
  close(): Promise<void>;
}

/**
 * The three endpoints of Amazon Cognito's hosted UI the console uses, strict where Cognito is strict: /authorize
 * signs the person in at once and redirects back with a code; /oauth2/token redeems a code once, only for the
 * same client and redirect URI and a code_verifier whose SHA-256 is the code_challenge (PKCE, RFC 7636 §4.6);
 * /logout redirects to the logout URI.
 */
export async function startFakeHostedUi(): Promise<FakeHostedUi> {
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string }>();
  const ui: FakeHostedUi = { url: '', idToken: '', requests: [], close: async () => undefined };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const params = Object.fromEntries(req.method === 'POST' ? new URLSearchParams(body) : url.searchParams);
      const answer = (status: number, headers: Record<string, string> = {}, text = '') => {
        ui.requests.push({ path: url.pathname, params, status });
        res.writeHead(status, headers);
        res.end(text);
      };
      if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
        if (params.response_type !== 'code' || params.code_challenge_method !== 'S256' || !params.code_challenge || !params.redirect_uri) return answer(400);
        const code = randomUUID();
        codes.set(code, { clientId: params.client_id ?? '', redirectUri: params.redirect_uri, challenge: params.code_challenge });
        const back = new URL(params.redirect_uri);
        back.search = new URLSearchParams({ code, ...(params.state ? { state: params.state } : {}) }).toString();
        return answer(302, { Location: back.toString() });
      }
      if (req.method === 'POST' && url.pathname === '/oauth2/token') {
        // The console's origin calls this cross-origin, as it calls Cognito's token endpoint.
        const cors = { 'Access-Control-Allow-Origin': req.headers.origin ?? '*', 'Content-Type': 'application/json' };
        const issued = codes.get(params.code ?? '');
        codes.delete(params.code ?? '');
        const proof = createHash('sha256').update(params.code_verifier ?? '').digest('base64url');
        const valid =
          issued &&
          params.grant_type === 'authorization_code' &&
          params.client_id === issued.clientId &&
          params.redirect_uri === issued.redirectUri &&
          proof === issued.challenge;
        if (!valid) return answer(400, cors, JSON.stringify({ error: 'invalid_grant' }));
        return answer(200, cors, JSON.stringify({ id_token: ui.idToken, access_token: 'unused', token_type: 'Bearer', expires_in: 3600 }));
      }
      if (req.method === 'GET' && url.pathname === '/logout' && params.logout_uri) return answer(302, { Location: params.logout_uri });
      return answer(404);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ui.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ui.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return ui;
}
