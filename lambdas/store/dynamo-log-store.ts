import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LOG_RETENTION_DAYS, ProvisioningLogEntry } from '../log/provisioning-log';
import { translated } from './aws-errors';
import { logPk } from './keys';

/** BatchWriteItem takes at most 25 items per call. */
const BATCH = 25;
const MAX_LIMIT = 500;

/**
 * The provisioning log in DynamoDB: one item per request in the account's own log partition
 * (`LOG#<accountId>`, sorted by time), expiring through the table's TTL on `expiresAt`. The partition is separate
 * from the account's data so the writer's IAM policy can be limited to `LOG#*` keys.
 */
export class DynamoLogStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(entries: ProvisioningLogEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      let items: Record<string, unknown>[] = entries.slice(i, i + BATCH).map((e) => ({
        pk: logPk(e.accountId),
        sk: `${e.time}#${e.requestId}`,
        kind: 'log',
        ...e,
        expiresAt: Math.floor(Date.parse(e.time) / 1000) + LOG_RETENTION_DAYS * 86_400,
      }));
      // BatchWriteItem may leave items unprocessed under load: resend those (a few times, with a pause).
      for (let attempt = 0; items.length > 0 && attempt < 5; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const out = await translated(this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: items.map((Item) => ({ PutRequest: { Item } })) } })));
        items = (out.UnprocessedItems?.[this.tableName] ?? []).map((r) => r.PutRequest?.Item as Record<string, unknown>);
      }
      if (items.length > 0) throw new Error(`provisioning log: ${items.length} entries not written`);
    }
  }

  /** The newest entries first; with `errorsOnly`, only answers ≥ 400. */
  async latest(accountId: string, limit: number, errorsOnly: boolean): Promise<ProvisioningLogEntry[]> {
    const want = Math.max(1, Math.min(MAX_LIMIT, limit));
    const out: ProvisioningLogEntry[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await translated(
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': logPk(accountId), ...(errorsOnly ? { ':min': 400 } : {}) },
            ...(errorsOnly ? { FilterExpression: '#s >= :min', ExpressionAttributeNames: { '#s': 'status' } } : {}),
            ScanIndexForward: false,
            Limit: want,
            ExclusiveStartKey,
          }),
        ),
      );
      for (const item of res.Items ?? []) if (out.length < want) out.push(toEntry(item));
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey && out.length < want);
    return out;
  }

}

function toEntry(item: Record<string, unknown>): ProvisioningLogEntry {
  const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _exp, ...entry } = item;
  return entry as unknown as ProvisioningLogEntry;
}
