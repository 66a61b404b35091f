import { TokenHashStore } from '../auth/ports';
import { generateToken, hashToken, newAccountId, newTenantKey, tenantSegment } from '../auth/tokens';
import { ScimError } from '../scim/errors';
import { phoneDigits } from '../scim/rules';
import { UserStore } from '../scim/ports';
import { EXTENSION_SCHEMA } from '../scim/schema';
import { StoredUser } from '../scim/user';
import type { Account } from '../store/dynamo-account-store';
import { uniqueKey, uniqueValuesOf } from '../scim/uniqueness';
import { AccountTeardown, TeardownOptions } from './account-teardown';
import {
  AccountDeletionView,
  AccountView,
  ConflictHit,
  ConflictKind,
  AdminUserView,
  CreateAccountRequest,
  GeneratedKeysView,
  IntegrationView,
  PhoneSearchView,
  UserListView,
  VerifyView,
} from './contract';
import type { TableScanner } from '../store/table-scanner';
import { verifyWith } from './verify-table';
import { requireValidAccountId } from './account-id';
import type { AccountStore } from './account-store';
import { DEFAULT_QUOTAS } from '../runtime/quota-defaults';

export const PARTNER_REFUSAL =
  'integrations are not supported for partner accounts; create a customer account and add the integration there';
export const REGENERATE_WARNING =
  'Generating keys again invalidates this Tenant URL and Secret Token immediately; Entra must be updated with the new ones.';

/**
 * Everything an operator or account admin does around provisioning (SPEC §2, §5): accounts, the Entra ID Sync
 * integration, keys, the account's users, phone conflicts. The admin handlers, `npm start` and the tests call it.
 */
export class AdminService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly users: UserStore,
    private readonly tokenHashes: TokenHashStore,
    private readonly now: () => Date = () => new Date(),
    /** The table scan behind `verify` (the only scan scimlink makes); absent → verify answers 501. */
    private readonly scanner?: TableScanner,
    /** The deployment's limit of customer accounts per partner (CDK context maxAccountsPerPartner). */
    private readonly maxAccountsPerPartner: number = DEFAULT_QUOTAS.maxAccountsPerPartner,
    /** Domain claims, released when their account is deleted. */
    private readonly domains?: { releaseAll(accountId: string): Promise<number> },
  ) {}

  /** `scimlink verify`: scan the table and report every inconsistency between users and their sentinels. */
  async verify(): Promise<VerifyView> {
    if (!this.scanner) throw new ScimError(501, 'verify is not configured on this server');
    const checkedAt = this.now().toISOString();
    return { ...(await verifyWith(this.scanner)), checkedAt };
  }

  /**
   * `byPartner`: the caller is the partner itself, so its quota of customer accounts applies (an operator creating
   * under a partner is counted too, but not refused: the operator sets the quotas).
   */
  async createAccount(input: CreateAccountRequest & { id?: string }, byPartner = false): Promise<AccountView> {
    const name = accountName(input.name);
    if (input.type !== 'partner' && input.type !== 'customer') throw new ScimError(400, "type must be 'partner' or 'customer'");
    if (input.id !== undefined) requireValidAccountId(input.id);
    let partnerLimit: number | undefined;
    if (input.partnerId !== undefined) {
      requireValidAccountId(input.partnerId, 'partnerId');
      if (input.type !== 'customer') throw new ScimError(400, 'only a customer account has a managing partner');
      const partner = await this.accounts.getAccount(String(input.partnerId));
      if (!partner) throw new ScimError(400, `partner account ${String(input.partnerId)} not found`);
      if (partner.type !== 'partner') throw new ScimError(400, `account ${String(input.partnerId)} is a ${partner.type} account; --partner / partnerId needs a partner account`);
      if (byPartner) partnerLimit = partner.maxAccounts ?? this.maxAccountsPerPartner;
    }
    const account: Account = {
      id: input.id ?? newAccountId(),
      name,
      type: input.type,
      createdAt: this.now().toISOString(),
      ...(input.partnerId ? { partnerId: String(input.partnerId) } : {}),
    };
    if (!(await this.accounts.createAccount(account, partnerLimit))) throw new ScimError(409, `account ${account.id} exists already`);
    return account;
  }

  /** A mistyped name is not permanent (issue 16): the id, type, partner and everything under it stay. */
  async renameAccount(accountId: string, newName: unknown): Promise<AccountView> {
    const name = accountName(newName);
    if (!(await this.accounts.renameAccount(accountId, name))) throw new ScimError(404, `account ${accountId} not found`);
    return this.getAccount(accountId);
  }

  /**
   * Deletes the account a bounded share at a time (lambdas/admin/account-teardown.ts): `deleted: false` means
   * call again. Without `force` an account with users or the integration is refused.
   */
  deleteAccount(accountId: string, options: TeardownOptions): Promise<AccountDeletionView> {
    return new AccountTeardown(this.accounts, this.users, this.tokenHashes, this.domains).run(accountId, options);
  }

  listAccounts(): Promise<AccountView[]> {
    return this.accounts.listAccounts();
  }

  async getAccount(accountId: string): Promise<AccountView> {
    const account = await this.findAccount(accountId);
    if (!account) throw new ScimError(404, `account ${accountId} not found`);
    return account;
  }

  /** The account, or undefined: what the role checks read (they answer 403, not 404, for an unknown account). */
  findAccount(accountId: string): Promise<AccountView | undefined> {
    return this.accounts.getAccount(accountId);
  }

  /** Adding Entra ID Sync: customer accounts only (SPEC §2). Idempotent. */
  async addIntegration(accountId: string, apiBaseUrl?: string): Promise<IntegrationView> {
    const account = await this.getAccount(accountId);
    if (account.type === 'partner') throw new ScimError(400, PARTNER_REFUSAL);
    await this.accounts.addIntegration(accountId, this.now().toISOString());
    return this.getIntegration(accountId, apiBaseUrl);
  }

  async getIntegration(accountId: string, apiBaseUrl?: string): Promise<IntegrationView> {
    const [integration, page] = await Promise.all([this.accounts.getIntegration(accountId), this.users.list(accountId, 1, 0)]);
    if (!integration) {
      await this.getAccount(accountId); // 404 for an unknown account, else:
      throw new ScimError(404, `account ${accountId} has no Entra ID Sync integration; add it first`);
    }
    return {
      accountId,
      integration: 'Entra ID Sync',
      addedAt: integration.addedAt,
      ...(integration.keysGeneratedAt ? { keysGeneratedAt: integration.keysGeneratedAt } : {}),
      ...(integration.lastRequestAt ? { lastRequestAt: integration.lastRequestAt } : {}),
      ...(integration.tenantKey && apiBaseUrl ? { tenantUrl: tenantUrlOf(apiBaseUrl, accountId, integration.tenantKey) } : {}),
      usersProvisioned: page.total,
    };
  }

  /**
   * Removing the integration revokes Entra's access on the very next request (the auth path reads the
   * integration item) and deletes the token hash. Provisioned users are kept.
   */
  async removeIntegration(accountId: string): Promise<void> {
    const integration = await this.accounts.getIntegration(accountId);
    if (!integration) throw new ScimError(404, `account ${accountId} has no Entra ID Sync integration`);
    await this.accounts.removeIntegration(accountId);
    await this.tokenHashes.delete(accountId);
  }

  /**
   * New tenant URL + token; the previous ones stop working on the very next request. The hash is written
   * first, then the integration item is switched to the new tenant key: between the two, the old URL already
   * fails (its key no longer matches the stored hash record) and the new one is not yet live — never both.
   */
  async generateKeys(accountId: string, apiBaseUrl: string): Promise<GeneratedKeysView> {
    const integration = await this.accounts.getIntegration(accountId);
    if (!integration) throw new ScimError(404, `account ${accountId} has no Entra ID Sync integration; add it first`);
    const tenantKey = newTenantKey();
    const secretToken = generateToken();
    const at = this.now().toISOString();
    await this.tokenHashes.put(accountId, { tenantKey, hash: hashToken(secretToken) });
    if (!(await this.accounts.setTenantKey(accountId, tenantKey, at))) {
      throw new ScimError(409, 'the integration was removed while generating keys; add it again');
    }
    return { tenantUrl: tenantUrlOf(apiBaseUrl, accountId, tenantKey), secretToken, keysGeneratedAt: at, warning: REGENERATE_WARNING };
  }

  /** The account's users, active and inactive (optionally only one of them), in a stable order. */
  async listUsers(accountId: string, opts: { startIndex: number; count: number; active?: boolean }): Promise<UserListView> {
    await this.getAccount(accountId);
    if (opts.active === undefined) {
      const page = await this.users.list(accountId, opts.startIndex, opts.count);
      return { totalResults: page.total, startIndex: opts.startIndex, users: page.users.map(userView) };
    }
    const all = (await this.users.listAll(accountId)).filter((u) => u.data.active === opts.active);
    const page = all.slice(opts.startIndex - 1, opts.startIndex - 1 + opts.count);
    return { totalResults: all.length, startIndex: opts.startIndex, users: page.map(userView) };
  }

  async getUser(accountId: string, userId: string): Promise<AdminUserView> {
    return userView(await this.requireUser(accountId, userId));
  }

  /** Deletes the user and releases its unique values (the way out of a phone conflict, SPEC §5). */
  async deleteUser(accountId: string, userId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const user = await this.requireUser(accountId, userId);
      try {
        await this.users.delete(user);
        return;
      } catch (e) {
        if ((e as Error).name !== 'VersionConflict' || attempt >= 5) throw e;
      }
    }
  }

  /**
   * Who holds a phone number, across accounts, active or not (SPEC §5). Numbers are unique platform-wide by
   * their digits, so one sentinel read answers it — strongly consistent, no scan. `number` is E.164: the
   * phones-search handler reads the operator's input with `normalizePhoneInput` (so only that function ships
   * the numbering-plan library).
   */
  async searchPhone(number: string): Promise<PhoneSearchView> {
    const holder = await this.users.findPhoneHolder(number);
    if (!holder) return { number, hits: [] };
    const account = await this.accounts.getAccount(holder.accountId);
    const matching = (holder.data.phoneNumbers ?? []).filter((p) => phoneDigits(p.value) === phoneDigits(number));
    return {
      number,
      hits: [
        {
          accountId: holder.accountId,
          ...(account ? { accountName: account.name } : {}),
          userId: holder.id,
          userName: holder.data.userName,
          active: holder.data.active,
          types: matching.map((p) => p.type),
          value: matching[0]?.value ?? number,
        },
      ],
    };
  }

  /**
   * Who holds a unique value (issue 14, item 3): one strongly consistent sentinel read, any account (for an
   * extension, `accountId`'s). `value` is what the operator typed, phone numbers already in E.164. The caller
   * applies the principal's scope to the hit (lambdas/admin/access.ts `scopedConflict`).
   */
  async findConflict(kind: ConflictKind, value: string, accountId = ''): Promise<ConflictHit | undefined> {
    const holder = await this.users.findHolder(kind, value, accountId);
    if (!holder) return undefined;
    const key = uniqueKey(kind, value, holder.accountId);
    const held = uniqueValuesOf(holder.data, holder.accountId).filter((v) => v.key === key);
    // A user may repeat its value across types (one sentinel): name every attribute that holds it.
    const attributes = attributesHolding(holder, kind, key);
    const account = await this.accounts.getAccount(holder.accountId);
    return {
      accountId: holder.accountId,
      ...(account ? { accountName: account.name } : {}),
      userId: holder.id,
      userName: holder.data.userName,
      active: holder.data.active,
      attributes,
      value: held[0]?.value ?? value,
    };
  }

  private async requireUser(accountId: string, userId: string): Promise<StoredUser> {
    const user = await this.users.get(accountId, userId);
    if (!user) throw new ScimError(404, `user ${userId} not found in account ${accountId}`);
    return user;
  }
}

function attributesHolding(user: StoredUser, kind: ConflictKind, key: string): string[] {
  const same = (v: string) => uniqueKey(kind, v, user.accountId) === key;
  switch (kind) {
    case 'userName':
      return ['userName'];
    case 'email':
      return user.data.emails.filter((e) => same(e.value)).map((e) => `emails[type eq "${e.type}"].value`);
    case 'phone':
      return (user.data.phoneNumbers ?? []).filter((p) => same(p.value)).map((p) => `phoneNumbers[type eq "${p.type}"].value`);
    case 'extension':
      return [`${EXTENSION_SCHEMA}:extension`];
  }
}

export const tenantUrlOf = (apiBaseUrl: string, accountId: string, tenantKey: string) =>
  `${apiBaseUrl.replace(/\/+$/, '')}/scim/${tenantSegment(accountId, tenantKey)}`;

function userView(u: StoredUser): AdminUserView {
  const address = u.data.addresses?.[0]; // the only address stored: one of type work (validate.ts)
  const { type: _type, primary: _primary, ...addressFields } = address ?? { type: 'work' };
  const extension = u.data[EXTENSION_SCHEMA]?.extension;
  return {
    accountId: u.accountId,
    id: u.id,
    userName: u.data.userName,
    ...(u.data.displayName !== undefined ? { displayName: u.data.displayName } : {}),
    active: u.data.active,
    emails: u.data.emails.map(({ type, value }) => ({ type, value })),
    phoneNumbers: (u.data.phoneNumbers ?? []).map(({ type, value }) => ({ type, value })),
    ...(u.data.externalId !== undefined ? { externalId: u.data.externalId } : {}),
    ...(extension !== undefined ? { extension } : {}),
    ...(address && Object.keys(addressFields).length > 0 ? { address: addressFields as Record<string, string> } : {}),
    created: u.meta.created,
    lastModified: u.meta.lastModified,
  };
}

/** An account's display name: 1-200 characters once trimmed. */
function accountName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name || name.length > 200) throw new ScimError(400, 'name is required (1-200 characters)');
  return name;
}
