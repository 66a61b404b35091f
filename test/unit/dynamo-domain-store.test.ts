/**
 * The domain-claim store (lambdas/store/dynamo-domain-store.ts) on a mocked DynamoDB client: the items a claim and a
 * release write, the answer to each way a claim's transaction can be cancelled, the listings (every page) and the
 * holders of values in a domain. The rules themselves and the happy paths: test/unit/domain-claims.test.ts.
 */
import 'aws-sdk-client-mock-jest';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ScimError } from '../../lambdas/scim/errors';
import { DynamoDomainStore } from '../../lambdas/store/dynamo-domain-store';
import { caught } from '../support/caught';

const ddb = mockClient(DynamoDBDocumentClient);
const store = () => new DynamoDomainStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'T');
const AT = '2026-01-01T00:00:00.000Z';
const claimOf = (domain: string, accountId: string) => ({ domain, accountId, claimedAt: AT });

beforeEach(() => ddb.reset());

function cancelled(codes: string[]) {
  return new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
}
const named = (name: string) => Object.assign(new Error(`${name} happened`), { name });
const transactItems = (n = 0) => ddb.commandCalls(TransactWriteCommand)[n]!.args[0].input.TransactItems ?? [];

async function scimErrorOf(promise: Promise<unknown>): Promise<ScimError> {
  const e = await caught(promise);
  if (e instanceof ScimError) return e;
  throw new Error(`expected a ScimError, got ${String(e)}`);
}

describe('get: the claim item, strongly consistent', () => {
  it('reads DOMAIN#<domain> / DOMAIN and answers its domain, account and time', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'DOMAIN#acme.com', sk: 'DOMAIN', kind: 'domainClaim', ...claimOf('acme.com', 'acme') } });

    expect(await store().get('acme.com')).toEqual(claimOf('acme.com', 'acme'));
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'T', Key: { pk: 'DOMAIN#acme.com', sk: 'DOMAIN' }, ConsistentRead: true });
  });

  it('no item → undefined (unclaimed)', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await store().get('acme.com')).toBeUndefined();
  });

  it('throttled → 429 with Retry-After (Entra retries), not a 500', async () => {
    ddb.on(GetCommand).rejects(named('ThrottlingException'));
    const e = await scimErrorOf(store().get('acme.com'));
    expect([e.status, e.headers['Retry-After']]).toEqual([429, '2']);
  });
});

describe('claim: the three items of a claim and the answer to each cancellation', () => {
  beforeEach(() => {
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
  });

  it('writes the claim item, the account’s entry and the directory entry, each with the claim and its kind, in table T', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await store().claim('acme', 'eu.acme.com', AT);

    const claim = claimOf('eu.acme.com', 'acme');
    expect(transactItems()).toEqual([
      { Put: { TableName: 'T', Item: { pk: 'DOMAIN#eu.acme.com', sk: 'DOMAIN', kind: 'domainClaim', ...claim }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: 'T', Item: { pk: 'ACCOUNT#acme', sk: 'DOMAIN#eu.acme.com', kind: 'domainClaimRef', ...claim } } },
      { Put: { TableName: 'T', Item: { pk: 'DOMAINS', sk: 'com.acme.eu.', kind: 'domainClaimRef', ...claim } } },
      {
        ConditionCheck: {
          TableName: 'T',
          Key: { pk: 'DOMAIN#acme.com', sk: 'DOMAIN' },
          ConditionExpression: 'attribute_not_exists(pk) OR accountId = :me',
          ExpressionAttributeValues: { ':me': 'acme' },
        },
      },
    ]);
  });

  it('a two-label domain has no parent to check: three items only', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await store().claim('acme', 'acme.com', AT);
    expect(transactItems().map((i) => Object.keys(i)[0])).toStrictEqual(['Put', 'Put', 'Put']);
  });

  it('the second parent’s check failed → taken by that parent (eu.acme.com), not the first', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'None', 'ConditionalCheckFailed']));
    expect(await store().claim('other', 'mail.eu.acme.com', AT)).toEqual({ takenBy: 'parent', domain: 'eu.acme.com' });
  });

  it('claimed meanwhile by the same account (the claim item’s condition failed) → the existing claim, created false', async () => {
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: claimOf('acme.com', 'acme') });
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None', 'None']));

    expect(await store().claim('acme', 'acme.com', 'later')).toEqual({ claimed: claimOf('acme.com', 'acme'), created: false });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('claimed meanwhile by another account → taken (same domain)', async () => {
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: claimOf('acme.com', 'rival') });
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None', 'None']));

    expect(await store().claim('acme', 'acme.com', AT)).toEqual({ takenBy: 'same-domain', domain: 'acme.com' });
  });

  it('TransactionConflict on a parent’s check (a user write there) → 503 naming the cause, with Retry-After', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'TransactionConflict']));
    const e = await scimErrorOf(store().claim('acme', 'eu.acme.com', AT));
    expect([e.status, e.headers['Retry-After'], e.detail]).toEqual([503, '2', 'The domain is being written to at this moment; retry shortly.']);
  });

  it('throttled (not a cancellation) → 429 with Retry-After', async () => {
    ddb.on(TransactWriteCommand).rejects(named('ProvisionedThroughputExceededException'));
    const e = await scimErrorOf(store().claim('acme', 'acme.com', AT));
    expect([e.status, e.headers['Retry-After']]).toEqual([429, '2']);
  });

  it('a cancellation for another reason (ValidationError) is rethrown as is: a bug, not something to retry', async () => {
    const error = cancelled(['ValidationError', 'None', 'None']);
    ddb.on(TransactWriteCommand).rejects(error);
    expect(await caught(store().claim('acme', 'acme.com', AT))).toBe(error);
  });

  it('the account’s own subdomain claims do not withdraw the claim: only another account’s do', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [claimOf('acme.com', 'acme'), claimOf('eu.acme.com', 'acme')] });

    expect(await store().claim('acme', 'acme.com', AT)).toEqual({ claimed: claimOf('acme.com', 'acme'), created: true });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });
});

describe('release', () => {
  it('deletes the claim item (only if the account holds it), the account’s entry and the directory entry → true', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await store().release('acme', 'eu.acme.com')).toBe(true);
    expect(transactItems()).toEqual([
      {
        Delete: {
          TableName: 'T',
          Key: { pk: 'DOMAIN#eu.acme.com', sk: 'DOMAIN' },
          ConditionExpression: 'accountId = :me',
          ExpressionAttributeValues: { ':me': 'acme' },
        },
      },
      { Delete: { TableName: 'T', Key: { pk: 'ACCOUNT#acme', sk: 'DOMAIN#eu.acme.com' } } },
      { Delete: { TableName: 'T', Key: { pk: 'DOMAINS', sk: 'com.acme.eu.' } } },
    ]);
  });

  it('service unavailable → 503 with Retry-After', async () => {
    ddb.on(TransactWriteCommand).rejects(named('ServiceUnavailable'));
    const e = await scimErrorOf(store().release('acme', 'acme.com'));
    expect([e.status, e.headers['Retry-After']]).toEqual([503, '2']);
  });

  it('a user write on the claim item at that moment (TransactionConflict) → 503 with Retry-After, not a 500', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict', 'None', 'None']));
    const e = await scimErrorOf(store().release('acme', 'acme.com'));
    expect([e.status, e.headers['Retry-After']]).toEqual([503, '2']);
  });

  it('a cancellation not caused by the claim item’s condition is rethrown as is (not "not held")', async () => {
    const error = cancelled(['None', 'ValidationError', 'None']);
    ddb.on(TransactWriteCommand).rejects(error);
    expect(await caught(store().release('acme', 'acme.com'))).toBe(error);
  });
});

describe('listings, every page', () => {
  it('listFor: the account’s DOMAIN# entries, strongly consistent, across pages', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [claimOf('acme.com', 'acme')], LastEvaluatedKey: { pk: 'ACCOUNT#acme', sk: 'DOMAIN#acme.com' } })
      .resolvesOnce({ Items: [claimOf('acme.org', 'acme')] });

    expect(await store().listFor('acme')).toEqual([claimOf('acme.com', 'acme'), claimOf('acme.org', 'acme')]);
    expect(ddb).toHaveReceivedNthCommandWith(1, QueryCommand, {
      TableName: 'T',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'ACCOUNT#acme', ':prefix': 'DOMAIN#' },
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedNthCommandWith(2, QueryCommand, { ExclusiveStartKey: { pk: 'ACCOUNT#acme', sk: 'DOMAIN#acme.com' } });
  });

  it('claimsUnder: the directory subtree, every page; a page without Items is empty', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ LastEvaluatedKey: { pk: 'DOMAINS', sk: 'com.acme.' } })
      .resolvesOnce({ Items: [claimOf('eu.acme.com', 'other')] });

    expect(await store().claimsUnder('acme.com')).toEqual([claimOf('eu.acme.com', 'other')]);
    expect(ddb).toHaveReceivedNthCommandWith(1, QueryCommand, {
      TableName: 'T',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'DOMAINS', ':prefix': 'com.acme.' },
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  });

  it('releaseAll: releases every claim of the account (one transaction each) and answers how many', async () => {
    ddb.on(QueryCommand).resolves({ Items: [claimOf('acme.com', 'acme'), claimOf('acme.org', 'acme')] });
    ddb.on(TransactWriteCommand).resolves({});

    expect(await store().releaseAll('acme')).toBe(2);
    expect(transactItems(0)[0]?.Delete?.Key).toEqual({ pk: 'DOMAIN#acme.com', sk: 'DOMAIN' });
    expect(transactItems(1)[0]?.Delete?.Key).toEqual({ pk: 'DOMAIN#acme.org', sk: 'DOMAIN' });
  });
});

describe('holdersIn: what the index entries say', () => {
  const entry = (pk: string, accountId: unknown = 'other', userId: unknown = 'u1') => ({ pk, sk: 'UNIQUE', accountId, userId });

  it('only userName and email sentinels with a string holder become holdings; the value keeps any character', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        entry('UNIQUE#userName#ann@acme.com'),
        entry('UNIQUE#email#line\nbreak@acme.com'),
        entry('UNIQUE#phone#14155550100'),
        entry('xUNIQUE#email#x@acme.com'),
        entry('UNIQUE#email#'),
        entry('UNIQUE#email#n@acme.com', 7),
        entry('UNIQUE#email#m@acme.com', 'other', null),
      ],
      Count: 7,
    });

    expect((await store().holdersIn('acme.com', 'acme', 100)).holdings).toEqual([
      { kind: 'userName', value: 'ann@acme.com', accountId: 'other', userId: 'u1' },
      { kind: 'email', value: 'line\nbreak@acme.com', accountId: 'other', userId: 'u1' },
    ]);
  });

  it('reads at most 1000 entries per Query whatever maxRead, and stops at maxRead', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [], Count: 1000, LastEvaluatedKey: { k: 1 } })
      .resolvesOnce({ Items: [], Count: 1000, LastEvaluatedKey: { k: 2 } })
      .resolvesOnce({ Items: [], Count: 500, LastEvaluatedKey: { k: 3 } });

    const out = await store().holdersIn('acme.com', 'acme', 2500);

    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.Limit)).toStrictEqual([1000, 1000, 500]);
    expect(ddb).toHaveReceivedNthCommandWith(1, QueryCommand, {
      TableName: 'T',
      IndexName: 'byDomain',
      ExpressionAttributeNames: { '#root': 'domainRoot', '#path': 'domainPath' },
    });
    expect(ddb).toHaveReceivedNthCommandWith(3, QueryCommand, { ExclusiveStartKey: { k: 2 } });
    expect(out).toEqual({ holdings: [], complete: false });
  });

  it('a page without Count or Items counts as none read and goes on to the next page', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ LastEvaluatedKey: { k: 1 } })
      .resolvesOnce({ Items: [entry('UNIQUE#email#z@acme.com')], Count: 1 });

    expect(await store().holdersIn('acme.com', 'acme', 1)).toEqual({
      holdings: [{ kind: 'email', value: 'z@acme.com', accountId: 'other', userId: 'u1' }],
      complete: true,
    });
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.Limit)).toStrictEqual([1, 1]);
  });
});
