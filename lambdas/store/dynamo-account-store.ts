import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  GetCommandOutput,
  PutCommand,
  QueryCommand,
  QueryCommandOutput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { IntegrationReader, IntegrationRecord } from '../auth/ports';
import { cancellationCodes, transientScimError, translated } from './aws-errors';
import { ItemReader, singleReads } from './consistent-reads';
import { ACCOUNTS_PK, ACCOUNT_SK, CUSTOMERS_SK, INTEGRATION_SK, USER_SK_PREFIX, accountDirectorySk, accountPk, logPk } from './keys';
import { ScimError } from '../scim/errors';

export type AccountType = 'partner' | 'customer';

export interface Account {
  id: string;
  name: string;
  type: AccountType;
  /** A customer account may name its managing partner (SPEC §2). */
  partnerId?: string;
  createdAt: string;
  /** The account's own user limit, set by an operator (else the deployment's default). */
  maxUsers?: number;
  /** A partner's own limit of customer accounts, set by an operator (else the deployment's default). */
  maxAccounts?: number;
}

/** Accounts and their Entra ID Sync integration (SPEC §2), in the account's partition. */
export class DynamoAccountStore implements IntegrationReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** How the integration item is read (default: a GetItem); the SCIM handlers coalesce it with their first read. */
    private readonly reader: ItemReader = singleReads(doc),
  ) {}

  /**
   * Returns false when an account with that id exists already. A customer under a partner adds 1 to the partner's
   * customer counter in the same transaction, conditioned on `partnerLimit` when given (a partner creating): two
   * partners' requests at once cannot both take the last place. 403 when the partner is at its limit.
   */
  async createAccount(account: Account, partnerLimit?: number): Promise<boolean> {
    if (account.partnerId !== undefined) await this.ensureCustomerCounter(account.partnerId);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: accountPk(account.id), sk: ACCOUNT_SK, kind: 'account', ...account },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: { pk: ACCOUNTS_PK, sk: accountDirectorySk(account.id), kind: 'accountRef', ...account } } },
            ...(account.partnerId === undefined ? [] : [this.customerCount(account.partnerId, partnerLimit)]),
          ],
        }),
      );
      return true;
    } catch (e) {
      const codes = cancellationCodes(e);
      if (codes[0] === 'ConditionalCheckFailed') return false;
      if (codes[2] === 'ConditionalCheckFailed') {
        throw new ScimError(403, `partner ${account.partnerId} has reached its limit of ${partnerLimit} customer accounts (quota); an operator can raise it (scimlink quotas set ${account.partnerId} --max-accounts N)`, undefined, {}, 'quota:accounts');
      }
      throw transientScimError(e) ?? e;
    }
  }

  /** How many customer accounts name `partnerId` as their partner (its counter, else the directory). */
  async countCustomers(partnerId: string): Promise<number> {
    const out = await this.send(new GetCommand({ TableName: this.tableName, Key: { pk: accountPk(partnerId), sk: CUSTOMERS_SK }, ConsistentRead: true }));
    return out.Item ? Number(out.Item.count ?? 0) : (await this.listAccounts()).filter((a) => a.partnerId === partnerId).length;
  }

  /**
   * Partners created before quotas have customers but no counter: it starts from the directory's count, written
   * only if still absent (a concurrent first creation writes the same number).
   */
  private async ensureCustomerCounter(partnerId: string): Promise<void> {
    const Key = { pk: accountPk(partnerId), sk: CUSTOMERS_SK };
    if ((await this.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }))).Item) return;
    const count = (await this.listAccounts()).filter((a) => a.partnerId === partnerId).length;
    try {
      await this.send(new PutCommand({ TableName: this.tableName, Item: { ...Key, kind: 'customerCount', count }, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  private customerCount(partnerId: string, limit: number | undefined) {
    return {
      Update: {
        TableName: this.tableName,
        Key: { pk: accountPk(partnerId), sk: CUSTOMERS_SK },
        UpdateExpression: 'ADD #c :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':one': 1, ...(limit === undefined ? {} : { ':limit': limit }) },
        ...(limit === undefined ? {} : { ConditionExpression: '#c < :limit' }),
      },
    };
  }

  /** An operator's own limits for the account (null: back to the default). Returns false when it does not exist. */
  async setQuotas(accountId: string, changes: { maxUsers?: number | null; maxAccounts?: number | null }): Promise<boolean> {
    const set: string[] = [];
    const remove: string[] = [];
    const values: Record<string, number> = {};
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) remove.push(key);
      else if (value !== undefined) {
        set.push(`${key} = :${key}`);
        values[`:${key}`] = value;
      }
    }
    try {
      await this.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: accountPk(accountId), sk: ACCOUNT_SK },
          UpdateExpression: [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''].join(' ').trim(),
          ConditionExpression: 'attribute_exists(pk)',
          ...(set.length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  /**
   * New display name on the account item and its directory entry, in one transaction (the list and the account
   * never disagree). Returns false when the account does not exist.
   */
  async renameAccount(accountId: string, name: string): Promise<boolean> {
    const update = (Key: Record<string, string>) => ({
      Update: {
        TableName: this.tableName,
        Key,
        UpdateExpression: 'SET #name = :name',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': name },
      },
    });
    try {
      await this.doc.send(
        new TransactWriteCommand({ TransactItems: [update({ pk: accountPk(accountId), sk: ACCOUNT_SK }), update({ pk: ACCOUNTS_PK, sk: accountDirectorySk(accountId) })] }),
      );
      return true;
    } catch (e) {
      if (cancellationCodes(e).includes('ConditionalCheckFailed')) return false;
      throw transientScimError(e) ?? e;
    }
  }

  async listAccounts(): Promise<Account[]> {
    const out: Account[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await this.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ACCOUNTS_PK },
          ExclusiveStartKey,
        }),
      );
      for (const item of res.Items ?? []) out.push(toAccount(item as Account));
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const out = await this.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: accountPk(accountId), sk: ACCOUNT_SK }, ConsistentRead: true }),
    );
    return out.Item ? toAccount(out.Item as Account) : undefined;
  }

  async getIntegration(accountId: string): Promise<IntegrationRecord | undefined> {
    const item = await translated(this.reader.get(this.tableName, { pk: accountPk(accountId), sk: INTEGRATION_SK }));
    if (!item) return undefined;
    const { addedAt, tenantKey, keysGeneratedAt, lastRequestAt } = item as unknown as IntegrationRecord;
    return { accountId, addedAt, ...(tenantKey ? { tenantKey, keysGeneratedAt } : {}), ...(lastRequestAt ? { lastRequestAt } : {}) };
  }

  /**
   * Record that Entra called (integration state "last request seen"). Conditional so a removed integration is
   * not re-created, and only when the stored time is older than `notBefore` so a busy cycle costs one write a
   * minute, not one per request. Touches only `lastRequestAt` (the IAM policy of the SCIM readers says so).
   */
  async touchLastRequest(accountId: string, at: string, notBefore: string): Promise<void> {
    try {
      await this.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: accountPk(accountId), sk: INTEGRATION_SK },
          UpdateExpression: 'SET lastRequestAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastRequestAt) OR lastRequestAt < :nb)',
          ExpressionAttributeValues: { ':at': at, ':nb': notBefore },
        }),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  /** Idempotent: adding an integration that exists keeps it (and its keys). */
  async addIntegration(accountId: string, addedAt: string): Promise<IntegrationRecord> {
    try {
      await this.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: accountPk(accountId), sk: INTEGRATION_SK, kind: 'integration', addedAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
    return (await this.getIntegration(accountId)) as IntegrationRecord;
  }

  /** Switch the account to a new tenant key. Fails (returns false) if the integration was removed meanwhile. */
  async setTenantKey(accountId: string, tenantKey: string, at: string): Promise<boolean> {
    try {
      await this.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: accountPk(accountId), sk: INTEGRATION_SK },
          UpdateExpression: 'SET tenantKey = :k, keysGeneratedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':k': tenantKey, ':at': at },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async removeIntegration(accountId: string): Promise<void> {
    await this.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: accountPk(accountId), sk: INTEGRATION_SK } }));
  }

  /**
   * Deletes up to `max` items of the account's partition other than the account item and its users (count shards,
   * the integration, index items left behind), then of its provisioning log. `users`: whether a user item was met
   * (a write that was in flight when the teardown started): users are deleted through the user store only, so
   * their unique values are released. `more`: items remain.
   */
  async sweepAccountItems(accountId: string, max: number): Promise<{ deleted: number; users: boolean; more: boolean }> {
    const home = accountPk(accountId);
    // By sort key alone: the log partition's keys are times (`<ISO time>#<requestId>`), never ACCOUNT or USER#….
    const kept = (k: { pk: string; sk: string }) => k.sk === ACCOUNT_SK || k.sk.startsWith(USER_SK_PREFIX);
    let deleted = 0;
    let users = false;
    for (const pk of [home, logPk(accountId)]) {
      const budget = max - deleted;
      const res = await this.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'pk, sk',
          ConsistentRead: true,
          Limit: budget + 2, // the account item and a user may be among them
        }),
      );
      const keys = (res.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk) }));
      users ||= keys.some((k) => k.sk.startsWith(USER_SK_PREFIX));
      const unwanted = keys.filter((k) => !kept(k));
      const doomed = unwanted.slice(0, budget);
      await inParallel(doomed, (Key) => this.send(new DeleteCommand({ TableName: this.tableName, Key })));
      deleted += doomed.length;
      if (res.LastEvaluatedKey || unwanted.length > doomed.length) return { deleted, users, more: true };
    }
    return { deleted, users, more: false };
  }

  /**
   * The last step of deleting an account: the account item and its directory entry, in one transaction. Returns
   * false when the account does not exist (deleted meanwhile).
   */
  async deleteAccount(accountId: string, partnerId?: string): Promise<boolean> {
    // A customer frees its place in its partner's quota, in the same transaction (the counter is made first if the
    // partner predates quotas: it then counts this account, which the -1 takes away).
    if (partnerId !== undefined) await this.ensureCustomerCounter(partnerId);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: this.tableName, Key: { pk: accountPk(accountId), sk: ACCOUNT_SK }, ConditionExpression: 'attribute_exists(pk)' } },
            { Delete: { TableName: this.tableName, Key: { pk: ACCOUNTS_PK, sk: accountDirectorySk(accountId) } } },
            ...(partnerId === undefined
              ? []
              : [
                  {
                    Update: {
                      TableName: this.tableName,
                      Key: { pk: accountPk(partnerId), sk: CUSTOMERS_SK },
                      UpdateExpression: 'ADD #c :minus',
                      ExpressionAttributeNames: { '#c': 'count' },
                      ExpressionAttributeValues: { ':minus': -1 },
                    },
                  },
                ]),
          ],
        }),
      );
      return true;
    } catch (e) {
      if (cancellationCodes(e)[0] === 'ConditionalCheckFailed') return false;
      throw transientScimError(e) ?? e;
    }
  }

  private send(command: GetCommand): Promise<GetCommandOutput>;
  private send(command: QueryCommand): Promise<QueryCommandOutput>;
  private send(command: PutCommand | UpdateCommand | DeleteCommand): Promise<unknown>;
  private send(command: GetCommand | QueryCommand | PutCommand | UpdateCommand | DeleteCommand): Promise<unknown> {
    return translated(this.doc.send(command as GetCommand));
  }
}

/** Deletes run a few at a time: fast enough for one request's budget, gentle on the table's write capacity. */
const PARALLEL_DELETES = 8;

async function inParallel<T>(items: T[], run: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  while (queue.length > 0) await Promise.all(queue.splice(0, PARALLEL_DELETES).map(run));
}

function toAccount(item: Account): Account {
  const { id, name, type, partnerId, createdAt, maxUsers, maxAccounts } = item;
  return {
    id,
    name,
    type,
    createdAt,
    ...(partnerId ? { partnerId } : {}),
    ...(typeof maxUsers === 'number' ? { maxUsers } : {}),
    ...(typeof maxAccounts === 'number' ? { maxAccounts } : {}),
  };
}
