import { ScimError } from '../../lambdas/scim/errors';
import { scimError } from '../support/caught';
import { EXTENSION_SCHEMA, USER_SCHEMA } from '../../lambdas/scim/schema';
import { parseUser, ParsedUser } from '../../lambdas/scim/validate';
import {
  ENTERPRISE,
  ENTRA_USER_CASES,
  PROTO_POLLUTION_BODIES,
  minimalUser,
  minimalUserData,
  tutorialExampleUserWithoutEmail,
} from '../fixtures/entra-users';

type Json = Record<string, unknown>;

/** The minimal valid body with some attributes replaced (or removed, with `undefined`). */
const withAttrs = (over: Json): Json => {
  const body = { ...minimalUser(), ...over };
  for (const [k, v] of Object.entries(over)) if (v === undefined) delete body[k];
  return body;
};


/** parseUser must reject with 400 invalidValue; returns the detail. */
function rejected(body: unknown): string {
  const e = scimError(() => parseUser(body));
  expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
  expect(e.toBody()).toMatchObject({ status: '400', scimType: 'invalidValue', detail: e.detail });
  return e.detail;
}

const sorted = (list: string[]) => [...list].sort();

describe('real Entra POST/PUT bodies', () => {
  it.each(ENTRA_USER_CASES)('[$source $method] $name', ({ body, expected, ignored }) => {
    const before = structuredClone(body);
    const result = parseUser(body);
    expect(result.data).toStrictEqual(expected);
    expect(sorted(result.ignored)).toEqual(sorted(ignored));
    expect(body).toEqual(before); // the request body is never mutated
  });

  it('the minimal body (userName, displayName, work email) is valid and active by default', () => {
    expect(parseUser(minimalUser())).toStrictEqual({ data: minimalUserData(), ignored: [] });
  });

  it('[tutorial] the example user exactly as published has no email → 400 naming the work email', () => {
    const detail = rejected(tutorialExampleUserWithoutEmail());
    expect(detail).toContain('emails[type eq "work"].value is required');
  });
});

describe('unsupported attributes, sub-attributes and types are accepted, dropped and reported', () => {
  it.each([
    { what: 'top-level title', over: { title: 'Engineer' }, ignored: ['title'] },
    { what: 'top-level nickName and preferredLanguage', over: { nickName: 'Jay', preferredLanguage: 'en-US' }, ignored: ['nickName', 'preferredLanguage'] },
    { what: 'the enterprise extension object', over: { [ENTERPRISE]: { department: 'Sales' } }, ignored: [ENTERPRISE] },
    {
      what: 'an enterprise attribute as a URN key',
      over: { [`${ENTERPRISE}:employeeNumber`]: '701984' },
      ignored: [`${ENTERPRISE}:employeeNumber`],
    },
    { what: 'an unknown schema', over: { 'urn:example:params:scim:schemas:extension:acme:2.0:User:badge': '7' }, ignored: ['urn:example:params:scim:schemas:extension:acme:2.0:User:badge'] },
    { what: 'name.middleName', over: { name: { givenName: 'Jane', middleName: 'Q' } }, ignored: ['name.middleName'] },
    {
      what: 'a sub-attribute of a supported email (display)',
      over: { emails: [{ value: 'jane.doe@contoso.com', type: 'work', display: 'Jane' }] },
      ignored: ['emails.display'],
    },
    {
      what: 'emails[type eq "home"]',
      over: { emails: [{ value: 'jane.doe@contoso.com', type: 'work' }, { value: 'jane@home.example', type: 'home' }] },
      ignored: ['emails[type eq "home"]'],
    },
    {
      what: 'phoneNumbers[type eq "fax"] and [type eq "pager"]',
      over: { phoneNumbers: [{ value: '+14155550199', type: 'fax' }, { value: '+14155550198', type: 'pager' }] },
      ignored: ['phoneNumbers[type eq "fax"]', 'phoneNumbers[type eq "pager"]'],
    },
    {
      what: 'addresses[type eq "home"]',
      over: { addresses: [{ type: 'home', locality: 'Portland' }] },
      ignored: ['addresses[type eq "home"]'],
    },
  ])('$what', ({ over, ignored }) => {
    const result = parseUser(withAttrs(over));
    expect(sorted(result.ignored)).toEqual(sorted(ignored));
    // Nothing that was reported is stored.
    for (const key of Object.keys(over)) if (ignored.includes(key)) expect(result.data).not.toHaveProperty([key]);
  });

  it('an unsupported-type entry is not validated and not stored, supported entries stay', () => {
    const { data, ignored } = parseUser(
      withAttrs({
        emails: [{ value: 'not an address', type: 'home' }, { value: 'jane.doe@contoso.com', type: 'work' }],
        phoneNumbers: [{ value: '(415) 555-0199', type: 'fax' }, { value: '+14155550100', type: 'mobile' }],
        addresses: [{ type: 'home', locality: 'Portland' }, { type: 'work', locality: 'Redmond' }],
      }),
    );
    expect(data.emails).toEqual([{ value: 'jane.doe@contoso.com', type: 'work' }]);
    expect(data.phoneNumbers).toEqual([{ value: '+14155550100', type: 'mobile' }]);
    expect(data.addresses).toEqual([{ type: 'work', locality: 'Redmond' }]);
    expect(sorted(ignored)).toEqual(sorted(['emails[type eq "home"]', 'phoneNumbers[type eq "fax"]', 'addresses[type eq "home"]']));
  });

  it('name sub-attributes that are dropped leave the kept ones untouched', () => {
    const { data } = parseUser(withAttrs({ name: { givenName: 'Jane', familyName: 'Doe', formatted: 'Jane Q. Doe', middleName: 'Q', honorificPrefix: 'Dr.' } }));
    expect(data.name).toStrictEqual({ givenName: 'Jane', familyName: 'Doe', formatted: 'Jane Q. Doe' });
  });
});

describe('server-owned attributes (id, meta, schemas) are ignored silently', () => {
  it.each([
    { over: { id: 'client-chosen-id' } },
    { over: { ID: 'client-chosen-id' } },
    { over: { meta: { resourceType: 'User', version: 'W/"9"' } } },
    { over: { Meta: { created: '2020-01-01T00:00:00Z' } } },
    { over: { schemas: [USER_SCHEMA, ENTERPRISE] } },
    { over: { SCHEMAS: ['urn:bogus'] } },
  ])('$over', ({ over }) => {
    expect(parseUser(withAttrs(over))).toStrictEqual({ data: minimalUserData(), ignored: [] });
  });
});

describe('attribute names are case-insensitive (RFC 7643 §2.1)', () => {
  it.each([
    {
      what: 'UserName, DisplayName',
      body: { UserName: 'jane.doe@contoso.com', DisplayName: 'Jane Doe', emails: [{ value: 'jane.doe@contoso.com', type: 'work' }] },
      expected: minimalUserData(),
    },
    {
      what: 'EMAILS with Value / Type: "Work" / PRIMARY',
      body: { userName: 'jane.doe@contoso.com', displayName: 'Jane Doe', EMAILS: [{ Value: 'jane.doe@contoso.com', Type: 'Work', PRIMARY: 'true' }] },
      expected: { ...minimalUserData(), emails: [{ value: 'jane.doe@contoso.com', type: 'work', primary: true }] },
    },
    {
      what: 'NAME.GivenName / FAMILYNAME / Formatted',
      body: withAttrs({ displayName: undefined, NAME: { GivenName: 'Jane', FAMILYNAME: 'Doe', Formatted: 'Jane Doe' } }),
      expected: {
        userName: 'jane.doe@contoso.com',
        name: { givenName: 'Jane', familyName: 'Doe', formatted: 'Jane Doe' },
        active: true,
        emails: [{ value: 'jane.doe@contoso.com', type: 'work' }],
      },
    },
    {
      what: 'PhoneNumbers with TYPE: "MOBILE"',
      body: withAttrs({ PhoneNumbers: [{ VALUE: '+14155550100', TYPE: 'MOBILE' }] }),
      expected: { ...minimalUserData(), phoneNumbers: [{ value: '+14155550100', type: 'mobile' }] },
    },
    {
      what: 'Addresses with Type: "Work" and PostalCode',
      body: withAttrs({ Addresses: [{ Type: 'Work', PostalCode: '98052', Country: 'US' }] }),
      expected: { ...minimalUserData(), addresses: [{ type: 'work', postalCode: '98052', country: 'US' }] },
    },
    {
      what: 'Roles with Value / Primary / Display',
      body: withAttrs({ Roles: [{ Value: 'Admin', Primary: 'TRUE', Display: 'Administrator' }] }),
      expected: { ...minimalUserData(), roles: [{ value: 'Admin', primary: true, display: 'Administrator' }] },
    },
    {
      what: 'ACTIVE and ExternalID',
      body: withAttrs({ ACTIVE: 'false', ExternalID: 'jdoe' }),
      expected: { ...minimalUserData(), active: false, externalId: 'jdoe' },
    },
    {
      what: 'Extension (unprefixed) and the extension schema in upper case',
      body: withAttrs({ [EXTENSION_SCHEMA.toUpperCase()]: { EXTENSION: '4711' } }),
      expected: { ...minimalUserData(), [EXTENSION_SCHEMA]: { extension: '4711' } },
    },
  ])('$what', ({ body, expected }) => {
    const result = parseUser(body);
    expect(result.data).toStrictEqual(expected);
    expect(result.ignored).toEqual([]);
  });

  it('types compare case-insensitively, so "Work" and "WORK" are two work emails', () => {
    const detail = rejected(
      withAttrs({ emails: [{ value: 'a@contoso.com', type: 'Work' }, { value: 'b@contoso.com', type: 'WORK' }] }),
    );
    expect(detail).toContain('emails has more than one entry of type "work"');
  });

  it('an email without type is taken as the work email', () => {
    expect(parseUser(withAttrs({ emails: [{ value: 'jane.doe@contoso.com' }] })).data.emails).toEqual([
      { value: 'jane.doe@contoso.com', type: 'work' },
    ]);
  });
});

describe('schema-URN-prefixed keys (RFC 7644 §3.10)', () => {
  it.each([
    {
      what: 'core attributes as "urn:…:core:2.0:User:<attr>" keys',
      body: {
        [`${USER_SCHEMA}:userName`]: 'jane.doe@contoso.com',
        [`${USER_SCHEMA}:displayName`]: 'Jane Doe',
        [`${USER_SCHEMA.toUpperCase()}:EMAILS`]: [{ value: 'jane.doe@contoso.com', type: 'work' }],
      },
      expected: minimalUserData(),
    },
    {
      what: 'the core schema as an object',
      body: { [USER_SCHEMA]: minimalUser() },
      expected: minimalUserData(),
    },
    {
      what: 'the scimlink extension as an object',
      body: withAttrs({ [EXTENSION_SCHEMA]: { extension: '4711' } }),
      expected: { ...minimalUserData(), [EXTENSION_SCHEMA]: { extension: '4711' } },
    },
    {
      what: 'the scimlink extension as "urn:…:scimlink:2.0:User:extension"',
      body: withAttrs({ [`${EXTENSION_SCHEMA}:extension`]: '4711' }),
      expected: { ...minimalUserData(), [EXTENSION_SCHEMA]: { extension: '4711' } },
    },
    {
      what: 'the scimlink extension as an unprefixed "extension" key',
      body: withAttrs({ extension: '4711' }),
      expected: { ...minimalUserData(), [EXTENSION_SCHEMA]: { extension: '4711' } },
    },
    {
      what: 'an extension number sent as a JSON number (stored as its digits)',
      body: withAttrs({ [EXTENSION_SCHEMA]: { extension: 4711 } }),
      expected: { ...minimalUserData(), [EXTENSION_SCHEMA]: { extension: '4711' } },
    },
  ])('$what', ({ body, expected }) => {
    const result = parseUser(body);
    expect(result.data).toStrictEqual(expected);
    expect(result.ignored).toEqual([]);
  });

  it('an extension object with nothing stored in it is dropped', () => {
    expect(parseUser(withAttrs({ [EXTENSION_SCHEMA]: { extension: null } })).data).toStrictEqual(minimalUserData());
  });
});

describe('null means absent', () => {
  it.each([
    { what: 'displayName: null with a givenName', over: { displayName: null, name: { givenName: 'Jane' } }, expected: { name: { givenName: 'Jane' } } },
    { what: 'displayName: null with a familyName', over: { displayName: null, name: { familyName: 'Doe', givenName: null } }, expected: { name: { familyName: 'Doe' } } },
    { what: 'externalId, title, name, phoneNumbers, roles, addresses: null', over: { externalId: null, title: null, name: null, phoneNumbers: null, roles: null, addresses: null }, expected: { displayName: 'Jane Doe' } },
    { what: 'active: null → active', over: { active: null }, expected: { displayName: 'Jane Doe', active: true } },
    {
      what: 'null sub-attributes and null list entries',
      over: { emails: [null, { value: 'jane.doe@contoso.com', type: 'work', primary: null }], phoneNumbers: [{ value: '+14155550100', type: null }] },
      expected: { displayName: 'Jane Doe', phoneNumbers: [{ value: '+14155550100', type: 'work' }] },
    },
    { what: 'the extension as a null URN key', over: { [`${EXTENSION_SCHEMA}:extension`]: null }, expected: { displayName: 'Jane Doe' } },
  ])('$what', ({ over, expected }) => {
    const result = parseUser(withAttrs(over));
    const { displayName: _d, ...rest } = minimalUserData();
    expect(result.data).toStrictEqual({ ...rest, ...expected });
    expect(result.ignored).toEqual([]);
  });

  it('emails: null leaves the user without the required work email', () => {
    expect(rejected(withAttrs({ emails: null }))).toContain('emails[type eq "work"].value is required');
  });

  it('userName: null is a missing userName', () => {
    expect(rejected(withAttrs({ userName: null }))).toContain('userName is required');
  });
});

describe('active', () => {
  it('is true when missing', () => {
    expect(parseUser(minimalUser()).data.active).toBe(true);
  });

  it.each([
    [true, true],
    [false, false],
    ['True', true],
    ['False', false],
    ['true', true],
    ['FALSE', false],
    ['tRuE', true],
    [' False ', false],
  ])('%j → %j', (sent, stored) => {
    expect(parseUser(withAttrs({ active: sent })).data.active).toBe(stored);
  });

  it.each([['yes'], ['1'], [''], [1], [0], [{}]])('%j → 400 naming active and the expected type', (sent) => {
    const detail = rejected(withAttrs({ active: sent }));
    expect(detail).toContain('active must be a boolean (true or false)');
  });

  it.each([
    { at: 'emails', over: { emails: [{ value: 'jane.doe@contoso.com', type: 'work', primary: 'True' }] }, get: (p: ParsedUser) => p.data.emails[0]?.primary, stored: true },
    { at: 'phoneNumbers', over: { phoneNumbers: [{ value: '+14155550100', type: 'mobile', primary: 'FALSE' }] }, get: (p: ParsedUser) => p.data.phoneNumbers?.[0]?.primary, stored: false },
    { at: 'roles', over: { roles: [{ value: 'Admin', primary: 'True' }] }, get: (p: ParsedUser) => p.data.roles?.[0]?.primary, stored: true },
    { at: 'addresses', over: { addresses: [{ type: 'work', primary: 'false' }] }, get: (p: ParsedUser) => p.data.addresses?.[0]?.primary, stored: false },
  ])('$at[].primary strings become booleans too ($stored)', ({ over, get, stored }) => {
    expect(get(parseUser(withAttrs(over)))).toBe(stored);
  });

  it('a primary that is not a boolean is rejected naming the entry', () => {
    const detail = rejected(withAttrs({ emails: [{ value: 'jane.doe@contoso.com', type: 'work', primary: 'yes' }] }));
    expect(detail).toContain('emails[type eq "work"].primary must be a boolean');
  });
});

describe('values are stored exactly as sent', () => {
  it.each([
    { what: 'userName keeps its case', over: { userName: 'Jane.Doe@Contoso.COM' }, get: (d: Json) => d.userName, value: 'Jane.Doe@Contoso.COM' },
    {
      what: 'an email keeps its case',
      over: { emails: [{ value: 'Jane.Doe@Contoso.COM', type: 'work' }] },
      get: (d: Json) => (d.emails as Json[])[0]?.value,
      value: 'Jane.Doe@Contoso.COM',
    },
    {
      what: 'an internationalised email is not punycoded',
      over: { emails: [{ value: 'jürgen@müller.example', type: 'work' }] },
      get: (d: Json) => (d.emails as Json[])[0]?.value,
      value: 'jürgen@müller.example',
    },
    {
      what: 'a phone number is not reformatted',
      over: { phoneNumbers: [{ value: '+4915112345678', type: 'mobile' }] },
      get: (d: Json) => (d.phoneNumbers as Json[])[0]?.value,
      value: '+4915112345678',
    },
    {
      what: 'an extension keeps its leading zeros',
      over: { [EXTENSION_SCHEMA]: { extension: '0042' } },
      get: (d: Json) => (d[EXTENSION_SCHEMA] as Json).extension,
      value: '0042',
    },
    { what: 'displayName keeps its spaces', over: { displayName: '  Jane  Doe ' }, get: (d: Json) => d.displayName, value: '  Jane  Doe ' },
  ])('$what', ({ over, get, value }) => {
    expect(get(parseUser(withAttrs(over)).data as unknown as Json)).toBe(value);
  });
});

describe('rule failures → 400 invalidValue naming the attribute path and the rule', () => {
  it.each([
    { why: 'missing userName', over: { userName: undefined }, contains: ['userName is required'] },
    { why: 'blank userName', over: { userName: '   ' }, contains: ['userName must not be empty'] },
    { why: 'userName longer than 256', over: { userName: 'u'.repeat(257) }, contains: ['userName is longer than 256 characters'] },
    {
      why: 'none of displayName / givenName / familyName',
      over: { displayName: undefined, name: { formatted: 'Jane Doe' } },
      contains: ['displayName is required', 'displayName, name.givenName or name.familyName'],
    },
    {
      why: 'names that are only whitespace',
      over: { displayName: ' ', name: { givenName: '', familyName: '\t' } },
      contains: ['displayName is required', 'name.givenName'],
    },
    {
      why: 'no work email, only an "other" one',
      over: { emails: [{ value: 'jane@fabrikam.com', type: 'other' }] },
      contains: ['emails[type eq "work"].value is required', 'work email'],
    },
    {
      why: 'no work email, only a "home" one (ignored)',
      over: { emails: [{ value: 'jane@home.example', type: 'home' }] },
      contains: ['emails[type eq "work"].value is required'],
    },
    { why: 'no emails at all', over: { emails: undefined }, contains: ['emails[type eq "work"].value is required'] },
    { why: 'an empty emails array', over: { emails: [] }, contains: ['emails[type eq "work"].value is required'] },
    {
      why: 'two work emails',
      over: { emails: [{ value: 'a@contoso.com', type: 'work' }, { value: 'b@contoso.com', type: 'work' }] },
      contains: ['emails has more than one entry of type "work"', 'one value per type'],
    },
    {
      why: 'two mobile numbers',
      over: { phoneNumbers: [{ value: '+14155550100', type: 'mobile' }, { value: '+14155550101', type: 'Mobile' }] },
      contains: ['phoneNumbers has more than one entry of type "mobile"'],
    },
    {
      why: 'two work addresses',
      over: { addresses: [{ type: 'work', locality: 'Oslo' }, { type: 'work', locality: 'Bergen' }] },
      contains: ['addresses has more than one entry of type "work"'],
    },
    {
      why: 'an invalid "other" email',
      over: { emails: [{ value: 'jane.doe@contoso.com', type: 'work' }, { value: 'jane at fabrikam', type: 'other' }] },
      contains: [`emails[type eq "other"].value 'jane at fabrikam' is not a valid email address`],
    },
    { why: 'userName a number', over: { userName: 42 }, contains: ['userName must be a string, not number 42'] },
    { why: 'displayName a boolean', over: { displayName: true }, contains: ['displayName must be a string, not boolean true'] },
    { why: 'externalId an object', over: { externalId: { id: 1 } }, contains: ['externalId must be a string, not an object'] },
    { why: 'active "yes"', over: { active: 'yes' }, contains: [`active must be a boolean (true or false), not the string 'yes'`] },
    { why: 'emails an array of strings', over: { emails: ['jane.doe@contoso.com'] }, contains: [`emails[0] must be an object, not the string 'jane.doe@contoso.com'`] },
    { why: 'emails a bare string', over: { emails: 'jane.doe@contoso.com' }, contains: ['emails[0] must be an object'] },
    {
      why: 'an email value that is a number',
      over: { emails: [{ value: 42, type: 'work' }] },
      contains: ['emails[type eq "work"].value must be a string, not number 42'],
    },
    { why: 'an email type that is not a string', over: { emails: [{ value: 'jane.doe@contoso.com', type: 5 }] }, contains: ['emails[0].type must be one of "work", "other"'] },
    { why: 'an email without value', over: { emails: [{ type: 'work' }] }, contains: ['emails[type eq "work"].value is required'] },
    { why: 'name a string', over: { name: 'Jane Doe' }, contains: [`name must be an object, not the string 'Jane Doe'`] },
    { why: 'name.givenName a number', over: { name: { givenName: 7 } }, contains: ['name.givenName must be a string, not number 7'] },
    { why: 'roles a string', over: { roles: 'Admin' }, contains: [`roles[0] must be an object, not the string 'Admin'`] },
    { why: 'a blank role value', over: { roles: [{ value: ' ', primary: 'True' }] }, contains: ['roles[0].value must not be empty'] },
    { why: 'more than 20 roles', over: { roles: Array.from({ length: 21 }, (_, i) => ({ value: `r${i}` })) }, contains: ['roles has more than 20 roles'] },
    { why: 'a role without value', over: { roles: [{ primary: 'True', display: 'Admin' }] }, contains: ['roles[0].value is required'] },
    { why: 'phone number value a JSON number', over: { phoneNumbers: [{ value: 14155550100, type: 'mobile' }] }, contains: ['phoneNumbers[type eq "mobile"].value must be a string, not number 14155550100'] },
    { why: 'address locality a number', over: { addresses: [{ type: 'work', locality: 98052 }] }, contains: ['addresses[type eq "work"].locality must be a string, not number 98052'] },
    { why: 'a string longer than 1024', over: { displayName: 'x'.repeat(1025) }, contains: ['displayName is longer than 1024 characters'] },
    {
      why: 'extension not digits',
      over: { [EXTENSION_SCHEMA]: { extension: '12a' } },
      contains: [`${EXTENSION_SCHEMA}:extension '12a' must contain digits only`],
    },
    {
      why: 'extension with a plus sign (a phone number, not an extension)',
      over: { [`${EXTENSION_SCHEMA}:extension`]: '+4711' },
      contains: [`${EXTENSION_SCHEMA}:extension '+4711' must contain digits only`],
    },
    { why: 'extension empty', over: { extension: '' }, contains: [`${EXTENSION_SCHEMA}:extension '' must contain digits only`] },
    { why: 'extension a negative number', over: { extension: -5 }, contains: [`${EXTENSION_SCHEMA}:extension must be a string, not number -5`] },
    { why: 'extension a fraction', over: { extension: 1.5 }, contains: [`${EXTENSION_SCHEMA}:extension must be a string, not number 1.5`] },
    { why: 'the extension schema a string', over: { [EXTENSION_SCHEMA]: '4711' }, contains: [`${EXTENSION_SCHEMA} must be an object`] },
  ])('$why', ({ over, contains }) => {
    const detail = rejected(withAttrs(over));
    for (const part of contains) expect(detail).toContain(part);
  });
});

describe('email addresses', () => {
  const rule = 'is not a valid email address';
  it.each([
    ['no @', 'jane.doe.contoso.com'],
    ['two @', 'jane@@contoso.com'],
    ['no dot in the domain', 'jane@localhost'],
    ['empty domain label', 'jane@contoso..com'],
    ['domain starts with a dot', 'jane@.com'],
    ['empty local part', '@contoso.com'],
    ['a space inside', 'jane doe@contoso.com'],
    ['a space in the domain', 'jane@contoso .com'],
    ['a quoted local part', '"jane"@contoso.com'],
    ['a local part over 64 characters', `${'j'.repeat(65)}@contoso.com`],
    ['empty', ''],
  ])('%s: %j → 400', (_why, value) => {
    const detail = rejected(withAttrs({ emails: [{ value, type: 'work' }] }));
    expect(detail).toContain(`emails[type eq "work"].value '${value}' ${rule}`);
  });

  it.each([
    ['a leading space', ' jane@contoso.com'],
    ['a trailing space', 'jane@contoso.com '],
  ])('%s: %j → 400 naming the whitespace (a look-alike, test/unit/identifiers.test.ts)', (_why, value) => {
    const detail = rejected(withAttrs({ emails: [{ value, type: 'work' }] }));
    expect(detail).toContain(`emails[type eq "work"].value '${value}' has leading or trailing whitespace`);
  });

  it('more than 254 characters → 400 naming the length rule', () => {
    const value = `${'j'.repeat(64)}@${'d'.repeat(186)}.com`; // 255
    expect(value).toHaveLength(255);
    const detail = rejected(withAttrs({ emails: [{ value, type: 'work' }] }));
    expect(detail).toContain('emails[type eq "work"].value is longer than 254 characters');
  });

  it.each([
    ['exactly 254 characters', `${'j'.repeat(64)}@${'d'.repeat(185)}.com`],
    ['a 64-character local part', `${'j'.repeat(64)}@contoso.com`],
    ['plus addressing and subdomains', 'jane+scim@mail.eu.contoso.co.uk'],
    ['unicode (RFC 6531)', 'ü@exämple.de'],
  ])('%s is accepted', (_why, value) => {
    expect(parseUser(withAttrs({ emails: [{ value, type: 'work' }] })).data.emails).toEqual([{ value, type: 'work' }]);
  });
});

describe('phone numbers must be E.164 ("+", 2–15 digits, the first not 0)', () => {
  it.each([
    ['national format', '(415) 555-0100'],
    ['first digit 0', '+0123'],
    ['no plus', '14155550100'],
    ['one digit only', '+1'],
    ['16 digits', '+1234567890123456'],
    ['spaces', '+1 415 555 0100'],
    ['dashes', '+1-415-555-0100'],
    ['a trailing newline', '+14155550100\n'],
    ['letters', '+1415555CALL'],
    ['empty', ''],
  ])('%s: %j → 400 naming the path, the value and E.164', (_why, value) => {
    const detail = rejected(withAttrs({ phoneNumbers: [{ value, type: 'mobile' }] }));
    expect(detail).toContain(`phoneNumbers[type eq "mobile"].value '${value}'`);
    expect(detail).toContain('E.164');
    expect(detail).toContain('+14155550100'); // the example an admin can copy
  });

  it.each([['work'], ['other'], ['Work']])('the path names the type of the offending entry (%s)', (type) => {
    const detail = rejected(
      withAttrs({ phoneNumbers: [{ value: '+14155550100', type: 'mobile' }, { value: '555-0100', type }] }),
    );
    expect(detail).toContain(`phoneNumbers[type eq "${type.toLowerCase()}"].value '555-0100' is not in E.164 format`);
    expect(detail).not.toContain('type eq "mobile"');
  });

  it.each([
    ['the shortest (+ and 2 digits)', '+12'],
    ['15 digits', '+123456789012345'],
    ['US', '+14155550100'],
    ['Norway', '+4791234567'],
    ['UK', '+442071838750'],
    ['a range no numbering plan assigns (syntactic rule only)', '+99999999999'],
  ])('%s %s is accepted and stored as sent', (_why, value) => {
    expect(parseUser(withAttrs({ phoneNumbers: [{ value, type: 'mobile' }] })).data.phoneNumbers).toEqual([{ value, type: 'mobile' }]);
  });
});

describe('several problems are reported in one detail', () => {
  it('type errors on several attributes are all named', () => {
    const detail = rejected({ userName: 5, active: 'yes', emails: ['jane.doe@contoso.com'], name: 'Jane' });
    expect(detail).toContain('userName must be a string');
    expect(detail).toContain('active must be a boolean');
    expect(detail).toContain('emails[0] must be an object');
    expect(detail).toContain('name must be an object');
    // The cross-attribute rules are reported alongside the type errors (one Entra cycle shows everything).
    expect(detail).toContain('displayName is required');
    expect(detail).toMatch(/; and 1 more$/);
  });

  it('value rules and the cross-attribute rules together', () => {
    const detail = rejected({
      userName: ' ',
      emails: [{ value: 'jane at fabrikam', type: 'other' }],
      phoneNumbers: [{ value: '(415) 555-0100', type: 'mobile' }],
      extension: 'x1',
    });
    expect(detail.split('; ')).toHaveLength(6);
    for (const part of [
      'userName must not be empty',
      `emails[type eq "other"].value 'jane at fabrikam' is not a valid email address`,
      `phoneNumbers[type eq "mobile"].value '(415) 555-0100' is not in E.164 format`,
      `${EXTENSION_SCHEMA}:extension 'x1' must contain digits only`,
      'displayName is required',
    ]) {
      expect(detail).toContain(part);
    }
    expect(detail).toMatch(/; and 1 more$/); // the sixth: the missing work email
  });

  it('both cross-attribute rules (a name, a work email) are reported next to a value rule', () => {
    const detail = rejected({ userName: 'jane.doe@contoso.com', emails: [{ value: 'jane at fabrikam', type: 'other' }] });
    expect(detail.split('; ')).toEqual([
      `emails[type eq "other"].value 'jane at fabrikam' is not a valid email address`,
      expect.stringContaining('displayName is required'),
      expect.stringContaining('emails[type eq "work"].value is required'),
    ]);
  });

  it('more than five problems: the first five, then how many more', () => {
    const detail = rejected({ userName: 1, externalId: 2, displayName: 3, name: 4, active: 5, emails: [6], phoneNumbers: [7], roles: [8] });
    expect(detail.split('; ')).toHaveLength(6);
    // 8 type errors + the two cross-attribute rules (no name part, no work email)
    expect(detail).toMatch(/; and 5 more$/);
  });
});

describe('a body that is not a JSON object → 400 invalidSyntax', () => {
  it.each([[null], [undefined], [[]], [[minimalUser()]], ['{"userName":"x"}'], [42], [true]])('%j', (body) => {
    const e = scimError(() => parseUser(body));
    expect([e.status, e.scimType]).toEqual([400, 'invalidSyntax']);
    expect(e.detail).toContain('JSON object');
  });
});

describe('prototype safety: own "__proto__" keys from JSON.parse', () => {
  afterEach(() => {
    expect(({} as Json).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it.each(PROTO_POLLUTION_BODIES)('$where', ({ json, at }) => {
    const body = JSON.parse(json) as Json;
    // The fixture really carries an own __proto__ key where it claims to.
    const holder = at.reduce<unknown>((v, k) => (v as Json)[k], body) as Json;
    expect(Object.keys(holder)).toContain('__proto__');

    let outcome: ParsedUser | ScimError;
    try {
      outcome = parseUser(body);
    } catch (e) {
      // Reporting it is fine; anything but a 400 ScimError (a crash → 500) is not.
      expect(e).toBeInstanceOf(ScimError);
      outcome = e as ScimError;
    }
    if (outcome instanceof ScimError) {
      expect(outcome.status).toBe(400);
      return;
    }
    const { data } = outcome;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    for (const nested of [data.name, data.emails[0], data[EXTENSION_SCHEMA], data.phoneNumbers?.[0], data.addresses?.[0], data.roles?.[0]]) {
      if (nested !== undefined) expect(Object.getPrototypeOf(nested)).toBe(Object.prototype);
    }
    expect((data as unknown as Json).polluted).toBeUndefined();
    expect((data.name as Json | undefined)?.polluted).toBeUndefined();
    expect((data.emails[0] as unknown as Json).polluted).toBeUndefined();
    expect((data[EXTENSION_SCHEMA] as Json | undefined)?.polluted).toBeUndefined();
    expect(data.userName).toBe('jane.doe@contoso.com');
  });
});

describe('regressions found while testing', () => {
  it('reports the cross-attribute rules even when another attribute has a type error', () => {
    // Act
    let detail = '';
    try {
      parseUser({ userName: 5, emails: [{ value: 'o@x.com', type: 'other' }] });
    } catch (e) {
      detail = (e as Error).message;
    }
    // Assess
    expect(detail).toContain('userName must be a string, not number 5');
    expect(detail).toContain('displayName is required');
    expect(detail).toContain('emails[type eq "work"].value is required');
  });

  it('an over-long all-digit extension gets only the length rule', () => {
    const body = { userName: 'a@b.co', displayName: 'A', emails: [{ type: 'work', value: 'a@b.co' }], 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User': { extension: '1'.repeat(16) } };
    expect(() => parseUser(body)).toThrow(/extension is longer than 15 characters$/);
  });

  it('names an unknown extension attribute in URN form in the ignored list', () => {
    const body = { userName: 'a@b.co', displayName: 'A', emails: [{ type: 'work', value: 'a@b.co' }], 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User': { extension: '12', foo: 1 } };
    expect(parseUser(body).ignored).toEqual(['urn:ietf:params:scim:schemas:extension:scimlink:2.0:User:foo']);
  });
});
