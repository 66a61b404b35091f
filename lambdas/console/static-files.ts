import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { headerValue } from '../http/request';

/** The console's built files by name ('index.html', 'app.js', 'app.css'): what console/build.ts produces. */
export type ConsoleAssets = Record<string, { body: string; contentType: string }>;

/** What the page reads from config.json to know how people sign in. */
export type ConsoleConfig = { auth: 'local' } | { auth: 'cognito'; domain: string; clientId: string };

/**
 * Short content hash of a file: index.html references `app.js?v=<version>`, so a deploy changes the URL and the
 * browser may keep a matching file for a year without ever asking again.
 */
export const assetVersion = (body: string) => createHash('sha256').update(body).digest('base64url').slice(0, 12);

/**
 * The files are the same for the life of a container: hash each once, not on every request (index.html as served
 * has one body per config and path form, so it is cached too).
 */
const versions = new Map<string, string>();
function versionOf(body: string): string {
  let version = versions.get(body);
  if (version === undefined) versions.set(body, (version = assetVersion(body)));
  return version;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Revalidate every time (cheap with the ETag): index.html and config.json must never be stale after a deploy. */
const REVALIDATE = 'no-cache';

/**
 * Only our own script and stylesheet, no inline code, nothing framed, no forms posted anywhere; the only other
 * origin is Cognito's token endpoint (authorization code + PKCE exchange).
 */
export function contentSecurityPolicy(config: ConsoleConfig): string {
  const connect = config.auth === 'cognito' ? `'self' ${new URL(config.domain).origin}` : "'self'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Answer GET /console, /console/ and /console/{file}: the built files, config.json, 404 for anything else.
 * Conditional requests (If-None-Match) get a 304.
 */
export function serveConsoleFile(event: APIGatewayProxyEvent, assets: ConsoleAssets, config: ConsoleConfig): APIGatewayProxyResult {
  const headers = securityHeaders(event, config);
  const file = event.pathParameters?.file ?? 'index.html';
  let asset: { body: string; contentType: string } | undefined =
    file === 'config.json'
      ? { body: JSON.stringify(config), contentType: 'application/json; charset=utf-8' }
      : Object.hasOwn(assets, file) // never an inherited property ('constructor', '__proto__')
        ? assets[file]
        : undefined;
  if (!asset) {
    return { statusCode: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body: 'Not found' };
  }
  if (file === 'index.html') asset = { ...asset, body: pageFor(asset.body, event, config) };
  const version = versionOf(asset.body);
  const etag = `"${version}"`;
  const versioned = event.queryStringParameters?.v === version;
  const cache = { ETag: etag, 'Cache-Control': versioned ? IMMUTABLE : REVALIDATE };
  if (ifNoneMatch(event) === etag) return { statusCode: 304, headers: { ...headers, ...cache }, body: '' };
  return { statusCode: 200, headers: { ...headers, ...cache, 'Content-Type': asset.contentType }, body: asset.body };
}

/**
 * index.html as served: config.json's content inline (the page starts signing in without another round trip),
 * and at /console (no slash) "./app.js" pointed into console/, since it would resolve next to /console.
 */
function pageFor(html: string, event: APIGatewayProxyEvent, config: ConsoleConfig): string {
  const meta = `<meta name="scimlink-config" content="${escapeAttribute(JSON.stringify(config))}">`;
  const page = html.replace('</head>', `${meta}</head>`);
  const calledPath = event.requestContext?.path ?? event.path ?? '';
  if (calledPath.endsWith('/') || calledPath.endsWith('/index.html')) return page;
  return page.replace(/(src|href)="\.\//g, '$1="console/');
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function securityHeaders(event: APIGatewayProxyEvent, config: ConsoleConfig): Record<string, string> {
  const proto = headerValue(event.headers, 'x-forwarded-proto') ?? 'https';
  return {
    'Content-Security-Policy': contentSecurityPolicy(config),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(proto === 'https' ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}

const ifNoneMatch = (event: APIGatewayProxyEvent) => headerValue(event.headers, 'if-none-match');
