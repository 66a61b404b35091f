import type { AccountView } from './contract';

/** Longest filter text accepted: far longer than any account name (200) or id, short enough to cost nothing. */
export const MAX_ACCOUNT_FILTER = 200;

/**
 * The text filter of the accounts list (issue 16): an account matches when its name or id contains the text,
 * ignoring case and width (NFKC + lower case: "ＣＯＮ" finds "Contoso"). Pure and free of imports, so the admin
 * API and the console's search box agree on every match.
 */
export function accountMatches(account: Pick<AccountView, 'id' | 'name'>, text: string): boolean {
  const wanted = fold(text.trim());
  return fold(account.name).includes(wanted) || fold(account.id).includes(wanted); // '' is in every name: no filter
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase();
