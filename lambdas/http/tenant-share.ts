import { tooManyRequests } from '../scim/errors';

/**
 * The requests one tenant URL may have in flight in one process. A Lambda instance serves one request at a time,
 * so there this never binds: deployed, the per-tenant limit is AWS WAF's per-token and per-path rules
 * (lib/edge-protection.ts). A long-running host serving many requests at once — the local server — has no WAF in
 * front: this is its fair share, so a flood at one tenant URL (authenticated or not) queues behind its own 32 and
 * not in front of every other tenant's requests.
 */
export const MAX_IN_FLIGHT_PER_TENANT = 32;

/** Seconds a tenant over its share is asked to wait (Entra honours Retry-After on 429). */
const RETRY_AFTER_SECONDS = 1;

export class TenantShare {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limit = MAX_IN_FLIGHT_PER_TENANT) {}

  /**
   * Counts a request against its tenant URL segment (`<account>.<key>`, as presented: a made-up key is its own
   * tenant and takes nobody's share) or throws 429 + Retry-After; call the returned function when it is answered.
   */
  enter(tenant: string): () => void {
    const n = this.inFlight.get(tenant) ?? 0;
    if (n >= this.limit) {
      throw tooManyRequests(`This tenant URL has ${this.limit} requests in progress already; retry shortly.`, RETRY_AFTER_SECONDS);
    }
    this.inFlight.set(tenant, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(tenant) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(tenant);
      else this.inFlight.set(tenant, left);
    };
  }
}
