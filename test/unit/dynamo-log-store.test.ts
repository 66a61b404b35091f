import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { ProvisioningLogEntry } from '../../lambdas/log/provisioning-log';
import { ScimError } from '../../lambdas/scim/errors';
import { DynamoLogStore } from '../../lambdas/store/dynamo-log-store';
import { caught } from '../support/caught';

/**
 * The provisioning log in DynamoDB: what each entry is stored as (partition, sort key, 30-day TTL), batches of 25
 * with unprocessed items re-sent, and the newest-first reads behind `scimlink log` and provisioning health.
 */
const TABLE = 'T';
const ddb = mockClient(DynamoDBDocumentClient);
const store = () => new DynamoLogStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), TABLE);

const entry = (i: number, overrides: Partial<ProvisioningLogEntry> = {}): ProvisioningLogEntry => ({
  accountId: 'acme',
  time: `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.000Z`,
  requestId: `r${i}`,
  method: 'POST',
  path: '/Users',
  status: 201,
  ...overrides,
});
const putItems = (n: number) =>
  (ddb.commandCalls(BatchWriteCommand)[n]?.args[0].input.RequestItems?.[TABLE] ?? []).map((r) => r.PutRequest?.Item as Record<string, unknown>);

beforeEach(() => ddb.reset());

describe('append', () => {
  it('stores each entry in LOG#<account>, sorted by time#requestId, expiring 30 days after its time', async () => {
    ddb.on(BatchWriteCommand).resolves({});

    await store().append([entry(1, { userName: 'a@x.com', status: 400, reason: 'phoneNumbers:e164' })]);

    expect(putItems(0)).toEqual([
      {
        pk: 'LOG#acme',
        sk: '2024-05-01T10:00:01.000Z#r1',
        kind: 'log',
        ...entry(1, { userName: 'a@x.com', status: 400, reason: 'phoneNumbers:e164' }),
        expiresAt: Date.parse('2024-05-01T10:00:01.000Z') / 1000 + 30 * 86_400,
      },
    ]);
  });

  it('writes 25 entries per BatchWriteItem (60 → 25, 25, 10), nothing for none', async () => {
    ddb.on(BatchWriteCommand).resolves({});

    await store().append([]);
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 0);

    await store().append(Array.from({ length: 60 }, (_, i) => entry(i)));
    expect(ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]?.length)).toStrictEqual([25, 25, 10]);
    expect(putItems(2).map((i) => i.requestId)).toEqual(Array.from({ length: 10 }, (_, i) => `r${50 + i}`));
  });

  it('re-sends exactly the unprocessed items until none is left', async () => {
    const entries = [entry(1), entry(2), entry(3)];
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: { pk: 'LOG#acme', sk: 'x#r2', requestId: 'r2' } } }] } })
      .resolves({ UnprocessedItems: {} });

    await store().append(entries);

    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
    expect(putItems(1)).toEqual([{ pk: 'LOG#acme', sk: 'x#r2', requestId: 'r2' }]);
  });

  it('after 5 attempts with items still unprocessed → an error naming how many (the caller logs it)', async () => {
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: { requestId: 'r1' } } }, { PutRequest: { Item: { requestId: 'r2' } } }] } });

    const e = await caught(store().append([entry(1), entry(2)]));

    expect((e as Error).message).toBe('provisioning log: 2 entries not written');
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 5);
  }, 20_000);

  it('the first batch goes out at once; unprocessed items are re-sent after a pause of 100 ms, then 200 ms', async () => {
    jest.useFakeTimers();
    try {
      ddb
        .on(BatchWriteCommand)
        .resolvesOnce({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: { requestId: 'r1' } } }] } })
        .resolvesOnce({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: { requestId: 'r1' } } }] } })
        .resolves({});

      const done = store().append([entry(1)]);
      await jest.advanceTimersByTimeAsync(0);
      const sent = [ddb.commandCalls(BatchWriteCommand).length];
      await jest.advanceTimersByTimeAsync(99);
      sent.push(ddb.commandCalls(BatchWriteCommand).length);
      await jest.advanceTimersByTimeAsync(1);
      sent.push(ddb.commandCalls(BatchWriteCommand).length);
      await jest.advanceTimersByTimeAsync(199);
      sent.push(ddb.commandCalls(BatchWriteCommand).length);
      await jest.advanceTimersByTimeAsync(1);
      await done;

      expect(sent).toEqual([1, 1, 2, 2]);
      expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('throttling → a retryable 429', async () => {
    ddb.on(BatchWriteCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const e = await caught(store().append([entry(1)]));
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(429);
  });
});

/** A log partition of `n` entries, newest first, in pages of `page` (or Limit). */
function partition(n: number, page: number) {
  const all = Array.from({ length: n }, (_, i) => ({
    pk: 'LOG#acme',
    sk: `t${String(n - i).padStart(3, '0')}`,
    kind: 'log',
    expiresAt: 1,
    ...entry(n - i),
  }));
  return (input: QueryCommandInput) => {
    const from = input.ExclusiveStartKey ? all.findIndex((e) => e.sk === input.ExclusiveStartKey?.sk) + 1 : 0;
    const end = Math.min(all.length, from + Math.min(page, input.Limit ?? page));
    const Items = all.slice(from, end);
    return end < all.length ? { Items, LastEvaluatedKey: { pk: 'LOG#acme', sk: all[end - 1]!.sk } } : { Items };
  };
}
const queries = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);

describe('latest', () => {
  it('reads LOG#<account> newest first and answers entries without the storage fields', async () => {
    ddb.on(QueryCommand).callsFake(partition(3, 10));

    const entries = await store().latest('acme', 2, false);

    expect(entries).toEqual([entry(3), entry(2)]);
    expect(queries()).toEqual([
      { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'LOG#acme' }, ScanIndexForward: false, Limit: 2, ExclusiveStartKey: undefined },
    ]);
  });

  it('a page without Items (all filtered out) reads on', async () => {
    ddb.on(QueryCommand).resolvesOnce({ LastEvaluatedKey: { pk: 'LOG#acme', sk: 't9' } }).resolvesOnce({ Items: [entry(1)] });
    expect(await store().latest('acme', 5, true)).toEqual([entry(1)]);
  });

  it('errorsOnly filters on status ≥ 400 in the query', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await store().latest('acme', 10, true);

    expect(queries()[0]).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'LOG#acme', ':min': 400 },
      FilterExpression: '#s >= :min',
      ExpressionAttributeNames: { '#s': 'status' },
    });
  });

  it.each<[number, number]>([
    [0, 1],
    [-5, 1],
    [500, 500],
    [501, 500],
  ])('limit %i reads at most %i entries', async (limit, want) => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await store().latest('acme', limit, false);
    expect(queries()[0]?.Limit).toBe(want);
  });

  it('pages on until it has the entries it wants, asking each page only for what is missing', async () => {
    ddb.on(QueryCommand).callsFake(partition(10, 3));

    const entries = await store().latest('acme', 7, false);

    expect(entries.map((e) => e.requestId)).toStrictEqual(['r10', 'r9', 'r8', 'r7', 'r6', 'r5', 'r4']);
    expect(queries().map((q) => q.Limit)).toStrictEqual([7, 4, 1]);
    expect(queries()[1]?.ExclusiveStartKey).toEqual({ pk: 'LOG#acme', sk: 't008' });
  });

  it('never answers more than it asked for, even when a page brings more (a filtered page)', async () => {
    ddb.on(QueryCommand).resolves({ Items: [entry(1), entry(2), entry(3)] });
    expect(await store().latest('acme', 2, false)).toHaveLength(2);
  });
});

describe('since', () => {
  it('reads entries at or after the time, only the fields health counts, and says whether it read them all', async () => {
    ddb.on(QueryCommand).callsFake(partition(4, 10));

    const all = await store().since('acme', '2024-04-24T00:00:00.000Z', 10);

    expect(all.complete).toBe(true);
    expect(all.entries).toHaveLength(4);
    expect(all.entries[0]).toMatchObject({ accountId: 'acme', status: 201 });
    expect(queries()[0]).toEqual({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND sk >= :from',
      ExpressionAttributeValues: { ':pk': 'LOG#acme', ':from': '2024-04-24T00:00:00.000Z' },
      ProjectionExpression: '#t, #s, userName, reason',
      ExpressionAttributeNames: { '#t': 'time', '#s': 'status' },
      ScanIndexForward: false,
      Limit: 10,
      ExclusiveStartKey: undefined,
    });
  });

  it('entries the projection left without request fields get empty ones', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ time: 't', status: 409, reason: 'uniqueness:email' }] });
    expect((await store().since('acme', 'x', 5)).entries).toEqual([
      { accountId: 'acme', requestId: '', method: '', path: '', time: 't', status: 409, reason: 'uniqueness:email' },
    ]);
  });

  it('cut short by max → complete: false', async () => {
    ddb.on(QueryCommand).callsFake(partition(5, 2));

    const cut = await store().since('acme', 'x', 3);

    expect(cut.entries).toHaveLength(3);
    expect(cut.complete).toBe(false);
  });

  it('max 1000+ is asked for 1000 per page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await store().since('acme', 'x', 5000);
    expect(queries()[0]?.Limit).toBe(1000);
  });
});
