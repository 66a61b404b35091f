import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
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
    const queue = [...entries];
    while (queue.length > 0) {
      let items: Record<string, unknown>[] = queue.splice(0, BATCH).map((e) => ({
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
    const { items } = await this.newestFirst(
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': logPk(accountId), ...(errorsOnly ? { ':min': 400 } : {}) },
        ...(errorsOnly ? { FilterExpression: '#s >= :min', ExpressionAttributeNames: { '#s': 'status' } } : {}),
      },
      want,
    );
    return items.map(toEntry);
  }

  /**
   * Entries at or after `fromIso`, newest first, at most `max` (provisioning health reads 7 days): only the
   * fields health counts, so a page holds many entries. `complete` is false when `max` cut the read short.
   */
  async since(accountId: string, fromIso: string, max: number): Promise<{ entries: ProvisioningLogEntry[]; complete: boolean }> {
    const { items, complete } = await this.newestFirst(
      {
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': logPk(accountId), ':from': fromIso },
        ProjectionExpression: '#t, #s, userName, reason',
        ExpressionAttributeNames: { '#t': 'time', '#s': 'status' },
      },
      max,
    );
    return { entries: items.map((item) => ({ accountId, requestId: '', method: '', path: '', ...item }) as ProvisioningLogEntry), complete };
  }

  /** Up to `max` items of one log partition, newest first, page by page. */
  private async newestFirst(input: Omit<QueryCommandInput, 'TableName'>, max: number): Promise<{ items: Record<string, unknown>[]; complete: boolean }> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await translated(
        this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, ScanIndexForward: false, Limit: Math.min(1000, max - items.length), ExclusiveStartKey })),
      );
      for (const item of res.Items ?? []) if (items.length < max) items.push(item);
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < max);
    return { items, complete: ExclusiveStartKey === undefined };
  }
}

function toEntry(item: Record<string, unknown>): ProvisioningLogEntry {
  const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _exp, ...entry } = item;
  return entry as unknown as ProvisioningLogEntry;
}
