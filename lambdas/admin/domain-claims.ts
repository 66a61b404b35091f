import { ScimError } from '../scim/errors';
import { claimableDomain } from '../scim/domains';
import type { DynamoDomainStore } from '../store/dynamo-domain-store';
import type { AccountView, DomainClaimView, DomainListView } from './contract';

/**
 * How many domain-index entries one listing reads at most (the account's own values are read and skipped): about
 * 3 MB, a few Query pages, whatever the domain's size. Past it the listing says it is incomplete.
 */
export const MAX_INDEX_READ = 20_000;
/** How many holdings one listing returns at most. */
export const MAX_HOLDINGS = 1_000;

/**
 * Domain claims for operators (issue 14, item 2; docs/identifiers.md "Domain claims"): claim, list, release. Every
 * answer about a claim lists the values in the domain that other accounts hold, so the operator can free them
 * with the conflict tools (`scimlink conflicts search`, `scimlink users delete`).
 */
export class DomainClaimService {
  constructor(
    private readonly domains: Pick<DynamoDomainStore, 'claim' | 'listFor' | 'release' | 'holdersIn'>,
    private readonly findAccount: (id: string) => Promise<AccountView | undefined>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claim(accountId: string, input: unknown): Promise<{ created: boolean; view: DomainClaimView }> {
    const domain = claimableDomain(input);
    const account = await this.findAccount(accountId);
    if (!account) throw new ScimError(404, `account ${accountId} not found`);
    if (account.type !== 'customer') {
      throw new ScimError(400, `account ${accountId} is a partner account: claim domains for the customer account whose Entra provisions the users`);
    }
    const outcome = await this.domains.claim(accountId, domain, this.now().toISOString());
    if ('takenBy' in outcome) throw claimRefusal(domain, outcome);
    return { created: outcome.created, view: await this.withHoldings(outcome.claimed) };
  }

  async list(accountId: string): Promise<DomainListView> {
    if (!(await this.findAccount(accountId))) throw new ScimError(404, `account ${accountId} not found`);
    const claims = await this.domains.listFor(accountId);
    return { accountId, domains: await Promise.all(claims.map((c) => this.withHoldings(c))) };
  }

  async release(accountId: string, input: unknown): Promise<void> {
    const domain = claimableDomain(input);
    if (!(await this.domains.release(accountId, domain))) throw new ScimError(404, `account ${accountId} has no claim of ${domain}`);
  }

  private async withHoldings(claim: { domain: string; accountId: string; claimedAt: string }): Promise<DomainClaimView> {
    const { holdings, complete } = await this.domains.holdersIn(claim.domain, claim.accountId, MAX_INDEX_READ);
    return {
      ...claim,
      heldElsewhere: holdings.slice(0, MAX_HOLDINGS),
      complete: complete && holdings.length <= MAX_HOLDINGS,
    };
  }
}

function claimRefusal(domain: string, outcome: { takenBy: 'same-domain' | 'parent' | 'subdomain'; domain: string }): ScimError {
  const why = {
    'same-domain': `${domain} is claimed by another account`,
    parent: `its parent domain ${outcome.domain} is claimed by another account (a claim covers its subdomains)`,
    subdomain: `its subdomain ${outcome.domain} is claimed by another account; that claim must be released first`,
  }[outcome.takenBy];
  return new ScimError(409, `cannot claim ${domain}: ${why}`);
}
