import { ScimError } from '../scim/errors';
import type { AccountView, CreateAccountRequest, PhoneSearchHit, WhoamiView } from './contract';
import type { Principal } from './principal';

/**
 * The role rules of the admin API, in one place (issue #7). The admin route applies `requireAccountAccess` to
 * every route with an {accountId}; the few routes without one (accounts list and create, phone search, verify)
 * call the matching rule here. An operator may do everything; a partner its own account and the customer accounts
 * it manages; an account admin its own account only.
 */

type AccountRef = Pick<AccountView, 'id' | 'partnerId'>;

export function canSeeAccount(principal: Principal, account: AccountRef): boolean {
  switch (principal.role) {
    case 'operator':
      return true;
    case 'partner':
      return account.id === principal.accountId || account.partnerId === principal.accountId;
    case 'account-admin':
      return account.id === principal.accountId;
  }
}

/**
 * The same refusal whether or not the account exists, so a partner or account admin cannot probe other
 * accounts' ids.
 */
export const notYourAccount = (accountId: string) => new ScimError(403, `account ${accountId} is not one you manage`);

/**
 * Whether the principal may act on `accountId`. `findAccount` is read only when the answer depends on the
 * account's managing partner (a partner asking about another account).
 */
export async function mayAccessAccount(
  principal: Principal,
  accountId: string,
  findAccount: (id: string) => Promise<AccountRef | undefined>,
): Promise<boolean> {
  if (principal.role === 'operator' || accountId === principal.accountId) return true;
  if (principal.role === 'account-admin') return false;
  const account = await findAccount(accountId);
  return account !== undefined && canSeeAccount(principal, account);
}

/** 403 unless the principal may act on `accountId`. For an operator an unknown account stays the operation's 404. */
export async function requireAccountAccess(
  principal: Principal,
  accountId: string,
  findAccount: (id: string) => Promise<AccountRef | undefined>,
): Promise<void> {
  if (!(await mayAccessAccount(principal, accountId, findAccount))) throw notYourAccount(accountId);
}

export const visibleAccounts = <A extends AccountRef>(principal: Principal, accounts: A[]): A[] =>
  accounts.filter((a) => canSeeAccount(principal, a));

/**
 * What the principal may create from the request body: an operator anything the service accepts; a partner a
 * customer account under itself (partnerId is set to the partner; another one is refused); an account admin
 * nothing.
 */
export function accountCreation(principal: Principal, body: Record<string, unknown>): CreateAccountRequest {
  if (principal.role === 'operator') return body as unknown as CreateAccountRequest;
  if (principal.role === 'account-admin') throw new ScimError(403, 'an account admin cannot create accounts');
  if (body.type !== undefined && body.type !== 'customer') throw new ScimError(403, 'a partner creates customer accounts only');
  if (body.partnerId !== undefined && body.partnerId !== principal.accountId) {
    throw new ScimError(403, `a partner creates customer accounts under itself only (partnerId ${principal.accountId})`);
  }
  // A fresh object: nothing else in the body (such as an account id of the caller's choosing) goes through.
  return { name: body.name as string, type: 'customer', partnerId: principal.accountId };
}

/** Renaming: an operator any account, a partner its own and its customers' (the route checks which); an account admin none. */
export function requireMayRename(principal: Principal): void {
  if (principal.role === 'account-admin') throw new ScimError(403, 'an account admin cannot rename accounts; ask your partner or an operator');
}

/**
 * Deleting: an operator any account; a partner the customer accounts it manages (the route checks which) but not
 * its own, which would lock it out of its customers; an account admin none.
 */
export function requireMayDelete(principal: Principal, accountId: string): void {
  if (principal.role === 'account-admin') throw new ScimError(403, 'an account admin cannot delete accounts; ask your partner or an operator');
  if (principal.role === 'partner' && accountId === principal.accountId) {
    throw new ScimError(403, 'a partner cannot delete its own account; ask an operator');
  }
}

/** Operations over the whole table (verify) are the operator's. */
export function requireOperator(principal: Principal, what: string): void {
  if (principal.role !== 'operator') throw new ScimError(403, `${what} is for operators only`);
}

/** Phone search answers across accounts; a partner or account admin sees only the hits in accounts it manages. */
export async function visibleHits(
  principal: Principal,
  hits: PhoneSearchHit[],
  findAccount: (id: string) => Promise<AccountRef | undefined>,
): Promise<PhoneSearchHit[]> {
  const visible: PhoneSearchHit[] = [];
  for (const hit of hits) if (await mayAccessAccount(principal, hit.accountId, findAccount)) visible.push(hit);
  return visible;
}

export function whoami(principal: Principal): WhoamiView {
  return principal.role === 'operator'
    ? { role: principal.role, name: principal.name }
    : { role: principal.role, accountId: principal.accountId, name: principal.name };
}
