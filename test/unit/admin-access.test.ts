/**
 * Issue 7: who the caller is (Cognito claims → Principal) and what each role may reach — the rules every admin
 * route applies (lambdas/admin/access.ts).
 */
import {
  accountCreation,
  canSeeAccount,
  mayAccessAccount,
  requireAccountAccess,
  requireMayDelete,
  requireMayRename,
  requireOperator,
  visibleAccounts,
  visibleHits,
  whoami,
} from '../../lambdas/admin/access';
import type { AccountView, PhoneSearchHit } from '../../lambdas/admin/contract';
import { Principal, parseGroups, principalFromClaims } from '../../lambdas/admin/principal';
import { ScimError } from '../../lambdas/scim/errors';
import { caught } from '../support/caught';

const OPERATOR: Principal = { role: 'operator', name: 'ops@scimlink.dev' };
const PARTNER: Principal = { role: 'partner', accountId: 'p1', name: 'pat@partner.example' };
const ADMIN: Principal = { role: 'account-admin', accountId: 'c1', name: 'ann@contoso.com' };

const account = (id: string, partnerId?: string): AccountView => ({
  id,
  name: id,
  type: id.startsWith('p') ? 'partner' : 'customer',
  createdAt: '2024-01-01T00:00:00.000Z',
  ...(partnerId ? { partnerId } : {}),
});
const ACCOUNTS = [account('p1'), account('p2'), account('c1', 'p1'), account('c2', 'p1'), account('c3', 'p2'), account('c4')];
const lookups: string[] = [];
const find = async (id: string) => {
  lookups.push(id);
  return ACCOUNTS.find((a) => a.id === id);
};
beforeEach(() => {
  lookups.length = 0;
});

/** The error a call must throw (fails the test if it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw, but the call returned');
}

describe('principalFromClaims', () => {
  it.each([
    ['operator', ['operator']],
    ['a,b', ['a', 'b']],
    ['[partner account-admin]', ['partner', 'account-admin']],
    [' [ operator ] ', ['operator']],
    [['partner', ' operator '], ['partner', 'operator']],
    ['', []],
    [undefined, []],
    [42, []],
    [' a ,, b\t c ', ['a', 'b', 'c']],
    ['[operator],[partner]', ['operator]', '[partner']],
    ['a[b] c', ['a[b]', 'c']],
    [['', ' ', 'partner', 7], ['partner', '7']],
  ])('cognito:groups %j → %j', (value, groups) => {
    expect(parseGroups(value)).toEqual(groups);
  });

  it('reads the role, the account and the name the REST API authorizer passes', () => {
    expect(principalFromClaims({ 'cognito:groups': 'operator', email: 'ops@scimlink.dev', sub: 's-1' })).toEqual(OPERATOR);
    expect(principalFromClaims({ 'cognito:groups': '[partner]', 'custom:accountId': 'p1', email: 'pat@partner.example' })).toEqual(PARTNER);
    const adminClaims = { 'cognito:groups': 'account-admin', 'custom:accountId': 'c1', 'cognito:username': 'ann@contoso.com' };
    expect(principalFromClaims(adminClaims)).toEqual(ADMIN);
    expect(principalFromClaims({ 'cognito:groups': 'operator', sub: 'only-a-sub' })).toEqual({ role: 'operator', name: 'only-a-sub' });
  });

  it('the name is the first non-blank of email, username and sub, trimmed; none → "unknown user"', () => {
    expect(principalFromClaims({ 'cognito:groups': 'operator', email: ' ', 'cognito:username': ' ann ', sub: 's-1' }).name).toBe('ann');
    expect(principalFromClaims({ 'cognito:groups': 'operator', email: 7, sub: ' s-1 ' }).name).toBe('s-1');
    expect(thrown(() => principalFromClaims({ 'cognito:groups': 'viewers' }))).toMatchObject({
      status: 403,
      detail: 'unknown user is in no scimlink group (operator, partner or account-admin); an operator adds console users to one',
    });
    expect(principalFromClaims({ 'cognito:groups': 'partner', 'custom:accountId': ' p1 ', email: 'x@y.z' })).toEqual({ role: 'partner', accountId: 'p1', name: 'x@y.z' });
  });

  it('a user in several groups gets the most powerful role; an operator needs no account', () => {
    expect(principalFromClaims({ 'cognito:groups': '[account-admin operator]', 'custom:accountId': 'c1', email: 'x@y.z' })).toEqual({
      role: 'operator',
      name: 'x@y.z',
    });
    const both = { 'cognito:groups': 'account-admin,partner', 'custom:accountId': 'p1', email: 'x@y.z' };
    expect(principalFromClaims(both).role).toBe('partner');
  });

  it('no known group → 403 naming the groups; no role is guessed', () => {
    for (const groups of [undefined, '', 'admins', '[Operator]', ['viewers']]) {
      const e = thrown(() => principalFromClaims({ 'cognito:groups': groups, email: 'eve@example.com' }));
      expect(e).toBeInstanceOf(ScimError);
      expect(e).toMatchObject({ status: 403 });
      expect((e as ScimError).detail).toBe(
        'eve@example.com is in no scimlink group (operator, partner or account-admin); an operator adds console users to one',
      );
    }
  });

  it('a partner or account admin without custom:accountId → 403', () => {
    for (const role of ['partner', 'account-admin']) {
      for (const accountId of [undefined, '', '  ']) {
        const claims = { 'cognito:groups': role, email: 'pat@x.io', ...(accountId === undefined ? {} : { 'custom:accountId': accountId }) };
        expect(thrown(() => principalFromClaims(claims))).toMatchObject({
          status: 403,
          detail: `pat@x.io is a ${role} without an account (custom:accountId); an operator sets it`,
        });
      }
    }
  });
});

describe('account access', () => {
  it('operator: every account; partner: itself and its customers; account admin: itself', () => {
    const seen = (p: Principal) => ACCOUNTS.filter((a) => canSeeAccount(p, a)).map((a) => a.id);
    expect(seen(OPERATOR)).toEqual(['p1', 'p2', 'c1', 'c2', 'c3', 'c4']);
    expect(seen(PARTNER)).toEqual(['p1', 'c1', 'c2']);
    expect(seen(ADMIN)).toEqual(['c1']);
    expect(visibleAccounts(PARTNER, ACCOUNTS)).toEqual([ACCOUNTS[0], ACCOUNTS[2], ACCOUNTS[3]]);
  });

  it('requireAccountAccess: the same 403 whether the account exists or not', async () => {
    for (const [p, id] of [
      [PARTNER, 'c3'],
      [PARTNER, 'p2'],
      [PARTNER, 'nope'],
      [ADMIN, 'c2'],
      [ADMIN, 'p1'],
      [ADMIN, 'nope'],
    ] as const) {
      const e = await caught(requireAccountAccess(p, id, find));
      expect(e).toBeInstanceOf(ScimError);
      expect(e).toMatchObject({ status: 403, detail: `account ${id} is not one you manage` });
    }
    await expect(requireAccountAccess(PARTNER, 'c2', find)).resolves.toBeUndefined();
    await expect(requireAccountAccess(ADMIN, 'c1', find)).resolves.toBeUndefined();
  });

  it('reads the account only when the partner relation decides it', async () => {
    expect(await mayAccessAccount(OPERATOR, 'nope', find)).toBe(true); // the operation answers its own 404
    expect(await mayAccessAccount(ADMIN, 'c2', find)).toBe(false);
    expect(await mayAccessAccount(PARTNER, 'p1', find)).toBe(true);
    expect(lookups).toEqual([]);
    expect(await mayAccessAccount(PARTNER, 'c2', find)).toBe(true);
    expect(lookups).toEqual(['c2']);
  });

  it('a lookup failure is an error, not a refusal', async () => {
    const broken = () => Promise.reject(new Error('DynamoDB down'));
    await expect(mayAccessAccount(PARTNER, 'c2', broken)).rejects.toThrow('DynamoDB down');
  });
});

describe('account creation', () => {
  it('an operator creates anything the service accepts (the body goes through unchanged)', () => {
    const body = { name: 'P', type: 'partner', id: 'chosen' };
    expect(accountCreation(OPERATOR, body)).toBe(body);
  });

  it('a partner creates customers under itself only', () => {
    expect(accountCreation(PARTNER, { name: 'New Co', type: 'customer' })).toEqual({ name: 'New Co', type: 'customer', partnerId: 'p1' });
    expect(accountCreation(PARTNER, { name: 'New Co' })).toEqual({ name: 'New Co', type: 'customer', partnerId: 'p1' });
    expect(accountCreation(PARTNER, { name: 'New Co', type: 'customer', partnerId: 'p1', id: 'chosen' })).toEqual({
      name: 'New Co',
      type: 'customer',
      partnerId: 'p1',
    });
    expect(thrown(() => accountCreation(PARTNER, { name: 'X', type: 'partner' }))).toMatchObject({
      status: 403,
      detail: 'a partner creates customer accounts only',
    });
    expect(thrown(() => accountCreation(PARTNER, { name: 'X', type: 'customer', partnerId: 'p2' }))).toMatchObject({
      status: 403,
      detail: 'a partner creates customer accounts under itself only (partnerId p1)',
    });
  });

  it('an account admin creates nothing', () => {
    expect(thrown(() => accountCreation(ADMIN, { name: 'X', type: 'customer' }))).toMatchObject({
      status: 403,
      detail: 'an account admin cannot create accounts',
    });
  });
});

describe('renaming and deleting accounts', () => {
  it('an operator or a partner may rename; an account admin is refused', () => {
    expect(() => requireMayRename(OPERATOR)).not.toThrow();
    expect(() => requireMayRename(PARTNER)).not.toThrow();
    expect(thrown(() => requireMayRename(ADMIN))).toMatchObject({
      status: 403,
      detail: 'an account admin cannot rename accounts; ask your partner or an operator',
    });
  });

  it('an operator deletes any account, its own id included; a partner its customers but not itself; an account admin nothing', () => {
    expect(() => requireMayDelete(OPERATOR, 'c1')).not.toThrow();
    expect(() => requireMayDelete({ ...OPERATOR, accountId: 'c1' } as Principal, 'c1')).not.toThrow();
    expect(() => requireMayDelete(PARTNER, 'c1')).not.toThrow();
    expect(thrown(() => requireMayDelete(PARTNER, 'p1'))).toMatchObject({
      status: 403,
      detail: 'a partner cannot delete its own account; ask an operator',
    });
    for (const id of ['c1', 'c2']) {
      expect(thrown(() => requireMayDelete(ADMIN, id))).toMatchObject({
        status: 403,
        detail: 'an account admin cannot delete accounts; ask your partner or an operator',
      });
    }
  });
});

describe('verify, phone search, whoami', () => {
  it('verify is for operators only', () => {
    expect(() => requireOperator(OPERATOR, 'verify')).not.toThrow();
    for (const p of [PARTNER, ADMIN]) {
      expect(thrown(() => requireOperator(p, 'verify'))).toMatchObject({ status: 403, detail: 'verify is for operators only' });
    }
  });

  it('phone hits are filtered to the accounts the caller manages', async () => {
    const hit = (accountId: string): PhoneSearchHit => ({
      accountId,
      userId: `u-${accountId}`,
      userName: 'x',
      active: true,
      types: ['mobile'],
      value: '+14155550100',
    });
    const hits = [hit('c1'), hit('c2'), hit('c3'), hit('gone')];
    expect((await visibleHits(OPERATOR, hits, find)).map((h) => h.accountId)).toStrictEqual(['c1', 'c2', 'c3', 'gone']);
    expect((await visibleHits(PARTNER, hits, find)).map((h) => h.accountId)).toStrictEqual(['c1', 'c2']);
    expect((await visibleHits(ADMIN, hits, find)).map((h) => h.accountId)).toStrictEqual(['c1']);
  });

  it('whoami shows the account only for the roles that have one', () => {
    expect(whoami(OPERATOR)).toStrictEqual({ role: 'operator', name: 'ops@scimlink.dev' });
    expect(whoami(PARTNER)).toEqual({ role: 'partner', accountId: 'p1', name: 'pat@partner.example' });
    expect(whoami(ADMIN)).toEqual({ role: 'account-admin', accountId: 'c1', name: 'ann@contoso.com' });
  });
});
