import {
  type AttributeValue,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { LOCAL_TRANSACTIONS_EMULATOR_MIDDLEWARE } from './transactions';

/** One committed change of one item, like a DynamoDB Streams record with NEW_AND_OLD_IMAGES (unmarshalled). */
export interface LocalStreamRecord {
  tableName: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
}

export const LOCAL_STREAM_MIDDLEWARE = 'scimlinkLocalStream';

type Key = Record<string, AttributeValue>;
type Target = { table: string; item?: Key; key?: Key };

/**
 * DynamoDB Streams for dynalite (which has none): after a write command *succeeded*, emit one record per item
 * it changed, with the item's image before and after. It runs inside the local transaction layer's write
 * lock (the lock is taken in the initialize step, this runs next to the transaction emulator), so the before
 * and after reads see exactly this write — a cancelled transaction (rolled back by the emulator) emits nothing.
 */
export function installLocalStream(
  client: DynamoDBClient,
  raw: DynamoDBClient,
  onRecord: (r: LocalStreamRecord) => void,
  /** Like an event source mapping's filter on Keys: only matching items are read and emitted. */
  keyFilter: (key: Record<string, AttributeValue>) => boolean = () => true,
): void {
  const keyNames = new Map<string, Promise<string[]>>();
  const keyOf = async (t: Target): Promise<Key | undefined> => {
    if (t.key) return t.key;
    if (!keyNames.has(t.table)) {
      keyNames.set(
        t.table,
        raw.send(new DescribeTableCommand({ TableName: t.table })).then((d) => (d.Table?.KeySchema ?? []).map((k) => k.AttributeName ?? '')),
      );
    }
    const names = await (keyNames.get(t.table) as Promise<string[]>);
    const key: Key = {};
    for (const n of names) if (t.item?.[n]) key[n] = t.item[n] as AttributeValue;
    return Object.keys(key).length === names.length ? key : undefined;
  };
  const read = async (table: string, key: Key) => {
    const out = await raw.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return out.Item ? unmarshall(out.Item) : undefined;
  };

  type Relative = Parameters<DynamoDBClient['middlewareStack']['addRelativeTo']>[0];
  const middleware = ((next: (args: unknown) => Promise<{ response?: { statusCode?: number } }>, context: { commandName?: string }) =>
    async (args: { input: unknown }) => {
      const targets = targetsOf(context.commandName ?? '', args.input);
      if (targets.length === 0) return next(args);
      const keyed = (await Promise.all(targets.map(async (t) => ({ table: t.table, key: await keyOf(t) })))).filter(
        (t): t is { table: string; key: Key } => t.key !== undefined && keyFilter(t.key),
      );
      if (keyed.length === 0) return next(args);
      const before = await Promise.all(keyed.map((t) => read(t.table, t.key)));
      const result = await next(args);
      if (result.response?.statusCode !== 200) return result;
      const after = await Promise.all(keyed.map((t) => read(t.table, t.key)));
      keyed.forEach((t, i) => {
        const oldImage = before[i];
        const newImage = after[i];
        if (!oldImage && !newImage) return;
        if (JSON.stringify(oldImage) === JSON.stringify(newImage)) return;
        const eventName = !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY';
        onRecord({ tableName: t.table, eventName, ...(oldImage ? { oldImage } : {}), ...(newImage ? { newImage } : {}) });
      });
      return result;
    }) as unknown as Relative;
  client.middlewareStack.addRelativeTo(middleware, {
    relation: 'before',
    toMiddleware: LOCAL_TRANSACTIONS_EMULATOR_MIDDLEWARE,
    name: LOCAL_STREAM_MIDDLEWARE,
  });
}

/** The items a write command touches, from its low-level (marshalled) input. */
function targetsOf(command: string, input: unknown): Target[] {
  const i = input as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire shapes
  switch (command) {
    case 'PutItemCommand':
      return [{ table: i.TableName, item: i.Item }];
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return [{ table: i.TableName, key: i.Key }];
    case 'BatchWriteItemCommand':
      return Object.entries((i.RequestItems ?? {}) as Record<string, Array<Record<string, any>>>).flatMap(([table, reqs]) => // eslint-disable-line @typescript-eslint/no-explicit-any
        reqs.map((r) => (r.PutRequest ? { table, item: r.PutRequest.Item } : { table, key: r.DeleteRequest?.Key })),
      );
    case 'TransactWriteItemsCommand':
      return ((i.TransactItems ?? []) as Array<Record<string, any>>).flatMap((t): Target[] => { // eslint-disable-line @typescript-eslint/no-explicit-any
        if (t.Put) return [{ table: t.Put.TableName, item: t.Put.Item }];
        if (t.Update) return [{ table: t.Update.TableName, key: t.Update.Key }];
        if (t.Delete) return [{ table: t.Delete.TableName, key: t.Delete.Key }];
        return []; // ConditionCheck changes nothing
      });
    default:
      return [];
  }
}
