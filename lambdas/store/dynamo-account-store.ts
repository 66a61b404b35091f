import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  GetCommandOutput,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { IntegrationReader, IntegrationRecord } from '../auth/ports';
import { transientScimError } from './aws-errors';
import { ACCOUNT_SK, INTEGRATION_SK, accountPk } from './keys';

export type AccountType = 'partner' | 'customer';

export interface Account {
  id: string;
  name: string;
  type: AccountType;
  /** A customer account may name its managing partner (SPEC §2). */
  partnerId?: string;
  createdAt: string;
}

/** Accounts and their Entra ID Sync integration (SPEC §2), in the account's partition. */
export class DynamoAccountStore implements IntegrationReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createAccount(account: Account): Promise<void> {
    await this.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: accountPk(account.id), sk: ACCOUNT_SK, kind: 'account', ...account },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const out = await this.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: accountPk(accountId), sk: ACCOUNT_SK }, ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { id, name, type, partnerId, createdAt } = out.Item as Account;
    return { id, name, type, createdAt, ...(partnerId ? { partnerId } : {}) };
  }

  async getIntegration(accountId: string): Promise<IntegrationRecord | undefined> {
    const out = await this.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: accountPk(accountId), sk: INTEGRATION_SK }, ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { addedAt, tenantKey, keysGeneratedAt } = out.Item as IntegrationRecord;
    return { accountId, addedAt, ...(tenantKey ? { tenantKey, keysGeneratedAt } : {}) };
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

  private send(command: GetCommand): Promise<GetCommandOutput>;
  private send(command: PutCommand | UpdateCommand | DeleteCommand): Promise<unknown>;
  private async send(command: GetCommand | PutCommand | UpdateCommand | DeleteCommand): Promise<unknown> {
    try {
      return await this.doc.send(command as GetCommand);
    } catch (e) {
      throw transientScimError(e) ?? e;
    }
  }
}
