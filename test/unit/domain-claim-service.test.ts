/**
 * Domain claims as an operator makes them (lambdas/admin/domain-claims.ts): refusals with their status and
 * message, and the values other accounts hold in the domain, bounded. The store under it: domain-claims.test.ts.
 */
import { DomainClaimService, MAX_HOLDINGS, MAX_INDEX_READ } from '../../lambdas/admin/domain-claims';
import type { AccountView, DomainHoldingView } from '../../lambdas/admin/contract';
import type { ClaimOutcome, DomainClaim } from '../../lambdas/store/dynamo-domain-store';
import { scimRejection as refusal } from '../support/caught';

const AT = '2026-01-01T00:00:00.000Z';
const NOW = new Date('2026-03-01T10:00:00.000Z');
const ACCOUNTS: AccountView[] = [
  { id: 'acme', name: 'Acme', type: 'customer', createdAt: AT },
  { id: 'p1', name: 'Partner', type: 'partner', createdAt: AT },
];

const holding = (i: number, accountId = 'other'): DomainHoldingView => ({ kind: 'email', value: `u${i}@acme.com`, accountId, userId: `u${i}` });

class Domains {
  readonly claims: DomainClaim[] = [];
  outcome?: ClaimOutcome;
  holdings: DomainHoldingView[] = [];
  readComplete = true;
  readonly reads: Array<[string, string, number]> = [];
  async claim(accountId: string, domain: string, at: string): Promise<ClaimOutcome> {
    if (this.outcome) return this.outcome;
    const claim = { domain, accountId, claimedAt: at };
    this.claims.push(claim);
    return { claimed: claim, created: true };
  }
  async listFor(accountId: string) {
    return this.claims.filter((c) => c.accountId === accountId);
  }
  async release(accountId: string, domain: string) {
    const i = this.claims.findIndex((c) => c.accountId === accountId && c.domain === domain);
    if (i < 0) return false;
    this.claims.splice(i, 1);
    return true;
  }
  async holdersIn(domain: string, exceptAccount: string, maxRead: number) {
    this.reads.push([domain, exceptAccount, maxRead]);
    return { holdings: this.holdings, complete: this.readComplete };
  }
}

function setup() {
  const domains = new Domains();
  const service = new DomainClaimService(domains, async (id) => ACCOUNTS.find((a) => a.id === id), () => NOW);
  return { domains, service };
}

describe('claim', () => {
  it('a customer account claims the canonical domain, stamped now, with what other accounts hold in it', async () => {
    const { domains, service } = setup();
    domains.holdings = [holding(1)];
    expect(await service.claim('acme', ' ACME.com. ')).toEqual({
      created: true,
      view: { domain: 'acme.com', accountId: 'acme', claimedAt: NOW.toISOString(), heldElsewhere: [holding(1)], complete: true },
    });
    expect(domains.claims).toEqual([{ domain: 'acme.com', accountId: 'acme', claimedAt: NOW.toISOString() }]);
    expect(domains.reads).toEqual([['acme.com', 'acme', MAX_INDEX_READ]]);
    expect(MAX_INDEX_READ).toBe(20_000);
  });

  it('stamps a claim with the time of the request by default', async () => {
    const domains = new Domains();
    const before = Date.now();
    const { view } = await new DomainClaimService(domains, async (id) => ACCOUNTS.find((a) => a.id === id)).claim('acme', 'acme.com');
    const at = Date.parse(view.claimedAt);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('claiming again what the account holds: created false, the first claim unchanged', async () => {
    const { domains, service } = setup();
    domains.outcome = { claimed: { domain: 'acme.com', accountId: 'acme', claimedAt: AT }, created: false };
    const { created, view } = await service.claim('acme', 'acme.com');
    expect([created, view.claimedAt]).toEqual([false, AT]);
  });

  it('an unknown account: 404; a partner account: 400; a malformed domain: 400 — nothing claimed', async () => {
    const { domains, service } = setup();
    expect(await refusal(service.claim('nope', 'acme.com'))).toMatchObject({ status: 404, detail: 'account nope not found' });
    expect(await refusal(service.claim('p1', 'acme.com'))).toMatchObject({
      status: 400,
      detail: 'account p1 is a partner account: claim domains for the customer account whose Entra provisions the users',
    });
    expect(await refusal(service.claim('acme', 'com'))).toMatchObject({ status: 400 });
    expect(domains.claims).toEqual([]);
  });

  it.each([
    ['same-domain', 'eu.acme.com', 'cannot claim eu.acme.com: eu.acme.com is claimed by another account'],
    ['parent', 'acme.com', 'cannot claim eu.acme.com: its parent domain acme.com is claimed by another account (a claim covers its subdomains)'],
    [
      'subdomain',
      'mail.eu.acme.com',
      'cannot claim eu.acme.com: its subdomain mail.eu.acme.com is claimed by another account; that claim must be released first',
    ],
  ] as const)('taken (%s) → 409 naming the claim in the way', async (takenBy, domain, detail) => {
    const { domains, service } = setup();
    domains.outcome = { takenBy, domain };
    expect(await refusal(service.claim('acme', 'eu.acme.com'))).toMatchObject({ status: 409, detail });
  });
});

describe('holdings in a claimed domain', () => {
  it(`at most ${MAX_HOLDINGS} listed; more than that, or a read cut at its bound, is incomplete`, async () => {
    const { domains, service } = setup();
    const many = Array.from({ length: MAX_HOLDINGS + 1 }, (_, i) => holding(i));
    domains.holdings = many;
    const over = (await service.claim('acme', 'acme.com')).view;
    expect(over.heldElsewhere).toEqual(many.slice(0, 1000));
    expect(over.complete).toBe(false);

    domains.holdings = many.slice(0, MAX_HOLDINGS);
    const exactly = (await service.list('acme')).domains[0]!;
    expect([exactly.heldElsewhere.length, exactly.complete]).toEqual([1000, true]);

    domains.holdings = [holding(1)];
    domains.readComplete = false;
    expect((await service.list('acme')).domains[0]!.complete).toBe(false);
  });
});

describe('list and release', () => {
  it("lists the account's claims, each with its holdings", async () => {
    const { domains, service } = setup();
    domains.claims.push({ domain: 'acme.com', accountId: 'acme', claimedAt: AT }, { domain: 'x.org', accountId: 'other', claimedAt: AT });
    domains.holdings = [holding(2)];
    expect(await service.list('acme')).toEqual({
      accountId: 'acme',
      domains: [{ domain: 'acme.com', accountId: 'acme', claimedAt: AT, heldElsewhere: [holding(2)], complete: true }],
    });
    expect(await service.list('p1')).toEqual({ accountId: 'p1', domains: [] });
  });

  it('listing for an unknown account: 404', async () => {
    const { service } = setup();
    expect(await refusal(service.list('nope'))).toMatchObject({ status: 404, detail: 'account nope not found' });
  });

  it('releases the canonical domain; a claim the account does not hold: 404 naming it', async () => {
    const { domains, service } = setup();
    domains.claims.push({ domain: 'acme.com', accountId: 'acme', claimedAt: AT });
    await service.release('acme', '@ACME.COM');
    expect(domains.claims).toEqual([]);
    expect(await refusal(service.release('acme', 'acme.com'))).toMatchObject({ status: 404, detail: 'account acme has no claim of acme.com' });
    expect(await refusal(service.release('acme', 'not a domain'))).toMatchObject({ status: 400 });
  });
});
