/**
 * How the tests call the emulated deployment: as Entra (Bearer token on a tenant URL), as an operator (SigV4,
 * signed by the CLI's own signer), and as a console user (a Cognito ID token).
 */
import { signRequest } from '../../../cli/sigv4';
import { ScimResponse, readResponse } from '../../support/local-server';
import type { IamIdentity } from './api-gateway';
import type { DeployedStack } from './deployed-stack';
import { REGION } from './template';

export type Reply = ScimResponse;

async function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return readResponse(await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) }));
}

export class Clients {
  constructor(private readonly d: DeployedStack) {}

  /** A public URL the functions produced (tenant URL, meta.location) → the same path on the emulator. */
  local(publicUrl: string): string {
    const origin = `https://${this.d.gateway.api.domainName}`;
    if (!publicUrl.startsWith(origin)) throw new Error(`${publicUrl} is not a URL of this API (${origin})`);
    return `${this.d.gateway.url}${publicUrl.slice(origin.length)}`;
  }

  /** A request as Entra sends it: JSON body as application/scim+json, Bearer token unless null. */
  scim(method: string, url: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const h: Record<string, string> = { ...headers };
    if (token !== null) h.Authorization = `Bearer ${token}`;
    if (body !== undefined) h['Content-Type'] ??= 'application/scim+json';
    return send(url.startsWith('https://') ? this.local(url) : url, method, h, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  }

  /** An admin API request under `/<stage>/admin`, signed as `identity` (unsigned when null). */
  async admin(method: string, path: string, body?: unknown, identity: IamIdentity | null = this.d.operator): Promise<Reply> {
    const url = new URL(`${this.d.gateway.stageUrl}/admin${path}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = payload ? { 'Content-Type': 'application/json' } : {};
    if (identity) {
      headers = await signRequest(
        { method, url, headers, ...(payload !== undefined ? { body: payload } : {}) },
        { region: REGION, env: { AWS_ACCESS_KEY_ID: identity.accessKeyId, AWS_SECRET_ACCESS_KEY: identity.secretAccessKey } },
      );
    }
    return send(url.toString(), method, headers, payload);
  }

  /** A console API request under `/<stage>/console/api` with an ID token (none when null). */
  consoleApi(method: string, path: string, idToken: string | null, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (idToken) headers.Authorization = idToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return send(`${this.d.gateway.stageUrl}/console/api${path}`, method, headers, body === undefined ? undefined : JSON.stringify(body));
  }

  get(path: string): Promise<Reply> {
    return send(`${this.d.gateway.stageUrl}${path}`, 'GET', {});
  }
}
