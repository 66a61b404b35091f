import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

export interface ItemKey {
  pk: string;
  sk: string;
}

export type StoredItem = Record<string, unknown>;

/** Strongly consistent reads of single items by key: the stores' one way to GetItem. */
export interface ItemReader {
  get(table: string, key: ItemKey): Promise<StoredItem | undefined>;
}

/** One GetItem per read. */
export function singleReads(doc: DynamoDBDocumentClient): ItemReader {
  return {
    async get(table, key) {
      return (await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
    },
  };
}

/** DynamoDB's limit of keys per BatchGetItem. */
const MAX_BATCH_KEYS = 100;

/**
 * Whom reads are for, when several requests may share a batch (the local server runs many at once): `current`
 * is captured at each read (e.g. the request's abort signal), `run` sends a batch on behalf of all of them — so a
 * batch is given up only when every request it serves has been.
 */
export interface BatchScope<R = unknown> {
  current(): R;
  run(readers: R[], send: () => Promise<void>): Promise<void>;
}

interface Pending {
  table: string;
  key: ItemKey;
  waiters: Array<{ resolve: (item: StoredItem | undefined) => void; reject: (error: unknown) => void; reader: unknown }>;
}

/**
 * Reads issued in the same tick go out together: one key as a GetItem, several as one BatchGetItem (strongly
 * consistent, like the GetItems it replaces; a key asked twice is read once).
 *
 * Why: every SCIM request reads the account's integration item (authentication) while its operation starts its
 * own first read — two independent reads issued back to back, before anything is awaited. Sent together they are
 * still one round trip, but one call instead of two: an AWS SDK call costs ~235 µs of Lambda CPU by itself (more
 * than scimlink's own work for most operations) and one request to the service. Correctness never depends on the
 * coalescing: a read that misses the tick simply goes out on its own.
 *
 * DynamoDB may leave keys unprocessed (throttling, response size): those are read again one by one with GetItem,
 * so a throttled table surfaces as the same ProvisionedThroughputExceeded error as before. A failed call fails
 * every read it carried.
 */
export class CoalescingReader implements ItemReader {
  private pending: Map<string, Pending> | undefined;
  private readonly single: ItemReader;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly scope: BatchScope = { current: () => undefined, run: (_readers, send) => send() },
  ) {
    this.single = singleReads(doc);
  }

  get(table: string, key: ItemKey): Promise<StoredItem | undefined> {
    return new Promise((resolve, reject) => {
      let pending = this.pending;
      if (pending === undefined) {
        const batch = (pending = this.pending = new Map());
        queueMicrotask(() => this.flush(batch));
      }
      const id = itemId(table, key.pk, key.sk);
      let entry = pending.get(id);
      if (entry === undefined) pending.set(id, (entry = { table, key, waiters: [] }));
      entry.waiters.push({ resolve, reject, reader: this.scope.current() });
    });
  }

  private flush(batch: Map<string, Pending>): void {
    const entries = [...batch.values()];
    this.pending = undefined;
    for (let i = 0; i < entries.length; i += MAX_BATCH_KEYS) {
      const chunk = entries.slice(i, i + MAX_BATCH_KEYS);
      const readers = chunk.flatMap((entry) => entry.waiters.map((w) => w.reader));
      const read = this.scope.run(readers, () => (chunk.length === 1 ? this.readOne(chunk[0] as Pending) : this.readMany(chunk)));
      read.catch((error: unknown) => {
        for (const entry of chunk) for (const w of entry.waiters) w.reject(error);
      });
    }
  }

  private async readOne(entry: Pending): Promise<void> {
    settle(entry, await this.single.get(entry.table, entry.key));
  }

  private async readMany(entries: Pending[]): Promise<void> {
    const tables = new Map<string, { Keys: ItemKey[]; ConsistentRead: true }>();
    for (const { table, key } of entries) {
      let request = tables.get(table);
      if (request === undefined) tables.set(table, (request = { Keys: [], ConsistentRead: true }));
      request.Keys.push({ pk: key.pk, sk: key.sk });
    }
    const out = await this.doc.send(new BatchGetCommand({ RequestItems: Object.fromEntries(tables) }));
    const found = new Map<string, StoredItem>();
    for (const [table, items] of Object.entries(out.Responses ?? {})) {
      for (const item of items) found.set(itemId(table, item.pk, item.sk), item);
    }
    const unprocessed = new Set<string>();
    for (const [table, request] of Object.entries(out.UnprocessedKeys ?? {})) {
      for (const key of request.Keys ?? []) unprocessed.add(itemId(table, key.pk, key.sk));
    }
    const retries: Promise<void>[] = [];
    for (const entry of entries) {
      const id = itemId(entry.table, entry.key.pk, entry.key.sk);
      if (!unprocessed.has(id)) settle(entry, found.get(id));
      else
        retries.push(
          this.readOne(entry).catch((error: unknown) => {
            for (const w of entry.waiters) w.reject(error);
          }),
        );
    }
    await Promise.all(retries);
  }
}

/** One identity per item across tables (NUL never occurs in a table name or a key we write). */
const itemId = (table: string, pk: unknown, sk: unknown) => `${table}\u0000${String(pk)}\u0000${String(sk)}`;

function settle(entry: Pending, item: StoredItem | undefined): void {
  for (const w of entry.waiters) w.resolve(item);
}
