import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ACCOUNT_ID } from '../admin/account-id';

/**
 * Secret tokens (SPEC §2): 256 random bits, URL-safe, with a recognisable prefix so secret scanners can find a
 * leaked one. Only the SHA-256 of a token is ever stored: the token is high-entropy, so a fast hash is enough
 * (a slow KDF protects guessable passwords, not random keys).
 */
export const TOKEN_PREFIX = 'scimlink_';

export const generateToken = () => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time string equality (for the tenant key in the URL). */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * The tenant URL's path segment: "<accountId>.<tenantKey>". The key is fresh per key generation, so
 * regenerating kills the old URL; the account id in clear lets the handler start reading the account's data
 * while the key is being checked (one DynamoDB round trip instead of two; nothing is returned before auth).
 */
export const newTenantKey = () => randomBytes(16).toString('base64url');
export const tenantSegment = (accountId: string, tenantKey: string) => `${accountId}.${tenantKey}`;

export function parseTenantSegment(segment: string | undefined): { accountId: string; tenantKey: string } | undefined {
  if (!segment) return undefined;
  const dot = segment.indexOf('.');
  if (dot <= 0 || dot === segment.length - 1) return undefined;
  const accountId = segment.slice(0, dot);
  const tenantKey = segment.slice(dot + 1);
  if (!ACCOUNT_ID.test(accountId) || !/^[A-Za-z0-9_-]{1,128}$/.test(tenantKey)) return undefined;
  return { accountId, tenantKey };
}

export const newAccountId = () => randomBytes(8).toString('hex');

/** "Bearer <token>" (scheme case-insensitive, RFC 6750 §2.1) → the token. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}
