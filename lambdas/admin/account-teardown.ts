import type { TokenHashStore } from '../auth/ports';
import { ScimError } from '../scim/errors';
import { UserStore, VersionConflict } from '../scim/ports';
import type { StoredUser } from '../scim/user';
import type { DynamoAccountStore } from '../store/dynamo-account-store';
import type { AccountDeletionView } from './contract';

/**
 * Items one DELETE /admin/accounts/{id} call deletes at most (users, then other items). An account can hold
 * 100,000 users: deleting them all in one request would outlive the function's 10 s timeout. Each call does a
 * bounded share and answers 202 with what remains; the caller (the CLI, the console) calls again. Every step is
 * idempotent, so a call cut short (timeout, lost answer) is simply repeated.
 */
export const DELETE_BATCH = 100;
/** Past this much time a call starts no new batch of deletes (the function's timeout is 10 s). */
export const DELETE_TIME_BUDGET_MS = 4_000;
/** User deletes in flight at once: each is its own transaction (user, sentinels, one count shard). */
const PARALLEL_USER_DELETES = 8;
/** Re-reads of a user that changed between our read and our guarded delete, before leaving it to the next call. */
const USER_DELETE_ATTEMPTS = 5;

export interface TeardownOptions {
  /** Delete the users and the integration too (otherwise their presence is refused with 409). */
  force: boolean;
  batch?: number;
  timeBudgetMs?: number;
  now?: () => number;
}

/**
 * Deleting an account (issue 16), in steps that each leave the table consistent:
 * 1. refuse a partner with customers, and (without `force`) an account with users or the integration;
 * 2. remove the integration: Entra's tenant URL and token stop working on the very next request (as `integration
 *    remove`), so no new user arrives while the others are deleted;
 * 3. delete the users, each exactly as a SCIM DELETE does (`UserStore.delete`: the user item, every sentinel it
 *    holds, its externalId item and a count shard in one transaction — never a half-deleted user);
 * 4. sweep what is left in the account's partition (count shards) and its provisioning log;
 * 5. delete the token-hash secret (again: idempotent), then the account item and its directory entry together.
 */
export class AccountTeardown {
  constructor(
    private readonly accounts: DynamoAccountStore,
    private readonly users: UserStore,
    private readonly tokenHashes: TokenHashStore,
  ) {}

  async run(accountId: string, options: TeardownOptions): Promise<AccountDeletionView> {
    const now = options.now ?? Date.now;
    const stopAt = now() + (options.timeBudgetMs ?? DELETE_TIME_BUDGET_MS);
    const batch = options.batch ?? DELETE_BATCH;
    const account = await this.accounts.getAccount(accountId);
    if (!account) throw new ScimError(404, `account ${accountId} not found`);
    if (account.type === 'partner') {
      const customers = (await this.accounts.listAccounts()).filter((a) => a.partnerId === accountId).length;
      if (customers > 0) {
        throw new ScimError(409, `partner account ${accountId} manages ${plural(customers, 'customer account')}; delete them first`);
      }
    }
    const [integration, userCount] = await Promise.all([this.accounts.getIntegration(accountId), this.users.count(accountId)]);
    if (!options.force && (integration || userCount > 0)) {
      const has = [userCount > 0 ? plural(userCount, 'user') : '', integration ? 'the Entra ID Sync integration' : ''].filter(Boolean).join(' and ');
      throw new ScimError(
        409,
        `account ${accountId} has ${has}; delete with force (?force=true, scimlink accounts delete --force) to delete its users, ` +
          'releasing their login IDs, emails and phone numbers, and remove the integration',
      );
    }
    const view: AccountDeletionView = { accountId, deleted: false, integrationRemoved: false, usersDeleted: 0, usersRemaining: userCount, itemsDeleted: 0 };
    if (integration) {
      await this.accounts.removeIntegration(accountId);
      await this.tokenHashes.delete(accountId);
      view.integrationRemoved = true;
    }

    // Users, a page at a time, until the batch or the time is used up.
    let after: string | undefined;
    for (;;) {
      const budget = batch - view.usersDeleted;
      if (budget <= 0 || now() >= stopAt) return this.partial(view);
      const page = await this.users.page(accountId, after, Math.min(budget, PARALLEL_USER_DELETES));
      if (page.users.length === 0) break;
      const outcomes = await Promise.all(page.users.map((u) => this.deleteUser(u)));
      view.usersDeleted += outcomes.filter(Boolean).length;
      // A user left behind (it kept changing) is skipped here and met again by the next call.
      after = page.users[page.users.length - 1]?.id;
      if (!page.next) break;
    }
    if (after !== undefined) {
      // Some users may have been skipped; the next call (which starts from the first user again) finds them.
      const left = await this.users.count(accountId);
      if (left > 0) return this.partial(view);
    }

    const sweep = await this.accounts.sweepAccountItems(accountId, Math.max(0, batch - view.usersDeleted));
    view.itemsDeleted = sweep.deleted;
    // A user met by the sweep was written by a request already in flight when the integration went: go round again.
    if (sweep.users || sweep.more) return this.partial(view);

    await this.tokenHashes.delete(accountId);
    if (!(await this.accounts.deleteAccount(accountId))) throw new ScimError(404, `account ${accountId} not found`);
    return { ...view, deleted: true, usersRemaining: 0 };
  }

  private async partial(view: AccountDeletionView): Promise<AccountDeletionView> {
    return { ...view, usersRemaining: await this.users.count(view.accountId) };
  }

  /** One user as SCIM DELETE does it; re-read on a concurrent change. False: left for the next call. */
  private async deleteUser(user: StoredUser): Promise<boolean> {
    let current: StoredUser | undefined = user;
    for (let attempt = 1; current && attempt <= USER_DELETE_ATTEMPTS; attempt++) {
      try {
        await this.users.delete(current);
        return true;
      } catch (e) {
        if (!(e instanceof VersionConflict)) throw e;
        current = await this.users.get(user.accountId, user.id);
      }
    }
    return current === undefined; // deleted by someone else meanwhile: gone all the same
  }
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
