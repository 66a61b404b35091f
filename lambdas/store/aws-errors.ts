import { ScimError, tooManyRequests, unavailable } from '../scim/errors';

/**
 * Translating AWS faults at the adapter boundary (the Powertools idempotency pattern): domain outcomes become
 * domain errors in the store; transient trouble becomes a 429/503 with Retry-After so Entra retries instead of
 * giving up on the user; anything else is re-thrown and ends as a generic 500 at the HTTP edge.
 */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);
const TRANSIENT = new Set([
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** A property of whatever was thrown (a string, a number, null or undefined has none of ours). */
const field = (e: unknown, key: 'name' | 'code'): unknown => (e as Record<string, unknown> | null | undefined)?.[key];

export const errorName = (e: unknown): string => String(field(e, 'name') ?? field(e, 'code') ?? '');

/**
 * A transaction cancelled for transient trouble on one of its items: another transaction on the same item at that
 * moment (two customers created under one partner both add to its counter), or that item throttled.
 */
const CANCELLED_THROTTLED = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);
const CANCELLED_CONFLICT = 'TransactionConflict';

/** Map a transient AWS error to a retryable SCIM error; undefined when it is not transient. */
export function transientScimError(e: unknown): ScimError | undefined {
  const name = errorName(e);
  const code = String(field(e, 'code'));
  const reasons = cancellationCodes(e);
  if (THROTTLING.has(name) || reasons.some((r) => CANCELLED_THROTTLED.has(r))) return tooManyRequests('The user store is busy; retry shortly.', 2);
  if (TRANSIENT.has(name) || TRANSIENT.has(code) || reasons.includes(CANCELLED_CONFLICT)) {
    return unavailable('The user store is temporarily unavailable; retry shortly.', 2);
  }
  return undefined;
}

/** Cancellation reason codes of a TransactionCanceledException, one per action (empty if not one). */
export function cancellationCodes(e: unknown): string[] {
  if (errorName(e) !== 'TransactionCanceledException') return [];
  const reasons = (e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
}

/** Await an AWS call, turning its transient faults into a retryable SCIM error (others pass unchanged). */
export async function translated<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    throw transientScimError(e) ?? e;
  }
}
