import 'aws-sdk-client-mock-jest';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ScimError } from '../../lambdas/scim/errors';
import { Account, DynamoAccountStore } from '../../lambdas/store/dynamo-account-store';
import { caught } from '../support/caught';

const TABLE = 'T';
const ddb = mockClient(DynamoDBDocumentClient);
const store = () => new DynamoAccountStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), TABLE);

const ccf = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () => new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });

const ACCOUNT: Account = { id: 'acc1', name: 'Contoso', type: 'customer', partnerId: 'p1', createdAt: '2024-01-01T00:00:00.000Z' };
const INTEGRATION_KEY = { pk: 'ACCOUNT#acc1', sk: 'INTEGRATION' };


beforeEach(() => {
  ddb.reset();
});

describe('createAccount', () => {
  // The partner's customer counter exists (3 customers): createAccount adds to it in the same transaction.
  beforeEach(() => ddb.on(GetCommand).resolves({ Item: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS', count: 3 } }));

  it('puts the account item conditionally (attribute_not_exists) with its directory entry, in one transaction', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const created = await store().createAccount(ACCOUNT);

    // Assess
    expect(created).toBe(true);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb).not.toHaveReceivedCommand(PutCommand); // the counter exists: no initial write
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS' }, ConsistentRead: true });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]).toEqual({
      Put: {
        TableName: TABLE,
        Item: { pk: 'ACCOUNT#acc1', sk: 'ACCOUNT', kind: 'account', ...ACCOUNT },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    expect(items[1]).toEqual({ Put: { TableName: TABLE, Item: { pk: 'ACCOUNTS', sk: 'ACCOUNT#acc1', kind: 'accountRef', ...ACCOUNT } } });
    // No limit given (an operator creating): the partner's counter is bumped, unconditionally (no unused :limit,
    // which DynamoDB refuses).
    expect(Object.keys(items[2]?.Update?.ExpressionAttributeValues ?? {})).toEqual([':one']);
    expect(items[2]).toEqual({
      Update: {
        TableName: TABLE,
        Key: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS' },
        UpdateExpression: 'ADD #c :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':one': 1 },
      },
    });
    expect(items).toHaveLength(3);
  });

  it('a partner creating: the counter is conditioned on its limit; at the limit → 403 naming it, nothing created', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }] }),
    );

    // Act
    const e = await caught(store().createAccount(ACCOUNT, 3));

    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect([(e as ScimError).status, (e as ScimError).rule]).toEqual([403, 'quota:accounts']);
    expect((e as ScimError).detail).toContain('partner p1 has reached its limit of 3 customer accounts');
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[2]?.Update).toMatchObject({ ConditionExpression: '#c < :limit', ExpressionAttributeValues: { ':one': 1, ':limit': 3 } });
  });

  it('a partner from before quotas (no counter): the counter starts at its customers in the directory, written only if absent', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ ...ACCOUNT, id: 'c1' }, { ...ACCOUNT, id: 'c2' }, { ...ACCOUNT, id: 'c3', partnerId: 'other' }] });
    ddb.on(PutCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await store().createAccount(ACCOUNT, 10);

    // Assess
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS', kind: 'customerCount', count: 2 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('a customer without a partner touches no counter', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const { partnerId: _p, ...alone } = ACCOUNT;
    await store().createAccount(alone);
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toHaveLength(2);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('returns false, without overwriting, when the account exists (condition failed on the account item)', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    // Act
    const created = await store().createAccount(ACCOUNT);

    // Assess
    expect(created).toBe(false);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('throttling → 429 ScimError', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(throttled());

    // Act
    const e = await caught(store().createAccount(ACCOUNT));

    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(429);
  });

  it('an unknown failure is rethrown unchanged', async () => {
    // Prepare
    const boom = new Error('boom');
    ddb.on(TransactWriteCommand).rejects(boom);

    // Act
    const e = await caught(store().createAccount(ACCOUNT));

    // Assess
    expect(e).toBe(boom);
  });
});

describe('listAccounts', () => {
  it('a page without Items adds no account', async () => {
    ddb.on(QueryCommand).resolvesOnce({ LastEvaluatedKey: { pk: 'ACCOUNTS', sk: 'ACCOUNT#a' } }).resolvesOnce({ Items: [{ ...ACCOUNT }] });
    expect(await store().listAccounts()).toEqual([ACCOUNT]);
  });

  it('queries the ACCOUNTS directory partition across pages', async () => {
    // Prepare
    const second: Account = { id: 'acc2', name: 'Fabrikam', type: 'partner', createdAt: '2024-02-01T00:00:00.000Z' };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ pk: 'ACCOUNTS', sk: 'ACCOUNT#acc1', kind: 'accountRef', ...ACCOUNT }], LastEvaluatedKey: { pk: 'ACCOUNTS', sk: 'ACCOUNT#acc1' } })
      .resolvesOnce({ Items: [{ pk: 'ACCOUNTS', sk: 'ACCOUNT#acc2', kind: 'accountRef', ...second }] });

    // Act
    const accounts = await store().listAccounts();

    // Assess
    expect(accounts).toEqual([ACCOUNT, second]);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(1, QueryCommand, { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'ACCOUNTS' } });
    expect(ddb).toHaveReceivedNthCommandWith(2, QueryCommand, { ExclusiveStartKey: { pk: 'ACCOUNTS', sk: 'ACCOUNT#acc1' } });
  });
});

describe('getAccount', () => {
  it('reads the account consistently and returns only the account fields', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: { pk: 'ACCOUNT#acc1', sk: 'ACCOUNT', kind: 'account', ...ACCOUNT } });

    // Act
    const account = await store().getAccount('acc1');

    // Assess
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { pk: 'ACCOUNT#acc1', sk: 'ACCOUNT' }, ConsistentRead: true });
    expect(account).toEqual(ACCOUNT);
  });

  it('returns undefined for an unknown account', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({});

    // Act
    const account = await store().getAccount('nope');

    // Assess
    expect(account).toBeUndefined();
  });
});

describe('getIntegration', () => {
  it.each<[string, Record<string, unknown> | undefined, unknown]>([
    [
      'with keys',
      { ...INTEGRATION_KEY, kind: 'integration', addedAt: 'A', tenantKey: 'K1', keysGeneratedAt: 'G' },
      { accountId: 'acc1', addedAt: 'A', tenantKey: 'K1', keysGeneratedAt: 'G' },
    ],
    ['added, no keys generated yet', { ...INTEGRATION_KEY, kind: 'integration', addedAt: 'A' }, { accountId: 'acc1', addedAt: 'A' }],
    [
      'with last request seen',
      { ...INTEGRATION_KEY, kind: 'integration', addedAt: 'A', tenantKey: 'K1', keysGeneratedAt: 'G', lastRequestAt: 'L' },
      { accountId: 'acc1', addedAt: 'A', tenantKey: 'K1', keysGeneratedAt: 'G', lastRequestAt: 'L' },
    ],
    ['absent', undefined, undefined],
  ])('%s: reads INTEGRATION with ConsistentRead', async (_name, item, expected) => {
    // Prepare
    ddb.on(GetCommand).resolves(item ? { Item: item } : {});

    // Act
    const integration = await store().getIntegration('acc1');

    // Assess
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: INTEGRATION_KEY, ConsistentRead: true });
    expect(integration).toEqual(expected);
  });

  it('throttling → 429 ScimError with Retry-After', async () => {
    // Prepare
    ddb.on(GetCommand).rejects(throttled());

    // Act
    const e = await caught(store().getIntegration('acc1'));

    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(429);
    expect((e as ScimError).headers['Retry-After']).toBeDefined();
  });
});

describe('addIntegration', () => {
  it('puts the integration conditionally and returns it', async () => {
    // Prepare
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { ...INTEGRATION_KEY, kind: 'integration', addedAt: 'A' } });

    // Act
    const integration = await store().addIntegration('acc1', 'A');

    // Assess
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: { ...INTEGRATION_KEY, kind: 'integration', addedAt: 'A' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(integration).toEqual({ accountId: 'acc1', addedAt: 'A' });
  });

  it('is idempotent: on ConditionalCheckFailedException it keeps and returns the existing integration with its keys', async () => {
    // Prepare
    ddb.on(PutCommand).rejects(ccf());
    ddb.on(GetCommand).resolves({ Item: { ...INTEGRATION_KEY, kind: 'integration', addedAt: 'OLD', tenantKey: 'K1', keysGeneratedAt: 'G' } });

    // Act
    const integration = await store().addIntegration('acc1', 'NEW');

    // Assess
    expect(integration).toEqual({ accountId: 'acc1', addedAt: 'OLD', tenantKey: 'K1', keysGeneratedAt: 'G' });
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('rethrows any other failure of the put', async () => {
    // Prepare
    const boom = new Error('boom');
    ddb.on(PutCommand).rejects(boom);

    // Act
    const e = await caught(store().addIntegration('acc1', 'A'));

    // Assess
    expect(e).toBe(boom);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });
});

describe('setTenantKey', () => {
  it('updates the tenant key on the existing integration and returns true', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});

    // Act
    const ok = await store().setTenantKey('acc1', 'K2', 'AT');

    // Assess
    expect(ok).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: INTEGRATION_KEY,
      UpdateExpression: 'SET tenantKey = :k, keysGeneratedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':k': 'K2', ':at': 'AT' },
    });
  });

  it('returns false when the integration is gone (ConditionalCheckFailedException)', async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(ccf());

    // Act
    const ok = await store().setTenantKey('acc1', 'K2', 'AT');

    // Assess
    expect(ok).toBe(false);
  });

  it('throttling → 429 ScimError, not false', async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(throttled());

    // Act
    const e = await caught(store().setTenantKey('acc1', 'K2', 'AT'));

    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(429);
  });
});

describe('touchLastRequest', () => {
  it('sets lastRequestAt only on an existing integration whose stored time is older than notBefore', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});

    // Act
    await store().touchLastRequest('acc1', 'AT', 'NB');

    // Assess
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: INTEGRATION_KEY,
      UpdateExpression: 'SET lastRequestAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastRequestAt) OR lastRequestAt < :nb)',
      ExpressionAttributeValues: { ':at': 'AT', ':nb': 'NB' },
    });
  });

  it('swallows ConditionalCheckFailedException (recent enough, or integration removed)', async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(ccf());

    // Act
    const result = store().touchLastRequest('acc1', 'AT', 'NB');

    // Assess
    await expect(result).resolves.toBeUndefined();
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
  it('lets any other failure through to its caller (scim-route, which never fails the request for it)', async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(throttled());

    // Act
    const e = await caught(store().touchLastRequest('acc1', 'AT', 'NB'));

    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(429);
  });
});

describe('removeIntegration', () => {
  it('deletes the INTEGRATION item', async () => {
    // Prepare
    ddb.on(DeleteCommand).resolves({});

    // Act
    await store().removeIntegration('acc1');

    // Assess
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: TABLE, Key: INTEGRATION_KEY });
  });
});

describe('sweepAccountItems (deleting an account, issue 16)', () => {
  const keys = (pk: string, sks: string[]) => sks.map((sk) => ({ pk, sk }));

  it('deletes what is left in the partition (never the account item or a user) and then the log, within the budget', async () => {
    // Prepare
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ACCOUNT#acc1' } })
      .resolves({ Items: keys('ACCOUNT#acc1', ['ACCOUNT', 'COUNT#0', 'COUNT#7', 'EXTID#ab#u1']) })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'LOG#acc1' } })
      .resolves({ Items: keys('LOG#acc1', ['2024-01-01T00:00:00.000Z#r1']) });
    ddb.on(DeleteCommand).resolves({});

    // Act
    const swept = await store().sweepAccountItems('acc1', 10);

    // Assess
    expect(swept).toEqual({ deleted: 4, users: false, more: false });
    const deleted = ddb.commandCalls(DeleteCommand).map((c) => `${c.args[0].input.Key?.pk}|${c.args[0].input.Key?.sk}`);
    expect(deleted.sort()).toEqual(['ACCOUNT#acc1|COUNT#0', 'ACCOUNT#acc1|COUNT#7', 'ACCOUNT#acc1|EXTID#ab#u1', 'LOG#acc1|2024-01-01T00:00:00.000Z#r1']);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({ ProjectionExpression: 'pk, sk', ConsistentRead: true, Limit: 12 });
  });

  it('stops at the budget and says more remains; a user met is reported, never deleted', async () => {
    ddb.on(QueryCommand).resolves({ Items: keys('ACCOUNT#acc1', ['COUNT#0', 'COUNT#1', 'COUNT#2', 'USER#u9']), LastEvaluatedKey: { pk: 'ACCOUNT#acc1', sk: 'USER#u9' } });
    ddb.on(DeleteCommand).resolves({});

    const swept = await store().sweepAccountItems('acc1', 2);

    expect(swept).toEqual({ deleted: 2, users: true, more: true });
    expect(ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key?.sk)).toStrictEqual(['COUNT#0', 'COUNT#1']);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
  });
});

describe('sweepAccountItems: budget and what remains', () => {
  const keys = (pk: string, sks: string[]) => sks.map((sk) => ({ pk, sk }));
  const queried = () => ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);

  it('the log gets what the partition left of the budget; a user item anywhere is kept and reported', async () => {
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ACCOUNT#acc1' } })
      .resolves({ Items: keys('ACCOUNT#acc1', ['COUNT#0', 'USER#u1', 'COUNT#1', 'COUNT#2']) })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'LOG#acc1' } })
      .resolves({ Items: keys('LOG#acc1', ['t1', 't2', 't3']) });
    ddb.on(DeleteCommand).resolves({});

    const swept = await store().sweepAccountItems('acc1', 4);

    expect(swept).toEqual({ deleted: 4, users: true, more: true });
    expect(ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key?.sk)).toStrictEqual(['COUNT#0', 'COUNT#1', 'COUNT#2', 't1']);
    expect(queried()).toEqual([
      { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'ACCOUNT#acc1' }, ProjectionExpression: 'pk, sk', ConsistentRead: true, Limit: 6 },
      { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'LOG#acc1' }, ProjectionExpression: 'pk, sk', ConsistentRead: true, Limit: 3 },
    ]);
  });

  it('more remains when the partition goes on, even if every item read was deleted; the log waits for the next call', async () => {
    ddb.on(QueryCommand).resolves({ Items: keys('ACCOUNT#acc1', ['COUNT#0']), LastEvaluatedKey: { pk: 'ACCOUNT#acc1', sk: 'COUNT#0' } });
    ddb.on(DeleteCommand).resolves({});

    expect(await store().sweepAccountItems('acc1', 5)).toEqual({ deleted: 1, users: false, more: true });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
  });

  it('more remains when the page brought more than the budget, though it was the last page', async () => {
    ddb.on(QueryCommand).resolves({ Items: keys('ACCOUNT#acc1', ['COUNT#0', 'COUNT#1', 'COUNT#2']) });
    ddb.on(DeleteCommand).resolves({});

    expect(await store().sweepAccountItems('acc1', 2)).toEqual({ deleted: 2, users: false, more: true });
  });

  it('every item is deleted once, however many (deletes go out a few at a time); a page without Items is empty', async () => {
    const many = Array.from({ length: 19 }, (_, i) => `EXTID#${String(i).padStart(2, '0')}#u`);
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'ACCOUNT#acc1' } })
      .resolves({ Items: keys('ACCOUNT#acc1', many) })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'LOG#acc1' } })
      .resolves({});
    ddb.on(DeleteCommand).resolves({});

    expect(await store().sweepAccountItems('acc1', 100)).toEqual({ deleted: 19, users: false, more: false });
    expect(ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key?.sk)).toEqual(many);
  });
});

describe('deleteAccount', () => {
  it('deletes the account item (conditionally) and its directory entry in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await store().deleteAccount('acc1')).toBe(true);

    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toEqual([
      { Delete: { TableName: TABLE, Key: { pk: 'ACCOUNT#acc1', sk: 'ACCOUNT' }, ConditionExpression: 'attribute_exists(pk)' } },
      { Delete: { TableName: TABLE, Key: { pk: 'ACCOUNTS', sk: 'ACCOUNT#acc1' } } },
    ]);
  });

  it('answers false when the account is gone already; throttling becomes a retryable 429', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }))
      .rejectsOnce(throttled());
    expect(await store().deleteAccount('acc1')).toBe(false);
    expect(await caught(store().deleteAccount('acc1'))).toMatchObject({ status: 429 });
  });
});

describe('quotas: a partner’s customer counter', () => {
  const cancelledAt = (codes: string[]) =>
    new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

  it('countCustomers reads the counter (strongly consistent); a counter without a count is 0', async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS', count: 7 } }).resolvesOnce({ Item: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS' } });

    expect(await store().countCustomers('p1')).toBe(7);
    expect(await store().countCustomers('p1')).toBe(0);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS' }, ConsistentRead: true });
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('countCustomers of a partner from before quotas counts its customers in the directory', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ ...ACCOUNT, id: 'c1' }, { ...ACCOUNT, id: 'c2', partnerId: 'p2' }, { ...ACCOUNT, id: 'c3' }] });
    expect(await store().countCustomers('p1')).toBe(2);
  });

  it('the initial counter losing a race (its condition failed) is fine: the customer is still created on the winner’s counter', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).rejects(ccf());
    ddb.on(TransactWriteCommand).resolves({});

    expect(await store().createAccount(ACCOUNT, 10)).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: TABLE, Item: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS', kind: 'customerCount', count: 0 } });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('the initial counter failing otherwise (throttled) → 429 and no account is created', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).rejects(throttled());

    expect(await caught(store().createAccount(ACCOUNT, 10))).toMatchObject({ status: 429 });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('at the limit: 403 telling the operator how to raise it', async () => {
    ddb.on(GetCommand).resolves({ Item: { count: 3 } });
    ddb.on(TransactWriteCommand).rejects(cancelledAt(['None', 'None', 'ConditionalCheckFailed']));

    const e = (await caught(store().createAccount(ACCOUNT, 3))) as ScimError;

    expect(e.detail).toBe('partner p1 has reached its limit of 3 customer accounts (quota); an operator can raise it (scimlink quotas set p1 --max-accounts N)');
  });

  it('two customers created under one partner at once (TransactionConflict on its counter) → 503 with Retry-After, not a 500', async () => {
    ddb.on(GetCommand).resolves({ Item: { count: 3 } });
    ddb.on(TransactWriteCommand).rejects(cancelledAt(['None', 'None', 'TransactionConflict']));

    const e = await caught(store().createAccount(ACCOUNT, 10));

    expect(e).toBeInstanceOf(ScimError);
    expect([(e as ScimError).status, (e as ScimError).headers['Retry-After']]).toEqual([503, '2']);
  });

  it('a customer of a partner, deleted: its place is given back (ADD -1 on the counter) in the same transaction', async () => {
    ddb.on(GetCommand).resolves({ Item: { count: 3 } });
    ddb.on(TransactWriteCommand).resolves({});

    expect(await store().deleteAccount('acc1', 'p1')).toBe(true);

    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[2]).toEqual({
      Update: {
        TableName: TABLE,
        Key: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS' },
        UpdateExpression: 'ADD #c :minus',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':minus': -1 },
      },
    });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('deleting a customer of a partner from before quotas first makes the counter (counting this account), then takes 1 away', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ ...ACCOUNT }] });
    ddb.on(PutCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});

    await store().deleteAccount('acc1', 'p1');

    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: { pk: 'ACCOUNT#p1', sk: 'CUSTOMERS', kind: 'customerCount', count: 1 } });
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toHaveLength(3);
  });
});

describe('setQuotas: an operator’s own limits on the account item', () => {
  const update = () => ddb.commandCalls(UpdateCommand)[0]?.args[0].input;

  it('a number sets the limit, only on an existing account', async () => {
    ddb.on(UpdateCommand).resolves({});

    expect(await store().setQuotas('acc1', { maxUsers: 500 })).toBe(true);

    expect(update()).toEqual({
      TableName: TABLE,
      Key: { pk: 'ACCOUNT#acc1', sk: 'ACCOUNT' },
      UpdateExpression: 'SET maxUsers = :maxUsers',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':maxUsers': 500 },
    });
  });

  it('two numbers are set together; 0 is a limit like any other', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store().setQuotas('acc1', { maxUsers: 0, maxAccounts: 20 });
    expect(update()).toMatchObject({
      UpdateExpression: 'SET maxUsers = :maxUsers, maxAccounts = :maxAccounts',
      ExpressionAttributeValues: { ':maxUsers': 0, ':maxAccounts': 20 },
    });
  });

  it('null removes the limit (back to the default), without values; a key left undefined is untouched', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store().setQuotas('acc1', { maxUsers: null, maxAccounts: undefined });
    expect(update()).toEqual({
      TableName: TABLE,
      Key: { pk: 'ACCOUNT#acc1', sk: 'ACCOUNT' },
      UpdateExpression: 'REMOVE maxUsers',
      ConditionExpression: 'attribute_exists(pk)',
    });
  });

  it('set and remove in one update', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store().setQuotas('acc1', { maxUsers: null, maxAccounts: 4 });
    expect(update()).toMatchObject({ UpdateExpression: 'SET maxAccounts = :maxAccounts REMOVE maxUsers', ExpressionAttributeValues: { ':maxAccounts': 4 } });
    ddb.reset();
    ddb.on(UpdateCommand).resolves({});
    await store().setQuotas('acc1', { maxUsers: null, maxAccounts: null });
    expect(update()?.UpdateExpression).toBe('REMOVE maxUsers, maxAccounts');
  });

  it('no such account → false; throttled → 429; anything else is rethrown', async () => {
    const boom = new Error('boom');
    ddb.on(UpdateCommand).rejectsOnce(ccf()).rejectsOnce(throttled()).rejectsOnce(boom);
    expect(await store().setQuotas('nope', { maxUsers: 1 })).toBe(false);
    expect(await caught(store().setQuotas('acc1', { maxUsers: 1 }))).toMatchObject({ status: 429 });
    expect(await caught(store().setQuotas('acc1', { maxUsers: 1 }))).toBe(boom);
  });

  it('the account’s own limits are read back; anything but a number is no limit', async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: { ...ACCOUNT, maxUsers: 0, maxAccounts: 12 } }).resolvesOnce({ Item: { ...ACCOUNT, maxUsers: '5', maxAccounts: null, partnerId: '' } });
    expect(await store().getAccount('acc1')).toEqual({ ...ACCOUNT, maxUsers: 0, maxAccounts: 12 });
    const { partnerId: _p, ...withoutPartner } = ACCOUNT;
    expect(await store().getAccount('acc1')).toEqual(withoutPartner);
  });
});

describe('renameAccount: the account item and its directory entry, in one transaction', () => {
  it('sets the name on both, each only if it exists → true', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await store().renameAccount('acc1', 'Contoso Ltd')).toBe(true);

    const update = (Key: Record<string, string>) => ({
      Update: {
        TableName: TABLE,
        Key,
        UpdateExpression: 'SET #name = :name',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': 'Contoso Ltd' },
      },
    });
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toEqual([
      update({ pk: 'ACCOUNT#acc1', sk: 'ACCOUNT' }),
      update({ pk: 'ACCOUNTS', sk: 'ACCOUNT#acc1' }),
    ]);
  });

  it('either item missing → false; throttled → 429; another cancellation is rethrown', async () => {
    const other = new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ValidationError' }, { Code: 'None' }] });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }] }))
      .rejectsOnce(throttled())
      .rejectsOnce(other);
    expect(await store().renameAccount('acc1', 'X')).toBe(false);
    expect(await caught(store().renameAccount('acc1', 'X'))).toMatchObject({ status: 429 });
    expect(await caught(store().renameAccount('acc1', 'X'))).toBe(other);
  });
});
