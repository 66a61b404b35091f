import { randomInt, randomUUID } from 'node:crypto';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  QueryCommandInput,
  TransactWriteCommand,
  TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { uniqueness, unavailable } from '../scim/errors';
import { UserStore, VersionConflict } from '../scim/ports';
import { UniqueKind, UniqueValue, uniqueKey, uniqueValuesOf } from '../scim/uniqueness';
import { coveringClaims, sentinelDomainKeys, valueDomain } from '../scim/domains';
import { shardCaps, shardWithRoom, userQuotaReached } from '../scim/quota';
import { DEFAULT_QUOTAS } from '../runtime/quota-defaults';
import { StoredUser, UserData } from '../scim/user';
import { cancellationCodes, transientScimError, translated } from './aws-errors';
import { ItemReader, singleReads } from './consistent-reads';
import {
  ACCOUNT_SK,
  COUNT_SHARDS,
  COUNT_SK_PREFIX,
  DOMAIN_CLAIM_SK,
  SENTINEL_SK,
  USER_SK_PREFIX,
  accountPk,
  countSk,
  domainClaimPk,
  externalIdPrefix,
  externalIdSk,
  sentinelPk,
  userSk,
} from './keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The user item as stored; also the image DynamoDB Streams carries (lambdas/events/user-events.ts). */
export interface UserItem {
  pk: string;
  sk: string;
  kind: 'user';
  id: string;
  accountId: string;
  data: UserData;
  created: string;
  lastModified: string;
  version: number;
  /** Sentinel keys this user holds: what an update must release, and what `verify` checks. */
  uniques: string[];
}

/** Why a write's transaction was cancelled, decided from the cancellation reasons by action index. */
type ActionRole =
  | { role: 'user' }
  | { role: 'sentinel'; value: UniqueValue }
  | { role: 'domain'; value: UniqueValue; domain: string }
  | { role: 'quota' }
  | { role: 'other' };

/** The count shard a create chose was filled by a concurrent create meanwhile: read the shards again. */
class ShardFull extends Error {}
const USER: ActionRole = { role: 'user' };
/** Any action whose failed condition Entra cannot resolve (the fall-through of `transact`: the error is rethrown). */
// Stryker disable next-line ObjectLiteral,StringLiteral: 'other' is the fall-through; any role but the named ones rethrows alike
const OTHER: ActionRole = { role: 'other' };

export interface DynamoUserStoreOptions {
  /** Attempts for a transaction cancelled by TransactionConflict (concurrent writes on a shared item). */
  conflictAttempts?: number;
  now?: () => Date;
  /** How single items are read (default: one GetItem each); the SCIM handlers share a coalescing reader with auth. */
  reader?: ItemReader;
  /** The deployment's user limit per account (CDK context maxUsersPerAccount); an account's own `maxUsers` wins. */
  maxUsers?: number;
}

/**
 * The DynamoDB adapter of the user store (SPEC §4): a user item plus one sentinel per unique value, all written
 * in one TransactWriteItems. The client is injected so tests mock it and the local runner points it at dynalite.
 */
export class DynamoUserStore implements UserStore {
  private readonly conflictAttempts: number;
  private readonly now: () => Date;
  private readonly reader: ItemReader;
  private readonly maxUsers: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoUserStoreOptions = {},
  ) {
    this.conflictAttempts = options.conflictAttempts ?? 6;
    this.now = options.now ?? (() => new Date());
    this.reader = options.reader ?? singleReads(doc);
    this.maxUsers = options.maxUsers ?? DEFAULT_QUOTAS.maxUsersPerAccount;
  }

  async get(accountId: string, id: string): Promise<StoredUser | undefined> {
    const Key = { pk: accountPk(accountId), sk: userSk(id) };
    if (!keyCanExist(Key)) return undefined;
    const item = await translated(this.reader.get(this.tableName, Key));
    return item ? fromItem(item as unknown as UserItem) : undefined;
  }

  async findByUnique(accountId: string, kind: UniqueKind, value: string): Promise<StoredUser | undefined> {
    const holder = await this.holderOf(accountId, kind, value);
    return holder === undefined ? undefined : this.get(accountId, holder);
  }

  async holderOf(accountId: string, kind: UniqueKind, value: string): Promise<string | undefined> {
    const sentinel = await this.sentinel(uniqueKey(kind, value, accountId));
    // A value held in another account is "not found" here: never reveal other tenants' users.
    return sentinel && sentinel.accountId === accountId ? sentinel.userId : undefined;
  }

  async findPhoneHolder(e164: string): Promise<StoredUser | undefined> {
    // Phone sentinels are platform-wide, so the account passed to uniqueKey does not matter.
    // Stryker disable next-line StringLiteral: uniqueKey ignores the account of a phone key; any string reads the same sentinel
    return this.findHolder('phone', e164, '');
  }

  async findHolder(kind: UniqueKind, value: string, accountId: string): Promise<StoredUser | undefined> {
    const sentinel = await this.sentinel(uniqueKey(kind, value, accountId));
    return sentinel ? this.get(sentinel.accountId, sentinel.userId) : undefined;
  }

  private async sentinel(key: string): Promise<{ accountId: string; userId: string } | undefined> {
    const Key = { pk: sentinelPk(key), sk: SENTINEL_SK };
    if (!keyCanExist(Key)) return undefined;
    const item = (await translated(this.reader.get(this.tableName, Key))) as { accountId?: string; userId?: string } | undefined;
    return item?.accountId && item.userId ? { accountId: item.accountId, userId: item.userId } : undefined;
  }

  async findByExternalId(accountId: string, externalId: string, limit: number): Promise<StoredUser[]> {
    const { items } = await this.queryUpTo(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': externalIdPrefix(externalId) },
        ConsistentRead: true,
      },
      limit,
    );
    const users = await Promise.all(items.map((i) => this.get(accountId, String(i.userId))));
    return users.filter((u): u is StoredUser => u !== undefined && u.data.externalId === externalId);
  }

  async list(accountId: string, startIndex: number, count: number): Promise<{ total: number; users: StoredUser[] }> {
    const [total, users] = await Promise.all([this.countUsers(accountId), this.pageByIndex(accountId, startIndex, count)]);
    return { total, users };
  }

  async page(accountId: string, after: string | undefined, limit: number): Promise<{ users: StoredUser[]; next?: string }> {
    if (limit <= 0) return { users: [] };
    const start = after === undefined ? {} : { ExclusiveStartKey: { pk: accountPk(accountId), sk: userSk(after) } };
    const { items, more } = await this.queryUpTo({ ...this.usersQuery(accountId), ...start }, limit);
    const users = items.map((i) => fromItem(i as unknown as UserItem));
    // `more`: the Query stopped at `limit` (> 0) users, so there is a last one to continue after.
    return { users, ...(more ? { next: (users[users.length - 1] as StoredUser).id } : {}) };
  }

  count(accountId: string): Promise<number> {
    return this.countUsers(accountId);
  }

  async listAll(accountId: string): Promise<StoredUser[]> {
    const items = await this.queryAll(this.usersQuery(accountId));
    return items.map((i) => fromItem(i as unknown as UserItem));
  }

  async create(accountId: string, data: UserData): Promise<StoredUser> {
    const at = this.now().toISOString();
    const user: StoredUser = { id: randomUUID(), accountId, data, meta: { resourceType: 'User', created: at, lastModified: at, version: 1 } };
    const values = uniqueValuesOf(data, accountId);
    // The quota (issue 14, item 5): the +1 goes to a count shard with room, conditioned on it, in the user's own
    // transaction. A shard filled meanwhile by a concurrent create cancels it: read the shards again and retry.
    for (let attempt = 1; ; attempt++) {
      const { counts, limit } = await this.quotaState(accountId);
      const shard = shardWithRoom(counts, limit, randomInt);
      if (shard === undefined) throw userQuotaReached(limit);
      try {
        await this.createWith(user, values, shard, shardCaps(limit, COUNT_SHARDS)[shard] ?? 0);
        return user;
      } catch (e) {
        if (!(e instanceof ShardFull)) throw e;
        if (attempt >= this.conflictAttempts) throw unavailable('Too many concurrent changes to this directory; retry shortly.');
      }
    }
  }

  /**
   * The account's user limit (its own, else the deployment's) and its count shards: a strongly consistent GetItem
   * of the account item and a Query of the ≤ 16 shard items, side by side (one round trip, about 2 read units).
   */
  private async quotaState(accountId: string): Promise<{ counts: number[]; limit: number }> {
    const [account, shards] = await Promise.all([
      translated(this.reader.get(this.tableName, { pk: accountPk(accountId), sk: ACCOUNT_SK })),
      this.queryAll({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': COUNT_SK_PREFIX },
        ConsistentRead: true,
      }),
    ]);
    // By exact sort key: anything under COUNT# that is not one of the shards (a stray item) counts nothing.
    const bySk = new Map(shards.map((s) => [String(s.sk), Number(s.count ?? 0)]));
    const counts = Array.from({ length: COUNT_SHARDS }, (_, i) => bySk.get(countSk(i)) ?? 0);
    const own = (account as { maxUsers?: unknown } | undefined)?.maxUsers;
    return { counts, limit: typeof own === 'number' ? own : this.maxUsers };
  }

  private async createWith(user: StoredUser, values: UniqueValue[], shard: number, cap: number): Promise<void> {
    const { accountId, data } = user;
    await this.transact(() => {
      const roles: ActionRole[] = [];
      const items: TransactItem[] = [];
      items.push({ Put: { TableName: this.tableName, Item: toItem(user, values), ConditionExpression: 'attribute_not_exists(pk)' } });
      roles.push(USER);
      for (const value of values) {
        items.push(this.claim(value, user));
        roles.push({ role: 'sentinel', value });
      }
      this.checkDomainClaims(values, accountId, items, roles);
      if (data.externalId !== undefined) {
        items.push(this.externalIdPut(user));
        roles.push(OTHER);
      }
      items.push(this.countInto(accountId, shard, cap));
      roles.push({ role: 'quota' });
      return { items, roles };
    });
  }

  async update(current: StoredUser, data: UserData): Promise<StoredUser> {
    const next: StoredUser = {
      ...current,
      data,
      meta: { ...current.meta, lastModified: this.now().toISOString(), version: current.meta.version + 1 },
    };
    const before = heldKeys(current);
    const after = uniqueValuesOf(data, current.accountId);
    const afterKeys = new Set(after.map((v) => v.key));
    await this.transact(() => {
      const roles: ActionRole[] = [];
      const items: TransactItem[] = [];
      items.push({
        Put: {
          TableName: this.tableName,
          Item: toItem(next, after),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': current.meta.version },
        },
      });
      roles.push(USER);
      const taken: UniqueValue[] = [];
      for (const value of after) {
        if (before.has(value.key)) continue; // kept: its sentinel stays
        items.push(this.claim(value, next));
        roles.push({ role: 'sentinel', value });
        taken.push(value);
      }
      // Only values the user newly takes: a value held before the domain was claimed stays until an operator frees
      // it (the claim listed it), and Entra's other changes to that user keep working meanwhile.
      this.checkDomainClaims(taken, current.accountId, items, roles);
      for (const key of before) {
        if (afterKeys.has(key)) continue;
        items.push(this.release(key, current.id));
        roles.push(OTHER);
      }
      if (current.data.externalId !== data.externalId) {
        if (current.data.externalId !== undefined) {
          items.push({ Delete: { TableName: this.tableName, Key: { pk: accountPk(current.accountId), sk: externalIdSk(current.data.externalId, current.id) } } });
          roles.push(OTHER);
        }
        if (data.externalId !== undefined) {
          items.push(this.externalIdPut(next));
          roles.push(OTHER);
        }
      }
      return { items, roles };
    });
    return next;
  }

  async delete(current: StoredUser): Promise<void> {
    await this.transact(() => {
      const roles: ActionRole[] = [];
      const items: TransactItem[] = [];
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: { pk: accountPk(current.accountId), sk: userSk(current.id) },
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': current.meta.version },
        },
      });
      roles.push(USER);
      for (const key of keysToRelease(current)) {
        items.push(this.release(key, current.id));
        roles.push(OTHER);
      }
      if (current.data.externalId !== undefined) {
        items.push({ Delete: { TableName: this.tableName, Key: { pk: accountPk(current.accountId), sk: externalIdSk(current.data.externalId, current.id) } } });
        roles.push(OTHER);
      }
      items.push(this.countBy(current.accountId, -1));
      roles.push(OTHER);
      return { items, roles };
    });
  }

  // ---- building blocks ----

  /**
   * One ConditionCheck per domain claim that could cover a userName or email being taken (issue 14, item 2): the
   * claim is absent or this account's. Inside the user write's transaction, so a claim committed before it cancels
   * the write, and a claim committing meanwhile conflicts with it (TransactionConflict, retried): no write in a
   * claimed domain slips through. A value with no domain (a userName without `@`) checks nothing.
   */
  private checkDomainClaims(values: UniqueValue[], accountId: string, items: TransactItem[], roles: ActionRole[]): void {
    const checked = new Set<string>();
    for (const value of values) {
      const domain = valueDomain(value);
      for (const claim of domain === undefined ? [] : coveringClaims(domain)) {
        if (checked.has(claim)) continue;
        checked.add(claim);
        items.push({
          ConditionCheck: {
            TableName: this.tableName,
            Key: { pk: domainClaimPk(claim), sk: DOMAIN_CLAIM_SK },
            ConditionExpression: 'attribute_not_exists(pk) OR accountId = :me',
            ExpressionAttributeValues: { ':me': accountId },
          },
        });
        roles.push({ role: 'domain', value, domain: claim });
      }
    }
  }

  private claim(value: UniqueValue, user: StoredUser): TransactItem {
    return { Put: { TableName: this.tableName, Item: sentinelItem(value, user), ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /** Release a sentinel only if it is ours (or already gone): never delete a value another user holds. */
  private release(key: string, userId: string): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: { pk: sentinelPk(key), sk: SENTINEL_SK },
        ConditionExpression: 'attribute_not_exists(pk) OR userId = :me',
        ExpressionAttributeValues: { ':me': userId },
      },
    };
  }

  private externalIdPut(user: StoredUser): TransactItem {
    return { Put: { TableName: this.tableName, Item: externalIdItem(user) } };
  }

  /** +1 on a chosen shard, only while it is below its share of the limit. */
  private countInto(accountId: string, shard: number, cap: number): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk: accountPk(accountId), sk: countSk(shard) },
        UpdateExpression: 'ADD #c :d',
        ConditionExpression: 'attribute_not_exists(#c) OR #c < :cap',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':d': 1, ':cap': cap },
      },
    };
  }

  private countBy(accountId: string, delta: number): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk: accountPk(accountId), sk: countSk(randomInt(COUNT_SHARDS)) },
        UpdateExpression: 'ADD #c :d',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':d': delta },
      },
    };
  }

  /**
   * Run a transaction, rebuilding it per attempt (the count shard is re-drawn). A cancellation is translated by
   * the role of the failing action: a sentinel → 409 naming the attribute (never the holder); the user item →
   * VersionConflict. TransactionConflict (another transaction on the same item) is retried with jitter, then 503.
   *
   * Each attempt carries its own ClientRequestToken, which the SDK re-sends on its retries of that attempt: when a
   * response is lost after the write was applied (a timeout), DynamoDB answers the retry with success instead of
   * running the transaction again — which would fail our own conditions (a spurious 409, 404 or 500). Found by
   * test/integration/faults.test.ts.
   */
  private async transact(build: () => { items: TransactItem[]; roles: ActionRole[] }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { items, roles } = build();
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }));
        return;
      } catch (e) {
        const codes = cancellationCodes(e);
        if (codes.length === 0) throw transientScimError(e) ?? e;
        const failed = codes.findIndex((c) => c === 'ConditionalCheckFailed');
        if (failed >= 0) {
          const role = roles[failed];
          if (role?.role === 'sentinel') throw uniquenessError(role.value);
          if (role?.role === 'domain') throw domainClaimedError(role.value, role.domain);
          if (role?.role === 'quota') throw new ShardFull();
          if (role?.role === 'user') throw new VersionConflict();
          // A release of a sentinel another user holds: the data is inconsistent, a bug to log (500), not a
          // condition Entra can resolve by retrying.
          throw e;
        }
        const transient = codes.some((c) => c === 'TransactionConflict' || c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded');
        if (!transient) throw e; // e.g. ValidationError: permanent, retrying would loop Entra forever
        if (attempt >= this.conflictAttempts) throw unavailable('Too many concurrent changes to this directory; retry shortly.');
        await sleep(randomInt(5, 20 * 2 ** attempt));
      }
    }
  }


  private usersQuery(accountId: string): QueryCommandInput {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': USER_SK_PREFIX },
      ConsistentRead: true,
    };
  }

  private async countUsers(accountId: string): Promise<number> {
    const shards = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': COUNT_SK_PREFIX },
      ConsistentRead: true,
    });
    return shards.reduce((sum, s) => sum + Number(s.count ?? 0), 0);
  }

  /**
   * SCIM pages by index (RFC 7644 §3.4.2.4) while DynamoDB pages by key: skip startIndex-1 users, then read
   * `count`. Entra itself never lists without a filter; how far this walks is bounded by the caller (MAX_START_INDEX).
   */
  private async pageByIndex(accountId: string, startIndex: number, count: number): Promise<StoredUser[]> {
    if (count <= 0) return [];
    let skip = startIndex - 1;
    const out: StoredUser[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await translated(this.doc.send(new QueryCommand({ ...this.usersQuery(accountId), ExclusiveStartKey, Limit: Math.min(1000, skip + count - out.length) })),
      );
      for (const item of res.Items ?? []) {
        // Never more than `count` pushed: each Query's Limit is what is still to skip plus what is still to read.
        if (skip > 0) skip--;
        else out.push(fromItem(item as unknown as UserItem));
      }
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey && out.length < count);
    return out;
  }

  /** At most `limit` items (Query pages of up to 1 MB each); `more` when the key range goes on. */
  private async queryUpTo(input: QueryCommandInput, limit: number): Promise<{ items: Record<string, unknown>[]; more: boolean }> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey = input.ExclusiveStartKey;
    do {
      const res = await translated(this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey, Limit: limit - items.length })));
      items.push(...(res.Items ?? []));
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < limit);
    return { items, more: ExclusiveStartKey !== undefined };
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await translated(this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey })));
      out.push(...(res.Items ?? []));
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }
}

function uniquenessError(value: UniqueValue) {
  const what = value.kind === 'extension' ? `extension '${value.value}' is already used in this account` : `'${value.value}' is already in use by another user`;
  return uniqueness(`${value.attribute} ${what}; values must be unique (${rule(value.kind)}).`, `uniqueness:${value.kind}`);
}

/** A value in a domain another account claimed: the attribute and the domain, nothing about the account. */
function domainClaimedError(value: UniqueValue, domain: string) {
  return uniqueness(
    `${value.attribute} '${value.value}' is in the domain ${domain}, which belongs to another account: only that account may hold login IDs and email addresses in it (domain claim); an operator can tell you more.`,
    'uniqueness:domain',
  );
}

const rule = (kind: UniqueKind) =>
  ({
    userName: 'login IDs are unique across the platform, ignoring case',
    email: 'email addresses are unique across the platform, ignoring case',
    phone: 'phone numbers are unique across the platform',
    extension: 'extension numbers are unique within an account',
  })[kind];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether DynamoDB could hold an item under this key. Lookups take client input (`/Users/<id>`, `userName eq "…"`):
 * a key over DynamoDB's limits (partition 2048 bytes, sort 1024) or with an unpaired surrogate (not UTF-8) is
 * refused by DynamoDB with a ValidationException — a 500 — while the honest answer is "no such user". Values that
 * are stored are validated far below these limits. Found by test/integration/fuzz.test.ts.
 */
function keyCanExist(key: { pk: string; sk: string }): boolean {
  return Buffer.byteLength(key.pk) <= 2048 && Buffer.byteLength(key.sk) <= 1024 && !UNPAIRED_SURROGATE.test(key.pk) && !UNPAIRED_SURROGATE.test(key.sk);
}
/** Hoisted: bundlers emit a `\p{…}` literal as `new RegExp(…)`, which inside the function would run per call. */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

const sentinelItem = (value: UniqueValue, user: StoredUser) => ({
  pk: sentinelPk(value.key),
  sk: SENTINEL_SK,
  kind: 'sentinel',
  unique: value.kind,
  accountId: user.accountId,
  userId: user.id,
  ...sentinelDomainKeys(value),
});

const externalIdItem = (user: StoredUser) => ({
  pk: accountPk(user.accountId),
  sk: externalIdSk(user.data.externalId ?? '', user.id),
  kind: 'externalId',
  userId: user.id,
});

/**
 * The items `create` writes for a new user (user item, one sentinel per unique value, the externalId index item),
 * without the count shard: for bulk loading a store (the benchmark seeds 100,000 users with BatchWriteItem).
 * The caller adds the users to the count (`ADD count` on a `COUNT#` shard).
 */
export function newUserItems(user: StoredUser): Record<string, unknown>[] {
  const values = uniqueValuesOf(user.data, user.accountId);
  const items: Record<string, unknown>[] = [{ ...toItem(user, values) }, ...values.map((v) => sentinelItem(v, user))];
  if (user.data.externalId !== undefined) items.push(externalIdItem(user));
  return items;
}

function toItem(user: StoredUser, values: UniqueValue[]): UserItem {
  return {
    pk: accountPk(user.accountId),
    sk: userSk(user.id),
    kind: 'user',
    id: user.id,
    accountId: user.accountId,
    data: user.data,
    created: user.meta.created,
    lastModified: user.meta.lastModified,
    version: user.meta.version,
    uniques: values.map((v) => v.key),
  };
}

function fromItem(item: UserItem): StoredUser {
  const user: StoredUser = {
    id: item.id,
    accountId: item.accountId,
    data: item.data,
    meta: { resourceType: 'User', created: item.created, lastModified: item.lastModified, version: Number(item.version) },
  };
  // Every user holds a userName: an empty or missing list is not a record to trust (verify reports it).
  const recorded = Array.isArray(item.uniques) ? item.uniques.filter((k): k is string => typeof k === 'string') : [];
  if (recorded.length > 0) RECORDED_KEYS.set(user, recorded);
  return user;
}

/**
 * The sentinel keys a user item says it holds, by the user object read from it. They differ from what its data
 * implies when the canonical form changed since the user was written (issue 14: NFKC + case folding replaced NFC +
 * lower case): an update or delete then releases the old keys too, so a user rewritten by Entra's next cycle
 * leaves no orphan behind. Kept beside the object rather than in it, so the SCIM core never sees storage keys.
 */
const RECORDED_KEYS = new WeakMap<StoredUser, string[]>();

/** The sentinel keys `user` holds: what its item recorded, else (a user built in memory) what its data implies. */
function heldKeys(user: StoredUser): Set<string> {
  return new Set(RECORDED_KEYS.get(user) ?? uniqueValuesOf(user.data, user.accountId).map((v) => v.key));
}

/** What a delete releases: the held keys and today's keys of the data (releasing a key nobody holds is a no-op). */
function keysToRelease(user: StoredUser): Set<string> {
  const keys = heldKeys(user);
  for (const v of uniqueValuesOf(user.data, user.accountId)) keys.add(v.key);
  return keys;
}

