/**
 * What `scimlink verify` tells an operator (lambdas/admin/verify.ts): for each kind of inconsistency, the whole
 * finding — kind, item key, account, user and the one-line detail an operator acts on — and how damaged items are
 * shown. The kinds themselves, the scan and the CLI: verify.test.ts.
 */
import type { VerifyFinding } from '../../lambdas/admin/contract';
import { MAX_FINDINGS, TableVerifier, checkItems, confirmed } from '../../lambdas/admin/verify';
import type { StoredUser, UserData } from '../../lambdas/scim/user';
import { externalIdSk } from '../../lambdas/store/keys';
import { newUserItems } from '../../lambdas/store/dynamo-user-store';

type Item = Record<string, unknown>;

const stored = (id: string, accountId: string, userName: string, extra: Partial<UserData> = {}): StoredUser => ({
  id,
  accountId,
  data: { userName, active: true, emails: [{ type: 'work', value: userName }], ...extra },
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', version: 1 },
});
const count = (accountId: string, n: unknown, shard = 0): Item => ({ pk: `ACCOUNT#${accountId}`, sk: `COUNT#${shard}`, count: n });
const EXT = externalIdSk('e1', 'u1');
/** One consistent account: user u1 with a login ID, an email, an externalId, and its count. */
const base = (): Item[] => [...newUserItems(stored('u1', 'acme', 'ann@contoso.com', { externalId: 'e1' })), count('acme', 1)];
const withUser = (change: (item: Item) => Item) => base().map((i) => (i.sk === 'USER#u1' ? change(i) : i));

const MALFORMED = (detail: string): VerifyFinding => ({
  kind: 'malformed-item',
  key: 'ACCOUNT#acme|USER#u1',
  accountId: 'acme',
  userId: 'u1',
  detail: `user item ACCOUNT#acme|USER#u1 ${detail}`,
});
const orphan = (key: string, userId = 'u1', accountId = 'acme'): VerifyFinding => ({
  kind: 'orphan-sentinel',
  key,
  accountId,
  userId,
  detail: `sentinel ${key} names user ${userId} (account ${accountId}), which does not exist: the value is blocked`,
});

describe('a consistent account', () => {
  it('no finding, and the counts of what was scanned', () => {
    expect(checkItems(base())).toEqual({ consistent: true, scannedItems: 5, accounts: 1, users: 1, sentinels: 2, externalIdItems: 1, findings: [] });
  });

  it('items that are not records, or have no string keys, are counted as scanned and otherwise ignored', () => {
    const odd = [null, 'text', 42, { pk: 7, sk: 'USER#u1' }, { sk: 'UNIQUE' }, { pk: 'ACCOUNTS', sk: 'ACCOUNT#acme' }, { pk: 'LOG#acme', sk: 'USER#x' }];
    expect(checkItems([...base(), ...(odd as Item[])])).toEqual({ consistent: true, scannedItems: 12, accounts: 1, users: 1, sentinels: 2, externalIdItems: 1, findings: [] });
  });

  it('two users with the same id in two accounts are two users, each checked in its own account', () => {
    const items = [...base(), ...newUserItems(stored('u1', 'globex', 'bob@globex.com')), count('globex', 1)];
    expect(checkItems(items)).toMatchObject({ consistent: true, accounts: 2, users: 2, sentinels: 4, findings: [] });
  });

  it('pages added one by one give the same report as all at once', () => {
    const items = base();
    const verifier = new TableVerifier();
    for (const item of items) verifier.add([item]);
    expect(verifier.report()).toEqual(checkItems(items));
  });
});

describe('a user item that cannot be read', () => {
  it('an id that is not the one of its key (shown JSON-escaped, cut at 100 characters): malformed, and its values are nobody\'s', () => {
    const r = checkItems(withUser((i) => ({ ...i, id: `"${'x'.repeat(120)}` })));
    expect(r.users).toBe(0);
    expect(r.findings).toEqual([
      MALFORMED(`has id ${JSON.stringify(`"${'x'.repeat(99)}…`)}, not the "u1" of its key`),
      orphan('UNIQUE#userName#ann@contoso.com'),
      orphan('UNIQUE#email#ann@contoso.com'),
      {
        kind: 'stale-externalid',
        key: `ACCOUNT#acme|${EXT}`,
        accountId: 'acme',
        userId: 'u1',
        detail: `externalId index item ${EXT} names user u1, which does not exist in account acme`,
      },
      { kind: 'count-mismatch', key: 'ACCOUNT#acme|COUNT#*', accountId: 'acme', detail: 'account acme has 0 users but its count shards add up to 1' },
    ]);
    expect(checkItems(withUser((i) => ({ ...i, id: 'x'.repeat(100) }))).findings[0]).toEqual(MALFORMED(`has id "${'x'.repeat(100)}", not the "u1" of its key`));
  });

  it.each<[unknown, string]>([
    [0, '0'],
    [-1, '-1'],
    [1.5, '1.5'],
    ['1', '"1"'],
    [undefined, 'a value of type undefined'],
    [null, 'null'],
    [true, 'true'],
    [[1], 'a value of type array'],
    [{}, 'a value of type object'],
  ])('version %j: malformed, shown as %s (the user itself is still checked)', (version, shown) => {
    const r = checkItems(withUser((i) => ({ ...i, version })));
    expect(r.findings).toEqual([MALFORMED(`has version ${shown} (expected a whole number ≥ 1)`)]);
    expect(r.users).toBe(1);
  });

  it('versions 1 and 2 are whole numbers ≥ 1', () => {
    expect(checkItems(withUser((i) => ({ ...i, version: 2 }))).findings).toEqual([]);
  });

  it('no readable document: malformed, and its values are nobody\'s', () => {
    const r = checkItems(withUser((i) => ({ ...i, data: null })));
    expect(r.findings[0]).toEqual(MALFORMED('has no readable user document (data)'));
    expect(r.findings.map((f) => f.kind)).toStrictEqual(['malformed-item', 'orphan-sentinel', 'orphan-sentinel', 'stale-externalid', 'count-mismatch']);
  });

  it('an item saying it belongs to another account: account-mismatch, the value shown JSON-escaped', () => {
    expect(checkItems(withUser((i) => ({ ...i, accountId: 'other' }))).findings).toEqual([
      { kind: 'account-mismatch', key: 'ACCOUNT#acme|USER#u1', accountId: 'acme', userId: 'u1', detail: 'user item ACCOUNT#acme|USER#u1 says it belongs to account "other"' },
    ]);
    expect(checkItems(withUser((i) => ({ ...i, accountId: 7 }))).findings[0]!.detail).toBe('user item ACCOUNT#acme|USER#u1 says it belongs to account 7');
  });

  it.each<[string, unknown]>([
    ['a string', 'ann@contoso.com'],
    ['an object', { value: 'ann@contoso.com' }],
    ['a null entry', [null]],
    ['a number value', [{ type: 'work', value: 7 }]],
    ['no value', [{ type: 'work' }]],
  ])('emails that are %s: malformed (no readable document), never thrown on', (_what, emails) => {
    const r = checkItems(withUser((i) => ({ ...i, data: { ...(i.data as object), emails } })));
    expect(r.findings[0]).toEqual(MALFORMED('has no readable user document (data)'));
  });

  it.each<[string, unknown]>([
    ['a number', 7],
    ['missing', undefined],
  ])('a userName that is %s: malformed', (_what, userName) => {
    expect(checkItems(withUser((i) => ({ ...i, data: { ...(i.data as object), userName } }))).findings[0]).toEqual(
      MALFORMED('has no readable user document (data)'),
    );
  });
});

describe('recorded sentinel keys against the data', () => {
  it('names what is not recorded and what is recorded but not held', () => {
    const r = checkItems(withUser((i) => ({ ...i, uniques: ['userName#ann@contoso.com', 'email#old@contoso.com'] })));
    expect(r.findings).toEqual([
      {
        kind: 'uniques-mismatch',
        key: 'ACCOUNT#acme|USER#u1',
        accountId: 'acme',
        userId: 'u1',
        detail: 'user u1 records sentinel keys that differ from its data; not recorded: email#ann@contoso.com; recorded but not held: email#old@contoso.com',
      },
    ]);
  });

  it('only missing, only extra, or no list at all', () => {
    const detail = (uniques: unknown) => checkItems(withUser((i) => ({ ...i, uniques }))).findings.map((f) => f.detail);
    expect(detail(['userName#ann@contoso.com'])).toEqual(['user u1 records sentinel keys that differ from its data; not recorded: email#ann@contoso.com']);
    expect(detail(['userName#ann@contoso.com', 'email#ann@contoso.com', 'email#old@contoso.com'])).toEqual([
      'user u1 records sentinel keys that differ from its data; recorded but not held: email#old@contoso.com',
    ]);
    expect(detail('userName#ann@contoso.com')).toEqual([
      'user u1 records sentinel keys that differ from its data; not recorded: userName#ann@contoso.com, email#ann@contoso.com',
    ]);
    // The same keys in another order, or one twice, are the same set; a key twice in place of another is not.
    expect(detail(['email#ann@contoso.com', 'userName#ann@contoso.com'])).toEqual([]);
    expect(detail(['email#ann@contoso.com', 'userName#ann@contoso.com', 'email#ann@contoso.com'])).toEqual([]);
    expect(detail(['email#ann@contoso.com', 'email#ann@contoso.com'])).toEqual([
      'user u1 records sentinel keys that differ from its data; not recorded: userName#ann@contoso.com',
    ]);
    // Non-strings are read as '' (recorded but not held).
    expect(detail(['userName#ann@contoso.com', 7])).toEqual([
      "user u1 records sentinel keys that differ from its data; not recorded: email#ann@contoso.com; recorded but not held: ",
    ]);
  });
});

describe('sentinels', () => {
  it('a sentinel whose user is in another account: account-mismatch naming both accounts', () => {
    const items = [...base(), ...newUserItems(stored('u2', 'globex', 'bob@globex.com')), count('globex', 1)].map((i) =>
      i.pk === 'UNIQUE#email#bob@globex.com' ? { ...i, accountId: 'acme' } : i,
    );
    expect(checkItems(items).findings).toEqual([
      {
        kind: 'missing-sentinel',
        key: 'UNIQUE#email#bob@globex.com',
        accountId: 'globex',
        userId: 'u2',
        detail: 'user u2 holds email#bob@globex.com, but its sentinel names user u2 (account acme)',
      },
      {
        kind: 'account-mismatch',
        key: 'UNIQUE#email#bob@globex.com',
        accountId: 'acme',
        userId: 'u2',
        detail: 'sentinel UNIQUE#email#bob@globex.com names user u2 in account acme, but that user is in account globex',
      },
    ]);
  });

  it('a sentinel of a value its user no longer holds, and one with no user: orphan-sentinel', () => {
    const items = [
      ...base(),
      { pk: 'UNIQUE#email#old@contoso.com', sk: 'UNIQUE', accountId: 'acme', userId: 'u1', domainRoot: 'contoso.com', domainPath: 'com.contoso.' },
      { pk: 'UNIQUE#phone#14155550100', sk: 'UNIQUE', accountId: 'acme', userId: 'gone' },
    ];
    expect(checkItems(items).findings).toEqual([
      {
        kind: 'orphan-sentinel',
        key: 'UNIQUE#email#old@contoso.com',
        accountId: 'acme',
        userId: 'u1',
        detail: 'sentinel UNIQUE#email#old@contoso.com names user u1 (account acme), which no longer holds this value: the value is blocked',
      },
      orphan('UNIQUE#phone#14155550100', 'gone'),
    ]);
  });

  it('a sentinel with non-string owner attributes reads them as empty (nobody)', () => {
    const items = [...base(), { pk: 'UNIQUE#phone#14155550100', sk: 'UNIQUE', accountId: 5, userId: ['u1'] }];
    expect(checkItems(items).findings).toEqual([orphan('UNIQUE#phone#14155550100', '', '')]);
  });

  it('a value without its sentinel: missing-sentinel saying it is unprotected', () => {
    const items = base().filter((i) => i.pk !== 'UNIQUE#email#ann@contoso.com');
    expect(checkItems(items).findings).toEqual([
      {
        kind: 'missing-sentinel',
        key: 'UNIQUE#email#ann@contoso.com',
        accountId: 'acme',
        userId: 'u1',
        detail: 'user u1 holds email#ann@contoso.com without its sentinel: the value is not protected against a second holder',
      },
    ]);
  });

  it('a value two users hold: duplicate-value naming both; the one the sentinel does not name is not reported again', () => {
    const twin = newUserItems(stored('u2', 'acme', 'bob@contoso.com', { emails: [{ type: 'work', value: 'ann@contoso.com' }] })).filter(
      (i) => i.pk !== 'UNIQUE#email#ann@contoso.com',
    );
    const r = checkItems([...base(), ...twin, count('acme', 1, 1)]);
    expect(r.findings).toEqual([
      { kind: 'duplicate-value', key: 'UNIQUE#email#ann@contoso.com', detail: 'email#ann@contoso.com is held by 2 users: u1 (account acme), u2 (account acme)' },
    ]);
  });

  it('a value two users hold whose sentinel names neither: duplicate-value and a missing sentinel for each', () => {
    const twin = newUserItems(stored('u2', 'acme', 'bob@contoso.com', { emails: [{ type: 'work', value: 'ann@contoso.com' }] })).filter(
      (i) => i.pk !== 'UNIQUE#email#ann@contoso.com',
    );
    const items = [...base(), ...twin, count('acme', 1, 1)].map((i) => (i.pk === 'UNIQUE#email#ann@contoso.com' ? { ...i, userId: 'u3' } : i));
    const r = checkItems(items);
    expect(r.findings.map((f) => [f.kind, f.userId])).toEqual([
      ['duplicate-value', undefined],
      ['missing-sentinel', 'u1'],
      ['missing-sentinel', 'u2'],
      ['orphan-sentinel', 'u3'],
    ]);
    expect(r.findings[1]!.detail).toBe('user u1 holds email#ann@contoso.com, but its sentinel names user u3 (account acme)');
  });

  it('a sentinel key not in canonical form: non-canonical-key saying what it breaks and how to fix it', () => {
    const items = [...base(), { pk: 'UNIQUE#phone#Ann', sk: 'UNIQUE', accountId: 'acme', userId: 'u1' }];
    const r = checkItems(items.map((i) => (i.pk === 'UNIQUE#phone#Ann' ? { ...i, pk: 'UNIQUE#userName#Ann@contoso.com', domainRoot: 'contoso.com', domainPath: 'com.contoso.' } : i)));
    expect(r.findings[0]).toEqual({
      kind: 'non-canonical-key',
      key: 'UNIQUE#userName#Ann@contoso.com',
      accountId: 'acme',
      userId: 'u1',
      detail:
        "sentinel UNIQUE#userName#Ann@contoso.com is not in the canonical form (NFKC + case folding): lookups by the value miss it; Entra's next update of user u1 rewrites it, or free it with scimlink users delete",
    });
  });

  it.each([
    ['no index keys', { domainRoot: undefined, domainPath: undefined }],
    ['a wrong root', { domainRoot: 'other.com' }],
    ['a wrong path', { domainPath: 'com.contoso.eu.' }],
  ])('a login ID sentinel with %s: unindexed-domain-value', (_what, change) => {
    const items = base().map((i) => (i.pk === 'UNIQUE#userName#ann@contoso.com' ? { ...i, ...change } : i));
    expect(checkItems(items).findings).toEqual([
      {
        kind: 'unindexed-domain-value',
        key: 'UNIQUE#userName#ann@contoso.com',
        accountId: 'acme',
        userId: 'u1',
        detail:
          'sentinel UNIQUE#userName#ann@contoso.com has no domain-index keys (written before domain claims): a claim of its domain is enforced but does not list it; find its holder with scimlink conflicts search',
      },
    ]);
  });
});

describe('login IDs and emails refused today', () => {
  it('each refused value is named with its user, the invisible character made visible', () => {
    const u = stored('u2', 'acme', 'bob\u200b@contoso.com', { emails: [{ type: 'work', value: 'bob\u00ad@contoso.com' }, { type: 'other', value: 'fine@contoso.com' }] });
    const r = checkItems([...base(), ...newUserItems(u), count('acme', 1, 1)]);
    expect(r.findings.map((f) => [f.kind, f.key, f.accountId, f.userId])).toEqual([
      ['refused-value', 'ACCOUNT#acme|USER#u2', 'acme', 'u2'],
      ['refused-value', 'ACCOUNT#acme|USER#u2', 'acme', 'u2'],
    ]);
    expect(r.findings[0]!.detail).toMatch(/^user u2 holds 'bob\\u\{200B\}@contoso\.com', which .+: fix it in Entra \(its next update of this user fails until then\)$/);
    expect(r.findings[1]!.detail).toMatch(/^user u2 holds 'bob\\u\{AD\}@contoso\.com', which /);
  });
});

describe('the externalId index', () => {
  it("an index item that does not match its user's externalId: stale, saying so", () => {
    const items = base().map((i) => (i.sk === 'USER#u1' ? { ...i, data: { ...(i.data as object), externalId: 'e2' } } : i));
    const r = checkItems(items);
    expect(r.findings).toEqual([
      { kind: 'stale-externalid', key: `ACCOUNT#acme|${EXT}`, accountId: 'acme', userId: 'u1', detail: `externalId index item ${EXT} does not match user u1's current externalId` },
      {
        kind: 'missing-externalid',
        key: `ACCOUNT#acme|${externalIdSk('e2', 'u1')}`,
        accountId: 'acme',
        userId: 'u1',
        detail: 'user u1 has an externalId but no index item: "externalId eq" lookups miss it',
      },
    ]);
  });

  it('an index item of a user without externalId: stale; a non-string externalId is none', () => {
    const noExt = base().map((i) => (i.sk === 'USER#u1' ? { ...i, data: { ...(i.data as object), externalId: 42 } } : i));
    expect(checkItems(noExt).findings.map((f) => f.kind)).toStrictEqual(['stale-externalid']);
  });

  it('an index item naming a user of the same id in another account is stale', () => {
    const items = [...base(), { pk: 'ACCOUNT#globex', sk: EXT, userId: 'u1' }];
    expect(checkItems(items).findings).toEqual([
      {
        kind: 'stale-externalid',
        key: `ACCOUNT#globex|${EXT}`,
        accountId: 'globex',
        userId: 'u1',
        detail: `externalId index item ${EXT} names user u1, which does not exist in account globex`,
      },
    ]);
  });
});

describe('counts', () => {
  it('shards adding up to another number: count-mismatch with the exact figures (1 user, singular)', () => {
    expect(checkItems([...base(), count('acme', 2, 5)]).findings).toEqual([
      { kind: 'count-mismatch', key: 'ACCOUNT#acme|COUNT#*', accountId: 'acme', detail: 'account acme has 1 user but its count shards add up to 3' },
    ]);
  });

  it('an account with users and no shard; a shard that is not a finite number', () => {
    const noShard = base().filter((i) => i.sk !== 'COUNT#0');
    expect(checkItems(noShard).findings.map((f) => f.detail)).toStrictEqual(['account acme has 1 user but its count shards add up to 0']);
    for (const bad of ['1', null, Infinity]) {
      expect(checkItems([...noShard, count('acme', bad)]).findings.map((f) => f.detail)).toStrictEqual(['account acme has 1 user but its count shards add up to NaN']);
    }
  });
});

describe('bounds and the confirming scan', () => {
  it(`lists at most ${MAX_FINDINGS} findings; the counts and the verdict stay exact`, () => {
    const orphans = Array.from({ length: MAX_FINDINGS + 1 }, (_, n) => ({ pk: `UNIQUE#phone#1415555${String(n).padStart(4, '0')}`, sk: 'UNIQUE', accountId: 'acme', userId: 'gone' }));
    const r = checkItems([...base(), ...orphans]);
    expect(r.findings).toHaveLength(1000);
    expect(r).toMatchObject({ consistent: false, sentinels: 1003 });
    expect(checkItems([...base(), ...orphans.slice(0, 1000)]).findings).toHaveLength(1000);
  });

  it('keeps the findings both scans show (same kind, key, account and user) with the second scan\'s counts', () => {
    const one = { pk: 'UNIQUE#phone#14155550100', sk: 'UNIQUE', accountId: 'acme', userId: 'gone' };
    const first = checkItems([...base(), one]);
    // The same sentinel, now naming another user: another finding, not a confirmation.
    const second = checkItems([...base(), { ...one, userId: 'gone2' }, count('other', 0)]);
    expect(confirmed(first, second)).toEqual({ ...second, consistent: true, findings: [] });
    const again = checkItems([...base(), one, count('other', 0)]);
    expect(confirmed(first, again)).toEqual({ ...again, consistent: false, findings: first.findings });
    const otherAccount = checkItems([...base(), { ...one, accountId: 'globex' }]);
    expect(confirmed(first, otherAccount).findings).toEqual([]);
  });
});
