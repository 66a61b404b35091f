/** The accounts list's text filter (lambdas/admin/account-search.ts): what `?q=` and the console's search box find. */
import { accountMatches } from '../../lambdas/admin/account-search';

const CONTOSO = { id: 'c-7f3a', name: 'Contoso EU' };

describe('accountMatches', () => {
  it.each([
    ['contoso', 'part of the name, other case'],
    ['SO E', 'across the space in the name'],
    ['７F３', 'part of the id, full-width and upper case (NFKC + lower case)'],
    ['ＣＯＮ', 'full-width letters in the name'],
    ['  eu  ', 'surrounding spaces are ignored'],
    ['c-7f3a', 'the whole id'],
  ])('%j finds the account (%s)', (text) => {
    expect(accountMatches(CONTOSO, text)).toBe(true);
  });

  it.each([
    ['fabrikam', 'in neither'],
    ['contoso us', 'the name only partly'],
    ['c-7f3b', 'a near-miss of the id'],
    [' c o n ', 'inner spaces count'],
  ])('%j does not find it (%s)', (text) => {
    expect(accountMatches(CONTOSO, text)).toBe(false);
  });

  it('an empty or blank text finds every account', () => {
    expect(accountMatches(CONTOSO, '')).toBe(true);
    expect(accountMatches(CONTOSO, '   ')).toBe(true);
  });

  it('the id alone or the name alone is enough', () => {
    expect(accountMatches({ id: 'x1', name: 'Fabrikam' }, 'fab')).toBe(true);
    expect(accountMatches({ id: 'fab-1', name: 'Northwind' }, 'fab')).toBe(true);
    expect(accountMatches({ id: 'x1', name: 'Northwind' }, 'fab')).toBe(false);
  });

  it('compatibility forms fold in the account too (a stored "ｆａｂ" is found by "fab")', () => {
    expect(accountMatches({ id: 'x1', name: 'ＦＡＢ Ltd' }, 'fab')).toBe(true);
    expect(accountMatches({ id: 'ｆａｂ', name: 'x' }, 'fab')).toBe(true);
  });

  it('folds to lower case, so a letter whose upper case is two letters stays one: "ß" finds "Straße", "ss" does not', () => {
    const account = { id: 'x1', name: 'Straße AG' };
    expect(accountMatches(account, 'STRAßE')).toBe(true);
    expect(accountMatches(account, 'ss')).toBe(false);
  });
});
