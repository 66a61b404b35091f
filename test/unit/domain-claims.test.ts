/**
 * Domain claims (issue 14, item 2): the pure rules (lambdas/scim/domains.ts) and the DynamoDB adapter
 * (lambdas/store/dynamo-domain-store.ts) on a mocked client. HTTP behaviour: test/integration/domain-claims.test.ts.
 */
import 'aws-sdk-client-mock-jest';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { claimableDomain, coveringClaims, domainIndexKeys, domainOf, subtreePrefix } from '../../lambdas/scim/domains';
import { ScimError } from '../../lambdas/scim/errors';
import { DynamoDomainStore } from '../../lambdas/store/dynamo-domain-store';
import { caught } from '../support/caught';

const ddb = mockClient(DynamoDBDocumentClient);
const store = () => new DynamoDomainStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'T');
const AT = '2026-01-01T00:00:00.000Z';

beforeEach(() => ddb.reset());

function cancelled(codes: string[]) {
  return new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
}

describe('the rules', () => {
  it.each([
    ['acme.com', 'acme.com'],
    [' ACME.com. ', 'acme.com'],
    ['@Eu.Acme.COM', 'eu.acme.com'],
    ['ａｃｍｅ.com', 'acme.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['bücher.example', 'bücher.example'],
    // 253 characters, DNS's limit for a name: 4 labels of 60, 1 of 9, and their dots.
    [`${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(9)}`, `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(9)}`],
    ['a.b.c.d.e.com', 'a.b.c.d.e.com'],
    // Digits are fine inside the last label; only an all-digit one looks like an IP address.
    ['acme.com1', 'acme.com1'],
    ['acme.1com', 'acme.1com'],
  ])('claimableDomain(%j) → %j (the canonical form of the sentinel keys)', (input, expected) => {
    expect(claimableDomain(input)).toBe(expected);
  });

  it.each([
    ['com', 'has one label'],
    ['', 'is not a domain name'],
    ['-acme.com', 'is not a domain name'],
    ['acme..com', 'is not a domain name'],
    ['ac me.com', 'is not a domain name'],
    ['a_b.com', 'is not a domain name'],
    ['1.2.3.4', 'ends in a number'],
    ['a.b.c.d.e.f.com', 'more than 6 labels'],
    [`${'a'.repeat(64)}.com`, 'is not a domain name'],
    [`${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(10)}`, 'is not a domain name'],
    ['ann@acme.com', 'is not a domain name'],
    [42, 'is not a domain name'],
    ['acme.123', 'ends in a number'],
  ])('claimableDomain(%j) → 400 (%s)', async (input, why) => {
    const e = await caught(Promise.resolve().then(() => claimableDomain(input)));
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(400);
    expect((e as ScimError).detail).toContain(why);
  });

  it('a refusal quotes at most the first 80 characters of the input', async () => {
    const e = await caught(Promise.resolve().then(() => claimableDomain(`${'x'.repeat(100)}!.com`)));
    expect((e as ScimError).detail).toBe(`domain "${'x'.repeat(80)}" is not a domain name: use labels of letters, digits and hyphens separated by dots, e.g. acme.com`);
  });

  it('a claim of acme.com covers eu.acme.com and mail.eu.acme.com, not acmeshop.com or acme.com.evil.test', () => {
    expect(coveringClaims('mail.eu.acme.com')).toEqual(['acme.com', 'eu.acme.com', 'mail.eu.acme.com']);
    expect(coveringClaims('acmeshop.com')).not.toContain('acme.com');
    expect(coveringClaims('acme.com.evil.test')).not.toContain('acme.com');
    expect(coveringClaims('localhost')).toEqual([]);
    expect(coveringClaims('a.b.c.d.e.f.g.h')).toHaveLength(5); // 2..6 labels
  });

  it('index keys: a domain and its subdomains share the partition and the sort-key prefix; look-alike domains do not', () => {
    expect(domainIndexKeys('eu.acme.com')).toEqual({ domainRoot: 'acme.com', domainPath: 'com.acme.eu.' });
    expect(domainIndexKeys('eu.acme.com').domainPath.startsWith(subtreePrefix('acme.com'))).toBe(true);
    expect(domainIndexKeys('acme.com').domainPath.startsWith(subtreePrefix('acme.com'))).toBe(true);
    expect(domainIndexKeys('xacme.com').domainPath.startsWith(subtreePrefix('acme.com'))).toBe(false);
    expect(domainIndexKeys('acmeshop.com').domainRoot).not.toBe('acme.com');
  });

  it('domainOf: after the last @, only with a dot', () => {
    expect(domainOf('ann@acme.com')).toBe('acme.com');
    expect(domainOf('"a@b"@eu.acme.com')).toBe('eu.acme.com');
    expect(domainOf('ann')).toBeUndefined();
    expect(domainOf('ann@localhost')).toBeUndefined();
  });
});

describe('claim', () => {
  it('one transaction: the claim item (attribute_not_exists), the account and directory entries, a check of each parent', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });

    // Act
    const outcome = await store().claim('acme', 'mail.eu.acme.com', AT);

    // Assess
    expect(outcome).toEqual({ claimed: { domain: 'mail.eu.acme.com', accountId: 'acme', claimedAt: AT }, created: true });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems ?? [];
    expect(items.map((i) => i.Put?.Item?.pk ?? i.ConditionCheck?.Key?.pk)).toStrictEqual(['DOMAIN#mail.eu.acme.com', 'ACCOUNT#acme', 'DOMAINS', 'DOMAIN#acme.com', 'DOMAIN#eu.acme.com']);
    expect(items[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(items[2]?.Put?.Item?.sk).toBe('com.acme.eu.mail.');
    expect(items[3]?.ConditionCheck).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk) OR accountId = :me', ExpressionAttributeValues: { ':me': 'acme' } });
    // Then the directory is read for subdomain claims of other accounts.
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExpressionAttributeValues: { ':pk': 'DOMAINS', ':prefix': 'com.acme.eu.mail.' }, ConsistentRead: true });
  });

  it('already this account’s → no write, created false; another account’s → taken', async () => {
    ddb.on(GetCommand).resolves({ Item: { domain: 'acme.com', accountId: 'acme', claimedAt: AT } });
    expect(await store().claim('acme', 'acme.com', 'later')).toEqual({ claimed: { domain: 'acme.com', accountId: 'acme', claimedAt: AT }, created: false });
    expect(await store().claim('other', 'acme.com', 'later')).toEqual({ takenBy: 'same-domain', domain: 'acme.com' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('a parent claimed by another account (its ConditionCheck failed) → taken by that parent', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'ConditionalCheckFailed']));
    expect(await store().claim('other', 'eu.acme.com', AT)).toEqual({ takenBy: 'parent', domain: 'acme.com' });
  });

  it('a subdomain claimed by another account, seen after the commit → this claim is withdrawn (release transaction)', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ domain: 'eu.acme.com', accountId: 'other', claimedAt: AT }] });

    const outcome = await store().claim('acme', 'acme.com', AT);

    expect(outcome).toEqual({ takenBy: 'subdomain', domain: 'eu.acme.com' });
    const release = ddb.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems ?? [];
    expect(release.map((i) => i.Delete?.Key?.pk)).toStrictEqual(['DOMAIN#acme.com', 'ACCOUNT#acme', 'DOMAINS']);
    expect(release[0]?.Delete).toMatchObject({ ConditionExpression: 'accountId = :me', ExpressionAttributeValues: { ':me': 'acme' } });
  });

  it('a user write on the claim item at that moment (TransactionConflict) → 503 with Retry-After', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict', 'None', 'None']));
    const e = await caught(store().claim('acme', 'acme.com', AT));
    expect(e).toBeInstanceOf(ScimError);
    expect([(e as ScimError).status, (e as ScimError).headers['Retry-After']]).toEqual([503, '2']);
  });

  it('release of a claim the account does not hold → false', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None', 'None']));
    expect(await store().release('acme', 'acme.com')).toBe(false);
  });
});

describe('holdersIn: one bounded Query of the byDomain index', () => {
  const entry = (kind: string, value: string, accountId: string) => ({ pk: `UNIQUE#${kind}#${value}`, sk: 'UNIQUE', accountId, userId: `u-${value}` });

  it('queries the subtree, skips the claiming account, and stops at maxRead with complete=false', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [entry('userName', 'a@acme.com', 'acme'), entry('email', 'b@eu.acme.com', 'other')], Count: 2, LastEvaluatedKey: { k: 1 } })
      .resolvesOnce({ Items: [entry('email', 'c@acme.com', 'other')], Count: 1, LastEvaluatedKey: { k: 2 } });

    const out = await store().holdersIn('acme.com', 'acme', 3);

    expect(out).toEqual({
      holdings: [
        { kind: 'email', value: 'b@eu.acme.com', accountId: 'other', userId: 'u-b@eu.acme.com' },
        { kind: 'email', value: 'c@acme.com', accountId: 'other', userId: 'u-c@acme.com' },
      ],
      complete: false,
    });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(1, QueryCommand, {
      IndexName: 'byDomain',
      KeyConditionExpression: '#root = :root AND begins_with(#path, :prefix)',
      ExpressionAttributeValues: { ':root': 'acme.com', ':prefix': 'com.acme.' },
      Limit: 3,
    });
    expect(ddb).toHaveReceivedNthCommandWith(2, QueryCommand, { Limit: 1, ExclusiveStartKey: { k: 1 } });
  });

  it('the whole subtree read → complete', async () => {
    ddb.on(QueryCommand).resolves({ Items: [entry('userName', 'x@acme.com', 'other')], Count: 1 });
    expect((await store().holdersIn('acme.com', 'acme', 100)).complete).toBe(true);
  });
});
