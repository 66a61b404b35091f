import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The parts of an API Gateway (REST, v1 payload) event a SCIM handler needs, normalised. */
export interface ScimRequest {
  method: string;
  /** Header names lower-cased (HTTP headers are case-insensitive). */
  headers: Record<string, string>;
  query: Record<string, string>;
  params: Record<string, string>;
  /** Absolute tenant URL this request came in on, for meta.location (no trailing slash). */
  baseUrl: string;
}

/**
 * One header's value, its name matched case-insensitively (`name` in lower case): `lowerCaseHeaders(headers)[name]`
 * (the last of several spellings wins) without building the map.
 */
export function headerValue(headers: APIGatewayProxyEvent['headers'] | null | undefined, name: string): string | undefined {
  let found: string | undefined;
  if (!headers) return found;
  for (const key of Object.keys(headers)) {
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    const value = headers[key];
    if (value !== undefined) found = value;
  }
  return found;
}

export function lowerCaseHeaders(headers: APIGatewayProxyEvent['headers'] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

/**
 * The tenant URL as the client used it: scheme + host (+ stage when API Gateway's default endpoint is used) +
 * /scim/<tenant>. Behind a custom domain the stage is not part of the path; API Gateway tells us via the
 * requestContext.path (the path as called) versus event.path (the resource path).
 */
export function tenantBaseUrl(event: APIGatewayProxyEvent, headers: Record<string, string>): string {
  return `${apiBaseUrl(event, headers)}/scim/${event.pathParameters?.tenant ?? ''}`;
}

/** The API's public base URL as this request reached it (`API_BASE_URL` overrides, e.g. behind a proxy). */
export function apiBaseUrl(event: APIGatewayProxyEvent, headers: Record<string, string>): string {
  if (process.env.API_BASE_URL) return process.env.API_BASE_URL.replace(/\/+$/, '');
  const proto = headers['x-forwarded-proto'] ?? 'https';
  const host = headers['host'] ?? 'localhost';
  const calledPath = event.requestContext?.path ?? event.path;
  const resourcePath = event.path;
  // calledPath = "/prod/scim/t/Users" while resourcePath = "/scim/t/Users" → prefix "/prod".
  const prefix = calledPath && calledPath.endsWith(resourcePath) ? calledPath.slice(0, calledPath.length - resourcePath.length) : '';
  return `${proto}://${host}${prefix}`;
}
