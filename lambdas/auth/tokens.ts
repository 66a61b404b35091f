import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ACCOUNT_ID_PATTERN } from '../admin/account-id';

/**
 * Secret tokens (SPEC §2): 256 random bits, URL-safe, with a recognisable prefix so secret scanners can find a
 * leaked one. Only the SHA-256 of a token is ever stored: the token is high-entropy, so a fast hash is enough
 * (a slow KDF protects guessable passwords, not random keys).
 */
export const TOKEN_PREFIX = 'scimlink_';

export const generateToken = () => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
/** SHA-256 of the token's UTF-8 bytes (Node hashes a string as UTF-8), in hex. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

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

/**
 * Anchored at both ends: nothing else may ride along in the segment (it becomes a DynamoDB key). The account part
 * is the operators' account-id rule itself (ACCOUNT_ID: no leading/trailing hyphen, ≤ 64), so one match checks all.
 */
const TENANT_SEGMENT = new RegExp(`^(${ACCOUNT_ID_PATTERN})\\.([A-Za-z0-9_-]{1,128})$`);

export function parseTenantSegment(segment: string | undefined): { accountId: string; tenantKey: string } | undefined {
  // Stryker disable next-line StringLiteral: any stand-in without a dot fails the pattern exactly as '' does
  const match = TENANT_SEGMENT.exec(segment ?? '');
  return match ? { accountId: match[1]!, tenantKey: match[2]! } : undefined;
}

export const newAccountId = () => randomBytes(8).toString('hex');

/** "Bearer <token>" (scheme case-insensitive, RFC 6750 §2.1) → the token. */
export function bearerToken(header: string | undefined): string | undefined {
  // Stryker disable next-line StringLiteral: any stand-in without the scheme fails the pattern exactly as '' does
  return /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}
