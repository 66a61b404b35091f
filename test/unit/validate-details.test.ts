import { parseUser } from '../../lambdas/scim/validate';
import { EXTENSION_SCHEMA } from '../../lambdas/scim/schema';
import { scimError } from '../support/caught';
import { minimalUser } from '../fixtures/entra-users';

/**
 * The exact `detail` of a refused User body: Entra shows it to the admin, who must find the attribute and the rule
 * in it. (test/unit/validate.test.ts states which rules hold; this pins how a refusal reads.)
 */
// validate.ts builds the User schema (and with it every message below) on the first validation. Here that is
// when this file loads, outside any test: mutation testing then counts the construction as static and (without
// --ignoreStatic) runs every test against a mutated message, instead of only whichever test first validated a body
// in its file (one that reads no message).
parseUser(minimalUser());

const detail = (over: Record<string, unknown>) => {
  const e = scimError(() => parseUser({ ...minimalUser(), ...over }));
  expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
  return e.detail;
};

describe('how a refusal names the attribute', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a typed entry by its type', { phoneNumbers: [{ type: 'mobile', value: '5' }] }, `phoneNumbers[type eq "mobile"].value '5' is not in E.164 format ("+", then 2-15 digits, the first not 0), e.g. +14155550100`],
    ['a typed entry without a value', { phoneNumbers: [{ type: 'Mobile' }] }, 'phoneNumbers[type eq "mobile"].value is required'],
    ['a role by its index (role types are not labels)', { roles: [{ value: 'A' }, { value: 7, type: 'x' }] }, 'roles[1].value must be a string, not number 7'],
    ['an entry that is not an object by its index', { emails: [minimalUser().emails, 'x'].flat() }, `emails[1] must be an object, not the string 'x'`],
    ['a sub-attribute of name by its dotted path', { name: { givenName: true } }, 'name.givenName must be a string, not boolean true'],
    ['the extension attribute by its URN', { [EXTENSION_SCHEMA]: { extension: 'x1' } }, `${EXTENSION_SCHEMA}:extension 'x1' must contain digits only`],
    ['the extension object by its URN', { [EXTENSION_SCHEMA]: [] }, `${EXTENSION_SCHEMA} must be an object, not an array`],
    ['a missing attribute', { userName: undefined }, 'userName is required'],
    ['a null', { active: 'maybe' }, `active must be a boolean (true or false), not the string 'maybe'`],
  ])('%s', (_what, over, expected) => {
    expect(detail(over)).toBe(expected);
  });

  it('a long value is shown cut at 40 characters', () => {
    expect(detail({ active: 'y'.repeat(41) })).toBe(`active must be a boolean (true or false), not the string '${'y'.repeat(40)}…'`);
    expect(detail({ active: 'y'.repeat(40) })).toBe(`active must be a boolean (true or false), not the string '${'y'.repeat(40)}'`);
  });

  it('an object and a number are described as such', () => {
    expect(detail({ externalId: { a: 1 } })).toBe('externalId must be a string, not an object');
    expect(detail({ externalId: 5 })).toBe('externalId must be a string, not number 5');
  });

  it('every problem in one answer, at most five spelled out', () => {
    const many = { userName: 1, displayName: 2, externalId: 3, active: 'x', name: 'x', roles: [{ value: 1 }], phoneNumbers: [{ type: 'work', value: 'x' }] };
    const text = detail(many);
    // Eight problems: the seven of the body and the missing name (displayName is not a string).
    expect(text.split('; ')).toHaveLength(6);
    expect(text.endsWith('; and 3 more')).toBe(true);
    expect(detail({ userName: 1, externalId: 3, active: 'x', name: 'x', roles: [{ value: 1 }] }).split('; ')).toHaveLength(5);
    expect(detail({ userName: 1, externalId: 3, active: 'x', name: 'x', roles: [{ value: 1 }] })).not.toContain('more');
  });
});

describe('what is kept, dropped and reported', () => {
  it('ignored attributes and entries are reported by path, the URN ones with ":"', () => {
    const { ignored, data } = parseUser({
      ...minimalUser(),
      title: 'CEO',
      name: { givenName: 'Jane', middleName: 'Q' },
      emails: [
        { value: 'jane.doe@contoso.com', type: 'work', display: 'Jane' },
        { value: 'jane@home.example', type: 'home' },
      ],
      roles: [{ value: 'A', extra: 1 }],
      [EXTENSION_SCHEMA]: { extension: '1', pin: '2' },
    });
    expect(ignored.sort()).toEqual(['emails.display', 'emails[type eq "home"]', `${EXTENSION_SCHEMA}:pin`, 'name.middleName', 'roles.extra', 'title'].sort());
    expect(data).toStrictEqual({
      userName: 'jane.doe@contoso.com',
      displayName: 'Jane Doe',
      active: true,
      name: { givenName: 'Jane' },
      emails: [{ value: 'jane.doe@contoso.com', type: 'work' }],
      roles: [{ value: 'A' }],
      [EXTENSION_SCHEMA]: { extension: '1' },
    });
  });

  it('an entry without a type is a work entry; a type in another case is stored lower-case', () => {
    const { data } = parseUser({ ...minimalUser(), emails: [{ value: 'jane.doe@contoso.com' }], phoneNumbers: [{ value: '+14155550100', type: 'MOBILE' }] });
    expect([data.emails, data.phoneNumbers]).toEqual([[{ value: 'jane.doe@contoso.com', type: 'work' }], [{ value: '+14155550100', type: 'mobile' }]]);
  });

  it('an extension number sent as a number is stored as its digits; negative or fractional ones are refused', () => {
    expect(parseUser({ ...minimalUser(), [EXTENSION_SCHEMA]: { extension: 4711 } }).data[EXTENSION_SCHEMA]).toStrictEqual({ extension: '4711' });
    expect(parseUser({ ...minimalUser(), [EXTENSION_SCHEMA]: { extension: 0 } }).data[EXTENSION_SCHEMA]).toStrictEqual({ extension: '0' });
    expect(detail({ [EXTENSION_SCHEMA]: { extension: -1 } })).toBe(`${EXTENSION_SCHEMA}:extension must be a string, not number -1`);
    expect(detail({ [EXTENSION_SCHEMA]: { extension: 1.5 } })).toBe(`${EXTENSION_SCHEMA}:extension must be a string, not number 1.5`);
  });

  it('an empty extension object is not stored', () => {
    expect(parseUser({ ...minimalUser(), [EXTENSION_SCHEMA]: { pin: '1' } }).data).not.toHaveProperty([EXTENSION_SCHEMA]);
  });

  it('"primary" of roles and typed entries becomes a boolean; an unparseable one is refused as it was sent', () => {
    const { data } = parseUser({ ...minimalUser(), roles: [{ value: 'A', primary: 'True' }], emails: [{ value: 'jane.doe@contoso.com', type: 'work', primary: 'false' }] });
    expect([data.roles, data.emails]).toEqual([[{ value: 'A', primary: true }], [{ value: 'jane.doe@contoso.com', type: 'work', primary: false }]]);
    expect(detail({ roles: [{ value: 'A', primary: 'yes' }] })).toBe(`roles[0].primary must be a boolean (true or false), not the string 'yes'`);
  });

  it('a non-string type is refused, not lower-cased', () => {
    expect(detail({ phoneNumbers: [{ value: '+14155550100', type: 5 }] })).toBe('phoneNumbers[0].type must be one of "mobile", "work", "other"');
  });
});

describe('the edges a refusal depends on', () => {
  const parsed = (over: Record<string, unknown>) => parseUser({ ...minimalUser(), ...over });

  it('a value over its length limit is refused for its length alone, not judged for look-alikes too', () => {
    expect(detail({ userName: 'a\u200b' + 'b'.repeat(255) })).toBe('userName is longer than 256 characters');
  });

  it('a value at its length limit is still judged for look-alikes, shown with the invisible character escaped', () => {
    const invisible = 'contains an invisible format character (zero-width, soft hyphen, joiner) (U+200B): invisible characters make different values look identical';
    expect(detail({ userName: 'a\u200b' + 'b'.repeat(254) })).toBe(`userName 'a\\u{200B}${'b'.repeat(254)}' ${invisible}`);
    expect(detail({ userName: 'ann\u200b@contoso.com' })).toBe(`userName 'ann\\u{200B}@contoso.com' ${invisible}`);
  });

  it('an entry past the tenth is named by its whole index', () => {
    const roles = [...Array.from({ length: 10 }, (_, i) => ({ value: `r${i}` })), { value: 5 }];
    expect(detail({ roles })).toBe('roles[10].value must be a string, not number 5');
  });

  it('a typed entry names its sub-attribute after the type', () => {
    expect(detail({ addresses: [{ type: 'work', postalCode: 7 }] })).toBe('addresses[type eq "work"].postalCode must be a string, not number 7');
  });

  it('a single value where a list belongs is read as a one-entry list', () => {
    expect(detail({ phoneNumbers: 'x' })).toBe(`phoneNumbers[0] must be an object, not the string 'x'`);
  });

  it('two entries of one type', () => {
    expect(detail({ phoneNumbers: [{ type: 'work', value: '+14155550100' }, { type: 'work', value: '+14155550101' }] })).toBe(
      'phoneNumbers has more than one entry of type "work"; send one value per type',
    );
  });

  it('no emails at all: the work-email rule, once', () => {
    const rule = 'emails[type eq "work"].value is required: every user needs a work email address (map the mail attribute to emails[type eq "work"].value)';
    expect(detail({ emails: undefined })).toBe(rule);
    expect(detail({ emails: [null] })).toBe(rule);
  });

  it('null attributes and sub-attributes are absent, and server-owned attributes are dropped without a word', () => {
    const plain = parseUser(minimalUser());
    expect(parsed({ title: null, nickName: null, id: 'x', meta: { a: 1 }, schemas: ['x'] })).toEqual(plain);
    expect(parsed({ name: { givenName: null, familyName: 'Doe' } })).toEqual({ data: { ...plain.data, name: { familyName: 'Doe' } }, ignored: [] });
  });

  it('an extension sent as a whole non-negative number is kept as its digits; any other number is refused as a number', () => {
    expect(parsed({ [EXTENSION_SCHEMA]: { extension: 12 } }).data[EXTENSION_SCHEMA]).toEqual({ extension: '12' });
    expect(parsed({ [EXTENSION_SCHEMA]: { extension: 0 } }).data[EXTENSION_SCHEMA]).toEqual({ extension: '0' });
    for (const n of [-1, 1.5, 2 ** 53]) {
      expect(detail({ [EXTENSION_SCHEMA]: { extension: n } })).toBe(`${EXTENSION_SCHEMA}:extension must be a string, not number ${n}`);
    }
  });

  it('an extension of 15 digits is the longest accepted', () => {
    expect(parsed({ [EXTENSION_SCHEMA]: { extension: '123456789012345' } }).data[EXTENSION_SCHEMA]).toEqual({ extension: '123456789012345' });
    expect(detail({ [EXTENSION_SCHEMA]: { extension: '1234567890123456' } })).toBe(`${EXTENSION_SCHEMA}:extension is longer than 15 characters`);
  });
});
