/**
 * `scimlink verify` (issue 6): the pure checker on hand-built tables — each kind of inconsistency is found, a
 * consistent table has no finding, findings never carry a tenant key or token — plus the paginated, segmented
 * table scan, the confirming second scan, the store's per-attempt ClientRequestToken, and the CLI command.
 */
import 'aws-sdk-client-mock-jest';
import { DynamoDBClient, InternalServerError, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { VerifyView } from '../../lambdas/admin/contract';
import { VerifyReport, checkItems, confirmed } from '../../lambdas/admin/verify';
import { verifyTable } from '../../lambdas/admin/verify-table';
import { ScimError } from '../../lambdas/scim/errors';
import { EXTENSION_SCHEMA } from '../../lambdas/scim/schema';
import { StoredUser } from '../../lambdas/scim/user';
import { DynamoUserStore, newUserItems } from '../../lambdas/store/dynamo-user-store';
import { run } from '../../cli/main';
import { caught } from '../support/caught';

type Item = Record<string, unknown>;

const user = (id: string, accountId: string, n: number, extra: Partial<StoredUser['data']> = {}): StoredUser => ({
  id,
  accountId,
  data: {
    userName: `user${n}@contoso.com`,
    externalId: `ext-${n}`,
    displayName: `User ${n}`,
    active: true,
    emails: [{ type: 'work', value: `user${n}@contoso.com` }],
    phoneNumbers: [{ type: 'mobile', value: `+1415555010${n}` }],
    [EXTENSION_SCHEMA]: { extension: `10${n}` },
    ...extra,
  },
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 1 },
});

const count = (accountId: string, shard: number, n: number): Item => ({ pk: `ACCOUNT#${accountId}`, sk: `COUNT#${shard}`, count: n });

/** A consistent table: two accounts, three users, their counts, plus items verify must not care about. */
function table(): Item[] {
  return [
    { pk: 'ACCOUNT#acme', sk: 'ACCOUNT', id: 'acme', name: 'Acme', type: 'customer' },
    { pk: 'ACCOUNT#acme', sk: 'INTEGRATION', tenantKey: 'SECRET-TENANT-KEY', addedAt: 'x' },
    { pk: 'ACCOUNTS', sk: 'ACCOUNT#acme', id: 'acme' },
    { pk: 'LOG#acme', sk: '2024#r1', status: 201 },
    ...newUserItems(user('u1', 'acme', 1)),
    ...newUserItems(user('u2', 'acme', 2)),
    ...newUserItems(user('u3', 'globex', 3)),
    count('acme', 3, 1),
    count('acme', 9, 1),
    count('globex', 0, 1),
  ];
}

const kinds = (r: VerifyReport) => r.findings.map((f) => f.kind).sort();
const without = (items: Item[], pk: string, sk?: string) => items.filter((i) => !(i.pk === pk && (sk === undefined || i.sk === sk)));

describe('the checker', () => {
  it('finds nothing in a consistent table, and counts what it saw', () => {
    const r = checkItems(table());
    expect(r.findings).toEqual([]);
    expect(r).toMatchObject({ consistent: true, accounts: 2, users: 3, sentinels: 12, externalIdItems: 3, scannedItems: table().length });
  });

  it('a user value without its sentinel → missing-sentinel', () => {
    const r = checkItems(without(table(), 'UNIQUE#email#user1@contoso.com'));
    expect(kinds(r)).toEqual(['missing-sentinel']);
    expect(r.findings[0]).toMatchObject({ key: 'UNIQUE#email#user1@contoso.com', accountId: 'acme', userId: 'u1' });
  });

  it('a sentinel whose user is gone, or no longer holds the value → orphan-sentinel', () => {
    const gone = [...table(), { pk: 'UNIQUE#phone#15550000000', sk: 'UNIQUE', accountId: 'acme', userId: 'u-deleted' }];
    expect(kinds(checkItems(gone))).toEqual(['orphan-sentinel']);
    const moved = [...table(), { pk: 'UNIQUE#email#old@contoso.com', sk: 'UNIQUE', accountId: 'acme', userId: 'u1', domainRoot: 'contoso.com', domainPath: 'com.contoso.' }];
    const r = checkItems(moved);
    expect(kinds(r)).toEqual(['orphan-sentinel']);
    expect(r.findings[0]!.detail).toContain('no longer holds');
  });

  it('one value held by two users → duplicate-value (and nothing else when the sentinel names one of them)', () => {
    const twin = user('u4', 'acme', 4, { emails: [{ type: 'work', value: 'user1@contoso.com' }] });
    const items = [...table(), ...newUserItems(twin).filter((i) => i.pk !== 'UNIQUE#email#user1@contoso.com'), count('acme', 1, 1)];
    const r = checkItems(items);
    expect(kinds(r)).toEqual(['duplicate-value']);
    expect(r.findings[0]!.detail).toContain('u1');
    expect(r.findings[0]!.detail).toContain('u4');
  });

  it('one value held by two users and no sentinel at all → duplicate-value, and each holder lacks its sentinel', () => {
    const twin = user('u4', 'acme', 4, { emails: [{ type: 'work', value: 'user1@contoso.com' }] });
    const items = [...without(table(), 'UNIQUE#email#user1@contoso.com'), ...newUserItems(twin).filter((i) => i.pk !== 'UNIQUE#email#user1@contoso.com'), count('acme', 1, 1)];
    const r = checkItems(items);
    expect(kinds(r)).toEqual(['duplicate-value', 'missing-sentinel', 'missing-sentinel']);
    expect(r.findings.filter((f) => f.kind === 'missing-sentinel').map((f) => [f.userId, f.detail])).toEqual([
      ['u1', 'user u1 holds email#user1@contoso.com without its sentinel: the value is not protected against a second holder'],
      ['u4', 'user u4 holds email#user1@contoso.com without its sentinel: the value is not protected against a second holder'],
    ]);
  });

  it('a value held by one user whose sentinel names another user → missing-sentinel naming both', () => {
    const items = table().map((i) => (i.pk === 'UNIQUE#email#user1@contoso.com' ? { ...i, userId: 'u2' } : i));
    const r = checkItems(items);
    expect(r.findings.filter((f) => f.kind === 'missing-sentinel').map((f) => f.detail)).toEqual([
      'user u1 holds email#user1@contoso.com, but its sentinel names user u2 (account acme)',
    ]);
  });

  it.each([0, -1, 1.5, '1', null])('a user item with version %p (its data intact) → malformed-item naming the version', (version) => {
    const items = table().map((i) => (i.sk === 'USER#u2' ? { ...i, version } : i));
    const r = checkItems(items);
    expect(kinds(r)).toEqual(['malformed-item']);
    expect(r.findings[0]!.detail).toContain(`has version ${JSON.stringify(version)} (expected a whole number ≥ 1)`);
  });

  it('a sentinel naming a user of another account → account-mismatch', () => {
    const items = table().map((i) => (i.pk === 'UNIQUE#userName#user3@contoso.com' ? { ...i, accountId: 'acme' } : i));
    expect(kinds(checkItems(items))).toEqual(['account-mismatch', 'missing-sentinel']);
  });

  it("a user item whose recorded sentinel keys differ from its data → uniques-mismatch", () => {
    const items = table().map((i) => (i.sk === 'USER#u2' ? { ...i, uniques: ['userName#user2@contoso.com'] } : i));
    const r = checkItems(items);
    expect(kinds(r)).toEqual(['uniques-mismatch']);
    expect(r.findings[0]!.detail).toContain('not recorded: email#user2@contoso.com');
  });

  it('a login ID or email sentinel without (or with wrong) domain-index keys → unindexed-domain-value; a phone sentinel needs none', () => {
    const old = table().map((i) => {
      if (i.pk === 'UNIQUE#email#user1@contoso.com') return { ...i, domainRoot: undefined, domainPath: undefined };
      if (i.pk === 'UNIQUE#userName#user2@contoso.com') return { ...i, domainPath: 'com.contoso.eu.' };
      return i;
    });
    const r = checkItems(old);
    expect(kinds(r)).toEqual(['unindexed-domain-value', 'unindexed-domain-value']);
    expect(r.findings.map((f) => f.key).sort()).toStrictEqual(['UNIQUE#email#user1@contoso.com', 'UNIQUE#userName#user2@contoso.com']);
    expect(r.findings[0]!.detail).toContain('a claim of its domain is enforced but does not list it');
  });

  it('externalId index items: one for a gone user → stale-externalid; a user without one → missing-externalid', () => {
    const stale = [...table(), { pk: 'ACCOUNT#acme', sk: 'EXTID#abc#u-deleted', userId: 'u-deleted' }];
    expect(kinds(checkItems(stale))).toEqual(['stale-externalid']);
    const missing = table().filter((i) => !(typeof i.sk === 'string' && i.sk.startsWith('EXTID#') && i.sk.endsWith('#u2')));
    expect(kinds(checkItems(missing))).toEqual(['missing-externalid']);
  });

  it('count shards that do not add up to the users → count-mismatch, per account', () => {
    const r = checkItems([...table(), count('acme', 5, 1), count('empty', 0, 2)]);
    expect(kinds(r)).toEqual(['count-mismatch', 'count-mismatch']);
    expect(r.findings.map((f) => f.detail).sort()).toEqual([
      'account acme has 2 users but its count shards add up to 3',
      'account empty has 0 users but its count shards add up to 2',
    ]);
  });

  it('an unreadable user item → malformed-item, without crashing', () => {
    const items = [...table().map((i) => (i.sk === 'USER#u2' ? { ...i, data: null, version: 'x' } : i))];
    expect(kinds(checkItems(items))).toEqual(expect.arrayContaining(['malformed-item']));
  });

  it('a user written under the old canonical form (NFC + lower case) → non-canonical-key, beside what its old key breaks', () => {
    // Prepare: what an older scimlink wrote for "Straße@contoso.de": its key kept "ß", the canonical form folds it to "ss"
    const old = user('u9', 'acme', 9, { userName: 'Straße@contoso.de' });
    const items = [...table(), count('acme', 2, 1)];
    for (const i of newUserItems(old)) {
      if (i.pk === 'UNIQUE#userName#strasse@contoso.de') items.push({ ...i, pk: 'UNIQUE#userName#straße@contoso.de' });
      else if (i.sk === 'USER#u9') items.push({ ...i, uniques: (i.uniques as string[]).map((k) => k.replace('strasse', 'straße')) });
      else items.push(i);
    }
    // Act
    const r = checkItems(items);
    // Assess
    expect(kinds(r)).toEqual(['missing-sentinel', 'non-canonical-key', 'orphan-sentinel', 'uniques-mismatch']);
    expect(r.findings.find((f) => f.kind === 'non-canonical-key')).toMatchObject({ key: 'UNIQUE#userName#straße@contoso.de', userId: 'u9' });
  });

  it('a login ID or email the look-alike rules refuse today → refused-value, with the invisible character shown', () => {
    const items = [...table(), ...newUserItems(user('u8', 'acme', 8, { userName: 'an\u200bn@contoso.com' })), count('acme', 2, 1)];
    const r = checkItems(items);
    expect(kinds(r)).toEqual(['refused-value']);
    expect(r.findings[0]!.detail).toContain("'an\\u{200B}n@contoso.com'");
    expect(r.findings[0]!.detail).toContain('U+200B');
  });

  it('never puts a tenant key, token or token hash in its findings', () => {
    const broken = [
      ...without(table(), 'UNIQUE#userName#user1@contoso.com'),
      { pk: 'ACCOUNT#acme', sk: 'INTEGRATION', tenantKey: 'SECRET-TENANT-KEY', hash: 'SECRET-HASH' },
      { pk: 'UNIQUE#email#x@y.z', sk: 'UNIQUE', accountId: 'acme', userId: 'nobody' },
      count('acme', 7, 5),
    ];
    const text = JSON.stringify(checkItems(broken));
    expect(text).not.toContain('SECRET');
  });

  it('a second scan confirms: a finding seen once was a write in flight', () => {
    const first = checkItems(without(table(), 'UNIQUE#email#user1@contoso.com'));
    expect(confirmed(first, checkItems(table()))).toMatchObject({ consistent: true, findings: [] });
    expect(confirmed(first, first).findings).toHaveLength(1);
  });
});

describe('the table scan', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  beforeEach(() => ddb.reset());

  it('reads every page of every segment, strongly consistently, and checks what it read', async () => {
    const items = table();
    ddb.on(ScanCommand).callsFake((input: { Segment: number; ExclusiveStartKey?: unknown }) => {
      const mine = items.filter((_, i) => i % 4 === input.Segment);
      const half = Math.ceil(mine.length / 2);
      return input.ExclusiveStartKey ? { Items: mine.slice(half) } : { Items: mine.slice(0, half), LastEvaluatedKey: { pk: 'next' } };
    });
    const report = await verifyTable(doc, 'T');
    expect(report.findings).toEqual([]);
    expect(report.scannedItems).toBe(items.length);
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 8);
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, { TableName: 'T', ConsistentRead: true, TotalSegments: 4, Segment: 3 });
  });

  it('scans a second time when the first finds something, and reports only what both show', async () => {
    let scans = 0;
    ddb.on(ScanCommand).callsFake((input: { Segment: number }) => {
      if (input.Segment === 0) scans++;
      // First pass: a sentinel not written yet (a create in flight); second pass: there.
      const items = scans === 1 ? without(table(), 'UNIQUE#email#user1@contoso.com') : table();
      return { Items: input.Segment === 0 ? items : [] };
    });
    const report = await verifyTable(doc, 'T');
    expect(scans).toBe(2);
    expect(report).toMatchObject({ consistent: true, findings: [] });
  });

  it('turns a transient failure into a retryable 503', async () => {
    ddb.on(ScanCommand).rejects(new InternalServerError({ message: 'boom', $metadata: {} }));
    const e = (await caught(verifyTable(doc, 'T'))) as ScimError;
    expect(e).toBeInstanceOf(ScimError);
    expect(e.status).toBe(503);
  });
});

describe('the user store makes every transaction attempt idempotent', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  beforeEach(() => ddb.reset());

  it('a fresh ClientRequestToken per attempt (the SDK re-sends it on its own retries of that attempt)', async () => {
    // The create's quota reads: no limit of its own, no users yet.
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(new TransactionCanceledException({ message: 'conflict', $metadata: {}, CancellationReasons: [{ Code: 'TransactionConflict' }] }))
      .resolves({});
    await new DynamoUserStore(doc, 'T').create('acme', user('x', 'acme', 1).data);
    const tokens = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(2);
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(tokens).size).toBe(2);
  });

  it('a lookup whose key DynamoDB could not hold is "not found", without a call (not a 500)', async () => {
    const store = new DynamoUserStore(doc, 'T');
    expect(await store.get('acme', 'x'.repeat(1100))).toBeUndefined();
    expect(await store.findByUnique('acme', 'userName', `${'a'.repeat(2100)}@x.co`)).toBeUndefined();
    expect(await store.findByUnique('acme', 'email', 'a\ud800@x.co')).toBeUndefined();
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('scimlink verify', () => {
  const ENV = { SCIMLINK_ADMIN_URL: 'http://127.0.0.1:8080/admin', SCIMLINK_ADMIN_TOKEN: 'admin-token-123456' };
  const view = (findings: VerifyView['findings']): VerifyView => ({
    consistent: findings.length === 0,
    scannedItems: 42,
    accounts: 2,
    users: 3,
    sentinels: 12,
    externalIdItems: 3,
    findings,
    checkedAt: '2024-01-01T00:00:00.000Z',
  });
  async function cli(argv: string[], answer: VerifyView | { status: number; body: unknown }) {
    const out: string[] = [];
    const err: string[] = [];
    const requests: Array<{ url: string; auth: string | null }> = [];
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      requests.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
      const [status, body] = 'status' in answer ? [answer.status, answer.body] : [200, answer];
      return new Response(JSON.stringify(body), { status });
    }) as typeof globalThis.fetch;
    const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env: ENV, fetch });
    return { code, out: out.join(''), err: err.join(''), requests };
  }

  it('exit 0 and a summary when the table is consistent; GET /admin/verify with the admin token', async () => {
    const r = await cli(['verify'], view([]));
    expect(r.code).toBe(0);
    expect(r.out).toBe('Scanned 42 items: 2 accounts, 3 users, 12 unique-value sentinels, 3 externalId index items.\nConsistent: no findings.\n');
    expect(r.requests).toEqual([{ url: 'http://127.0.0.1:8080/admin/verify', auth: 'Bearer admin-token-123456' }]);
  });

  it('exit 3 and a table of findings when it is not; --json prints the answer', async () => {
    const finding = { kind: 'orphan-sentinel' as const, key: 'UNIQUE#email#a@b.co', accountId: 'acme', userId: 'u9', detail: 'sentinel … is blocked' };
    const r = await cli(['verify'], view([finding]));
    expect(r.code).toBe(3);
    expect(r.out).toContain('1 inconsistency:');
    expect(r.out).toMatch(/orphan-sentinel\s+acme\s+u9\s+sentinel … is blocked/);
    const j = await cli(['verify', '--json'], view([finding]));
    expect(j.code).toBe(3);
    expect(JSON.parse(j.out)).toEqual(view([finding]));
  });

  it('help, usage errors (exit 2, nothing sent) and request failures (exit 1)', async () => {
    const help = await cli(['verify', '--help'], view([]));
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: scimlink verify [--json]');
    expect(help.out).toContain('3 inconsistencies found');
    expect((await cli(['help', 'verify'], view([]))).out).toBe(help.out);
    expect((await cli(['--help'], view([]))).out).toContain('verify ');
    const extra = await cli(['verify', 'acme'], view([]));
    expect([extra.code, extra.err, extra.requests]).toEqual([2, "scimlink: unexpected argument 'acme' (see scimlink verify --help)\n", []]);
    const bad = await cli(['verify', '--bogus'], view([]));
    expect(bad.code).toBe(2);
    const denied = await cli(['verify'], { status: 401, body: { status: 401, message: 'admin token admin-token-123456 wrong' } });
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('401');
    expect(denied.err).not.toContain('admin-token-123456');
  });
});
