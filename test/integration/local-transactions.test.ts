/**
 * The local transaction layer (local/dynamo/transactions.ts) must give the
 * production code DynamoDB's TransactWriteItems / TransactGetItems semantics on
 * dynalite, which implements neither. Everything goes through a
 * DynamoDBDocumentClient, as production does.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../local/dynamo/embedded';
import { RwLock } from '../../local/dynamo/rw-lock';
import { installLocalTransactions } from '../../local/dynamo/transactions';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

async function createTable(client: DynamoDBClient, TableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`table ${TableName} did not become ACTIVE`);
}

/** Runs `fn`, expecting it to reject; returns the error. */
async function rejection(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

const codes = (err: Record<string, unknown>) =>
  (err.CancellationReasons as Array<{ Code?: string }>).map((r) => r.Code);

describe('RwLock', () => {
  it('admits readers together, a writer alone, and is FIFO so writers are not starved', async () => {
    const lock = new RwLock();
    const events: string[] = [];
    const r1 = await lock.acquireRead();
    const r2 = await lock.acquireRead();
    expect(lock.state).toEqual({ readers: 2, writer: false, waiting: 0 });

    const w = lock.acquireWrite().then((release) => {
      events.push('writer');
      return release;
    });
    const r3 = lock.acquireRead().then((release) => {
      events.push('late reader');
      return release;
    });
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([]); // the writer waits for r1/r2, the late reader waits behind the writer
    expect(lock.state.waiting).toBe(2);

    r1();
    r1(); // double release is a no-op
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([]);
    r2();
    const releaseWriter = await w;
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['writer']);
    expect(lock.state).toEqual({ readers: 0, writer: true, waiting: 1 });
    releaseWriter();
    (await r3)();
    expect(events).toEqual(['writer', 'late reader']);
    expect(lock.state).toEqual({ readers: 0, writer: false, waiting: 0 });
  });

  it('withWrite releases on failure', async () => {
    const lock = new RwLock();
    await expect(lock.withWrite(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.withRead(() => 42)).resolves.toBe(42);
  });
});

// The same behaviour with dynalite in this thread (tests, startLocal) and in the store thread (`npm start`,
// local/dynamo/threaded.ts): same requests, answers, lock and rollback.
describe.each([
  ['in this thread', false],
  ['in the store thread', true],
])('local transactions on dynalite (%s)', (_where, thread) => {
  let dynamo: EmbeddedDynamo;
  let doc: DynamoDBDocumentClient;
  const TABLE = 'local-tx';
  let n = 0;
  /** A partition key unique to the calling test. */
  const uniquePk = () => `p${++n}`;

  const get = async (pk: string, sk: string) =>
    (await doc.send(new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }))).Item;
  const put = (Item: Record<string, unknown>) => doc.send(new PutCommand({ TableName: TABLE, Item }));
  const transact = (TransactItems: TransactItem[], extra: Partial<TransactWriteCommandInput> = {}) =>
    doc.send(new TransactWriteCommand({ TransactItems, ...extra }));

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo({ thread });
    await createTable(dynamo.client, TABLE);
    doc = DynamoDBDocumentClient.from(dynamo.client);
  });

  afterAll(async () => {
    await dynamo?.close();
  });

  it('applies every action of a successful transaction', async () => {
    const pk = uniquePk();
    await put({ pk, sk: 'upd', n: 1, drop: 'x' });
    await put({ pk, sk: 'del', v: 'gone soon' });
    await put({ pk, sk: 'chk', status: 'active' });

    const out = await transact(
      [
        { Put: { TableName: TABLE, Item: { pk, sk: 'new', tags: new Set(['a', 'b']), bin: new Uint8Array([1, 2]) } } },
        {
          Update: {
            TableName: TABLE,
            Key: { pk, sk: 'upd' },
            UpdateExpression: 'SET n = n + :one REMOVE #drop',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#drop': 'drop' },
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
        { Delete: { TableName: TABLE, Key: { pk, sk: 'del' } } },
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: { pk, sk: 'chk' },
            ConditionExpression: '#s = :active',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':active': 'active' },
          },
        },
      ],
      { ReturnConsumedCapacity: 'TOTAL' },
    );

    expect(out.$metadata.httpStatusCode).toBe(200);
    // DynamoDB's transactional price: 2 × ceil(size / 1 KB) WCU per written item (see transactions.ts)
    expect(out.ConsumedCapacity).toEqual([{ TableName: TABLE, CapacityUnits: 8, WriteCapacityUnits: 8 }]);
    expect(await get(pk, 'new')).toEqual({ pk, sk: 'new', tags: new Set(['a', 'b']), bin: new Uint8Array([1, 2]) });
    expect(await get(pk, 'upd')).toEqual({ pk, sk: 'upd', n: 2 });
    expect(await get(pk, 'del')).toBeUndefined();
    expect(await get(pk, 'chk')).toEqual({ pk, sk: 'chk', status: 'active' });
  });

  it('rolls back the applied actions when the 3rd of 4 fails its condition', async () => {
    const pk = uniquePk();
    const updated = { pk, sk: 'a', n: 5, keep: { nested: ['x', 1] }, extra: 'removed by the update' };
    const deleted = { pk, sk: 'b', v: 'deleted by the transaction' };
    const claimed = { pk, sk: 'c', owner: 'someone else' };
    await put(updated);
    await put(deleted);
    await put(claimed);

    const err = await rejection(() =>
      transact([
        {
          Update: {
            TableName: TABLE,
            Key: { pk, sk: 'a' },
            UpdateExpression: 'SET n = :n, added = :x REMOVE extra',
            ExpressionAttributeValues: { ':n': 6, ':x': 'new' },
          },
        },
        { Delete: { TableName: TABLE, Key: { pk, sk: 'b' } } },
        {
          Put: {
            TableName: TABLE,
            Item: { pk, sk: 'c', owner: 'me' },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        { Put: { TableName: TABLE, Item: { pk, sk: 'd', v: 'never' } } },
      ]),
    );

    expect(err).toBeInstanceOf(TransactionCanceledException);
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed, None]',
    );
    expect(err.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        // as from DynamoDB through a DocumentClient: errors are not unmarshalled
        Item: { pk: { S: pk }, sk: { S: 'c' }, owner: { S: 'someone else' } },
      },
      { Code: 'None' },
    ]);
    expect(await get(pk, 'a')).toEqual(updated);
    expect(await get(pk, 'b')).toEqual(deleted);
    expect(await get(pk, 'c')).toEqual(claimed);
    expect(await get(pk, 'd')).toBeUndefined();
  });

  it('reports every failing condition, including after the first failure', async () => {
    const pk = uniquePk();
    await put({ pk, sk: 'x' });
    const err = await rejection(() =>
      transact([
        { Put: { TableName: TABLE, Item: { pk, sk: 'x', v: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: TABLE, Item: { pk, sk: 'y', v: 1 } } },
        {
          Update: {
            TableName: TABLE,
            Key: { pk, sk: 'z' },
            UpdateExpression: 'SET v = :v',
            ConditionExpression: 'attribute_exists(pk)', // :v is used only by the update
            ExpressionAttributeValues: { ':v': 1 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD', // item absent: no Item in the reason
          },
        },
      ]),
    );
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await get(pk, 'x')).toEqual({ pk, sk: 'x' });
    expect(await get(pk, 'y')).toBeUndefined();
    expect(await get(pk, 'z')).toBeUndefined();
  });

  it('ConditionCheck gates the transaction without writing anything itself', async () => {
    const pk = uniquePk();
    await put({ pk, sk: 'present', status: 'active' });

    // success: the checked items are left exactly as they were (absent stays absent)
    await transact([
      { ConditionCheck: { TableName: TABLE, Key: { pk, sk: 'present' }, ConditionExpression: 'attribute_exists(pk)' } },
      { ConditionCheck: { TableName: TABLE, Key: { pk, sk: 'absent' }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: TABLE, Item: { pk, sk: 'written', v: 1 } } },
    ]);
    expect(await get(pk, 'present')).toEqual({ pk, sk: 'present', status: 'active' });
    expect(await get(pk, 'absent')).toBeUndefined();
    expect(await get(pk, 'written')).toEqual({ pk, sk: 'written', v: 1 });

    // failure: the Put before it is rolled back
    const err = await rejection(() =>
      transact([
        { Put: { TableName: TABLE, Item: { pk, sk: 'written', v: 2 } } },
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: { pk, sk: 'present' },
            ConditionExpression: '#s = :disabled',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':disabled': 'disabled' },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ]),
    );
    expect(err.name).toBe('TransactionCanceledException');
    expect(codes(err)).toEqual(['None', 'ConditionalCheckFailed']);
    expect((err.CancellationReasons as Array<{ Item?: unknown }>)[1]?.Item).toEqual({
      pk: { S: pk },
      sk: { S: 'present' },
      status: { S: 'active' },
    });
    expect(await get(pk, 'written')).toEqual({ pk, sk: 'written', v: 1 });
    expect(await get(pk, 'present')).toEqual({ pk, sk: 'present', status: 'active' });
  });

  it('rejects invalid requests with ValidationException before writing anything', async () => {
    const pk = uniquePk();
    const duplicate = await rejection(() =>
      transact([
        { Put: { TableName: TABLE, Item: { pk, sk: 'a', v: 1 } } },
        { Put: { TableName: TABLE, Item: { pk, sk: 'b', v: 1 } } },
        { ConditionCheck: { TableName: TABLE, Key: { sk: 'a', pk }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ]),
    );
    expect(duplicate.name).toBe('ValidationException');
    expect(duplicate.message).toBe('Transaction request cannot include multiple operations on one item');

    const tooMany = await rejection(() =>
      transact(Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: TABLE, Item: { pk, sk: `i${i}` } } }))),
    );
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toMatch(/Member must have length less than or equal to 100/);

    const empty = await rejection(() => transact([]));
    expect(empty.name).toBe('ValidationException');
    expect(empty.message).toMatch(/Member must have length greater than or equal to 1/);

    const twoOps = await rejection(() =>
      transact([
        {
          Put: { TableName: TABLE, Item: { pk, sk: 'a' } },
          Delete: { TableName: TABLE, Key: { pk, sk: 'b' } },
        },
      ]),
    );
    expect(twoOps.name).toBe('ValidationException');
    expect(twoOps.message).toBe('TransactItems can only contain one of Check, Put, Update or Delete');

    const missingKey = await rejection(() => transact([{ Put: { TableName: TABLE, Item: { pk, v: 1 } } }]));
    expect(missingKey.name).toBe('ValidationException');
    expect(missingKey.message).toMatch(/Missing the key sk in the item/);

    const items = await doc.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
    expect(items.Items).toEqual([]);

    // exactly 100 is allowed
    await transact(Array.from({ length: 100 }, (_, i) => ({ Put: { TableName: TABLE, Item: { pk, sk: `i${i}` } } })));
    const all = await doc.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
    expect(all.Count).toBe(100);
  });

  it('rolls back and rethrows on a non-condition error midway', async () => {
    const pk = uniquePk();
    await put({ pk, sk: 'text', n: 'not a number' });
    const err = await rejection(() =>
      transact([
        { Put: { TableName: TABLE, Item: { pk, sk: 'first', v: 1 } } },
        {
          Update: {
            TableName: TABLE,
            Key: { pk, sk: 'text' },
            UpdateExpression: 'SET n = n + :one',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ]),
    );
    expect(err.name).toBe('ValidationException');
    expect(await get(pk, 'first')).toBeUndefined();
    expect(await get(pk, 'text')).toEqual({ pk, sk: 'text', n: 'not a number' });
  });

  it('works for low-level (marshalled) commands on the client too', async () => {
    const pk = uniquePk();
    await dynamo.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [{ Put: { TableName: TABLE, Item: { pk: { S: pk }, sk: { S: 'raw' }, n: { N: '7' } } } }],
      }),
    );
    expect(await get(pk, 'raw')).toEqual({ pk, sk: 'raw', n: 7 });
  });

  it('carries binary attributes through a transaction and through its rollback', async () => {
    const pk = uniquePk();
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await put({ pk, sk: 'bin', b: new Uint8Array([9, 9]), bs: new Set([new Uint8Array([7])]) });
    await transact([{ Put: { TableName: TABLE, Item: { pk, sk: 'new', b: bytes } } }]);
    expect((await get(pk, 'new'))?.b).toEqual(bytes);

    // The 2nd action fails: the 1st (overwriting the binary item) is rolled back to its binary image.
    const cancelled = await rejection(() =>
      transact([
        { Put: { TableName: TABLE, Item: { pk, sk: 'bin', b: bytes } } },
        { Put: { TableName: TABLE, Item: { pk, sk: 'new' }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ]),
    );
    expect(codes(cancelled)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(await get(pk, 'bin')).toEqual({ pk, sk: 'bin', b: new Uint8Array([9, 9]), bs: new Set([new Uint8Array([7])]) });
  });

  it('honours ClientRequestToken idempotency', async () => {
    const pk = uniquePk();
    await put({ pk, sk: 'counter', n: 0 });
    const increment: TransactItem[] = [
      {
        Update: {
          TableName: TABLE,
          Key: { pk, sk: 'counter' },
          UpdateExpression: 'SET n = n + :one',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ];
    const token = `token-${pk}`;
    await transact(increment, { ClientRequestToken: token });
    await transact(increment, { ClientRequestToken: token }); // replay: succeeds, no second write
    expect(await get(pk, 'counter')).toEqual({ pk, sk: 'counter', n: 1 });

    const mismatch = await rejection(() =>
      transact([{ Put: { TableName: TABLE, Item: { pk, sk: 'other' } } }], { ClientRequestToken: token }),
    );
    expect(mismatch.name).toBe('IdempotentParameterMismatchException');
    expect(await get(pk, 'other')).toBeUndefined();

    await transact(increment); // no token: applied every time
    expect(await get(pk, 'counter')).toEqual({ pk, sk: 'counter', n: 2 });
  });

  it('TransactGetItems returns unmarshalled items, and {} for missing ones', async () => {
    const pk = uniquePk();
    await put({ pk, sk: 'a', n: 1, nums: new Set([1, 2]), bin: new Uint8Array([9]), map: { deep: [true, null] } });
    await put({ pk, sk: 'b', n: 2, hidden: 'x' });

    const out = await doc.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: TABLE, Key: { pk, sk: 'a' } } },
          { Get: { TableName: TABLE, Key: { pk, sk: 'missing' } } },
          { Get: { TableName: TABLE, Key: { pk, sk: 'b' }, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'n' } } },
        ],
      }),
    );
    expect(out.Responses).toEqual([
      { Item: { pk, sk: 'a', n: 1, nums: new Set([1, 2]), bin: new Uint8Array([9]), map: { deep: [true, null] } } },
      {},
      { Item: { n: 2 } },
    ]);

    const dup = await rejection(() =>
      doc.send(
        new TransactGetCommand({
          TransactItems: [
            { Get: { TableName: TABLE, Key: { pk, sk: 'a' } } },
            { Get: { TableName: TABLE, Key: { pk, sk: 'a' } } },
          ],
        }),
      ),
    );
    expect(dup.name).toBe('ValidationException');
  });

  it('lets exactly one of 50 concurrent transactions claim a sentinel; losers leave nothing behind', async () => {
    const pk = uniquePk();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        transact([
          // own item first, so every loser has something to roll back
          { Put: { TableName: TABLE, Item: { pk, sk: `own#${i}`, by: i } } },
          {
            Put: {
              TableName: TABLE,
              Item: { pk, sk: 'sentinel', owner: i },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]).then(() => i),
      ),
    );
    const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Record<string, unknown>] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const loser of losers) {
      expect(loser.name).toBe('TransactionCanceledException');
      expect(codes(loser)).toEqual(['None', 'ConditionalCheckFailed']);
    }
    const winner = winners[0]!;
    expect(await get(pk, 'sentinel')).toEqual({ pk, sk: 'sentinel', owner: winner });
    const items = await doc.send(
      new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
    );
    expect(items.Items?.map((i) => i.sk).sort()).toStrictEqual([`own#${winner}`, 'sentinel']);
  });

  it('serializes concurrent transactions: claims of two sentinels in opposite orders cannot all cancel each other', async () => {
    // Interleaved, T1 = [claim X, claim Y] and T2 = [claim Y, claim X] can each
    // apply their first claim, both fail their second and both roll back, leaving
    // no winner - impossible in any serial order.
    const pk = uniquePk();
    const claim = (sk: string, owner: number): TransactItem => ({
      Put: { TableName: TABLE, Item: { pk, sk, owner }, ConditionExpression: 'attribute_not_exists(pk)' },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        transact(i % 2 === 0 ? [claim('X', i), claim('Y', i)] : [claim('Y', i), claim('X', i)]).then(() => i),
      ),
    );
    const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(winners).toHaveLength(1);
    expect(await get(pk, 'X')).toEqual({ pk, sk: 'X', owner: winners[0] });
    expect(await get(pk, 'Y')).toEqual({ pk, sk: 'Y', owner: winners[0] });
  });

  it('never lets a concurrent reader observe a transaction half-applied or half-rolled-back', async () => {
    const pk = uniquePk();
    const TOTAL = 100;
    await put({ pk, sk: 'A', v: 60 });
    await put({ pk, sk: 'B', v: 40 });

    let running = true;
    const totals: number[] = [];
    const reader = (async () => {
      for (let round = 0; running; round++) {
        if (round % 2 === 0) {
          const q = await doc.send(
            new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
          );
          totals.push((q.Items ?? []).reduce((sum, item) => sum + (item.v as number), 0));
        } else {
          const g = await doc.send(
            new TransactGetCommand({
              TransactItems: [
                { Get: { TableName: TABLE, Key: { pk, sk: 'A' } } },
                { Get: { TableName: TABLE, Key: { pk, sk: 'B' } } },
              ],
            }),
          );
          totals.push((g.Responses ?? []).reduce((sum, r) => sum + ((r.Item?.v as number | undefined) ?? 0), 0));
        }
      }
    })();

    // Credit first, then debit with a condition: a transfer larger than the
    // source balance applies the credit and must roll it back. Four workers keep
    // a few transactions queued at any time, so reads interleave with them.
    const transfer = (i: number) => {
      const [from, to] = i % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
      const amount = 1 + ((i * 37) % 70);
      return transact([
        {
          Update: {
            TableName: TABLE,
            Key: { pk, sk: to },
            UpdateExpression: 'SET v = v + :x',
            ExpressionAttributeValues: { ':x': amount },
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: { pk, sk: from },
            UpdateExpression: 'SET v = v - :x',
            ConditionExpression: 'v >= :x',
            ExpressionAttributeValues: { ':x': amount },
          },
        },
      ]).then(
        () => 'applied',
        (err: Error) => {
          if (err.name !== 'TransactionCanceledException') throw err;
          return 'cancelled';
        },
      );
    };
    const moves = Array.from({ length: 4 }, async (_, worker) => {
      const done: string[] = [];
      for (let i = worker; i < 80; i += 4) done.push(await transfer(i));
      return done;
    });
    const outcomes = (await Promise.all(moves)).flat();
    running = false;
    await reader;

    expect(outcomes).toContain('applied');
    expect(outcomes).toContain('cancelled');
    expect(totals.length).toBeGreaterThan(10);
    expect(totals.filter((t) => t !== TOTAL)).toEqual([]);
    const a = (await get(pk, 'A'))?.v as number;
    const b = (await get(pk, 'B'))?.v as number;
    expect(a + b).toBe(TOTAL);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThanOrEqual(0);
  });
});

describe.each([
  ['in this thread', false],
  ['in the store thread', true],
])('embedded dynalite persistence (%s)', (_where, thread) => {
  it('keeps data written before close() when the same path is reopened', async () => {
    const path = fs.mkdtempSync(os.tmpdir() + '/scimlink-');
    try {
      const first = await startEmbeddedDynamo({ path: `${path}/store`, thread }); // nested: created on demand
      await createTable(first.client, 'persisted');
      const doc1 = DynamoDBDocumentClient.from(first.client);
      await doc1.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'persisted', Item: { pk: 'k', sk: '1', v: 'transacted' } } },
            { Put: { TableName: 'persisted', Item: { pk: 'k', sk: '2', v: 'also' } } },
          ],
        }),
      );
      await doc1.send(new DeleteCommand({ TableName: 'persisted', Key: { pk: 'k', sk: '2' } }));
      // not awaited: close() must wait for this in-flight write (send() queues on
      // the lock synchronously, so it is ahead of close() in the FIFO)
      const late = doc1.send(new PutCommand({ TableName: 'persisted', Item: { pk: 'k', sk: '3', v: 'in flight' } }));
      await first.close();
      await late;
      await first.close(); // idempotent
      await expect(doc1.send(new GetCommand({ TableName: 'persisted', Key: { pk: 'k', sk: '1' } }))).rejects.toThrow();

      const second = await startEmbeddedDynamo({ path: `${path}/store`, thread });
      try {
        // LevelDB allows one open handle per folder: a second instance is refused cleanly
        await expect(startEmbeddedDynamo({ path: `${path}/store`, thread })).rejects.toThrow(/cannot open the LevelDB store/);
        expect(second.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const doc2 = DynamoDBDocumentClient.from(second.client);
        const q = await doc2.send(
          new QueryCommand({
            TableName: 'persisted',
            KeyConditionExpression: 'pk = :k',
            ExpressionAttributeValues: { ':k': 'k' },
            ConsistentRead: true,
          }),
        );
        expect(q.Items).toEqual([
          { pk: 'k', sk: '1', v: 'transacted' },
          { pk: 'k', sk: '3', v: 'in flight' },
        ]);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(path, { recursive: true, force: true });
    }
  });
});

describe('local transactions over HTTP (a dynalite outside this process)', () => {
  it('give the same answers when the engine reaches dynalite through `raw`’s HTTP handler', async () => {
    const dynalite = (require('dynalite') as (o: Record<string, number>) => import('node:http').Server)({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => dynalite.listen(0, '127.0.0.1', resolve));
    const { port } = dynalite.address() as import('node:net').AddressInfo;
    const config = { region: 'local', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
    const client = new DynamoDBClient({ ...config, maxAttempts: 1 });
    const raw = new DynamoDBClient({ ...config, maxAttempts: 1 });
    installLocalTransactions(client, raw); // no `inProcess`: the HTTP transport
    try {
      await createTable(client, 'over-http');
      const doc = DynamoDBDocumentClient.from(client);
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'over-http', Item: { pk: 'a', sk: '1', b: new Uint8Array([1, 2]) } } },
            { Update: { TableName: 'over-http', Key: { pk: 'a', sk: 'n' }, UpdateExpression: 'ADD c :one', ExpressionAttributeValues: { ':one': 1 } } },
          ],
        }),
      );
      const cancelled = await rejection(() =>
        doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Delete: { TableName: 'over-http', Key: { pk: 'a', sk: '1' } } },
              { Put: { TableName: 'over-http', Item: { pk: 'a', sk: 'n' }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        ),
      );
      expect(codes(cancelled)).toEqual(['None', 'ConditionalCheckFailed']);
      const items = await doc.send(
        new QueryCommand({ TableName: 'over-http', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': 'a' }, ConsistentRead: true }),
      );
      expect(items.Items).toEqual([
        { pk: 'a', sk: '1', b: new Uint8Array([1, 2]) },
        { pk: 'a', sk: 'n', c: 1 },
      ]);
    } finally {
      client.destroy();
      raw.destroy();
      await new Promise((resolve) => dynalite.close(resolve));
    }
  });
});
