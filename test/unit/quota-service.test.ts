/**
 * Quotas as an operator reads and sets them (lambdas/admin/quotas.ts) over an in-memory account store: the limit in
 * force, the default, the account's own, what is used, and every refused body. HTTP: test/integration/quotas.test.ts.
 */
import { MAX_QUOTA, QuotaService } from '../../lambdas/admin/quotas';
import type { Account } from '../../lambdas/store/dynamo-account-store';
import { scimRejection as refusal } from '../support/caught';

const DEFAULTS = { maxUsersPerAccount: 500, maxAccountsPerPartner: 20 };
const USAGE = 'send {"maxUsers": N} and/or {"maxAccounts": N} (a whole number from 0 to 10000000), or null to return to the default';

class Accounts {
  readonly accounts = new Map<string, Account>([
    ['p1', { id: 'p1', name: 'Partner', type: 'partner', createdAt: '2024-01-01T00:00:00.000Z' }],
    ['c1', { id: 'c1', name: 'Customer', type: 'customer', partnerId: 'p1', createdAt: '2024-01-01T00:00:00.000Z' }],
  ]);
  readonly writes: Array<[string, unknown]> = [];
  /** Set to make the conditional write fail as it does when the account went meanwhile. */
  goneOnWrite = false;
  async getAccount(id: string) {
    const a = this.accounts.get(id);
    return a && { ...a };
  }
  async countCustomers(partnerId: string) {
    return [...this.accounts.values()].filter((a) => a.partnerId === partnerId).length;
  }
  async setQuotas(id: string, changes: { maxUsers?: number | null; maxAccounts?: number | null }) {
    this.writes.push([id, changes]);
    const a = this.accounts.get(id);
    if (!a || this.goneOnWrite) return false;
    for (const [k, v] of Object.entries(changes) as Array<['maxUsers' | 'maxAccounts', number | null]>) {
      if (v === null) delete a[k];
      else a[k] = v;
    }
    return true;
  }
}

const usersIn: Record<string, number> = { p1: 2, c1: 7 };
const users = { count: async (accountId: string) => usersIn[accountId] ?? 0 };

function setup() {
  const accounts = new Accounts();
  return { accounts, service: new QuotaService(accounts, users, DEFAULTS) };
}

describe('reading quotas', () => {
  it('a customer: its users against the default, no override, no customer-account quota', async () => {
    const { service } = setup();
    expect(await service.get('c1')).toStrictEqual({ accountId: 'c1', users: { limit: 500, default: 500, used: 7 } });
  });

  it('a partner: also the customer accounts it manages', async () => {
    const { service } = setup();
    expect(await service.get('p1')).toStrictEqual({
      accountId: 'p1',
      users: { limit: 500, default: 500, used: 2 },
      customerAccounts: { limit: 20, default: 20, used: 1 },
    });
  });

  it("an account's own limit is in force and shown as the override, even when it is 0", async () => {
    const { accounts, service } = setup();
    Object.assign(accounts.accounts.get('p1')!, { maxUsers: 0, maxAccounts: 3 });
    expect(await service.get('p1')).toStrictEqual({
      accountId: 'p1',
      users: { limit: 0, default: 500, override: 0, used: 2 },
      customerAccounts: { limit: 3, default: 20, override: 3, used: 1 },
    });
  });

  it('an unknown account: 404', async () => {
    const { service } = setup();
    expect(await refusal(service.get('nope'))).toMatchObject({ status: 404, detail: 'account nope not found' });
  });
});

describe('setting quotas', () => {
  it('a number sets the limit; null returns to the default; the answer is the quotas after the change', async () => {
    const { accounts, service } = setup();
    expect(await service.set('p1', { maxUsers: 1000, maxAccounts: 0 })).toStrictEqual({
      accountId: 'p1',
      users: { limit: 1000, default: 500, override: 1000, used: 2 },
      customerAccounts: { limit: 0, default: 20, override: 0, used: 1 },
    });
    expect(accounts.writes).toEqual([['p1', { maxUsers: 1000, maxAccounts: 0 }]]);
    expect(await service.set('p1', { maxUsers: null })).toStrictEqual({
      accountId: 'p1',
      users: { limit: 500, default: 500, used: 2 },
      customerAccounts: { limit: 0, default: 20, override: 0, used: 1 },
    });
    expect(accounts.writes[1]).toEqual(['p1', { maxUsers: null }]);
  });

  it(`the bounds are 0 and ${MAX_QUOTA}`, async () => {
    const { service } = setup();
    expect((await service.set('c1', { maxUsers: MAX_QUOTA })).users.limit).toBe(10_000_000);
    expect((await service.set('c1', { maxUsers: 0 })).users.limit).toBe(0);
  });

  it.each([
    [{ maxUsers: -1 }, 'maxUsers -1'],
    [{ maxUsers: MAX_QUOTA + 1 }, 'maxUsers 10000001'],
    [{ maxUsers: 1.5 }, 'maxUsers 1.5'],
    [{ maxUsers: '100' }, 'maxUsers "100"'],
    [{ maxUsers: true }, 'maxUsers true'],
    [{ maxAccounts: 5, maxUsers: [] }, 'maxUsers []'],
  ])('%j → 400 naming the value and the rule, nothing written', async (body, shown) => {
    const { accounts, service } = setup();
    expect(await refusal(service.set('p1', body))).toMatchObject({
      status: 400,
      detail: `${shown} is not a whole number from 0 to 10000000: ${USAGE}`,
    });
    expect(accounts.writes).toEqual([]);
  });

  it.each([[{}], [{ maxUsers: 5, limit: 5 }], [{ maxusers: 5 }], [null], [undefined], [[]], [[5]], [[{ maxUsers: 5 }]], ['maxUsers=5'], [''], [5], [true]])(
    'body %j → 400 with the usage, nothing written',
    async (body) => {
      const { accounts, service } = setup();
      expect(await refusal(service.set('c1', body))).toMatchObject({ status: 400, detail: USAGE });
      expect(accounts.writes).toEqual([]);
    },
  );

  it('maxAccounts on a customer account: 400 naming its type, nothing written', async () => {
    const { accounts, service } = setup();
    expect(await refusal(service.set('c1', { maxAccounts: 5 }))).toMatchObject({
      status: 400,
      detail: 'maxAccounts limits the customer accounts a partner creates; c1 is a customer account',
    });
    expect(await refusal(service.set('c1', { maxAccounts: null, maxUsers: 5 }))).toMatchObject({ status: 400 });
    expect(accounts.writes).toEqual([]);
  });

  it('an unknown account, or one deleted before the write: 404', async () => {
    const { accounts, service } = setup();
    expect(await refusal(service.set('nope', { maxUsers: 5 }))).toMatchObject({ status: 404, detail: 'account nope not found' });
    expect(accounts.writes).toEqual([]);
    accounts.goneOnWrite = true;
    expect(await refusal(service.set('c1', { maxUsers: 5 }))).toMatchObject({ status: 404, detail: 'account c1 not found' });
  });
});
