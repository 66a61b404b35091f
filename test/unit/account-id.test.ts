/** Account ids an operator chooses (issue 14, item 6): one documented pattern, checked at creation. */
import { ACCOUNT_ID, ACCOUNT_ID_RULE, requireValidAccountId } from '../../lambdas/admin/account-id';
import { newAccountId, parseTenantSegment } from '../../lambdas/auth/tokens';
import { scimError } from '../support/caught';

describe('the account id pattern', () => {
  it.each(['demo', 'contoso-eu', 'a', '0', 'a1-b2', 'x'.repeat(64)])('accepts %j', (id) => {
    expect(requireValidAccountId(id)).toBe(id);
  });

  it('accepts every generated id', () => {
    for (let i = 0; i < 200; i++) expect(newAccountId()).toMatch(ACCOUNT_ID);
  });

  it.each([
    ['a path', '../../etc'],
    ['upper case and a key separator', 'UPPER#x'],
    ['300 characters', 'a'.repeat(300)],
    ['65 characters', 'a'.repeat(65)],
    ['a dot (the tenant separator)', 'acme.eu'],
    ['a slash', 'acme/eu'],
    ['a leading hyphen', '-acme'],
    ['a trailing hyphen', 'acme-'],
    ['a space', 'acme eu'],
    ['empty', ''],
    ['a control character', 'acme\n'],
    ['non-ASCII', 'аcme'],
  ])('refuses %s with a 400 naming the rule', (_what, id) => {
    const e = scimError(() => requireValidAccountId(id));
    expect(e.status).toBe(400);
    expect(e.detail).toContain('is not a valid account id: use 1-64 lower-case letters, digits and hyphens');
    expect(e.detail).not.toContain('\n');
    expect(e.detail.length).toBeLessThan(200);
  });

  it.each([
    [42, 'a number'],
    [null, 'a null'],
    [{}, 'a object'],
    [undefined, 'a undefined'],
  ])('refuses a non-string id (%j), naming its type', (id, shown) => {
    const e = scimError(() => requireValidAccountId(id));
    expect(e.status).toBe(400);
    expect(e.detail).toBe(`id ${shown} is not a valid account id: use ${ACCOUNT_ID_RULE}`);
  });

  it('shows a refused id JSON-escaped, cut after 40 characters, and names the field', () => {
    expect(scimError(() => requireValidAccountId('Bad"Id')).detail).toBe(`id "Bad\\"Id" is not a valid account id: use ${ACCOUNT_ID_RULE}`);
    expect(scimError(() => requireValidAccountId('A'.repeat(40), 'partnerId')).detail).toBe(
      `partnerId "${'A'.repeat(40)}" is not a valid account id: use ${ACCOUNT_ID_RULE}`,
    );
    expect(scimError(() => requireValidAccountId('A'.repeat(41))).detail).toBe(`id "${'A'.repeat(40)}…" is not a valid account id: use ${ACCOUNT_ID_RULE}`);
    expect(ACCOUNT_ID_RULE).toBe('1-64 lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. contoso-eu)');
  });

  it('is the rule the tenant URL is read with', () => {
    expect(parseTenantSegment('contoso-eu.key')).toEqual({ accountId: 'contoso-eu', tenantKey: 'key' });
    expect(parseTenantSegment('UPPER.key')).toBeUndefined();
  });
});
