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

  it('without force never deletes a user, even one its count missed: 409, the users and the account stay', async () => {
    // Prepare: the count says 0 (a damaged count, or a create in flight) while two users exist.
    const users = await seeded(2);
    users.count = async () => 0;
    const calls: string[] = [];

    // Act
    const refused = await new AccountTeardown(fakeAccounts(calls), users, tokenHashes(calls)).run(ACC, { force: false }).catch((e: unknown) => e);

    // Assess
    expect(refused).toMatchObject({ status: 409, detail: expect.stringMatching(/^account acc1 has users; delete with force/) });
    expect(await users.listAll(ACC)).toHaveLength(2);
    expect(calls).toEqual([]);
  });

  it('deletes at most `batch` users per call', async () => {
    const users = await seeded(20);
    const calls: string[] = [];
    const view = await new AccountTeardown(fakeAccounts(calls), users, tokenHashes(calls)).run(ACC, { force: true, batch: 9 });
    expect(view).toMatchObject({ deleted: false, usersDeleted: 9, usersRemaining: 11 });
  });
});

/** A recording account store: every write the teardown makes, in order, with its arguments. */
function recordingAccounts(
  calls: string[],
  init: { type?: 'partner' | 'customer'; partnerId?: string; integration?: boolean; others?: Array<{ id: string; partnerId?: string }>; sweeps?: Array<{ deleted: number; users: boolean; more: boolean }>; deleted?: boolean } = {},
) {
  const sweeps = [...(init.sweeps ?? [])];
  return {
    getAccount: async (id: string) =>
      id === ACC ? { id, name: 'Contoso', type: init.type ?? 'customer', createdAt: '2024-01-01T00:00:00.000Z', ...(init.partnerId ? { partnerId: init.partnerId } : {}) } : undefined,
    listAccounts: async () => (init.others ?? []).map((o) => ({ name: o.id, type: 'customer', createdAt: '2024-01-01T00:00:00.000Z', ...o })),
    getIntegration: async (id: string) => (init.integration && id === ACC ? { accountId: id, addedAt: '2024-01-01T00:00:00.000Z' } : undefined),
    removeIntegration: async (id: string) => void calls.push(`removeIntegration ${id}`),
    sweepAccountItems: async (id: string, limit: number) => (calls.push(`sweep ${id} ${limit}`), sweeps.shift() ?? { deleted: 0, users: false, more: false }),
    deleteAccount: async (id: string, partnerId?: string) => (calls.push(`deleteAccount ${id} ${partnerId}`), init.deleted ?? true),
  } as unknown as DynamoAccountStore;
}

const secrets = (calls: string[]): TokenHashStore => ({
  get: async () => undefined,
  put: async () => undefined,
  delete: async (id: string) => void calls.push(`deleteSecret ${id}`),
});
const domainClaims = (calls: string[]) => ({ releaseAll: async (id: string) => (calls.push(`releaseDomains ${id}`), 1) });

describe('AccountTeardown steps and refusals', () => {
  it('an empty account: its domain claims, the partition sweep (with the whole batch), the secret, then the account with its partner', async () => {
    const calls: string[] = [];
    const teardown = new AccountTeardown(recordingAccounts(calls, { partnerId: 'p1', sweeps: [{ deleted: 4, users: false, more: false }] }), new MemoryUserStore(), secrets(calls), domainClaims(calls));

    const view = await teardown.run(ACC, { force: false });

    expect(view).toEqual({ accountId: ACC, deleted: true, integrationRemoved: false, usersDeleted: 0, usersRemaining: 0, itemsDeleted: 4 });
    expect(calls).toEqual([`releaseDomains ${ACC}`, `sweep ${ACC} 100`, `deleteSecret ${ACC}`, `deleteAccount ${ACC} p1`]);
  });

  it('with force: the integration goes first (its secret too), then the users; the sweep gets what is left of the batch', async () => {
    const users = await seeded(3);
    const calls: string[] = [];
    const teardown = new AccountTeardown(recordingAccounts(calls, { integration: true }), users, secrets(calls));

    const view = await teardown.run(ACC, { force: true });

    expect(view).toEqual({ accountId: ACC, deleted: true, integrationRemoved: true, usersDeleted: 3, usersRemaining: 0, itemsDeleted: 0 });
    expect(calls).toEqual([`removeIntegration ${ACC}`, `deleteSecret ${ACC}`, `sweep ${ACC} 97`, `deleteSecret ${ACC}`, `deleteAccount ${ACC} undefined`]);
    expect(await users.count(ACC)).toBe(0);
  });

  it('a batch used up by the users exactly: the sweep is asked for nothing', async () => {
    const calls: string[] = [];
    const view = await new AccountTeardown(recordingAccounts(calls), await seeded(3), secrets(calls)).run(ACC, { force: true, batch: 3 });
    expect(view).toMatchObject({ deleted: true, usersDeleted: 3 });
    expect(calls).toContain(`sweep ${ACC} 0`);
  });

  it('reads users 8 at a time (the deletes in flight), one page per read, fewer when the batch is nearly used', async () => {
    const users = await seeded(20);
    const limits: number[] = [];
    const page = users.page.bind(users);
    users.page = async (accountId, after, limit) => (limits.push(limit), page(accountId, after, limit));
    const calls: string[] = [];

    const first = await new AccountTeardown(recordingAccounts(calls), users, secrets(calls)).run(ACC, { force: true, batch: 19 });
    expect(limits).toEqual([8, 8, 3]);
    expect(first).toMatchObject({ deleted: false, usersDeleted: 19, usersRemaining: 1 });

    limits.length = 0;
    const second = await new AccountTeardown(recordingAccounts(calls), users, secrets(calls)).run(ACC, { force: true });
    expect(limits).toEqual([8]);
    expect(second).toMatchObject({ deleted: true, usersDeleted: 1, usersRemaining: 0 });
  });

  it(`by default deletes at most 100 users per call`, async () => {
    const users = await seeded(101);
    const calls: string[] = [];
    const view = await new AccountTeardown(recordingAccounts(calls), users, secrets(calls)).run(ACC, { force: true });
    expect(view).toMatchObject({ deleted: false, usersDeleted: 100, usersRemaining: 1 });
    expect(calls).toEqual([]);
  });

  it('by default stops starting batches after 4 s: a call at 3.999 s goes on, one at 4 s stops', async () => {
    const calls: string[] = [];
    const clock = (readings: number[]) => () => readings.shift() ?? 99_999;
    const goesOn = await new AccountTeardown(recordingAccounts(calls), await seeded(2), secrets(calls)).run(ACC, { force: true, now: clock([0, 3_999]) });
    expect(goesOn).toMatchObject({ usersDeleted: 2, usersRemaining: 0 });
    const stops = await new AccountTeardown(recordingAccounts(calls), await seeded(2), secrets(calls)).run(ACC, { force: true, now: clock([0, 4_000]) });
    expect(stops).toMatchObject({ deleted: false, usersDeleted: 0, usersRemaining: 2 });
  });

  it('a user deleted by someone else between the read and the delete counts as deleted; any other failure propagates', async () => {
    const users = await seeded(2);
    const [first] = await users.listAll(ACC);
    const realDelete = users.delete.bind(users);
    users.delete = async (u: StoredUser) => {
      if (u.id === first!.id) {
        await realDelete(u);
        throw new VersionConflict();
      }
      return realDelete(u);
    };
    const calls: string[] = [];
    expect(await new AccountTeardown(recordingAccounts(calls), users, secrets(calls)).run(ACC, { force: true })).toMatchObject({ deleted: true, usersDeleted: 2 });

    const broken = await seeded(1);
    const boom = new Error('DynamoDB down');
    broken.delete = async () => {
      throw boom;
    };
    expect(await new AccountTeardown(recordingAccounts(calls), broken, secrets(calls)).run(ACC, { force: true }).catch((e: unknown) => e)).toBe(boom);
  });

  it('a sweep that meets a user (a write in flight) or has more to do answers 202-style: not deleted, the account stays', async () => {
    for (const sweep of [
      { deleted: 2, users: true, more: false },
      { deleted: 2, users: false, more: true },
    ]) {
      const calls: string[] = [];
      const view = await new AccountTeardown(recordingAccounts(calls, { sweeps: [sweep] }), new MemoryUserStore(), secrets(calls)).run(ACC, { force: true });
      expect(view).toEqual({ accountId: ACC, deleted: false, integrationRemoved: false, usersDeleted: 0, usersRemaining: 0, itemsDeleted: 2 });
      expect(calls).toEqual([`sweep ${ACC} 100`]);
    }
  });

  it('an unknown account → 404; an account gone before its item is deleted → 404', async () => {
    const calls: string[] = [];
    const unknown = await new AccountTeardown(recordingAccounts(calls), new MemoryUserStore(), secrets(calls)).run('nope', { force: true }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ status: 404, detail: 'account nope not found' });
    expect(calls).toEqual([]);
    const gone = await new AccountTeardown(recordingAccounts(calls, { deleted: false }), new MemoryUserStore(), secrets(calls)).run(ACC, { force: true }).catch((e: unknown) => e);
    expect(gone).toMatchObject({ status: 404, detail: `account ${ACC} not found` });
  });

  it.each([
    [[{ id: 'c1', partnerId: ACC }], '1 customer account'],
    [[{ id: 'c1', partnerId: ACC }, { id: 'c2', partnerId: ACC }, { id: 'c3', partnerId: 'p2' }, { id: 'c4' }], '2 customer accounts'],
  ])('a partner with customers (case %#) → 409 naming how many, even with force; nothing touched', async (others, how) => {
    const calls: string[] = [];
    const refused = await new AccountTeardown(recordingAccounts(calls, { type: 'partner', others }), new MemoryUserStore(), secrets(calls)).run(ACC, { force: true }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, detail: `partner account ${ACC} manages ${how}; delete them first` });
    expect(calls).toEqual([]);
  });

  it("a partner whose customers are all another partner's is deleted", async () => {
    const calls: string[] = [];
    const others = [{ id: 'c3', partnerId: 'p2' }, { id: 'c4' }];
    expect(await new AccountTeardown(recordingAccounts(calls, { type: 'partner', others }), new MemoryUserStore(), secrets(calls)).run(ACC, { force: false })).toMatchObject({ deleted: true });
  });

  it.each([
    [1, true, '1 user and the Entra ID Sync integration'],
    [2, false, '2 users'],
    [0, true, 'the Entra ID Sync integration'],
  ])('without force, %i user(s) (integration: %s) → 409 saying what it has and how to force; nothing touched', async (n, integration, has) => {
    const calls: string[] = [];
    const users = await seeded(n);
    const refused = await new AccountTeardown(recordingAccounts(calls, { integration }), users, secrets(calls)).run(ACC, { force: false }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 409,
      detail:
        `account ${ACC} has ${has}; delete with force (?force=true, scimlink accounts delete --force) to delete its users, ` +
        'releasing their login IDs, emails and phone numbers, and remove the integration',
    });
    expect(calls).toEqual([]);
    expect(await users.count(ACC)).toBe(n);
  });
});
