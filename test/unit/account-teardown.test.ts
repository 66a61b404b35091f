/**
 * The bounds of deleting an account (issue 16): a call stops at its batch or its time budget and says what remains;
 * a user that keeps changing under it is left for the next call, never half-deleted; the account item goes last.
 * The users live in the in-memory user store (the port's faithful double); the account store is a recording fake.
 */
import type { TokenHashStore } from '../../lambdas/auth/ports';
import { AccountTeardown } from '../../lambdas/admin/account-teardown';
import { VersionConflict } from '../../lambdas/scim/ports';
import type { StoredUser } from '../../lambdas/scim/user';
import type { DynamoAccountStore } from '../../lambdas/store/dynamo-account-store';
import { MemoryUserStore } from '../support/memory-user-store';

const ACC = 'acc1';

function fakeAccounts(calls: string[]) {
  let exists = true;
  return {
    getAccount: async (id: string) => (exists && id === ACC ? { id, name: 'Contoso', type: 'customer', createdAt: '2024-01-01T00:00:00.000Z' } : undefined),
    listAccounts: async () => [],
    getIntegration: async () => undefined,
    removeIntegration: async () => void calls.push('removeIntegration'),
    sweepAccountItems: async () => (calls.push('sweep'), { deleted: 0, users: false, more: false }),
    deleteAccount: async () => (calls.push('deleteAccount'), (exists = false), true),
  } as unknown as DynamoAccountStore;
}

const tokenHashes = (calls: string[]): TokenHashStore => ({
  get: async () => undefined,
  put: async () => undefined,
  delete: async () => void calls.push('deleteSecret'),
});

async function seeded(n: number) {
  const users = new MemoryUserStore();
  for (let i = 0; i < n; i++) {
    await users.create(ACC, { userName: `u${i}@contoso.com`, active: true, displayName: `U ${i}`, emails: [{ type: 'work', value: `u${i}@contoso.com` }], phoneNumbers: [{ type: 'mobile', value: `+1415555${1000 + i}` }] });
  }
  return users;
}

describe('AccountTeardown bounds', () => {
  it('stops starting deletes once its time budget is spent, answering what remains; nothing else is touched', async () => {
    // Prepare: a clock that moves 1 s per reading, a 2.5 s budget.
    const users = await seeded(30);
    const calls: string[] = [];
    let t = 0;

    // Act
    const view = await new AccountTeardown(fakeAccounts(calls), users, tokenHashes(calls)).run(ACC, { force: true, timeBudgetMs: 2_500, now: () => (t += 1_000) });

    // Assess
    expect(view.deleted).toBe(false);
    expect(view.usersDeleted).toBeGreaterThan(0);
    expect(view.usersDeleted).toBeLessThan(30);
    expect(view.usersRemaining).toBe(30 - view.usersDeleted);
    expect(await users.count(ACC)).toBe(view.usersRemaining);
    expect(calls).toEqual([]);
  });

  it('leaves a user that keeps changing for the next call (not counted, no account deletion); the next call finishes', async () => {
    // Prepare: every delete of the first user meets a concurrent change.
    const users = await seeded(3);
    const [stubborn] = await users.listAll(ACC);
    const realDelete = users.delete.bind(users);
    let conflicts = 0;
    users.delete = async (u: StoredUser) => {
      if (u.id === stubborn!.id && conflicts < 5) {
        conflicts++;
        throw new VersionConflict();
      }
      return realDelete(u);
    };
    const calls: string[] = [];
    const teardown = new AccountTeardown(fakeAccounts(calls), users, tokenHashes(calls));

    // Act
    const first = await teardown.run(ACC, { force: true });
    const second = await teardown.run(ACC, { force: true });

    // Assess
    expect(first).toMatchObject({ deleted: false, usersDeleted: 2, usersRemaining: 1 });
    expect(conflicts).toBe(5);
    expect(second).toMatchObject({ deleted: true, usersDeleted: 1, usersRemaining: 0 });
    expect(calls).toEqual(['sweep', 'deleteSecret', 'deleteAccount']);
    expect(await users.findHolder('phone', '+14155551000', '')).toBeUndefined();
  });

  it('deletes at most `batch` users per call', async () => {
    const users = await seeded(20);
    const calls: string[] = [];
    const view = await new AccountTeardown(fakeAccounts(calls), users, tokenHashes(calls)).run(ACC, { force: true, batch: 9 });
    expect(view).toMatchObject({ deleted: false, usersDeleted: 9, usersRemaining: 11 });
  });
});
