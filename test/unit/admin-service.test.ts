import type { IntegrationRecord, TokenHashRecord, TokenHashStore } from '../../lambdas/auth/ports';
import { hashToken } from '../../lambdas/auth/tokens';
import type { AccountStore } from '../../lambdas/admin/account-store';
import { AdminService, PARTNER_REFUSAL, REGENERATE_WARNING, tenantUrlOf } from '../../lambdas/admin/admin-service';
import { DEFAULT_QUOTAS } from '../../lambdas/runtime/quota-defaults';
import { ScimError } from '../../lambdas/scim/errors';
import { VersionConflict } from '../../lambdas/scim/ports';
import { EXTENSION_SCHEMA } from '../../lambdas/scim/schema';
import { StoredUser, UserData } from '../../lambdas/scim/user';
import type { Account } from '../../lambdas/store/dynamo-account-store';
import { newUserItems } from '../../lambdas/store/dynamo-user-store';
import type { TableScanner } from '../../lambdas/store/table-scanner';
import { caught } from '../support/caught';
import { MemoryUserStore } from '../support/memory-user-store';

/**
 * The admin service's own decisions (SPEC §2, §5) over in-memory stores: which request is refused with which
 * status and message, what an operator sees of accounts, integrations, keys and users, and who holds a value.
 * The DynamoDB adapters under it have their own tests (dynamo-account-store, dynamo-user-store).
 */
const NOW = new Date('2024-06-01T12:00:00.000Z');
const API = 'https://api.example.com/prod/';

/** The account store's contract in memory: conditional writes answer false exactly where DynamoDB's would fail. */
class MemoryAccountStore implements AccountStore {
  readonly accounts = new Map<string, Account>();
  readonly integrations = new Map<string, IntegrationRecord>();
  /** The partner limit each creation was checked against (DynamoDB's condition on the partner's counter). */
  readonly partnerLimits: Array<number | undefined> = [];
  async createAccount(account: Account, partnerLimit?: number) {
    this.partnerLimits.push(partnerLimit);
    if (this.accounts.has(account.id)) return false;
    this.accounts.set(account.id, { ...account });
    return true;
  }
  async renameAccount(accountId: string, name: string) {
    const account = this.accounts.get(accountId);
    if (!account) return false;
    account.name = name;
    return true;
  }
  async listAccounts() {
    return [...this.accounts.values()].map((a) => ({ ...a }));
  }
  async getAccount(accountId: string) {
    const account = this.accounts.get(accountId);
    return account && { ...account };
  }
  async getIntegration(accountId: string) {
    const integration = this.integrations.get(accountId);
    return integration && { ...integration };
  }
  async addIntegration(accountId: string, addedAt: string) {
    if (!this.integrations.has(accountId)) this.integrations.set(accountId, { accountId, addedAt });
    return { ...this.integrations.get(accountId)! };
  }
  async setTenantKey(accountId: string, tenantKey: string, at: string) {
    const integration = this.integrations.get(accountId);
    if (!integration) return false;
    Object.assign(integration, { tenantKey, keysGeneratedAt: at });
    return true;
  }
  async removeIntegration(accountId: string) {
    this.integrations.delete(accountId);
  }
  // The steps of account deletion have their own tests (account-teardown.test.ts); here the partition is empty.
  async sweepAccountItems() {
    return { deleted: 0, users: false, more: false };
  }
  async deleteAccount(accountId: string) {
    return this.accounts.delete(accountId);
  }
}

class MemoryTokenHashes implements TokenHashStore {
  readonly records = new Map<string, TokenHashRecord>();
  async put(accountId: string, record: TokenHashRecord) {
    this.records.set(accountId, record);
  }
  async get(accountId: string) {
    return this.records.get(accountId);
  }
  async delete(accountId: string) {
    this.records.delete(accountId);
  }
}

const user = (userName: string, overrides: Partial<UserData> = {}): UserData => ({
  userName,
  active: true,
  emails: [{ value: userName.toLowerCase(), type: 'work', primary: true }],
  ...overrides,
});

function setup() {
  const accounts = new MemoryAccountStore();
  const users = new MemoryUserStore();
  const tokens = new MemoryTokenHashes();
  const service = new AdminService(accounts, users, tokens, () => NOW);
  return { accounts, users, tokens, service };
}

async function adminError(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  const e = await caught(promise);
  if (!(e instanceof ScimError)) throw new Error(`expected a ScimError, got ${String(e)}`);
  return { status: e.status, message: e.detail };
}

describe('createAccount', () => {
  it('creates a customer under a partner, with a trimmed name and the creation time', async () => {
    const { service, accounts } = setup();
    await service.createAccount({ id: 'p1', name: 'Partner', type: 'partner' });

    const created = await service.createAccount({ id: 'c1', name: '  Contoso  ', type: 'customer', partnerId: 'p1' });

    expect(created).toEqual({ id: 'c1', name: 'Contoso', type: 'customer', partnerId: 'p1', createdAt: NOW.toISOString() });
    expect(accounts.accounts.get('c1')).toEqual(created);
  });

  it('generates a 16-hex-digit id when none is given and writes no partnerId', async () => {
    const { service } = setup();
    const created = await service.createAccount({ name: 'Fabrikam', type: 'customer' });
    expect(created.id).toMatch(/^[0-9a-f]{16}$/);
    expect(created).not.toHaveProperty('partnerId');
  });

  it.each<[string, unknown]>([
    ['empty', ''],
    ['blank', '   '],
    ['not a string', 42],
    ['201 characters', 'x'.repeat(201)],
  ])('a name that is %s → 400 naming the rule, nothing written', async (_what, name) => {
    const { service, accounts } = setup();
    expect(await adminError(service.createAccount({ id: 'c1', name: name as string, type: 'customer' }))).toEqual({
      status: 400,
      message: 'name is required (1-200 characters)',
    });
    expect(accounts.accounts.size).toBe(0);
  });

  it('a name of exactly 200 characters is accepted', async () => {
    const { service } = setup();
    expect((await service.createAccount({ id: 'c1', name: 'x'.repeat(200), type: 'customer' })).name).toHaveLength(200);
  });

  it.each(['admin', '', 'Customer'])('type %j → 400', async (type) => {
    const { service } = setup();
    expect(await adminError(service.createAccount({ id: 'c1', name: 'A', type: type as 'customer' }))).toEqual({
      status: 400,
      message: "type must be 'partner' or 'customer'",
    });
  });

  it('an invalid id → 400 naming the id rule', async () => {
    const { service } = setup();
    const e = await adminError(service.createAccount({ id: 'Bad_Id', name: 'A', type: 'customer' }));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/^id "Bad_Id" is not a valid account id/);
  });

  it('an invalid partnerId → 400 naming partnerId', async () => {
    const { service } = setup();
    const e = await adminError(service.createAccount({ id: 'c1', name: 'A', type: 'customer', partnerId: 'P#1' }));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/^partnerId "P#1" is not a valid account id/);
  });

  it('a partner account with a partnerId → 400', async () => {
    const { service } = setup();
    await service.createAccount({ id: 'p1', name: 'Partner', type: 'partner' });
    expect(await adminError(service.createAccount({ id: 'p2', name: 'B', type: 'partner', partnerId: 'p1' }))).toEqual({
      status: 400,
      message: 'only a customer account has a managing partner',
    });
  });

  it('an unknown partner → 400 not found; a customer as partner → 400 naming its type', async () => {
    const { service, accounts } = setup();
    await service.createAccount({ id: 'c0', name: 'Customer', type: 'customer' });
    expect(await adminError(service.createAccount({ id: 'c1', name: 'A', type: 'customer', partnerId: 'p9' }))).toEqual({
      status: 400,
      message: 'partner account p9 not found',
    });
    expect(await adminError(service.createAccount({ id: 'c1', name: 'A', type: 'customer', partnerId: 'c0' }))).toEqual({
      status: 400,
      message: 'account c0 is a customer account; --partner / partnerId needs a partner account',
    });
    expect([...accounts.accounts.keys()]).toEqual(['c0']);
  });

  it('an id that exists → 409, the existing account unchanged', async () => {
    const { service, accounts } = setup();
    await service.createAccount({ id: 'c1', name: 'First', type: 'customer' });
    expect(await adminError(service.createAccount({ id: 'c1', name: 'Second', type: 'partner' }))).toEqual({
      status: 409,
      message: 'account c1 exists already',
    });
    expect(accounts.accounts.get('c1')?.name).toBe('First');
  });
});

describe('a partner creating customer accounts', () => {
  it("is held to its own limit when an operator set one, else to the deployment's; an operator creating under it is not", async () => {
    const accounts = new MemoryAccountStore();
    const service = new AdminService(accounts, new MemoryUserStore(), new MemoryTokenHashes(), () => NOW, undefined, 7);
    await service.createAccount({ id: 'p1', name: 'Partner', type: 'partner' });
    await service.createAccount({ id: 'p2', name: 'Partner 2', type: 'partner' });
    accounts.accounts.get('p2')!.maxAccounts = 0;

    await service.createAccount({ id: 'c1', name: 'A', type: 'customer', partnerId: 'p1' }, true);
    await service.createAccount({ id: 'c2', name: 'B', type: 'customer', partnerId: 'p2' }, true);
    await service.createAccount({ id: 'c3', name: 'C', type: 'customer', partnerId: 'p1' });
    await service.createAccount({ id: 'c4', name: 'D', type: 'customer' }, true);

    expect(accounts.partnerLimits).toEqual([undefined, undefined, 7, 0, undefined, undefined]);
  });

  it(`the deployment's limit defaults to ${DEFAULT_QUOTAS.maxAccountsPerPartner}`, async () => {
    const { service, accounts } = setup();
    await service.createAccount({ id: 'p1', name: 'Partner', type: 'partner' });
    await service.createAccount({ id: 'c1', name: 'A', type: 'customer', partnerId: 'p1' }, true);
    expect(accounts.partnerLimits).toEqual([undefined, 100]);
  });
});

describe('deleting an account', () => {
  it('goes through the bounded teardown: the integration, the users, the domain claims, then the account', async () => {
    const accounts = new MemoryAccountStore();
    const users = new MemoryUserStore();
    const tokens = new MemoryTokenHashes();
    const released: string[] = [];
    const domains = { releaseAll: async (id: string) => (released.push(id), 0) };
    const service = new AdminService(accounts, users, tokens, () => NOW, undefined, 100, domains);
    await service.createAccount({ id: 'c1', name: 'Contoso', type: 'customer' });
    await service.addIntegration('c1');
    await service.generateKeys('c1', API);
    await users.create('c1', user('a@contoso.com'));

    expect(await service.deleteAccount('c1', { force: true })).toEqual({
      accountId: 'c1',
      deleted: true,
      integrationRemoved: true,
      usersDeleted: 1,
      usersRemaining: 0,
      itemsDeleted: 0,
    });
    expect([accounts.accounts.has('c1'), accounts.integrations.has('c1'), tokens.records.has('c1'), await users.count('c1')]).toEqual([false, false, false, 0]);
    expect(released).toEqual(['c1']);
  });
});

describe('accounts: rename, get, list', () => {
  it('rename trims the new name and answers the account; unknown → 404; a bad name → 400', async () => {
    const { service } = setup();
    await service.createAccount({ id: 'c1', name: 'Contso', type: 'customer' });

    expect(await service.renameAccount('c1', ' Contoso ')).toEqual({ id: 'c1', name: 'Contoso', type: 'customer', createdAt: NOW.toISOString() });
    expect(await adminError(service.renameAccount('c9', 'X'))).toEqual({ status: 404, message: 'account c9 not found' });
    expect((await adminError(service.renameAccount('c1', ''))).status).toBe(400);
    expect((await service.getAccount('c1')).name).toBe('Contoso');
  });

  it('get of an unknown account → 404, findAccount → undefined; list answers every account', async () => {
    const { service } = setup();
    await service.createAccount({ id: 'a', name: 'A', type: 'partner' });
    await service.createAccount({ id: 'b', name: 'B', type: 'customer' });
    expect(await adminError(service.getAccount('zz'))).toEqual({ status: 404, message: 'account zz not found' });
    expect(await service.findAccount('zz')).toBeUndefined();
    expect((await service.listAccounts()).map((a) => a.id)).toStrictEqual(['a', 'b']);
  });
});

describe('integration and keys', () => {
  async function customer() {
    const s = setup();
    await s.service.createAccount({ id: 'c1', name: 'Contoso', type: 'customer' });
    await s.service.createAccount({ id: 'p1', name: 'Partner', type: 'partner' });
    return s;
  }

  it('add on a partner account → 400 with the refusal; on an unknown account → 404', async () => {
    const { service, accounts } = await customer();
    expect(await adminError(service.addIntegration('p1'))).toEqual({ status: 400, message: PARTNER_REFUSAL });
    expect(await adminError(service.addIntegration('c9'))).toEqual({ status: 404, message: 'account c9 not found' });
    expect(accounts.integrations.size).toBe(0);
  });

  it('add answers the integration without keys, with the user count; no tenant URL before keys', async () => {
    const { service, users } = await customer();
    await users.create('c1', user('a@contoso.com'));
    await users.create('c1', user('b@contoso.com'));
    await users.create('p1', user('x@partner.com'));

    expect(await service.addIntegration('c1', API)).toEqual({
      accountId: 'c1',
      integration: 'Entra ID Sync',
      addedAt: NOW.toISOString(),
      usersProvisioned: 2,
    });
  });

  it('generateKeys: stores the hash of the token shown once, switches the tenant key, answers the URL', async () => {
    const { service, accounts, tokens } = await customer();
    await service.addIntegration('c1');

    const keys = await service.generateKeys('c1', API);

    const record = tokens.records.get('c1');
    expect(record?.hash).toBe(hashToken(keys.secretToken));
    expect(accounts.integrations.get('c1')?.tenantKey).toBe(record?.tenantKey);
    expect(keys).toEqual({
      tenantUrl: `https://api.example.com/prod/scim/c1.${record?.tenantKey}`,
      secretToken: expect.stringMatching(/^scimlink_/),
      keysGeneratedAt: NOW.toISOString(),
      warning: REGENERATE_WARNING,
    });
    expect(await service.getIntegration('c1', API)).toEqual({
      accountId: 'c1',
      integration: 'Entra ID Sync',
      addedAt: NOW.toISOString(),
      keysGeneratedAt: NOW.toISOString(),
      tenantUrl: keys.tenantUrl,
      usersProvisioned: 0,
    });
    // Without the API's base URL there is no tenant URL to show.
    expect(await service.getIntegration('c1')).not.toHaveProperty('tenantUrl');
  });

  it('generating again replaces the tenant key and the hash', async () => {
    const { service, tokens } = await customer();
    await service.addIntegration('c1');
    const first = await service.generateKeys('c1', API);
    const second = await service.generateKeys('c1', API);
    expect(second.tenantUrl).not.toBe(first.tenantUrl);
    expect(tokens.records.get('c1')?.hash).toBe(hashToken(second.secretToken));
  });

  it('generateKeys without an integration → 404 and no token hash written', async () => {
    const { service, tokens } = await customer();
    expect(await adminError(service.generateKeys('c1', API))).toEqual({
      status: 404,
      message: 'account c1 has no Entra ID Sync integration; add it first',
    });
    expect(tokens.records.size).toBe(0);
  });

  it('generateKeys when the integration disappears before the switch → 409', async () => {
    const { service, accounts } = await customer();
    await service.addIntegration('c1');
    accounts.setTenantKey = async () => false;
    expect(await adminError(service.generateKeys('c1', API))).toEqual({
      status: 409,
      message: 'the integration was removed while generating keys; add it again',
    });
  });

  it('getIntegration: unknown account → 404 account not found; account without integration → 404 add it first', async () => {
    const { service } = await customer();
    expect(await adminError(service.getIntegration('c9'))).toEqual({ status: 404, message: 'account c9 not found' });
    expect(await adminError(service.getIntegration('c1'))).toEqual({
      status: 404,
      message: 'account c1 has no Entra ID Sync integration; add it first',
    });
  });

  it('getIntegration shows lastRequestAt when Entra has called', async () => {
    const { service, accounts } = await customer();
    await service.addIntegration('c1');
    accounts.integrations.get('c1')!.lastRequestAt = '2024-06-01T12:30:00.000Z';
    expect(await service.getIntegration('c1')).toMatchObject({ lastRequestAt: '2024-06-01T12:30:00.000Z' });
  });

  it('remove deletes the integration and the token hash, keeps the users; without integration → 404', async () => {
    const { service, accounts, tokens, users } = await customer();
    await users.create('c1', user('a@contoso.com'));
    await service.addIntegration('c1');
    await service.generateKeys('c1', API);

    await service.removeIntegration('c1');

    expect(accounts.integrations.has('c1')).toBe(false);
    expect(tokens.records.has('c1')).toBe(false);
    expect(await users.count('c1')).toBe(1);
    expect(await adminError(service.removeIntegration('c1'))).toEqual({ status: 404, message: 'account c1 has no Entra ID Sync integration' });
  });

  it.each<[string, string]>([
    ['https://api.example.com/prod', 'https://api.example.com/prod/scim/c1.K'],
    ['https://api.example.com/prod/', 'https://api.example.com/prod/scim/c1.K'],
    ['https://api.example.com/prod///', 'https://api.example.com/prod/scim/c1.K'],
    ['http://localhost:8080', 'http://localhost:8080/scim/c1.K'],
  ])('tenantUrlOf(%s) → %s', (base, url) => {
    expect(tenantUrlOf(base, 'c1', 'K')).toBe(url);
  });
});

describe('users', () => {
  async function withUsers() {
    const s = setup();
    await s.service.createAccount({ id: 'c1', name: 'Contoso', type: 'customer' });
    await s.users.create('c1', user('a@contoso.com'));
    await s.users.create('c1', user('b@contoso.com', { active: false }));
    await s.users.create('c1', user('c@contoso.com'));
    await s.users.create('c1', user('d@contoso.com', { active: false }));
    await s.users.create('c1', user('e@contoso.com'));
    return s;
  }

  it('lists a page of all users with the total', async () => {
    const { service } = await withUsers();
    const page = await service.listUsers('c1', { startIndex: 2, count: 2 });
    expect(page.totalResults).toBe(5);
    expect(page.startIndex).toBe(2);
    expect(page.users.map((u) => u.userName)).toStrictEqual(['b@contoso.com', 'c@contoso.com']);
  });

  it.each<[boolean, number, number, string[], number]>([
    [true, 1, 10, ['a@contoso.com', 'c@contoso.com', 'e@contoso.com'], 3],
    [true, 2, 1, ['c@contoso.com'], 3],
    [true, 3, 5, ['e@contoso.com'], 3],
    [true, 4, 5, [], 3],
    [false, 1, 1, ['b@contoso.com'], 2],
    [false, 2, 1, ['d@contoso.com'], 2],
  ])('active=%s startIndex=%i count=%i → %j of %i', async (active, startIndex, count, names, total) => {
    const { service } = await withUsers();
    const page = await service.listUsers('c1', { startIndex, count, active });
    expect(page).toMatchObject({ totalResults: total, startIndex });
    expect(page.users.map((u) => u.userName)).toEqual(names);
    for (const u of page.users) expect(u.active).toBe(active);
  });

  it('listing an unknown account → 404', async () => {
    const { service } = await withUsers();
    expect(await adminError(service.listUsers('c9', { startIndex: 1, count: 10 }))).toEqual({ status: 404, message: 'account c9 not found' });
  });

  it('the admin view of a user: its fields, the work address without type/primary, no empty parts', async () => {
    const { service, users } = setup();
    const full = await users.create(
      'c1',
      user('full@contoso.com', {
        displayName: 'Full',
        externalId: 'ext-1',
        phoneNumbers: [{ value: '+14155550100', type: 'mobile', primary: true }],
        addresses: [{ type: 'work', locality: 'Seattle', country: 'US', primary: true }],
        [EXTENSION_SCHEMA]: { extension: '100' },
      }),
    );
    const bare = await users.create('c1', user('bare@contoso.com', { addresses: [{ type: 'work', primary: true }] }));

    expect(await service.getUser('c1', full.id)).toEqual({
      accountId: 'c1',
      id: full.id,
      userName: 'full@contoso.com',
      displayName: 'Full',
      active: true,
      emails: [{ type: 'work', value: 'full@contoso.com' }],
      phoneNumbers: [{ type: 'mobile', value: '+14155550100' }],
      externalId: 'ext-1',
      extension: '100',
      address: { locality: 'Seattle', country: 'US' },
      created: full.meta.created,
      lastModified: full.meta.lastModified,
    });
    expect(await service.getUser('c1', bare.id)).toEqual({
      accountId: 'c1',
      id: bare.id,
      userName: 'bare@contoso.com',
      active: true,
      emails: [{ type: 'work', value: 'bare@contoso.com' }],
      phoneNumbers: [],
      created: bare.meta.created,
      lastModified: bare.meta.lastModified,
    });
  });

  it('getUser of an unknown id, or of another account’s user → 404 naming both', async () => {
    const { service, users } = setup();
    const other = await users.create('c2', user('x@fabrikam.com'));
    expect(await adminError(service.getUser('c1', other.id))).toEqual({ status: 404, message: `user ${other.id} not found in account c1` });
  });

  it('deleteUser releases its values (the same userName can be created again)', async () => {
    const { service, users } = setup();
    const u = await users.create('c1', user('a@contoso.com'));
    await service.deleteUser('c1', u.id);
    expect(await users.get('c1', u.id)).toBeUndefined();
    await expect(users.create('c2', user('a@contoso.com'))).resolves.toBeDefined();
    expect(await adminError(service.deleteUser('c1', u.id))).toEqual({ status: 404, message: `user ${u.id} not found in account c1` });
  });

  it('deleteUser re-reads and retries after a VersionConflict (at most 5 attempts), other errors at once', async () => {
    const { service, users } = setup();
    const u = await users.create('c1', user('a@contoso.com'));
    const realDelete = users.delete.bind(users);
    let calls = 0;
    users.delete = async (current: StoredUser) => {
      calls += 1;
      if (calls < 5) throw new VersionConflict();
      return realDelete(current);
    };
    await service.deleteUser('c1', u.id);
    expect(calls).toBe(5);

    const v = await users.create('c1', user('b@contoso.com'));
    calls = 0;
    users.delete = async () => {
      calls += 1;
      throw new VersionConflict();
    };
    expect(await caught(service.deleteUser('c1', v.id))).toBeInstanceOf(VersionConflict);
    expect(calls).toBe(5);

    const boom = new Error('boom');
    calls = 0;
    users.delete = async () => {
      calls += 1;
      throw boom;
    };
    expect(await caught(service.deleteUser('c1', v.id))).toBe(boom);
    expect(calls).toBe(1);
  });
});

describe('who holds a value', () => {
  async function holders() {
    const s = setup();
    await s.service.createAccount({ id: 'c1', name: 'Contoso', type: 'customer' });
    const alice = await s.users.create(
      'c1',
      user('Alice@Contoso.com', {
        active: false,
        emails: [
          { value: 'alice@contoso.com', type: 'work' },
          { value: 'ALICE@contoso.com', type: 'other' },
        ],
        phoneNumbers: [
          { value: '+14155550100', type: 'mobile' },
          { value: '+14155550100', type: 'work' },
          { value: '+14155550199', type: 'other' },
        ],
        [EXTENSION_SCHEMA]: { extension: '100' },
      }),
    );
    // A user whose account record is gone: the hit has no account name.
    const orphan = await s.users.create('gone', user('orphan@x.com', { phoneNumbers: [{ value: '+442071838750', type: 'work' }] }));
    return { ...s, alice, orphan };
  }

  it('searchPhone names the holder, its account, every type holding the number, the stored value', async () => {
    const { service, alice } = await holders();
    expect(await service.searchPhone('+14155550100')).toEqual({
      number: '+14155550100',
      hits: [{ accountId: 'c1', accountName: 'Contoso', userId: alice.id, userName: 'Alice@Contoso.com', active: false, types: ['mobile', 'work'], value: '+14155550100' }],
    });
    expect(await service.searchPhone('+14155550199')).toMatchObject({ hits: [{ types: ['other'], value: '+14155550199' }] });
  });

  it('a sentinel whose holder no longer lists the number (a damaged table): the hit names the holder, no type, the number searched', async () => {
    const { service, users, alice } = await holders();
    const stale = { ...alice, data: { ...alice.data, phoneNumbers: undefined } };
    users.findPhoneHolder = async () => stale;
    users.findHolder = async () => stale;
    expect(await service.searchPhone('+14155550100')).toEqual({
      number: '+14155550100',
      hits: [{ accountId: 'c1', accountName: 'Contoso', userId: alice.id, userName: 'Alice@Contoso.com', active: false, types: [], value: '+14155550100' }],
    });
    expect(await service.findConflict('phone', '+14155550100')).toMatchObject({ attributes: [], value: '+14155550100' });
  });

  it('searchPhone: nobody → no hits; a holder in an account that is gone → no accountName', async () => {
    const { service, orphan } = await holders();
    expect(await service.searchPhone('+14155550111')).toEqual({ number: '+14155550111', hits: [] });
    const { hits } = await service.searchPhone('+442071838750');
    expect(hits).toEqual([{ accountId: 'gone', userId: orphan.id, userName: 'orphan@x.com', active: true, types: ['work'], value: '+442071838750' }]);
  });

  it.each<[string, 'userName' | 'email' | 'phone' | 'extension', string, string, string[], string]>([
    ['userName, any case', 'userName', 'ALICE@contoso.COM', '', ['userName'], 'Alice@Contoso.com'],
    ['an email held by two types', 'email', 'Alice@Contoso.com', '', ['emails[type eq "work"].value', 'emails[type eq "other"].value'], 'alice@contoso.com'],
    ['a phone held by two types', 'phone', '+14155550100', '', ['phoneNumbers[type eq "mobile"].value', 'phoneNumbers[type eq "work"].value'], '+14155550100'],
    ['an extension in its account', 'extension', '100', 'c1', [`${EXTENSION_SCHEMA}:extension`], '100'],
  ])('findConflict: %s', async (_what, kind, value, accountId, attributes, stored) => {
    const { service, alice } = await holders();
    expect(await service.findConflict(kind, value, accountId)).toEqual({
      accountId: 'c1',
      accountName: 'Contoso',
      userId: alice.id,
      userName: 'Alice@Contoso.com',
      active: false,
      attributes,
      value: stored,
    });
  });

  it('findConflict: an extension in another account, or a value nobody holds → undefined; no account → no name', async () => {
    const { service, orphan } = await holders();
    expect(await service.findConflict('extension', '100', 'c2')).toBeUndefined();
    expect(await service.findConflict('email', 'nobody@contoso.com')).toBeUndefined();
    expect(await service.findConflict('userName', 'orphan@x.com')).toEqual({
      accountId: 'gone',
      userId: orphan.id,
      userName: 'orphan@x.com',
      active: true,
      attributes: ['userName'],
      value: 'orphan@x.com',
    });
  });
});

describe('verify', () => {
  it('scans the table once when it is consistent and adds the time of the check', async () => {
    const alice: StoredUser = {
      id: 'u1',
      accountId: 'c1',
      data: user('a@contoso.com'),
      meta: { resourceType: 'User', created: NOW.toISOString(), lastModified: NOW.toISOString(), version: 1 },
    };
    let scans = 0;
    let shardCount = 1;
    const scanner = {
      async scan(onPage: (items: Record<string, unknown>[]) => void) {
        scans += 1;
        onPage([...newUserItems(alice), { pk: 'ACCOUNT#c1', sk: 'COUNT#0', count: shardCount }]);
      },
    } as unknown as TableScanner;
    const service = new AdminService(new MemoryAccountStore(), new MemoryUserStore(), new MemoryTokenHashes(), () => NOW, scanner);

    expect(await service.verify()).toMatchObject({ consistent: true, users: 1, findings: [], checkedAt: NOW.toISOString() });
    expect(scans).toBe(1);

    // A finding is confirmed by a second scan before it is reported.
    shardCount = 0;
    expect(await service.verify()).toMatchObject({ consistent: false, findings: [{ kind: 'count-mismatch', accountId: 'c1' }] });
    expect(scans).toBe(3);
  });

  it('without a scanner → 501', async () => {
    const { service } = setup();
    expect(await adminError(service.verify())).toEqual({ status: 501, message: 'verify is not configured on this server' });
  });
});
