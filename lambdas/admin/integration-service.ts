import { TokenHashStore } from '../auth/ports';
import { generateToken, hashToken, newAccountId, newTenantKey, tenantSegment } from '../auth/tokens';
import { ScimError } from '../scim/errors';
import { Account, AccountType, DynamoAccountStore } from '../store/dynamo-account-store';

export const PARTNER_REFUSAL =
  'integrations are not supported for partner accounts; create a customer account and add the integration there';

export interface GeneratedKeys {
  tenantUrl: string;
  /** Shown once; only its hash is stored. */
  secretToken: string;
}

/**
 * Accounts, the Entra ID Sync integration and key generation (SPEC §2). `npm start` uses this to make its demo
 * tenant, and the admin API/CLI will call the same code.
 */
export class IntegrationService {
  constructor(
    private readonly accounts: DynamoAccountStore,
    private readonly tokenHashes: TokenHashStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createAccount(input: { name: string; type: AccountType; partnerId?: string; id?: string }): Promise<Account> {
    const account: Account = {
      id: input.id ?? newAccountId(),
      name: input.name,
      type: input.type,
      createdAt: this.now().toISOString(),
      ...(input.partnerId ? { partnerId: input.partnerId } : {}),
    };
    await this.accounts.createAccount(account);
    return account;
  }

  async addIntegration(accountId: string) {
    const account = await this.accounts.getAccount(accountId);
    if (!account) throw new ScimError(404, `Account ${accountId} not found`);
    if (account.type === 'partner') throw new ScimError(400, PARTNER_REFUSAL);
    return this.accounts.addIntegration(accountId, this.now().toISOString());
  }

  /**
   * New tenant URL + token; the previous ones stop working on the very next request. The hash is written
   * first, then the integration item is switched to the new tenant key: between the two, the old URL already
   * fails (its key no longer matches the stored hash record) and the new one is not yet live — never both.
   */
  async generateKeys(accountId: string, apiBaseUrl: string): Promise<GeneratedKeys> {
    const integration = await this.accounts.getIntegration(accountId);
    if (!integration) throw new ScimError(404, `Account ${accountId} has no Entra ID Sync integration; add it first.`);
    const tenantKey = newTenantKey();
    const secretToken = generateToken();
    await this.tokenHashes.put(accountId, { tenantKey, hash: hashToken(secretToken) });
    const switched = await this.accounts.setTenantKey(accountId, tenantKey, this.now().toISOString());
    if (!switched) throw new ScimError(409, 'The integration was removed while generating keys; add it again.');
    return { tenantUrl: `${apiBaseUrl.replace(/\/+$/, '')}/scim/${tenantSegment(accountId, tenantKey)}`, secretToken };
  }
}
