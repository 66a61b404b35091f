import { ScimError } from './errors';

/**
 * Per-account user quotas (issue 14, item 5; docs/identifiers.md "Quotas"), pure. The account's user count is kept
 * in COUNT_SHARDS shards (lambdas/store/keys.ts) so that concurrent creates do not conflict on one counter item;
 * the quota is split over the same shards: shard i may hold `shardCaps(limit)[i]` users, and a create adds its +1
 * to a shard with room under a condition (`count < cap`) in the same transaction as the user. The caps add up to
 * the limit, so the count cannot pass it — however many creates run at once.
 */

/** Each shard's share of `limit`: equal parts, the remainder to the first shards; they add up to `limit`. */
export function shardCaps(limit: number, shards: number): number[] {
  const base = Math.floor(limit / shards);
  return Array.from({ length: shards }, (_, i) => base + (i < limit % shards ? 1 : 0));
}

/**
 * A shard to add a new user to, or undefined when the account is full. Full means the total has reached the limit —
 * shards written before the quota existed (or above a limit lowered since) may hold more than their share; then the
 * total decides, and while it is below the limit some shard is below its cap (the caps add up to the limit).
 */
export function shardWithRoom(counts: number[], limit: number, random: (n: number) => number): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total >= limit) return undefined;
  const caps = shardCaps(limit, counts.length);
  const open = counts.flatMap((c, i) => (c < (caps[i] ?? 0) ? [i] : []));
  return open.length === 0 ? undefined : open[random(open.length)];
}

/**
 * Past the limit: 403, a per-user failure to Entra (it records the user as failed and tries it again in later
 * cycles), not a 429/503 it would retry at once and keep retrying: the limit does not lift by waiting.
 */
export const userQuotaReached = (limit: number) =>
  new ScimError(
    403,
    `This account has reached its limit of ${limit} users (quota): the user was not created. Delete users that are no longer needed, or ask an operator to raise the limit (scimlink quotas set).`,
    undefined,
    {},
    'quota:users',
  );
