import { EXTENSION_SCHEMA, USER_SCHEMA } from '../../lambdas/scim/schema';
import { UniqueKind, uniqueKey, uniqueValuesOf } from '../../lambdas/scim/uniqueness';
import { etagOf, StoredUser, toScimResource, UserData } from '../../lambdas/scim/user';
import { parseUser } from '../../lambdas/scim/validate';
import { ENTRA_USER_CASES, minimalUserData } from '../fixtures/entra-users';

const ACCOUNT = 'acct-7f3a';
const EXT_PATH = `${EXTENSION_SCHEMA}:extension`;

const user = (over: Partial<UserData> = {}): UserData => ({ ...minimalUserData(), ...over });

describe('uniqueValuesOf: one sentinel per unique value (SPEC §4 uniqueness)', () => {
  it('lists every unique value of a full user, keys normalised, values and paths as sent', () => {
    const data = user({
      userName: 'Jane.Doe@Contoso.com',
      emails: [
        { value: 'Jane.Doe@Contoso.com', type: 'work', primary: true },
        { value: 'JANE@Fabrikam.com', type: 'other' },
      ],
      phoneNumbers: [
        { value: '+14255550123', type: 'mobile' },
        { value: '+14255550100', type: 'work' },
        { value: '+4791234567', type: 'other' },
      ],
      [EXTENSION_SCHEMA]: { extension: '4711' },
    });
    expect(uniqueValuesOf(data, ACCOUNT)).toEqual([
      { kind: 'userName', key: 'userName#jane.doe@contoso.com', attribute: 'userName', value: 'Jane.Doe@Contoso.com' },
      { kind: 'email', key: 'email#jane.doe@contoso.com', attribute: 'emails[type eq "work"].value', value: 'Jane.Doe@Contoso.com' },
      { kind: 'email', key: 'email#jane@fabrikam.com', attribute: 'emails[type eq "other"].value', value: 'JANE@Fabrikam.com' },
      { kind: 'phone', key: 'phone#14255550123', attribute: 'phoneNumbers[type eq "mobile"].value', value: '+14255550123' },
      { kind: 'phone', key: 'phone#14255550100', attribute: 'phoneNumbers[type eq "work"].value', value: '+14255550100' },
      { kind: 'phone', key: 'phone#4791234567', attribute: 'phoneNumbers[type eq "other"].value', value: '+4791234567' },
      { kind: 'extension', key: `extension#${ACCOUNT}#4711`, attribute: EXT_PATH, value: '4711' },
    ]);
  });

  it('a minimal user holds its userName and its work email', () => {
    expect(uniqueValuesOf(minimalUserData(), ACCOUNT).map((u) => u.key)).toEqual([
      'userName#jane.doe@contoso.com',
      'email#jane.doe@contoso.com',
    ]);
  });

  it('externalId and displayName are not unique values', () => {
    const values = uniqueValuesOf(user({ externalId: 'shared-by-tests', displayName: 'Jane' }), ACCOUNT);
    expect(values.map((v) => v.kind)).toStrictEqual(['userName', 'email']);
    expect(JSON.stringify(values)).not.toContain('shared-by-tests');
  });

  it.each([
    {
      why: 'the same email as work and other (differently cased)',
      data: user({ emails: [{ value: 'jane@contoso.com', type: 'work' }, { value: 'JANE@contoso.com', type: 'other' }] }),
      kind: 'email',
      expected: [{ kind: 'email', key: 'email#jane@contoso.com', attribute: 'emails[type eq "work"].value', value: 'jane@contoso.com' }],
    },
    {
      why: 'the same number as mobile and work',
      data: user({ phoneNumbers: [{ value: '+14155550100', type: 'mobile' }, { value: '+14155550100', type: 'work' }] }),
      kind: 'phone',
      expected: [{ kind: 'phone', key: 'phone#14155550100', attribute: 'phoneNumbers[type eq "mobile"].value', value: '+14155550100' }],
    },
    {
      why: 'the same number as work then other: the first holder is named',
      data: user({ phoneNumbers: [{ value: '+4791234567', type: 'work' }, { value: '+4791234567', type: 'other' }] }),
      kind: 'phone',
      expected: [{ kind: 'phone', key: 'phone#4791234567', attribute: 'phoneNumbers[type eq "work"].value', value: '+4791234567' }],
    },
  ])('a user repeating its own value across types yields one entry: $why', ({ data, kind, expected }) => {
    expect(uniqueValuesOf(data, ACCOUNT).filter((v) => v.kind === kind)).toEqual(expected);
  });

  it('a userName equal to the work email is two sentinels of different kinds (they never collide)', () => {
    const values = uniqueValuesOf(user({ userName: 'jane@contoso.com', emails: [{ value: 'jane@contoso.com', type: 'work' }] }), ACCOUNT);
    expect(values.map((v) => v.key)).toStrictEqual(['userName#jane@contoso.com', 'email#jane@contoso.com']);
  });

  it('extensions are scoped per account: the same number in two accounts has two keys', () => {
    const data = user({ [EXTENSION_SCHEMA]: { extension: '100' } });
    const inA = uniqueValuesOf(data, 'acct-a').find((v) => v.kind === 'extension');
    const inB = uniqueValuesOf(data, 'acct-b').find((v) => v.kind === 'extension');
    expect(inA?.key).toBe('extension#acct-a#100');
    expect(inB?.key).toBe('extension#acct-b#100');
    expect(inA?.key).not.toBe(inB?.key);
    // Every other kind is platform-wide: the account does not enter the key.
    const platformWide = (acct: string) => uniqueValuesOf(data, acct).filter((v) => v.kind !== 'extension');
    expect(platformWide('acct-a')).toEqual(platformWide('acct-b'));
  });

  it('an extension object without extension holds no sentinel', () => {
    expect(uniqueValuesOf(user({ [EXTENSION_SCHEMA]: {} }), ACCOUNT).map((v) => v.kind)).toStrictEqual(['userName', 'email']);
  });

  it.each(ENTRA_USER_CASES)('every value of the Entra body "$name" gets a key naming its attribute', ({ body }) => {
    const { data } = parseUser(body);
    const values = uniqueValuesOf(data, ACCOUNT);
    expect(values[0]).toMatchObject({ kind: 'userName', attribute: 'userName', value: data.userName });
    for (const e of data.emails) expect(values.map((v) => v.key)).toContain(uniqueKey('email', e.value, ACCOUNT));
    for (const p of data.phoneNumbers ?? []) {
      expect(values).toContainEqual(expect.objectContaining({ kind: 'phone', attribute: `phoneNumbers[type eq "${p.type}"].value`, value: p.value }));
    }
    expect(new Set(values.map((v) => v.key)).size).toBe(values.length);
  });
});

describe('uniqueKey: how values compare', () => {
  it.each<{ kind: UniqueKind; a: string; b: string; why: string }>([
    { kind: 'phone', a: '+1 (415) 555-0100', b: '+14155550100', why: 'phones by their digits' },
    { kind: 'phone', a: '+47 912 34 567', b: '+4791234567', why: 'spaces do not matter' },
    { kind: 'email', a: 'Jane.Doe@CONTOSO.com', b: 'jane.doe@contoso.com', why: 'emails case-insensitively' },
    { kind: 'userName', a: 'JDoe', b: 'jdoe', why: 'userNames case-insensitively' },
    { kind: 'userName', a: 'Jose\u0301', b: 'Jos\u00e9', why: 'userNames after Unicode NFC' },
    { kind: 'email', a: 'rene\u0301@contoso.com', b: 'ren\u00e9@contoso.com', why: 'emails after Unicode NFC' },
  ])('$why: $a ≡ $b', ({ kind, a, b }) => {
    expect(uniqueKey(kind, a, ACCOUNT)).toBe(uniqueKey(kind, b, ACCOUNT));
  });

  it.each<{ kind: UniqueKind; a: string; b: string; why: string; accountA?: string; accountB?: string }>([
    { kind: 'extension', a: '0042', b: '42', why: 'extensions exactly (leading zeros count)' },
    { kind: 'extension', a: '100', b: '100', why: 'extensions per account', accountA: 'acct-a', accountB: 'acct-b' },
    { kind: 'phone', a: '+14155550100', b: '+14155550101', why: 'different numbers' },
    { kind: 'email', a: 'jane@contoso.com', b: 'jane@contoso.co', why: 'different addresses' },
  ])('$why: $a ≢ $b', ({ kind, a, b, accountA, accountB }) => {
    expect(uniqueKey(kind, a, accountA ?? ACCOUNT)).not.toBe(uniqueKey(kind, b, accountB ?? ACCOUNT));
  });

  it('the same text of different kinds never shares a key', () => {
    const keys = (['userName', 'email', 'phone', 'extension'] as const).map((k) => uniqueKey(k, '4711', ACCOUNT));
    expect(new Set(keys).size).toBe(4);
  });

  it('userName, email and phone keys do not depend on the account', () => {
    for (const kind of ['userName', 'email', 'phone'] as const) {
      expect(uniqueKey(kind, '+14155550100', 'acct-a')).toBe(uniqueKey(kind, '+14155550100', 'acct-b'));
    }
  });
});

describe('toScimResource', () => {
  const BASE = 'https://scim.example.com/scim/v2';
  const stored = (data: UserData, version = 3): StoredUser => ({
    id: '5171a35d82074e068ce2',
    accountId: ACCOUNT,
    data,
    meta: { resourceType: 'User', created: '2024-05-01T10:00:00.000Z', lastModified: '2024-05-02T11:30:00.000Z', version },
  });

  it('renders the data, the id and the meta block', () => {
    const data = user({ externalId: 'jdoe', phoneNumbers: [{ value: '+14155550100', type: 'mobile' }] });
    expect(toScimResource(stored(data, 7), BASE)).toStrictEqual({
      schemas: [USER_SCHEMA],
      id: '5171a35d82074e068ce2',
      ...data,
      meta: {
        resourceType: 'User',
        created: '2024-05-01T10:00:00.000Z',
        lastModified: '2024-05-02T11:30:00.000Z',
        location: `${BASE}/Users/5171a35d82074e068ce2`,
        version: 'W/"7"',
      },
    });
  });

  it.each([
    { why: 'without the extension', data: user(), schemas: [USER_SCHEMA] },
    { why: 'with the extension', data: user({ [EXTENSION_SCHEMA]: { extension: '4711' } }), schemas: [USER_SCHEMA, EXTENSION_SCHEMA] },
  ])('schemas $why', ({ data, schemas }) => {
    const resource = toScimResource(stored(data), BASE);
    expect(resource.schemas).toEqual(schemas);
    if (schemas.includes(EXTENSION_SCHEMA)) expect(resource[EXTENSION_SCHEMA]).toEqual({ extension: '4711' });
    else expect(resource).not.toHaveProperty([EXTENSION_SCHEMA]);
  });

  it.each([
    ['https://scim.example.com/scim/v2', 'https://scim.example.com/scim/v2/Users/5171a35d82074e068ce2'],
    ['https://abc.execute-api.eu-west-1.amazonaws.com/prod/tenants/t1/scim/v2', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/tenants/t1/scim/v2/Users/5171a35d82074e068ce2'],
  ])('meta.location under %s', (base, location) => {
    expect(toScimResource(stored(user()), base).meta).toMatchObject({ location });
  });

  it.each([
    [1, 'W/"1"'],
    [42, 'W/"42"'],
    [1000000, 'W/"1000000"'],
  ])('version %d → weak ETag %s', (version, etag) => {
    expect(etagOf(version)).toBe(etag);
    expect(toScimResource(stored(user(), version), BASE).meta).toMatchObject({ version: etag });
  });

  it('renders real booleans and values as stored by parseUser', () => {
    const entra = ENTRA_USER_CASES.find((c) => c.source === 'attribute-mapping')!;
    const resource = toScimResource(stored(parseUser(entra.body).data), BASE);
    expect(resource.active).toBe(true);
    expect(resource.roles).toEqual([{ primary: true, type: 'WindowsAzureActiveDirectoryRole', display: 'Admin', value: 'Admin' }]);
    expect(resource.schemas).toEqual([USER_SCHEMA, EXTENSION_SCHEMA]);
  });

  it('does not mutate the stored user', () => {
    const s = stored(user({ [EXTENSION_SCHEMA]: { extension: '1' } }));
    const before = structuredClone(s);
    toScimResource(s, BASE);
    expect(s).toEqual(before);
  });
});
