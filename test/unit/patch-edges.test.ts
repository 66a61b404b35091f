import { scimError } from '../support/caught';
import { applyPatch, MAX_VALUE_DEPTH } from '../../lambdas/scim/patch/apply';
import { EXTENSION_SCHEMA, USER_SCHEMA } from '../../lambdas/scim/schema';
import { entraUser, patchBody } from '../fixtures/entra-patch';

/**
 * PATCH on users that lack an optional part (no extension, no `name`, no `phoneNumbers`, …): Entra sends the same
 * operations whatever the stored user holds, so each must give the right user — or a 400 — never a TypeError (a 500,
 * which Entra counts as a failure and eventually quarantines the app for). And the exact `scimType`/`detail` of
 * the 400s, which Entra shows to the admin.
 */
type Json = Record<string, unknown>;

/** The Entra fixture user without the given top-level attributes. */
function without(...keys: string[]): Json {
  const u = entraUser();
  for (const k of keys) delete u[k];
  return u;
}

const apply = (user: Json, ...ops: unknown[]) => applyPatch(user, patchBody(...ops));

describe('a user without the scimlink extension', () => {
  const bare = () => without(EXTENSION_SCHEMA);

  it.each([
    { op: 'remove', path: `${EXTENSION_SCHEMA}:extension` },
    { op: 'remove', path: `${EXTENSION_SCHEMA}:pin` },
    { op: 'remove', path: EXTENSION_SCHEMA },
    { op: 'replace', path: `${EXTENSION_SCHEMA}:extension`, value: null },
  ])('$op $path changes nothing (and creates no empty extension)', (op) => {
    expect(apply(bare(), op)).toStrictEqual(bare());
  });

  it.each([
    { how: 'a URN path', op: { op: 'add', path: `${EXTENSION_SCHEMA}:extension`, value: '7' } },
    { how: 'the bare schema URN', op: { op: 'add', path: EXTENSION_SCHEMA, value: { extension: '7' } } },
    { how: 'a path-less value', op: { op: 'replace', value: { [`${EXTENSION_SCHEMA}:extension`]: '7' } } },
  ])('add through $how creates the extension object', ({ op }) => {
    expect(apply(bare(), op)).toStrictEqual({ ...bare(), [EXTENSION_SCHEMA]: { extension: '7' } });
  });

  it('an unknown attribute of the extension creates the extension object around it', () => {
    expect(apply(bare(), { op: 'add', path: `${EXTENSION_SCHEMA}:pin`, value: '1' })[EXTENSION_SCHEMA]).toStrictEqual({ pin: '1' });
  });

  it('an extension that is not an object is replaced by one when an attribute is added', () => {
    const user = { ...bare(), [EXTENSION_SCHEMA]: 'garbage' };
    expect(apply(user, { op: 'add', path: `${EXTENSION_SCHEMA}:extension`, value: '7' })[EXTENSION_SCHEMA]).toStrictEqual({ extension: '7' });
  });

  it('removing the last unknown attribute of the extension drops the extension object', () => {
    const user = { ...bare(), [EXTENSION_SCHEMA]: { pin: '1' } };
    expect(apply(user, { op: 'remove', path: `${EXTENSION_SCHEMA}:pin` })).toStrictEqual(bare());
  });

  it('removing an unknown extension attribute keeps the rest of the extension', () => {
    const user = { ...bare(), [EXTENSION_SCHEMA]: { pin: '1', extension: '7' } };
    expect(apply(user, { op: 'remove', path: `${EXTENSION_SCHEMA}:pin` })[EXTENSION_SCHEMA]).toStrictEqual({ extension: '7' });
  });

  it('removing the whole extension schema drops it, and only it', () => {
    expect(apply(entraUser(), { op: 'remove', path: EXTENSION_SCHEMA })).toStrictEqual(bare());
  });
});

describe('a user without name', () => {
  const bare = () => without('name');

  it.each([
    { op: 'remove', path: 'name.givenName' },
    { op: 'remove', path: 'name' },
    { op: 'replace', path: 'name.givenName', value: null },
  ])('$op $path changes nothing', (op) => {
    expect(apply(bare(), op)).toStrictEqual(bare());
  });

  it('replace name with an object creates it', () => {
    expect(apply(bare(), { op: 'replace', path: 'name', value: { givenName: 'Ann' } }).name).toStrictEqual({ givenName: 'Ann' });
  });

  it('replace name with an empty object stores no empty name', () => {
    expect(apply(bare(), { op: 'replace', path: 'name', value: {} })).toStrictEqual(bare());
  });

  it('a name that is not an object (a string from an old client) is replaced by the sub-attribute set', () => {
    const user = { ...bare(), name: 'Ann Lee' };
    expect(apply(user, { op: 'replace', path: 'name.givenName', value: 'Ann' }).name).toStrictEqual({ givenName: 'Ann' });
  });

  it('removing a sub-attribute of a name that is not an object leaves it for the validator', () => {
    const user = { ...bare(), name: 'Ann Lee' };
    expect(apply(user, { op: 'remove', path: 'name.givenName' }).name).toBe('Ann Lee');
  });

  it('removing the last sub-attribute of name drops name', () => {
    const user = { ...bare(), name: { givenName: 'Ann' } };
    expect(apply(user, { op: 'remove', path: 'name.givenName' })).toStrictEqual(bare());
  });

  it('clearing the last sub-attribute of name with null drops name', () => {
    const user = { ...bare(), name: { givenName: 'Ann' } };
    expect(apply(user, { op: 'replace', path: 'name', value: { givenName: null } })).toStrictEqual(bare());
  });
});

describe('a user without phoneNumbers (or roles, addresses)', () => {
  const bare = () => without('phoneNumbers', 'roles', 'addresses');

  it.each([
    { op: 'remove', path: 'phoneNumbers' },
    { op: 'remove', path: 'phoneNumbers[type eq "mobile"]' },
    { op: 'remove', path: 'phoneNumbers[type eq "mobile"].value' },
    { op: 'Remove', path: 'phoneNumbers', value: [{ value: '+14155550100' }] },
    { op: 'remove', path: 'roles[primary eq true]' },
    { op: 'remove', path: 'addresses[type eq "work"].locality' },
    { op: 'replace', path: 'phoneNumbers[type eq "mobile"]', value: null },
    { op: 'replace', path: 'phoneNumbers', value: [] },
  ])('$op $path changes nothing', (op) => {
    expect(apply(bare(), op)).toStrictEqual(bare());
  });

  it('phoneNumbers.value without a filter creates one element', () => {
    expect(apply(bare(), { op: 'replace', path: 'phoneNumbers.value', value: '+4791234567' }).phoneNumbers).toStrictEqual([{ value: '+4791234567' }]);
  });

  it('phoneNumbers.value without a filter sets every existing element', () => {
    const user = { ...bare(), phoneNumbers: [{ value: '+1', type: 'work' }, { value: '+2', type: 'mobile' }] };
    expect(apply(user, { op: 'replace', path: 'phoneNumbers.value', value: '+9' }).phoneNumbers).toStrictEqual([
      { value: '+9', type: 'work' },
      { value: '+9', type: 'mobile' },
    ]);
  });

  it('add phoneNumbers appends to nothing', () => {
    expect(apply(bare(), { op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+4791234567' }] }).phoneNumbers).toStrictEqual([
      { type: 'mobile', value: '+4791234567' },
    ]);
  });

  it('a single stored element that is not in an array is treated as a one-element list', () => {
    const user = { ...bare(), phoneNumbers: { value: '+1', type: 'work' } };
    expect(apply(user, { op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+2' }] }).phoneNumbers).toStrictEqual([
      { value: '+1', type: 'work' },
      { type: 'mobile', value: '+2' },
    ]);
  });

  it('a stored null is an empty list', () => {
    const user = { ...bare(), phoneNumbers: null };
    expect(apply(user, { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+2' }).phoneNumbers).toStrictEqual([{ type: 'mobile', value: '+2' }]);
  });

  it('remove without a filter or value empties the attribute', () => {
    expect(apply(entraUser(), { op: 'remove', path: 'phoneNumbers' })).not.toHaveProperty('phoneNumbers');
  });

  it('remove with a null value removes the whole attribute', () => {
    expect(apply(entraUser(), { op: 'remove', path: 'emails', value: null })).not.toHaveProperty('emails');
  });
});

describe('add to a multi-valued attribute: which element an incoming one displaces', () => {
  const emails = (list: Json[]) => ({ ...entraUser(), emails: list });

  it('the same type in another case displaces (types are labels, compared case-insensitively)', () => {
    const user = emails([{ value: 'a@x.com', type: 'work' }, { value: 'b@x.com', type: 'other' }]);
    expect(apply(user, { op: 'add', path: 'emails', value: [{ value: 'c@x.com', type: 'WORK' }] }).emails).toStrictEqual([
      { value: 'c@x.com', type: 'WORK' },
      { value: 'b@x.com', type: 'other' },
    ]);
  });

  it('the same value under another type is a second slot, not a duplicate', () => {
    const user = emails([{ value: 'a@x.com', type: 'work' }]);
    expect(apply(user, { op: 'add', path: 'emails', value: [{ value: 'a@x.com', type: 'other' }] }).emails).toStrictEqual([
      { value: 'a@x.com', type: 'work' },
      { value: 'a@x.com', type: 'other' },
    ]);
  });

  it('an untyped element displaces the one with the same value, case-insensitively', () => {
    const user = emails([{ value: 'a@x.com', type: 'work' }, { value: 'b@x.com', type: 'other' }]);
    expect(apply(user, { op: 'add', path: 'emails', value: [{ value: 'B@X.COM', primary: true }] }).emails).toStrictEqual([
      { value: 'a@x.com', type: 'work' },
      { value: 'B@X.COM', primary: true },
    ]);
  });

  it('an element without a value never displaces an untyped element', () => {
    const user = emails([{ value: 'a@x.com' }]);
    expect(apply(user, { op: 'add', path: 'emails', value: [{ display: 'A' }] }).emails).toStrictEqual([{ value: 'a@x.com' }, { display: 'A' }]);
  });

  it('every stored element of the displaced type goes, the first one replaced in place', () => {
    const user = emails([{ value: 'a@x.com', type: 'work' }, { value: 'b@x.com', type: 'other' }, { value: 'c@x.com', type: 'work' }]);
    expect(apply(user, { op: 'add', path: 'emails', value: [{ value: 'd@x.com', type: 'work' }] }).emails).toStrictEqual([
      { value: 'd@x.com', type: 'work' },
      { value: 'b@x.com', type: 'other' },
    ]);
  });

  it('two incoming elements of one type both stay (the validator reports them)', () => {
    const user = emails([{ value: 'a@x.com', type: 'work' }]);
    expect(
      apply(user, { op: 'add', path: 'emails', value: [{ value: 'b@x.com', type: 'work' }, { value: 'c@x.com', type: 'work' }] }).emails,
    ).toStrictEqual([
      { value: 'b@x.com', type: 'work' },
      { value: 'c@x.com', type: 'work' },
    ]);
  });

  it('a non-object stored element is never displaced', () => {
    const user = { ...entraUser(), roles: ['legacy', { value: 'A' }] };
    expect(apply(user, { op: 'add', path: 'roles', value: [{ value: 'a' }] }).roles).toStrictEqual(['legacy', { value: 'a' }]);
  });

  it('a new primary leaves other non-primary elements as they are', () => {
    const user = emails([{ value: 'a@x.com', type: 'work', primary: true }, { value: 'b@x.com', type: 'other' }]);
    expect(apply(user, { op: 'add', path: 'emails', value: [{ value: 'c@x.com', type: 'other', primary: true }] }).emails).toStrictEqual([
      { value: 'a@x.com', type: 'work', primary: false },
      { value: 'c@x.com', type: 'other', primary: true },
    ]);
  });

  it('a value path that sets primary false un-primaries nothing else', () => {
    const user = emails([{ value: 'a@x.com', type: 'work', primary: true }, { value: 'b@x.com', type: 'other', primary: true }]);
    expect(apply(user, { op: 'replace', path: 'emails[type eq "other"].primary', value: 'False' }).emails).toStrictEqual([
      { value: 'a@x.com', type: 'work', primary: true },
      { value: 'b@x.com', type: 'other', primary: false },
    ]);
  });
});

describe('remove by value (Entra default dialect)', () => {
  const roles = () => ({ ...entraUser(), roles: [{ value: 'A', display: 'a' }, { value: 'B', display: 'b' }] });

  it('every non-null field of the item must match', () => {
    expect(apply(roles(), { op: 'remove', path: 'roles', value: [{ value: 'A', display: 'x' }] }).roles).toStrictEqual(roles().roles);
    expect(apply(roles(), { op: 'remove', path: 'roles', value: [{ value: 'A', display: 'A' }] }).roles).toStrictEqual([{ value: 'B', display: 'b' }]);
  });

  it('null fields of the item are not compared', () => {
    expect(apply(roles(), { op: 'remove', path: 'roles', value: [{ value: 'B', display: null }] }).roles).toStrictEqual([{ value: 'A', display: 'a' }]);
  });

  it('an item of only nulls removes nothing', () => {
    expect(apply(roles(), { op: 'remove', path: 'roles', value: [{ value: null }] }).roles).toStrictEqual(roles().roles);
  });

  it('booleans compare after "True"/"False" coercion', () => {
    const user = { ...entraUser(), phoneNumbers: [{ value: '+1', type: 'work', primary: true }, { value: '+2', type: 'mobile' }] };
    expect(apply(user, { op: 'remove', path: 'phoneNumbers', value: [{ primary: 'True' }] }).phoneNumbers).toStrictEqual([{ value: '+2', type: 'mobile' }]);
  });

  it('removing the value of an element that keeps other data keeps the element', () => {
    const user = { ...entraUser(), roles: [{ value: 'A', display: 'a', primary: true }] };
    expect(apply(user, { op: 'remove', path: 'roles[value eq "A"].value' }).roles).toStrictEqual([{ display: 'a', primary: true }]);
  });

  it('removing a sub-attribute without a filter removes it from every element', () => {
    const user = { ...entraUser(), roles: [{ value: 'A', display: 'a' }, { value: 'B', display: 'b' }] };
    expect(apply(user, { op: 'remove', path: 'roles.display' }).roles).toStrictEqual([{ value: 'A' }, { value: 'B' }]);
  });
});

describe('read-only attributes: an echo is tolerated, a change is refused', () => {
  it('meta given as a subset of its current values, keys in another case, is an echo', () => {
    const result = apply(entraUser(), { op: 'replace', path: 'meta', value: { ResourceType: 'User', version: 'W/"1"' } });
    expect(result).toStrictEqual(entraUser());
  });

  it('meta.resourceType echoed is tolerated; meta.version changed is refused with the path in the detail', () => {
    expect(apply(entraUser(), { op: 'replace', path: 'meta.resourceType', value: 'User' })).toStrictEqual(entraUser());
    const e = scimError(() => apply(entraUser(), { op: 'replace', path: 'meta.version', value: 'W/"2"' }));
    expect([e.status, e.scimType, e.detail]).toEqual([400, 'mutability', 'Operations[0] (replace "meta.version"): "meta.version" is read-only and cannot be changed']);
  });

  it('removing a read-only attribute that is absent is a no-op', () => {
    const user = without('meta');
    expect(apply(user, { op: 'remove', path: 'meta' })).toStrictEqual(user);
    expect(apply(user, { op: 'remove', path: 'meta.version' })).toStrictEqual(user);
  });

  it('removing meta.version names the rule', () => {
    const e = scimError(() => apply(entraUser(), { op: 'remove', path: 'meta.version' }));
    expect([e.scimType, e.detail]).toEqual(['mutability', 'Operations[0] (remove "meta.version"): "meta.version" is read-only and cannot be removed']);
  });
});

describe('values', () => {
  it('"True"/"False" with surrounding spaces become booleans', () => {
    expect(apply(entraUser(), { op: 'replace', path: 'active', value: ' False ' }).active).toBe(false);
    expect(apply(entraUser(), { op: 'replace', path: 'emails[type eq "other"].primary', value: ' true' }).emails).toStrictEqual([
      { value: 'Test_User_22370c1a@testuser.com', type: 'work', primary: false },
      { value: 'alias@testuser.com', type: 'other', primary: true },
    ]);
  });

  it('an unknown sub-attribute of a complex value is kept as sent, without coercion', () => {
    expect(apply(entraUser(), { op: 'replace', path: 'name.honorificPrefix', value: 'True' }).name).toMatchObject({ honorificPrefix: 'True' });
  });

  it(`a value nested ${MAX_VALUE_DEPTH} levels deep is accepted, one level more is a 400`, () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'x' : { a: nest(levels - 1) });
    expect(apply(entraUser(), { op: 'add', path: 'title', value: nest(MAX_VALUE_DEPTH) })).toHaveProperty('title');
    const e = scimError(() => apply(entraUser(), { op: 'add', path: 'title', value: nest(MAX_VALUE_DEPTH + 1) }));
    expect([e.status, e.scimType, e.detail]).toEqual([400, 'invalidValue', `Operations[0] (add "title"): The value is nested more than ${MAX_VALUE_DEPTH} levels deep`]);
  });

  it('arrays count as a level too', () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'x' : [nest(levels - 1)]);
    expect(scimError(() => apply(entraUser(), { op: 'add', path: 'title', value: nest(MAX_VALUE_DEPTH + 1) })).scimType).toBe('invalidValue');
  });
});

describe('the detail of a 400 names the operation and the rule', () => {
  it.each([
    [{ op: 'remove' }, 'noTarget', 'Operations[0] (remove): "remove" needs a "path"'],
    [{ op: 'add', path: 'displayName' }, 'invalidValue', 'Operations[0] (add "displayName"): "add" needs a "value"'],
    [{ op: 'replace', value: 'x' }, 'invalidValue', 'Operations[0] (replace): "replace" without a "path" needs an object "value"'],
    [{ op: 'replace', path: EXTENSION_SCHEMA, value: 'x' }, 'invalidValue', `Operations[0] (replace "${EXTENSION_SCHEMA}"): The value for "${EXTENSION_SCHEMA}" must be an object of its attributes`],
    [{ op: 'replace', path: 'name', value: 'x' }, 'invalidValue', 'Operations[0] (replace "name"): The value for "name" must be an object'],
    [{ op: 'add', path: 'emails[type eq "work"]', value: 'x' }, 'invalidValue', 'Operations[0] (add "emails[type eq "work"]"): The value for "emails[type eq "work"]" must be an object'],
    [{ op: 'add', path: 'emails', value: ['x'] }, 'invalidValue', 'Operations[0] (add "emails"): Every value of "emails" must be an object'],
    [
      { op: 'add', path: 'emails[value co "x"].value', value: 'a@b.c' },
      'noTarget',
      'Operations[0] (add "emails[value co "x"].value"): No value of "emails" matches "emails[value co "x"].value", and its filter has no "eq" to create one from',
    ],
    [{ op: 'remove', path: USER_SCHEMA }, 'invalidPath', `Operations[0] (remove "${USER_SCHEMA}"): "${USER_SCHEMA}": the core schema cannot be removed`],
    [{ op: 'replace', path: 'id', value: 'x' }, 'mutability', 'Operations[0] (replace "id"): "id" is read-only and cannot be changed'],
  ])('%j → %s', (op, scimType, detail) => {
    const e = scimError(() => apply(entraUser(), op));
    expect([e.status, e.scimType, e.detail]).toEqual([400, scimType, detail]);
  });

  it('a path that is only whitespace is read as no path', () => {
    expect(apply(entraUser(), { op: 'replace', path: '  ', value: { displayName: 'Ann' } }).displayName).toBe('Ann');
    const e = scimError(() => apply(entraUser(), { op: 'remove', path: ' ' }));
    expect([e.scimType, e.detail]).toEqual(['noTarget', 'Operations[0] (remove): "remove" needs a "path"']);
  });

  it('a null path is read as no path', () => {
    expect(apply(entraUser(), { op: 'replace', path: null, value: { displayName: 'Ann' } }).displayName).toBe('Ann');
  });

  it('a filter with an eq on a null value or on a sub-attribute path gives nothing to create from', () => {
    for (const path of ['emails[value eq null].type', 'emails[display.x eq "a"].value']) {
      expect(scimError(() => apply(entraUser(), { op: 'add', path, value: 'work' })).scimType).toBe('noTarget');
    }
  });

  it('the malformed-body details', () => {
    const detail = (body: unknown) => scimError(() => applyPatch(entraUser(), body)).detail;
    expect(detail([])).toBe('The PATCH body must be a JSON object with "schemas" and "Operations"');
    expect(detail({ schemas: ['x'], Operations: [] })).toBe('"schemas" must contain "urn:ietf:params:scim:api:messages:2.0:PatchOp"');
    expect(detail({ Operations: null })).toBe('"Operations" is missing');
    expect(detail({ Operations: {} })).toBe('"Operations" must be an array');
    expect(detail({ Operations: [] })).toBe('"Operations" is empty: nothing to apply');
    expect(detail(patchBody(1))).toBe('Operations[0] must be an object with "op"');
    expect(detail(patchBody({}))).toBe('Operations[0] has no "op" (expected add, replace or remove)');
    expect(detail(patchBody({ op: 'move' }))).toBe('Operations[0] has unknown op "move" (expected add, replace or remove)');
    expect(detail(patchBody({ op: 'add', path: 1 }))).toBe('Operations[0] has a "path" that is not a string');
    expect(detail(patchBody(...Array.from({ length: 1001 }, () => ({ op: 'remove', path: 'title' }))))).toBe('Too many operations: 1001 (at most 1000 per request)');
  });

  it('the PatchOp URN in "schemas" is matched case-insensitively, among other entries', () => {
    const op = { op: 'replace', path: 'displayName', value: 'Ann' };
    const body = { schemas: ['urn:x', 'URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP'], Operations: [op] };
    expect(applyPatch(entraUser(), body).displayName).toBe('Ann');
    expect(scimError(() => applyPatch(entraUser(), { schemas: [1], Operations: [op] })).scimType).toBe('invalidSyntax');
  });

  it('an exact-case key wins over another spelling', () => {
    const body = { operations: [{ op: 'replace', path: 'displayName', value: 'B' }], Operations: [{ op: 'replace', path: 'displayName', value: 'A' }] };
    expect(applyPatch(entraUser(), body).displayName).toBe('A');
  });
});

describe('paths: what each one addresses, and the detail of a bad one', () => {
  const bad = (path: string) => {
    const e = scimError(() => apply(entraUser(), { op: 'replace', path, value: 'x' }));
    expect([e.status, e.scimType]).toEqual([400, 'invalidPath']);
    return e.detail.replace(/^Operations\[0\] \(replace ".*?"\): /s, '');
  };

  it.each([
    ['emails]', 'Invalid path "emails]": "]" without "["'],
    ['emails[type eq "work"', 'Invalid path "emails[type eq "work"": "[" is never closed'],
    ['emails[type eq "work"][primary eq true]', 'Invalid path "emails[type eq "work"][primary eq true]": only ".subAttribute" may follow "]"'],
    ['emails[type eq "work"].1x', 'Invalid path "emails[type eq "work"].1x": only ".subAttribute" may follow "]"'],
    ['emails[type eq "work"]x.value', 'Invalid path "emails[type eq "work"]x.value": only ".subAttribute" may follow "]"'],
    ['emails[type eq [x]]', 'Invalid path "emails[type eq [x]]": value filters cannot be nested'],
    [`${USER_SCHEMA}[type eq "work"]`, `Invalid path "${USER_SCHEMA}[type eq "work"]": a value filter needs an attribute name before "["`],
    ['name.givenName.x', 'Invalid path "name.givenName.x": expected attr, attr.subAttr or attr[filter].subAttr'],
    ['emails.x[type eq "work"]', 'Invalid path "emails.x[type eq "work"]": expected attr, attr.subAttr or attr[filter].subAttr'],
    ['1name', 'Invalid path "1name": expected attr, attr.subAttr or attr[filter].subAttr'],
    ['name.', 'Invalid path "name.": expected attr, attr.subAttr or attr[filter].subAttr'],
    ['name[givenName eq "x"]', 'Invalid path "name[givenName eq "x"]": "name" is not multi-valued, so it cannot take a value filter'],
    ['active[value eq true]', 'Invalid path "active[value eq true]": "active" is not multi-valued, so it cannot take a value filter'],
    ['displayName.x', 'Invalid path "displayName.x": "displayName" has no sub-attributes'],
  ])('%s', (path, detail) => {
    expect(bad(path)).toBe(detail);
  });

  it('a bad filter inside a path is an invalid path that carries the filter error', () => {
    expect(bad('emails[type eq]')).toMatch(/^Invalid path "emails\[type eq\]": \S/);
  });

  it('brackets, dots and escaped quotes inside a quoted filter value do not end the filter', () => {
    const user = { ...entraUser(), emails: [{ value: 'a"]b.c[d@x.com', type: 'work' }] };
    expect(apply(user, { op: 'replace', path: 'emails[value eq "a\\"]b.c[d@x.com"].type', value: 'other' }).emails).toStrictEqual([
      { value: 'a"]b.c[d@x.com', type: 'other' },
    ]);
  });

  it('an empty key in a path-less value is an invalid path', () => {
    const e = scimError(() => apply(entraUser(), { op: 'replace', value: { '': 'x' } }));
    expect([e.scimType, e.detail]).toEqual(['invalidPath', 'Operations[0] (replace): Invalid path: the path is empty']);
  });

  it('surrounding whitespace in a path is ignored', () => {
    expect(apply(entraUser(), { op: 'replace', path: ' displayName ', value: 'Ann' }).displayName).toBe('Ann');
    expect(apply(entraUser(), { op: 'add', path: ' title ', value: 'CEO' }).title).toBe('CEO');
  });

  it('a foreign URN path lands whole at the top level', () => {
    expect(apply(entraUser(), { op: 'add', path: 'urn:example:custom:1.0:User:badge', value: '7' })['urn:example:custom:1.0:User:badge']).toBe('7');
  });

  it('an unknown attribute behind the core URN lands at its written name, filter and all', () => {
    const result = apply(entraUser(), { op: 'add', path: `${USER_SCHEMA}:ims[type eq "aim"].value`, value: 'ann' });
    expect(result['ims[type eq "aim"].value']).toBe('ann');
  });

  it('"schemas" with a filter or sub-attribute is not the schemas attribute', () => {
    expect(apply(entraUser(), { op: 'add', path: 'schemas.x', value: '1' })['schemas.x']).toBe('1');
  });

  it('an unknown sub-attribute after a value filter is set as written', () => {
    const result = apply(entraUser(), { op: 'replace', path: 'emails[type eq "work"].Display', value: 'Work' });
    expect((result.emails as Json[])[0]).toStrictEqual({ value: 'Test_User_22370c1a@testuser.com', type: 'work', primary: true, Display: 'Work' });
  });

  it('a known sub-attribute after a value filter gets its canonical name', () => {
    const result = apply(entraUser(), { op: 'replace', path: 'emails[type eq "work"].VALUE', value: 'n@x.com' });
    expect((result.emails as Json[])[0]).toStrictEqual({ value: 'n@x.com', type: 'work', primary: true });
  });
});

describe('values set earlier in the same request are matched by structure', () => {
  it.each([
    { what: 'an equal array', display: ['x', 'y'], removed: true },
    { what: 'an array of another length', display: ['x'], removed: false },
    { what: 'an array with another element', display: ['x', 'z'], removed: false },
    { what: 'an equal object, keys in another order', display: { b: 2, a: 1 }, removed: true },
    { what: 'an object with another key', display: { a: 1, c: 2 }, removed: false },
    { what: 'an object with more keys', display: { a: 1, b: 2, c: 3 }, removed: false },
    { what: 'an object with another value', display: { a: 1, b: 3 }, removed: false },
    { what: 'a string', display: 'x', removed: false },
  ])('remove by value with $what', ({ display, removed }) => {
    const stored = { a: 1, b: 2 };
    const user = { ...entraUser(), roles: [{ value: 'A' }] };
    const result = apply(
      user,
      { op: 'add', path: 'roles', value: [{ value: 'B', display: Array.isArray(display) ? ['x', 'y'] : stored }] },
      { op: 'remove', path: 'roles', value: [{ display }] },
    );
    expect(result.roles).toStrictEqual(removed ? [{ value: 'A' }] : [{ value: 'A' }, { value: 'B', display: Array.isArray(display) ? ['x', 'y'] : stored }]);
  });
});

describe('elements created from a value filter', () => {
  const bare = () => without('phoneNumbers');

  it('take the canonical name of a filter attribute written in another case', () => {
    expect(apply(bare(), { op: 'add', path: 'phoneNumbers[TYPE eq "mobile"].value', value: '+2' }).phoneNumbers).toStrictEqual([{ type: 'mobile', value: '+2' }]);
  });

  it('keep an attribute the schema does not define as written', () => {
    expect(apply(bare(), { op: 'add', path: 'phoneNumbers[Label eq "desk"].value', value: '+2' }).phoneNumbers).toStrictEqual([{ Label: 'desk', value: '+2' }]);
  });

  it('hold both sides of an "and"', () => {
    expect(apply(bare(), { op: 'add', path: 'phoneNumbers[type eq "work" and primary eq "true"].value', value: '+2' }).phoneNumbers).toStrictEqual([
      { type: 'work', primary: true, value: '+2' },
    ]);
  });
});

describe('case rules of read-only echoes', () => {
  it('meta.resourceType is case-exact: "user" is a change, refused', () => {
    const e = scimError(() => apply(entraUser(), { op: 'replace', path: 'meta.resourceType', value: 'user' }));
    expect(e.scimType).toBe('mutability');
  });

  it('id is case-exact too', () => {
    expect(scimError(() => apply(entraUser(), { op: 'replace', path: 'id', value: '5171A35D82074E068CE2' })).scimType).toBe('mutability');
  });
});

describe('the schemas attribute, in any case, and things that only look like it', () => {
  it('"Schemas" is ignored like "schemas"', () => {
    expect(apply(entraUser(), { op: 'replace', path: 'Schemas', value: ['urn:x'] })).toStrictEqual(entraUser());
  });

  it('"schemas[…]" is not the schemas attribute: applied at its key for the validator to ignore', () => {
    expect(apply(entraUser(), { op: 'add', path: 'schemas[value eq "x"]', value: { value: 'x' } })['schemas[value eq "x"]']).toStrictEqual({ value: 'x' });
  });
});

describe('more survivors of the first mutation run, each a wrong answer Entra would get', () => {
  it('removing the value of a work email drops the element: type and primary are only labels', () => {
    const user = { ...entraUser(), emails: [{ value: 'a@x.com', type: 'work', primary: true }, { value: 'b@x.com', type: 'other' }] };
    expect(apply(user, { op: 'remove', path: 'emails[type eq "work"].value' }).emails).toStrictEqual([{ value: 'b@x.com', type: 'other' }]);
  });

  it('an unknown attribute inside the bare extension URN value lands in the extension', () => {
    expect(apply(entraUser(), { op: 'add', path: EXTENSION_SCHEMA, value: { pin: '1' } })[EXTENSION_SCHEMA]).toStrictEqual({ extension: '1234', pin: '1' });
  });

  it('an element created primary from a filter un-primaries the others', () => {
    const user = { ...entraUser(), emails: [{ value: 'a@x.com', type: 'work', primary: true }] };
    expect(apply(user, { op: 'add', path: 'emails[type eq "other" and primary eq "true"].value', value: 'b@x.com' }).emails).toStrictEqual([
      { value: 'a@x.com', type: 'work', primary: false },
      { type: 'other', primary: true, value: 'b@x.com' },
    ]);
  });

  it('an incoming list with one primary element un-primaries the stored primary', () => {
    const user = { ...entraUser(), phoneNumbers: [{ value: '+1', type: 'work', primary: true }] };
    expect(
      apply(user, { op: 'add', path: 'phoneNumbers', value: [{ value: '+2', type: 'mobile', primary: true }, { value: '+3', type: 'other' }] }).phoneNumbers,
    ).toStrictEqual([
      { value: '+1', type: 'work', primary: false },
      { value: '+2', type: 'mobile', primary: true },
      { value: '+3', type: 'other' },
    ]);
  });

  it('a typed element added after an untyped one in the same request does not trip over the missing type', () => {
    const result = apply(entraUser(), { op: 'add', path: 'emails', value: [{ value: 'u@x.com' }] }, { op: 'add', path: 'emails', value: [{ value: 'o@x.com', type: 'other' }] });
    expect(result.emails).toStrictEqual([
      { value: 'Test_User_22370c1a@testuser.com', type: 'work', primary: true },
      { value: 'o@x.com', type: 'other' },
      { value: 'u@x.com' },
    ]);
  });

  it('two roles without a value are two slots', () => {
    const user = { ...entraUser(), roles: [{ display: 'A' }] };
    expect(apply(user, { op: 'add', path: 'roles', value: [{ display: 'B' }] }).roles).toStrictEqual([{ display: 'A' }, { display: 'B' }]);
  });

  it('a null element of a list is a 400, not a crash', () => {
    const e = scimError(() => apply(entraUser(), { op: 'add', path: 'emails', value: [null] }));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
  });

  it('only boolean sub-attributes are coerced; unknown ones are kept as sent', () => {
    const result = apply(entraUser(), { op: 'add', path: 'phoneNumbers', value: [{ value: 'True', type: 'mobile', Label: 'False', primary: 'False' }] });
    expect((result.phoneNumbers as Json[])[1]).toStrictEqual({ value: 'True', type: 'mobile', Label: 'False', primary: false });
  });

  it('removing by a number value compares without crashing and removes nothing', () => {
    expect(apply(entraUser(), { op: 'remove', path: 'roles', value: [{ value: 5 }] }).roles).toStrictEqual(entraUser().roles);
  });

  it('an unsupported value is copied: changing the request afterwards changes nothing, and own "__proto__" keys are dropped', () => {
    const value = JSON.parse('{"a":{"b":1},"__proto__":{"x":1}}') as Json;
    const result = apply(entraUser(), { op: 'add', path: 'x509Certificates', value });
    (value.a as Json).b = 2;
    expect(result.x509Certificates).toStrictEqual({ a: { b: 1 } });
    expect(Object.hasOwn(result.x509Certificates as Json, '__proto__')).toBe(false);
  });

  it.each<[string, unknown]>([
    ['meta as an empty string', ''],
    ['meta with a case-exact value in another case', { resourceType: 'user' }],
    ['meta with one echoed and one changed value', { resourceType: 'User', version: 'W/"9"' }],
    ['meta with a sub-attribute it does not have', { region: 'eu' }],
  ])('%s is a change of a read-only attribute → 400 mutability', (_what, value) => {
    expect(scimError(() => apply(entraUser(), { op: 'replace', path: 'meta', value })).scimType).toBe('mutability');
  });

  it('id set to an empty string is a change → 400 mutability', () => {
    expect(scimError(() => apply(entraUser(), { op: 'replace', path: 'id', value: '' })).scimType).toBe('mutability');
  });

  it('meta.version echoed with its current value is tolerated', () => {
    expect(apply(entraUser(), { op: 'replace', path: 'meta.version', value: 'W/"1"' })).toStrictEqual(entraUser());
  });

  it('a primary set through a filter can be taken away by a later primary in the same request', () => {
    const result = apply(
      { ...entraUser(), emails: [] },
      { op: 'add', path: 'emails[type eq "other" and primary eq "true"].value', value: 'o@x.com' },
      { op: 'add', path: 'emails', value: [{ type: 'work', value: 'w@x.com', primary: true }] },
    );
    expect(result.emails).toStrictEqual([
      { type: 'other', primary: false, value: 'o@x.com' },
      { type: 'work', value: 'w@x.com', primary: true },
    ]);
  });

  it('a sub-attribute set by one operation can be removed by the next', () => {
    const result = apply(without('name'), { op: 'add', path: 'name.givenName', value: 'A' }, { op: 'add', path: 'name.familyName', value: 'B' }, { op: 'remove', path: 'name.givenName' });
    expect(result.name).toStrictEqual({ familyName: 'B' });
  });

  it('a body key "undefined" is not "Operations"', () => {
    const e = scimError(() => applyPatch(entraUser(), { undefined: [{ op: 'replace', path: 'displayName', value: 'x' }] }));
    expect([e.scimType, e.detail]).toEqual(['invalidSyntax', '"Operations" is missing']);
  });

  it('a sub-attribute name must be an attribute name too', () => {
    expect(scimError(() => apply(entraUser(), { op: 'replace', path: 'name.1x', value: 'x' })).scimType).toBe('invalidPath');
  });

  it('"schemas" inside the extension is an unknown extension attribute, not the resource\'s schemas', () => {
    expect(apply(entraUser(), { op: 'add', path: `${EXTENSION_SCHEMA}:schemas`, value: 'x' })[EXTENSION_SCHEMA]).toStrictEqual({ extension: '1234', schemas: 'x' });
  });

  it('a path that starts with "[" names no attribute', () => {
    const e = scimError(() => apply(entraUser(), { op: 'replace', path: '[type eq "work"]', value: 'x' }));
    expect(e.detail).toBe('Operations[0] (replace "[type eq "work"]"): Invalid path "[type eq "work"]": a value filter needs an attribute name before "["');
  });

  it('a second "]" after the filter is refused as trailing text', () => {
    expect(scimError(() => apply(entraUser(), { op: 'replace', path: 'emails[type eq "work"]]', value: 'x' })).detail).toBe(
      'Operations[0] (replace "emails[type eq "work"]]"): Invalid path "emails[type eq "work"]]": only ".subAttribute" may follow "]"',
    );
  });
});
