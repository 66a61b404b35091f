import { scimError } from '../support/caught';
import { applyPatch, MAX_OPERATIONS, parsePath } from '../../lambdas/scim/patch';
import { EXTENSION_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '../../lambdas/scim/schema';
import { ENTERPRISE, ENTRA_PATCH_CASES, entraUser, patchBody } from '../fixtures/entra-patch';

type Json = Record<string, unknown>;

const apply = (ops: unknown[], user: Json = entraUser()) => applyPatch(user, patchBody(...ops));


/** Follow "a.0.b" (or ["urn:…:2.0:User", "extension"]) through objects and arrays. */
function dig(value: unknown, where: string | string[]): unknown {
  return (Array.isArray(where) ? where : where.split('.')).reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Json)[k] : undefined), value);
}

const withoutRoles = (): Json => {
  const u = entraUser();
  delete u.roles;
  return u;
};

describe('real Entra PATCH bodies', () => {
  it.each(ENTRA_PATCH_CASES)('[$dialect, $source] $name', ({ body, expected, absent }) => {
    const input = entraUser();
    const result = applyPatch(input, body);
    expect(result).toMatchObject(expected);
    for (const where of absent ?? []) expect(dig(result, where)).toBeUndefined();
    expect(input).toEqual(entraUser()); // pure: the stored object is never touched
  });
});

describe('add/replace on a value path that matches no element creates it from the filter', () => {
  it.each([
    {
      why: 'phoneNumbers[type eq "mobile"].value appends {type: "mobile", value}',
      ops: [{ op: 'replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+14255550123' }],
      user: entraUser(),
      at: 'phoneNumbers',
      expected: [{ value: '+14155550100', type: 'work', primary: true }, { type: 'mobile', value: '+14255550123' }],
    },
    {
      why: 'roles[primary eq "True"].value makes primary the boolean true',
      ops: [{ op: 'add', path: 'roles[primary eq "True"].value', value: 'Admin' }],
      user: withoutRoles(),
      at: 'roles',
      expected: [{ primary: true, value: 'Admin' }],
    },
    {
      why: 'emails[type eq "other" and primary eq "False"] with an object merges the conjuncts and the value',
      ops: [{ op: 'add', path: 'emails[type eq "other" and primary eq "False"]', value: { value: 'x@y.z' } }],
      user: { ...entraUser(), emails: [{ value: 'w@y.z', type: 'work', primary: true }] },
      at: 'emails',
      expected: [{ value: 'w@y.z', type: 'work', primary: true }, { type: 'other', primary: false, value: 'x@y.z' }],
    },
    {
      why: 'addresses[type eq "work"].locality on a user without addresses',
      ops: [{ op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Oslo' }],
      user: { ...entraUser(), addresses: undefined },
      at: 'addresses',
      expected: [{ type: 'work', locality: 'Oslo' }],
    },
  ])('$why', ({ ops, user, at, expected }) => {
    expect(apply(ops, user)[at]).toStrictEqual(expected);
  });

  it('sets the sub-attribute on every matching element and leaves the others alone', () => {
    const user = { ...entraUser(), phoneNumbers: [{ value: '+1', type: 'work' }, { value: '+2', type: 'work' }, { value: '+3', type: 'mobile' }] };
    const result = apply([{ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+9' }], user);
    expect(result.phoneNumbers).toEqual([{ value: '+9', type: 'work' }, { value: '+9', type: 'work' }, { value: '+3', type: 'mobile' }]);
  });

  it('merges an object into the matching element instead of replacing it (RFC 7644 §3.5.2.3)', () => {
    const result = apply([{ op: 'replace', path: 'emails[type eq "work"]', value: { Value: 'new@x.com' } }]);
    expect(result.emails).toEqual([
      { value: 'new@x.com', type: 'work', primary: true },
      { value: 'alias@testuser.com', type: 'other' },
    ]);
  });

  it('cannot create from a filter without "eq" → 400 noTarget', () => {
    const e = scimError(() => apply([{ op: 'replace', path: 'emails[value co "@nowhere"].value', value: 'a@b.c' }]));
    expect([e.status, e.scimType]).toEqual([400, 'noTarget']);
  });

  it('rejects a non-object value for a value path without sub-attribute → 400 invalidValue', () => {
    const e = scimError(() => apply([{ op: 'add', path: 'emails[type eq "work"]', value: 'a@b.c' }]));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
  });
});

describe('ops and paths are case-insensitive', () => {
  it.each(['add', 'Add', 'ADD', 'replace', 'Replace', 'REPLACE', 'rEpLaCe'])('op "%s" sets displayName', (op) => {
    expect(apply([{ op, path: 'displayName', value: 'Ann' }]).displayName).toBe('Ann');
  });

  it.each(['remove', 'Remove', 'REMOVE'])('op "%s" removes displayName', (op) => {
    expect(apply([{ op, path: 'displayName' }])).not.toHaveProperty('displayName');
  });

  it.each([
    { path: 'DisplayName', at: ['displayName'], value: 'Ann' },
    { path: 'USERNAME', at: ['userName'], value: 'ann@x.com' },
    { path: 'NAME.GIVENNAME', at: ['name', 'givenName'], value: 'Ann' },
    { path: 'Name.FamilyName', at: ['name', 'familyName'], value: 'Lee' },
    { path: 'Emails[Type eq "work"].Value', at: ['emails', '0', 'value'], value: 'ann@x.com' },
    { path: 'emails[TYPE EQ "WORK"].value', at: ['emails', '0', 'value'], value: 'ann@x.com' },
    { path: 'ACTIVE', at: ['active'], value: false },
    { path: 'URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:externalId', at: ['externalId'], value: 'e-1' },
    { path: 'Extension', at: [EXTENSION_SCHEMA, 'extension'], value: '42' },
  ])('path "$path" writes the canonical $at', ({ path, at, value }) => {
    const result = apply([{ op: 'Replace', path, value }]);
    expect(dig(result, at)).toEqual(value);
    const top = at[0]!;
    expect(Object.keys(result).filter((k) => k.toLowerCase() === top.toLowerCase())).toEqual([top]);
  });

  it('accepts "operations" in lower case and "Op"/"Path"/"Value" keys', () => {
    const result = applyPatch(entraUser(), { schemas: [PATCH_OP_SCHEMA], operations: [{ Op: 'replace', Path: 'displayName', Value: 'Ann' }] });
    expect(result.displayName).toBe('Ann');
  });

  it('canonicalises sub-attribute names inside values', () => {
    const result = apply([{ op: 'add', path: 'phoneNumbers', value: [{ Value: '+4791234567', TYPE: 'mobile', Primary: 'False' }] }]);
    expect(result.phoneNumbers).toContainEqual({ value: '+4791234567', type: 'mobile', primary: false });
  });
});

describe('schema-URN-prefixed paths (RFC 7644 §3.10)', () => {
  it.each([
    { path: `${USER_SCHEMA}:name.givenName`, value: 'Ann', at: 'name.givenName' },
    { path: `${USER_SCHEMA}:emails[type eq "work"].value`, value: 'ann@x.com', at: 'emails.0.value' },
    { path: `${USER_SCHEMA}:active`, value: 'False', at: 'active', stored: false },
  ])('core $path', ({ path, value, at, stored }) => {
    expect(dig(apply([{ op: 'replace', path, value }]), at)).toEqual(stored ?? value);
  });

  it.each([
    { how: 'URN path', op: { op: 'replace', path: `${EXTENSION_SCHEMA}:extension`, value: '100' } },
    { how: 'unprefixed name', op: { op: 'replace', path: 'extension', value: '100' } },
    { how: 'bare schema URN with an object', op: { op: 'replace', path: EXTENSION_SCHEMA, value: { Extension: '100' } } },
    { how: 'path-less URN key', op: { op: 'replace', value: { [`${EXTENSION_SCHEMA}:extension`]: '100' } } },
    { how: 'path-less schema key', op: { op: 'add', value: { [EXTENSION_SCHEMA]: { extension: '100' } } } },
  ])('scimlink extension via $how', ({ op }) => {
    expect(apply([op])[EXTENSION_SCHEMA]).toEqual({ extension: '100' });
  });

  it('removing the only extension attribute drops the extension object', () => {
    expect(apply([{ op: 'remove', path: `${EXTENSION_SCHEMA}:extension` }])).not.toHaveProperty([EXTENSION_SCHEMA]);
  });

  it('a path-less core schema object applies its attributes at the top level', () => {
    const result = apply([{ op: 'replace', value: { [USER_SCHEMA]: { displayName: 'Ann', 'name.givenName': 'A' } } }]);
    expect(result).toMatchObject({ displayName: 'Ann', name: { givenName: 'A', familyName: 'familyName' } });
    expect(result).not.toHaveProperty([USER_SCHEMA]);
  });
});

describe('path-less add/replace: every key is treated like a path', () => {
  it.each([
    { key: 'displayName', value: 'Ann', at: 'displayName' },
    { key: 'name.givenName', value: 'Ann', at: 'name.givenName' },
    { key: 'name.formatted', value: 'Ann Lee', at: 'name.formatted' },
    { key: 'emails[type eq "work"].value', value: 'ann@x.com', at: 'emails.0.value' },
    { key: 'phoneNumbers[type eq "mobile"].value', value: '+4791234567', at: 'phoneNumbers.1.value' },
    { key: 'active', value: 'False', at: 'active', stored: false },
    { key: `${USER_SCHEMA}:userName`, value: 'ann@x.com', at: 'userName' },
  ])('{"$key": …}', ({ key, value, at, stored }) => {
    const result = apply([{ op: 'replace', value: { [key]: value } }]);
    expect(dig(result, at)).toEqual(stored ?? value);
    // No path-shaped key leaks into the resource.
    expect(Object.keys(result).filter((k) => k !== EXTENSION_SCHEMA && /[.[]/.test(k))).toEqual([]);
  });

  it('keeps sibling name parts when one dotted key changes', () => {
    expect(apply([{ op: 'replace', value: { 'name.familyName': 'Lee' } }]).name).toEqual({
      givenName: 'givenName',
      familyName: 'Lee',
      formatted: 'givenName familyName',
    });
  });

  it('a "schemas" key is ignored: the server owns schemas', () => {
    const result = apply([{ op: 'replace', value: { schemas: ['urn:x'], displayName: 'Ann' } }]);
    expect(result.schemas).toEqual([USER_SCHEMA, EXTENSION_SCHEMA]);
    expect(result.displayName).toBe('Ann');
  });

  it.each([['a string', 'Ann'], ['an array', [{ displayName: 'Ann' }]], ['a number', 1]])(
    'rejects %s as value → 400 invalidValue',
    (_what, value) => {
      const e = scimError(() => apply([{ op: 'replace', value }]));
      expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    },
  );
});

describe('add to a multi-valued attribute without filter', () => {
  it('replaces the element of the same type (Entra re-adds the work email) and keeps the rest', () => {
    const result = apply([{ op: 'Add', path: 'emails', value: [{ type: 'work', value: 'new@x.com', primary: true }] }]);
    expect(result.emails).toEqual([
      { type: 'work', value: 'new@x.com', primary: true },
      { value: 'alias@testuser.com', type: 'other' },
    ]);
  });

  it('appends an element of a new type, given as a single object', () => {
    const result = apply([{ op: 'add', path: 'phoneNumbers', value: { type: 'mobile', value: '+4791234567' } }]);
    expect(result.phoneNumbers).toEqual([
      { value: '+14155550100', type: 'work', primary: true },
      { type: 'mobile', value: '+4791234567' },
    ]);
  });

  it('does not duplicate a value that is already there (case-insensitively, RFC 7644 §3.5.2.1)', () => {
    const result = apply([{ op: 'add', path: 'roles', value: [{ value: 'USER', display: 'User' }] }]);
    expect(result.roles).toEqual([{ value: 'USER', display: 'User' }]);
  });

  it('role `type` is not a label: roles of the same type are both kept', () => {
    const user = { ...entraUser(), roles: [{ value: 'A', type: 'WindowsAzureActiveDirectoryRole' }] };
    const result = apply([{ op: 'add', path: 'roles', value: [{ value: 'B', type: 'WindowsAzureActiveDirectoryRole' }] }], user);
    expect(result.roles).toEqual([
      { value: 'A', type: 'WindowsAzureActiveDirectoryRole' },
      { value: 'B', type: 'WindowsAzureActiveDirectoryRole' },
    ]);
  });

  it('a new primary value un-primaries the others (RFC 7644 §3.5.2)', () => {
    const result = apply([{ op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+4791234567', primary: 'True' }] }]);
    expect(result.phoneNumbers).toEqual([
      { value: '+14155550100', type: 'work', primary: false },
      { type: 'mobile', value: '+4791234567', primary: true },
    ]);
  });

  it('setting primary through a value path un-primaries the others too', () => {
    const result = apply([{ op: 'replace', path: 'emails[type eq "other"].primary', value: 'True' }]);
    expect((result.emails as Json[]).map((e) => e.primary)).toEqual([false, true]);
  });

  it('replace without filter replaces the whole array', () => {
    const result = apply([{ op: 'replace', path: 'emails', value: [{ type: 'work', value: 'only@x.com' }] }]);
    expect(result.emails).toEqual([{ type: 'work', value: 'only@x.com' }]);
  });

  it('replace with an empty array deletes the attribute', () => {
    expect(apply([{ op: 'replace', path: 'phoneNumbers', value: [] }])).not.toHaveProperty('phoneNumbers');
  });

  it('rejects non-object elements of a complex attribute → 400 invalidValue', () => {
    const e = scimError(() => apply([{ op: 'add', path: 'emails', value: ['a@b.c'] }]));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
  });
});

describe('add/replace on single-valued attributes', () => {
  it('merges the given sub-attributes of name and leaves the others (replace)', () => {
    expect(apply([{ op: 'replace', path: 'name', value: { GivenName: 'Ann' } }]).name).toEqual({
      givenName: 'Ann',
      familyName: 'familyName',
      formatted: 'givenName familyName',
    });
  });

  it('creates name when it is absent', () => {
    const user = entraUser();
    delete user.name;
    expect(apply([{ op: 'add', path: 'name.familyName', value: 'Lee' }], user).name).toEqual({ familyName: 'Lee' });
  });

  it('rejects a non-object value for name → 400 invalidValue', () => {
    const e = scimError(() => apply([{ op: 'replace', path: 'name', value: 'Ann Lee' }]));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
  });
});

describe('remove (RFC 7644 §3.5.2.2)', () => {
  const user = () => ({
    ...entraUser(),
    phoneNumbers: [
      { value: '+1', type: 'work', primary: true },
      { value: '+2', type: 'mobile' },
      { value: '+3', type: 'other' },
    ],
  });

  it('removes only the entries the filter matches', () => {
    const result = apply([{ op: 'remove', path: 'phoneNumbers[type eq "mobile"]' }], user());
    expect(result.phoneNumbers).toEqual([{ value: '+1', type: 'work', primary: true }, { value: '+3', type: 'other' }]);
  });

  it('removes entries matched by an "or" filter and keeps the rest', () => {
    const result = apply([{ op: 'remove', path: 'phoneNumbers[type eq "mobile" or value eq "+3"]' }], user());
    expect(result.phoneNumbers).toEqual([{ value: '+1', type: 'work', primary: true }]);
  });

  it('removing the value of a filtered element drops the element (only its labels would remain)', () => {
    const result = apply([{ op: 'remove', path: 'emails[type eq "other"].value' }]);
    expect(result.emails).toEqual([{ value: 'Test_User_22370c1a@testuser.com', type: 'work', primary: true }]);
  });

  it('deletes the attribute when its last entry goes', () => {
    expect(apply([{ op: 'remove', path: 'addresses[type eq "work"]' }])).not.toHaveProperty('addresses');
  });

  it.each([
    { what: 'values equal by value', value: [{ value: '+2' }], left: ['+1', '+3'] },
    { what: 'several values', value: [{ value: '+2' }, { value: '+3' }], left: ['+1'] },
    { what: 'a bare value', value: '+3', left: ['+1', '+2'] },
    { what: 'nothing when no value matches', value: [{ value: '+9' }], left: ['+1', '+2', '+3'] },
    { what: 'nothing for an empty item', value: [{}], left: ['+1', '+2', '+3'] },
  ])('Remove with a value array removes $what', ({ value, left }) => {
    const result = apply([{ op: 'Remove', path: 'phoneNumbers', value }], user());
    expect((result.phoneNumbers as Json[]).map((p) => p.value)).toEqual(left);
  });

  it('matches value arrays case-insensitively for case-insensitive values (emails)', () => {
    const result = apply([{ op: 'Remove', path: 'emails', value: [{ value: 'ALIAS@testuser.com' }] }]);
    expect(result.emails).toEqual([{ value: 'Test_User_22370c1a@testuser.com', type: 'work', primary: true }]);
  });

  it.each([
    'phoneNumbers[type eq "mobile"]',
    'emails[type eq "other"].primary',
    'title',
    'name.middleName',
    `${ENTERPRISE}:manager`,
    `${EXTENSION_SCHEMA}:nothing`,
  ])('removing absent "%s" is a no-op', (path) => {
    expect(apply([{ op: 'remove', path }])).toEqual(entraUser());
  });

  it('removes a whole attribute, a sub-attribute, and a simple attribute', () => {
    const result = apply([
      { op: 'remove', path: 'roles' },
      { op: 'remove', path: 'name.formatted' },
      { op: 'remove', path: 'displayName' },
    ]);
    expect(result).not.toHaveProperty('roles');
    expect(result).not.toHaveProperty('displayName');
    expect(result.name).toEqual({ givenName: 'givenName', familyName: 'familyName' });
  });

  it('without a path → 400 noTarget', () => {
    const e = scimError(() => apply([{ op: 'remove', value: { displayName: 'x' } }]));
    expect([e.status, e.scimType]).toEqual([400, 'noTarget']);
  });
});

describe('null value for add/replace clears (RFC 7643 §2.5)', () => {
  it.each([
    { op: { op: 'replace', path: 'displayName', value: null }, gone: 'displayName' },
    { op: { op: 'add', path: 'name.formatted', value: null }, gone: 'name.formatted' },
    { op: { op: 'replace', path: 'emails[type eq "other"]', value: null }, gone: 'emails.1' },
    { op: { op: 'replace', value: { displayName: null, 'name.givenName': null } }, gone: 'name.givenName' },
  ])('$op.value at $op.path clears $gone', ({ op, gone }) => {
    expect(dig(apply([op]), gone)).toBeUndefined();
  });
});

describe('"True"/"False" strings become booleans only where the schema says boolean', () => {
  it.each([
    ['False', false],
    ['false', false],
    ['True', true],
    ['TRUE', true],
    [false, false],
  ])('active %p → %p', (value, stored) => {
    expect(apply([{ op: 'replace', path: 'active', value }]).active).toBe(stored);
  });

  it('leaves other attributes and unparseable booleans for the validator', () => {
    const result = apply([
      { op: 'replace', path: 'displayName', value: 'True' },
      { op: 'replace', path: 'active', value: 'yes' },
    ]);
    expect([result.displayName, result.active]).toEqual(['True', 'yes']);
  });
});

describe('unsupported attributes are applied at their written key, never rejected', () => {
  it.each([
    { op: { op: 'add', path: 'title', value: 'CEO' }, key: 'title', stored: 'CEO' },
    { op: { op: 'Replace', path: 'preferredLanguage', value: 'en-US' }, key: 'preferredLanguage', stored: 'en-US' },
    { op: { op: 'replace', path: `${USER_SCHEMA}:nickName`, value: 'Babs' }, key: 'nickName', stored: 'Babs' },
    { op: { op: 'replace', path: `${ENTERPRISE}:department`, value: 'R&D' }, key: `${ENTERPRISE}:department`, stored: 'R&D' },
    { op: { op: 'add', value: { [ENTERPRISE]: { department: 'R&D' } } }, key: ENTERPRISE, stored: { department: 'R&D' } },
    { op: { op: 'add', path: 'ims[type eq "aim"].value', value: 'ann' }, key: 'ims[type eq "aim"].value', stored: 'ann' },
  ])('$op.op $key', ({ op, key, stored }) => {
    expect(apply([op])[key]).toEqual(stored);
  });

  it('an unknown sub-attribute of a known complex attribute lands inside it', () => {
    expect(apply([{ op: 'add', path: 'name.honorificPrefix', value: 'Dr' }]).name).toMatchObject({ honorificPrefix: 'Dr' });
  });

  it('an unknown attribute of our extension lands inside the extension object', () => {
    expect(apply([{ op: 'add', path: `${EXTENSION_SCHEMA}:pin`, value: '1' }])[EXTENSION_SCHEMA]).toEqual({ extension: '1234', pin: '1' });
  });
});

describe('mutability (RFC 7643 §2.2: id and meta are readOnly)', () => {
  const id = entraUser().id;
  it.each([
    { why: 'replace id', ops: [{ op: 'replace', path: 'id', value: 'other' }] },
    { why: 'add id through the core URN', ops: [{ op: 'add', path: `${USER_SCHEMA}:id`, value: 'other' }] },
    { why: 'remove id', ops: [{ op: 'remove', path: 'id' }] },
    { why: 'path-less id', ops: [{ op: 'replace', value: { displayName: 'Ann', id: 'other' } }] },
    { why: 'replace meta.lastModified', ops: [{ op: 'replace', path: 'meta.lastModified', value: '2030-01-01T00:00:00Z' }] },
    { why: 'replace meta', ops: [{ op: 'replace', path: 'meta', value: { resourceType: 'Group' } }] },
    { why: 'remove meta', ops: [{ op: 'remove', path: 'meta' }] },
  ])('$why → 400 mutability', ({ ops }) => {
    const e = scimError(() => apply(ops));
    expect([e.status, e.scimType]).toEqual([400, 'mutability']);
  });

  it.each([
    { why: 'id set to the same value', op: { op: 'replace', path: 'id', value: id } },
    { why: 'a path-less echo of id', op: { op: 'replace', value: { id, displayName: 'Ann' } } },
    { why: 'meta echoed with current values', op: { op: 'replace', value: { meta: { resourceType: 'User' }, displayName: 'Ann' } } },
  ])('$why is tolerated and changes nothing else', ({ op }) => {
    const result = apply([op]);
    expect(result.id).toBe(id);
    expect(result.meta).toEqual(entraUser().meta);
  });

  it('ops on "schemas" are ignored (the server derives schemas)', () => {
    const result = apply([
      { op: 'replace', path: 'schemas', value: ['urn:x'] },
      { op: 'remove', path: 'schemas' },
    ]);
    expect(result.schemas).toEqual(entraUser().schemas);
  });
});

describe('atomicity and purity', () => {
  it('an invalid op after valid ones throws and leaves the input unchanged', () => {
    const input = entraUser();
    const e = scimError(() =>
      applyPatch(
        input,
        patchBody(
          { op: 'replace', path: 'displayName', value: 'Changed' },
          { op: 'remove', path: 'emails[type eq "other"]' },
          { op: 'replace', path: 'id', value: 'hijack' },
        ),
      ),
    );
    expect(e.scimType).toBe('mutability');
    expect(e.detail).toMatch(/^Operations\[2\]/);
    expect(input).toEqual(entraUser());
  });

  it('the result shares no objects with the input or the request body', () => {
    const input = entraUser();
    const value = [{ type: 'mobile', value: '+4791234567' }];
    const result = applyPatch(input, patchBody({ op: 'add', path: 'phoneNumbers', value }));
    (result.emails as Json[])[0]!.value = 'mutated';
    (result.name as Json).givenName = 'mutated';
    value[0]!.value = 'mutated';
    expect(input).toEqual(entraUser());
    expect((result.phoneNumbers as Json[])[1]).toEqual({ type: 'mobile', value: '+4791234567' });
  });

  it('a "__proto__" key in a value is dropped, never turned into a prototype', () => {
    const body = JSON.parse('{"Operations":[{"op":"add","path":"emails","value":[{"__proto__":{"primary":true},"type":"other","value":"x@y.z"}]}]}');
    const added = (applyPatch(entraUser(), body).emails as Json[])[1]!;
    expect(added).toEqual({ type: 'other', value: 'x@y.z' });
    expect(Object.getPrototypeOf(added)).toBe(Object.prototype);
    expect(added.primary).toBeUndefined();
    const unsupported = applyPatch(entraUser(), JSON.parse('{"Operations":[{"op":"add","path":"x509Certificates","value":{"__proto__":{"a":1}}}]}'));
    expect(Object.getPrototypeOf(unsupported.x509Certificates)).toBe(Object.prototype);
  });

  it('applies operations in order: later ops see earlier results', () => {
    const result = apply([
      { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1' },
      { op: 'replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+2' },
    ]);
    expect(result.phoneNumbers).toEqual([{ value: '+14155550100', type: 'work', primary: true }, { type: 'mobile', value: '+2' }]);
  });
});

describe('malformed requests → 400 with the right scimType', () => {
  const op = { op: 'replace', path: 'displayName', value: 'x' };
  it.each([
    { why: 'body is null', body: null, scimType: 'invalidSyntax' },
    { why: 'body is an array', body: [op], scimType: 'invalidSyntax' },
    { why: 'body is a string', body: 'replace', scimType: 'invalidSyntax' },
    { why: 'schemas lacks the PatchOp URN', body: { schemas: [USER_SCHEMA], Operations: [op] }, scimType: 'invalidSyntax' },
    { why: 'schemas is not an array', body: { schemas: PATCH_OP_SCHEMA, Operations: [op] }, scimType: 'invalidSyntax' },
    { why: 'Operations is missing', body: { schemas: [PATCH_OP_SCHEMA] }, scimType: 'invalidSyntax' },
    { why: 'Operations is not an array', body: { schemas: [PATCH_OP_SCHEMA], Operations: op }, scimType: 'invalidSyntax' },
    { why: 'Operations is empty', body: patchBody(), scimType: 'invalidSyntax' },
    { why: 'an operation is not an object', body: patchBody('replace'), scimType: 'invalidSyntax' },
    { why: 'an operation has no op', body: patchBody({ path: 'displayName', value: 'x' }), scimType: 'invalidSyntax' },
    { why: 'op is not a string', body: patchBody({ op: 1, path: 'displayName', value: 'x' }), scimType: 'invalidSyntax' },
    { why: 'op is unknown', body: patchBody({ op: 'move', path: 'displayName', value: 'x' }), scimType: 'invalidSyntax' },
    { why: 'path is not a string', body: patchBody({ op: 'add', path: 42, value: 'x' }), scimType: 'invalidPath' },
    { why: 'add has no value', body: patchBody({ op: 'add', path: 'displayName' }), scimType: 'invalidValue' },
    { why: 'path-less add has no value', body: patchBody({ op: 'add' }), scimType: 'invalidValue' },
    {
      why: `more than ${MAX_OPERATIONS} operations`,
      body: patchBody(...Array.from({ length: MAX_OPERATIONS + 1 }, () => op)),
      scimType: 'tooMany',
    },
  ])('$why → $scimType', ({ body, scimType }) => {
    const e = scimError(() => applyPatch(entraUser(), body));
    expect({ status: e.status, scimType: e.scimType }).toEqual({ status: 400, scimType });
    expect(e.toBody()).toMatchObject({ status: '400', scimType });
  });

  it('reports the index of a bad operation', () => {
    expect(scimError(() => apply([op, { op: 'copy' }])).detail).toContain('Operations[1]');
  });

  it(`accepts exactly ${MAX_OPERATIONS} operations`, () => {
    expect(applyPatch(entraUser(), patchBody(...Array.from({ length: MAX_OPERATIONS }, () => op))).displayName).toBe('x');
  });

  it('accepts a body without schemas (lenient towards clients that omit it)', () => {
    expect(applyPatch(entraUser(), { Operations: [op] }).displayName).toBe('x');
  });

  it.each([
    'emails[type eq "work"',
    'emails[type eq]',
    'emails]',
    'emails[]',
    'emails[type eq "work"]value',
    'emails[type eq "work"][primary eq true]',
    'emails[type eq "work"].value.x',
    'name.givenName.x',
    'displayName.x',
    'name[givenName eq "x"]',
    'active[value eq true]',
    `${USER_SCHEMA}[type eq "work"]`,
    'first name',
    '__proto__',
  ])('unparseable path %p → invalidPath naming the path', (path) => {
    const e = scimError(() => apply([{ op: 'replace', path, value: 'x' }]));
    expect({ status: e.status, scimType: e.scimType }).toEqual({ status: 400, scimType: 'invalidPath' });
    expect(e.detail).toContain(path);
  });

  it('an unparseable key in a path-less value is an invalid path too', () => {
    const e = scimError(() => apply([{ op: 'replace', value: { 'emails[type eq': 'x' } }]));
    expect(e.scimType).toBe('invalidPath');
  });

  it('removing the core schema itself → invalidPath', () => {
    expect(scimError(() => apply([{ op: 'remove', path: USER_SCHEMA }])).scimType).toBe('invalidPath');
  });
});

describe('parsePath', () => {
  it.each([
    ['displayName', { kind: 'attribute', schema: USER_SCHEMA, def: expect.objectContaining({ name: 'displayName' }) }],
    ['NAME.givenname', { kind: 'attribute', def: expect.objectContaining({ name: 'name' }), subName: 'givenName' }],
    [
      'emails[value eq "a].b@c.d"].Type',
      { kind: 'attribute', filter: expect.objectContaining({ kind: 'compare', value: 'a].b@c.d' }), subName: 'type' },
    ],
    [`${EXTENSION_SCHEMA}:extension`, { kind: 'attribute', schema: EXTENSION_SCHEMA }],
    [EXTENSION_SCHEMA, { kind: 'schema', schema: EXTENSION_SCHEMA }],
    ['schemas', { kind: 'schemas' }],
    ['title', { kind: 'unsupported', container: 'root', key: 'title' }],
    [`${USER_SCHEMA}:title`, { kind: 'unsupported', container: 'root', key: 'title' }],
    [`${ENTERPRISE}:manager`, { kind: 'unsupported', container: 'root', key: `${ENTERPRISE}:manager` }],
    [`${EXTENSION_SCHEMA}:pin`, { kind: 'unsupported', container: 'extension', key: 'pin' }],
  ])('%s', (raw, expected) => {
    expect(parsePath(raw)).toMatchObject(expected);
  });
});
