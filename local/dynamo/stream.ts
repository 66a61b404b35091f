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
/** `item`: a Put's full new item; `key`: an Update's or Delete's key. `update`: the new image must be read. */
type Target = { table: string; kind: 'put' | 'update' | 'delete'; item?: Key; key?: Key };

/** The local stream's control: what is captured but not yet handed to `onRecord`. */
export interface LocalStream {
  /** Hands every captured change to `onRecord` now, in commit order (on close, before a drain). */
  flush(): void;
  /** Captured changes not yet handed over. */
  readonly pending: number;
}

/** One committed write's item images, in AttributeValue form, as captured under the write lock. */
interface Captured {
  table: string;
  before: Key | undefined;
  after: Key | undefined;
}

/**
 * DynamoDB Streams for dynalite (which has none): after a write command *succeeded*, one record per item it
 * changed, with the item's image before and after. The images are captured inside the local transaction layer's
 * write lock (taken in the initialize step; this runs next to the transaction emulator), so they are exactly this
 * write's — a cancelled transaction (rolled back by the emulator) emits nothing. Only the capture is on the request
 * path (one consistent read of each item before the write; a Put's new image is its item, a Delete has none, an
 * Update's is read after); comparing, unmarshalling and handing records to `onRecord` happen afterwards, batched,
 * in commit order — as DynamoDB Streams delivers asynchronously to its consumers. `flush()` hands over what is
 * pending at once.
 */
export function installLocalStream(
  client: DynamoDBClient,
  raw: DynamoDBClient,
  onRecord: (r: LocalStreamRecord) => void,
  /** Like an event source mapping's filter on Keys: only matching items are read and emitted. */
  keyFilter: (key: Record<string, AttributeValue>) => boolean = () => true,
  /**
   * Whether anyone consumes the records now (default: always). While not, writes are not captured at all — like
   * a bus with no rule: what nobody receives costs nothing. A consumer that starts listening gets the changes of
   * the writes that start after it.
   */
  wanted: () => boolean = () => true,
): LocalStream {
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
  const read = async (table: string, key: Key) => (await raw.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

  const queue: Captured[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    // Records handed over by an `onRecord` that writes again land at the end of the queue: handled in this loop.
    while (queue.length > 0) {
      const c = queue.shift() as Captured;
      const oldImage = c.before ? unmarshall(c.before) : undefined;
      const newImage = c.after ? unmarshall(c.after) : undefined;
      if (!oldImage && !newImage) continue;
      if (JSON.stringify(oldImage) === JSON.stringify(newImage)) continue;
      const eventName = !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY';
      onRecord({ tableName: c.table, eventName, ...(oldImage ? { oldImage } : {}), ...(newImage ? { newImage } : {}) });
    }
  };

  type Relative = Parameters<DynamoDBClient['middlewareStack']['addRelativeTo']>[0];
  const middleware = ((next: (args: unknown) => Promise<{ response?: { statusCode?: number } }>, context: { commandName?: string }) =>
    async (args: { input: unknown }) => {
      if (!wanted()) return next(args);
      const targets = targetsOf(context.commandName ?? '', args.input);
      if (targets.length === 0) return next(args);
      const keyed = (await Promise.all(targets.map(async (t) => ({ ...t, key: await keyOf(t) })))).filter(
        (t): t is Target & { key: Key } => t.key !== undefined && keyFilter(t.key),
      );
      if (keyed.length === 0) return next(args);
      const before = await Promise.all(keyed.map((t) => read(t.table, t.key)));
      const result = await next(args);
      if (result.response?.statusCode !== 200) return result;
      const after = await Promise.all(keyed.map((t) => (t.kind === 'put' ? t.item : t.kind === 'delete' ? undefined : read(t.table, t.key))));
      keyed.forEach((t, i) => queue.push({ table: t.table, before: before[i], after: after[i] }));
      scheduled ??= setImmediate(flush);
      return result;
    }) as unknown as Relative;
  client.middlewareStack.addRelativeTo(middleware, {
    relation: 'before',
    toMiddleware: LOCAL_TRANSACTIONS_EMULATOR_MIDDLEWARE,
    name: LOCAL_STREAM_MIDDLEWARE,
  });
  return {
    flush,
    get pending() {
      return queue.length;
    },
  };
}

/** The items a write command touches, from its low-level (marshalled) input. */
function targetsOf(command: string, input: unknown): Target[] {
  const i = input as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire shapes
  switch (command) {
    case 'PutItemCommand':
      return [{ table: i.TableName, kind: 'put', item: i.Item }];
    case 'UpdateItemCommand':
      return [{ table: i.TableName, kind: 'update', key: i.Key }];
    case 'DeleteItemCommand':
      return [{ table: i.TableName, kind: 'delete', key: i.Key }];
    case 'BatchWriteItemCommand':
      return Object.entries((i.RequestItems ?? {}) as Record<string, Array<Record<string, any>>>).flatMap(([table, reqs]) => // eslint-disable-line @typescript-eslint/no-explicit-any
                // Either may come back unprocessed (answered 200 all the same): the new image is read, never assumed.
        reqs.map((r): Target => (r.PutRequest ? { table, kind: 'update', item: r.PutRequest.Item } : { table, kind: 'update', key: r.DeleteRequest?.Key })),
      );
    case 'TransactWriteItemsCommand':
      return ((i.TransactItems ?? []) as Array<Record<string, any>>).flatMap((t): Target[] => { // eslint-disable-line @typescript-eslint/no-explicit-any
        if (t.Put) return [{ table: t.Put.TableName, kind: 'put', item: t.Put.Item }];
        if (t.Update) return [{ table: t.Update.TableName, kind: 'update', key: t.Update.Key }];
        if (t.Delete) return [{ table: t.Delete.TableName, kind: 'delete', key: t.Delete.Key }];
        return []; // ConditionCheck changes nothing
      });
    default:
      return [];
  }
}
