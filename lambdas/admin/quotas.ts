import { ScimError } from '../scim/errors';
import type { UserStore } from '../scim/ports';
import type { DynamoAccountStore } from '../store/dynamo-account-store';
import type { QuotaDefaults } from '../runtime/quota-defaults';
import type { AccountQuotasView, QuotaView } from './contract';

/** The largest limit an operator may set: far above any directory Entra provisions, far below a number's precision. */
export const MAX_QUOTA = 10_000_000;

/**
 * Quotas (issue 14, item 5): the users an account may hold and the customer accounts a partner may create — the
 * deployment's defaults (CDK context) unless an operator set the account's own. Reading is for whoever may see the
 * account; setting is the operator's (the handler checks).
 */
export class QuotaService {
  constructor(
    private readonly accounts: Pick<DynamoAccountStore, 'getAccount' | 'countCustomers' | 'setQuotas'>,
    private readonly users: Pick<UserStore, 'count'>,
    private readonly defaults: QuotaDefaults,
  ) {}

  async get(accountId: string): Promise<AccountQuotasView> {
    const account = await this.accounts.getAccount(accountId);
    if (!account) throw new ScimError(404, `account ${accountId} not found`);
    const view: AccountQuotasView = { accountId, users: quota(this.defaults.maxUsersPerAccount, account.maxUsers, await this.users.count(accountId)) };
    if (account.type === 'partner') {
      view.customerAccounts = quota(this.defaults.maxAccountsPerPartner, account.maxAccounts, await this.accounts.countCustomers(accountId));
    }
    return view;
  }

  /** `{"maxUsers": n | null, "maxAccounts": n | null}`: a number sets the account's own limit, null returns to the default. */
  async set(accountId: string, body: unknown): Promise<AccountQuotasView> {
    const changes = quotaChanges(body);
    const account = await this.accounts.getAccount(accountId);
    if (!account) throw new ScimError(404, `account ${accountId} not found`);
    if (changes.maxAccounts !== undefined && account.type !== 'partner') {
      throw new ScimError(400, `maxAccounts limits the customer accounts a partner creates; ${accountId} is a ${account.type} account`);
    }
    if (!(await this.accounts.setQuotas(accountId, changes))) throw new ScimError(404, `account ${accountId} not found`);
    return this.get(accountId);
  }
}

const quota = (fallback: number, own: number | undefined, used: number): QuotaView => ({
  limit: own ?? fallback,
  default: fallback,
  ...(own !== undefined ? { override: own } : {}),
  used,
});

function quotaChanges(body: unknown): { maxUsers?: number | null; maxAccounts?: number | null } {
  const usage = 'send {"maxUsers": N} and/or {"maxAccounts": N} (a whole number from 0 to 10000000), or null to return to the default';
  // Anything but an object with those keys has none of them: null, a number or a string no keys, an array index keys.
  const entries = Object.entries(body ?? {});
  if (entries.length === 0 || entries.some(([k]) => k !== 'maxUsers' && k !== 'maxAccounts')) throw new ScimError(400, usage);
  const out: { maxUsers?: number | null; maxAccounts?: number | null } = {};
  for (const [key, value] of entries) {
    if (value !== null && !isQuota(value)) {
      throw new ScimError(400, `${key} ${JSON.stringify(value)} is not a whole number from 0 to ${MAX_QUOTA}: ${usage}`);
    }
    out[key as 'maxUsers' | 'maxAccounts'] = value as number | null;
  }
  return out;
}

const isQuota = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_QUOTA;
