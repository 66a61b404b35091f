/**
 * Synthetic traffic: what `scimlink check` sends to prove a tenant URL works. It must not look like Entra to
 * anything downstream (SPEC §2 "last request seen", the provisioning log, change events), so it is marked twice:
 *
 * - every request carries `X-Scimlink-Synthetic: check`. The request is still served in full; the header only
 *   keeps it from moving the integration's "last request from Entra" and marks its provisioning-log entry. A
 *   caller needs the tenant's token to be served at all, so the header cannot hide anyone else's traffic.
 * - its users' userNames are `scimlink-check-<run id>-<label>@example.com` (RFC 2606 reserves example.com: no
 *   directory Entra syncs holds such an address). Change events for these users are not published: a
 *   downstream app would otherwise provision, bill or e-mail fake people. The name alone decides, so a delete
 *   that reaches the stream long after the request (or a retried batch) is treated the same way.
 */
export const SYNTHETIC_HEADER = 'x-scimlink-synthetic';
export const SYNTHETIC_HEADER_VALUE = 'check';
/** Every throw-away userName starts with this. */
export const SYNTHETIC_USER_PREFIX = 'scimlink-check-';
export const SYNTHETIC_USER_DOMAIN = 'example.com';

const SYNTHETIC_USER_NAME = /^scimlink-check-[0-9a-z]+-[^@]*@example\.com$/i;

export const isSyntheticUserName = (userName: unknown): boolean =>
  typeof userName === 'string' && SYNTHETIC_USER_NAME.test(userName);

/** `headers` lower-cased (lambdas/http/request.ts `lowerCaseHeaders`). */
export const isSyntheticRequest = (headers: Record<string, string | undefined>): boolean =>
  headers[SYNTHETIC_HEADER]?.trim().toLowerCase() === SYNTHETIC_HEADER_VALUE;
