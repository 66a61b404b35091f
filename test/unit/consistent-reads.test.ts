import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { CoalescingReader, singleReads } from '../../lambdas/store/consistent-reads';

const ddb = mockClient(DynamoDBDocumentClient);
const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

const INTEGRATION = { pk: 'ACCOUNT#a', sk: 'INTEGRATION' };
const USER = { pk: 'ACCOUNT#a', sk: 'USER#u1' };
const item = (key: { pk: string; sk: string }, extra: Record<string, unknown> = {}) => ({ ...key, ...extra });

beforeEach(() => ddb.reset());

/** BatchGetItem finds every key it is asked for. */
const answerEveryKey = () =>
  ddb.on(BatchGetCommand).callsFake(async (input: { RequestItems: Record<string, { Keys: Array<{ pk: string; sk: string }> }> }) => ({
    Responses: { T: (input.RequestItems.T?.Keys ?? []).map((k) => item(k)) },
  }));

describe('CoalescingReader', () => {
  it('reads issued in the same tick go out as one strongly consistent BatchGetItem; a missing item is undefined', async () => {
    // Prepare
    ddb.on(BatchGetCommand).resolves({ Responses: { T: [item(INTEGRATION, { tenantKey: 'k' })] } });
    const reader = new CoalescingReader(doc());

    // Act
    const [integration, user] = await Promise.all([reader.get('T', INTEGRATION), reader.get('T', USER)]);

    // Assess
    expect(integration).toEqual(item(INTEGRATION, { tenantKey: 'k' }));
    expect(user).toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, { RequestItems: { T: { Keys: [INTEGRATION, USER], ConsistentRead: true } } });
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('a read alone is a plain strongly consistent GetItem', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: item(USER) });
    const reader = new CoalescingReader(doc());

    // Act
    const user = await reader.get('T', USER);

    // Assess
    expect(user).toEqual(item(USER));
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'T', Key: USER, ConsistentRead: true });
    expect(ddb).not.toHaveReceivedCommand(BatchGetCommand);
  });

  it('reads in different ticks are separate calls (no waiting for company)', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({});
    const reader = new CoalescingReader(doc());

    // Act
    await reader.get('T', INTEGRATION);
    await reader.get('T', USER);

    // Assess
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 2);
    expect(ddb).not.toHaveReceivedCommand(BatchGetCommand);
  });

  it('a key asked twice in one tick is read once (BatchGetItem refuses duplicate keys) and answers both', async () => {
    // Prepare
    ddb.on(BatchGetCommand).resolves({ Responses: { T: [item(USER), item(INTEGRATION)] } });
    const reader = new CoalescingReader(doc());

    // Act
    const results = await Promise.all([reader.get('T', USER), reader.get('T', INTEGRATION), reader.get('T', { ...USER })]);

    // Assess
    expect(results).toEqual([item(USER), item(INTEGRATION), item(USER)]);
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, { RequestItems: { T: { Keys: [USER, INTEGRATION], ConsistentRead: true } } });
  });

  it('groups keys by table', async () => {
    // Prepare
    ddb.on(BatchGetCommand).resolves({ Responses: { T: [item(USER)], Other: [item(USER, { other: true })] } });
    const reader = new CoalescingReader(doc());

    // Act
    const results = await Promise.all([reader.get('T', USER), reader.get('Other', USER)]);

    // Assess
    expect(results).toEqual([item(USER), item(USER, { other: true })]);
    expect(ddb).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { T: { Keys: [USER], ConsistentRead: true }, Other: { Keys: [USER], ConsistentRead: true } },
    });
  });

  it('keys left unprocessed are read again one by one with GetItem', async () => {
    // Prepare
    ddb.on(BatchGetCommand).resolves({
      Responses: { T: [item(INTEGRATION)] },
      UnprocessedKeys: { T: { Keys: [USER], ConsistentRead: true } },
    });
    ddb.on(GetCommand, { Key: USER }).resolves({ Item: item(USER, { again: true }) });
    const reader = new CoalescingReader(doc());

    // Act
    const results = await Promise.all([reader.get('T', INTEGRATION), reader.get('T', USER)]);

    // Assess
    expect(results).toEqual([item(INTEGRATION), item(USER, { again: true })]);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'T', Key: USER, ConsistentRead: true });
  });

  it('an unprocessed key whose retry fails fails that read only', async () => {
    // Prepare
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    ddb.on(BatchGetCommand).resolves({ Responses: { T: [item(INTEGRATION)] }, UnprocessedKeys: { T: { Keys: [USER] } } });
    ddb.on(GetCommand).rejects(throttled);
    const reader = new CoalescingReader(doc());

    // Act
    const [integration, user] = await Promise.allSettled([reader.get('T', INTEGRATION), reader.get('T', USER)]);

    // Assess
    expect(integration).toEqual({ status: 'fulfilled', value: item(INTEGRATION) });
    expect(user).toMatchObject({ status: 'rejected', reason: { name: 'ProvisionedThroughputExceededException' } });
  });

  it('a failed BatchGetItem fails every read it carried, with its error', async () => {
    // Prepare
    const failure = Object.assign(new Error('boom'), { name: 'InternalServerError' });
    ddb.on(BatchGetCommand).rejects(failure);
    const reader = new CoalescingReader(doc());

    // Act
    const settled = await Promise.allSettled([reader.get('T', INTEGRATION), reader.get('T', USER)]);

    // Assess
    expect(settled).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
  });

  it('more than 100 keys in one tick go out in batches of 100 (DynamoDB’s limit)', async () => {
    // Prepare
    answerEveryKey();
    const reader = new CoalescingReader(doc());
    const keys = Array.from({ length: 150 }, (_, i) => ({ pk: 'ACCOUNT#a', sk: `USER#${i}` }));

    // Act
    const results = await Promise.all(keys.map((k) => reader.get('T', k)));

    // Assess
    expect(results).toEqual(keys.map((k) => item(k)));
    const sizes = ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.T?.Keys?.length);
    expect(sizes).toEqual([100, 50]);
  });
});

describe('CoalescingReader at the batch limit', () => {
  it('exactly 200 keys in one tick → two full batches, no empty third call', async () => {
    // Prepare
    answerEveryKey();
    const reader = new CoalescingReader(doc());
    const keys = Array.from({ length: 200 }, (_, i) => ({ pk: 'ACCOUNT#a', sk: `USER#${i}` }));

    // Act
    const results = await Promise.all(keys.map((k) => reader.get('T', k)));

    // Assess
    expect(results).toEqual(keys.map((k) => item(k)));
    // toStrictEqual: toEqual would take [100, 100, undefined] (an empty third call) for [100, 100].
    expect(ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.T?.Keys?.length)).toStrictEqual([100, 100]);
  });

  it('a batch answer without Responses: every read finds nothing', async () => {
    ddb.on(BatchGetCommand).resolves({});
    const reader = new CoalescingReader(doc());
    expect(await Promise.all([reader.get('T', INTEGRATION), reader.get('T', USER)])).toEqual([undefined, undefined]);
  });
});

describe('singleReads', () => {
  it('is one strongly consistent GetItem per read', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: item(USER) });
    const reader = singleReads(doc());

    // Act
    const results = await Promise.all([reader.get('T', USER), reader.get('T', INTEGRATION)]);

    // Assess
    expect(results).toEqual([item(USER), item(USER)]);
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 2);
    expect(ddb).not.toHaveReceivedCommand(BatchGetCommand);
  });
});
