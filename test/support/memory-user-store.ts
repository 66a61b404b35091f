import { uniqueness } from '../../lambdas/scim/errors';
import { UserStore, VersionConflict } from '../../lambdas/scim/ports';
import { UniqueKind, uniqueKey, uniqueValuesOf } from '../../lambdas/scim/uniqueness';
import { StoredUser, UserData } from '../../lambdas/scim/user';

/**
 * The user store port in memory, for unit tests of the SCIM core (lambdas/scim/user-service.ts) that need a
 * faithful store without DynamoDB: unique values are held through the same keys (`uniqueKey`) the DynamoDB
 * adapter writes as sentinels, so a lookup by any unique value finds exactly the user a deployed store would.
 * Not a second implementation of the rules: every rule it relies on is the core's.
 */
export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, StoredUser>();
  /** sentinel key → user id */
  private readonly holders = new Map<string, string>();
  private next = 0;
  readonly reads: string[] = [];

  async get(accountId: string, id: string) {
    this.reads.push(`get ${id}`);
    const user = this.users.get(id);
    return user?.accountId === accountId ? structuredClone(user) : undefined;
  }

  async findByUnique(accountId: string, kind: UniqueKind, value: string) {
    this.reads.push(`${kind} ${value}`);
    const id = this.holders.get(uniqueKey(kind, value, accountId));
    const user = id === undefined ? undefined : this.users.get(id);
    return user?.accountId === accountId ? structuredClone(user) : undefined;
  }

  async holderOf(accountId: string, kind: UniqueKind, value: string) {
    return (await this.findByUnique(accountId, kind, value))?.id;
  }

  async findByExternalId(accountId: string, externalId: string, limit: number) {
    this.reads.push(`externalId ${externalId}`);
    return this.all(accountId).filter((u) => u.data.externalId === externalId).slice(0, limit);
  }

  async findPhoneHolder(e164: string) {
    return this.findHolder('phone', e164, '');
  }

  async findHolder(kind: UniqueKind, value: string, accountId: string) {
    const id = this.holders.get(uniqueKey(kind, value, accountId));
    const user = id === undefined ? undefined : this.users.get(id);
    return user && structuredClone(user);
  }

  async list(accountId: string, startIndex: number, count: number) {
    const users = this.all(accountId);
    return { total: users.length, users: users.slice(startIndex - 1, startIndex - 1 + count) };
  }

  async page(accountId: string, after: string | undefined, limit: number) {
    this.reads.push('page');
    const rest = this.all(accountId).filter((u) => after === undefined || u.id > after);
    const users = rest.slice(0, limit);
    return rest.length > limit ? { users, next: users[users.length - 1]!.id } : { users };
  }

  async count(accountId: string) {
    return this.all(accountId).length;
  }

  async listAll(accountId: string) {
    this.reads.push('all');
    return this.all(accountId);
  }

  async create(accountId: string, data: UserData) {
    this.next += 1;
    const at = new Date(Date.UTC(2024, 0, 1, 0, 0, this.next)).toISOString();
    const user: StoredUser = { id: `u-${String(this.next).padStart(3, '0')}`, accountId, data: structuredClone(data), meta: { resourceType: 'User', created: at, lastModified: at, version: 1 } };
    this.claim(user, undefined);
    this.users.set(user.id, user);
    return structuredClone(user);
  }

  async update(current: StoredUser, data: UserData) {
    const stored = this.users.get(current.id);
    if (!stored || stored.meta.version !== current.meta.version) throw new VersionConflict();
    const next: StoredUser = { ...stored, data: structuredClone(data), meta: { ...stored.meta, version: stored.meta.version + 1 } };
    this.claim(next, stored);
    this.users.set(next.id, next);
    return structuredClone(next);
  }

  async delete(current: StoredUser) {
    const stored = this.users.get(current.id);
    if (!stored || stored.meta.version !== current.meta.version) throw new VersionConflict();
    for (const v of uniqueValuesOf(stored.data, stored.accountId)) this.holders.delete(v.key);
    this.users.delete(current.id);
  }

  private all(accountId: string) {
    return [...this.users.values()]
      .filter((u) => u.accountId === accountId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((u) => structuredClone(u));
  }

  /** All or nothing, like the DynamoDB transaction: a taken value leaves every sentinel as it was. */
  private claim(user: StoredUser, previous: StoredUser | undefined) {
    const wanted = uniqueValuesOf(user.data, user.accountId);
    const taken = wanted.find((v) => this.holders.has(v.key) && this.holders.get(v.key) !== user.id);
    if (taken) throw uniqueness(`${taken.attribute} is already in use`);
    if (previous) for (const v of uniqueValuesOf(previous.data, previous.accountId)) this.holders.delete(v.key);
    for (const v of wanted) this.holders.set(v.key, user.id);
  }
}
