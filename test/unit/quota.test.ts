/** The quota's split over the count shards (lambdas/scim/quota.ts): exact under concurrency by construction. */
import { shardCaps, shardWithRoom, userQuotaReached } from '../../lambdas/scim/quota';

describe('shardCaps', () => {
  it.each([[0], [1], [15], [16], [17], [100], [100_000]])('limit %i: 16 shares adding up to it, differing by at most 1', (limit) => {
    const caps = shardCaps(limit, 16);
    expect(caps).toHaveLength(16);
    expect(caps.reduce((a, b) => a + b, 0)).toBe(limit);
    expect(Math.max(...caps) - Math.min(...caps)).toBeLessThanOrEqual(1);
  });
});

describe('shardWithRoom', () => {
  const first = () => 0;

  it('an empty account: any shard with a share', () => {
    expect(shardWithRoom(new Array(16).fill(0), 3, first)).toBe(0);
    expect(shardWithRoom(new Array(16).fill(0), 0, first)).toBeUndefined();
  });

  it('only shards below their cap are chosen', () => {
    const counts = new Array(16).fill(1);
    counts[9] = 0;
    expect(shardWithRoom(counts, 16, first)).toBe(9);
  });

  it('full when the total reaches the limit, even if some shard is below its cap (counts from before the quota, or a lowered limit)', () => {
    const skewed = [10, ...new Array(15).fill(0)];
    expect(shardWithRoom(skewed, 10, first)).toBeUndefined();
    // Below the limit, a shard with room always exists: the caps add up to the limit.
    expect(shardWithRoom(skewed, 11, first)).toBe(1);
  });

  it('whatever the counts, a chosen shard is below its cap and the total below the limit (exhaustive over small cases)', () => {
    for (let limit = 0; limit <= 40; limit++) {
      for (let seed = 0; seed < 30; seed++) {
        const counts = Array.from({ length: 16 }, (_, i) => ((seed * 7 + i * 13) % 5) - 1);
        const pick = shardWithRoom(counts, limit, (n) => (seed * 31) % n);
        const total = counts.reduce((a, b) => a + b, 0);
        if (pick === undefined) expect(total).toBeGreaterThanOrEqual(limit); // never a false refusal
        else {
          expect(total).toBeLessThan(limit);
          expect(counts[pick]).toBeLessThan(shardCaps(limit, 16)[pick] ?? 0);
        }
      }
    }
  });
});

it('the refusal: 403 (a per-user failure to Entra, not a retry), naming the limit and what to do', () => {
  const e = userQuotaReached(500);
  expect([e.status, e.scimType, e.rule]).toEqual([403, undefined, 'quota:users']);
  expect(e.detail).toContain('limit of 500 users');
  expect(e.detail).toContain('scimlink quotas set');
});
