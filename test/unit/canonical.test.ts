import { canonicalizeUser, canonicalizeValue } from '../../lambdas/scim/canonical';
import { EXTENSION_SCHEMA, USER_SCHEMA, findAttribute } from '../../lambdas/scim/schema';

/**
 * Attribute names are case-insensitive (RFC 7643 §2.1) and may carry their schema URN: Entra and other clients send
 * `UserName`, `Emails[].Value`, `urn:…:core:2.0:User:userName`, `{"urn:…:User": {…}}`. canonicalizeUser rewrites
 * them to one spelling, never touches values, and never lets a `__proto__` key become a prototype.
 */
const EXT_URN = EXTENSION_SCHEMA;
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('canonicalizeUser: names', () => {
  it('rewrites top-level and sub-attribute names to their canonical case, keeping values verbatim', () => {
    expect(
      canonicalizeUser({
        UserName: 'Alice@Contoso.com',
        ACTIVE: 'True',
        Emails: [{ Value: 'A@Contoso.com', TYPE: 'work', Primary: true, Extra: 1 }],
        NAME: { GivenName: 'Alice', familyname: 'Smith' },
        DisplayName: 'Alice',
      }),
    ).toEqual({
      userName: 'Alice@Contoso.com',
      active: 'True',
      emails: [{ value: 'A@Contoso.com', type: 'work', primary: true, Extra: 1 }],
      name: { givenName: 'Alice', familyName: 'Smith' },
      displayName: 'Alice',
    });
  });

  it('keeps schemas as sent under "schemas", whatever its case', () => {
    expect(canonicalizeUser({ SCHEMAS: [USER_SCHEMA] })).toEqual({ schemas: [USER_SCHEMA] });
  });

  it('keeps unknown attributes verbatim (the validator reports them as ignored)', () => {
    expect(canonicalizeUser({ nickName: 'Al', Foo: { Bar: 1 } })).toEqual({ nickName: 'Al', Foo: { Bar: 1 } });
  });

  it('a non-object or a non-array complex value is kept as is', () => {
    expect(canonicalizeUser({ Name: 'Alice', Emails: ['a@b.c', null] })).toEqual({ name: 'Alice', emails: ['a@b.c', null] });
  });

  it('never mutates its input', () => {
    const input = { UserName: 'a', Emails: [{ Value: 'x' }], [USER_SCHEMA]: { DisplayName: 'A' } };
    const copy = structuredClone(input);
    canonicalizeUser(input);
    expect(input).toEqual(copy);
  });
});

describe('canonicalizeUser: schema URNs', () => {
  it('merges the core schema object into the top level, canonicalising inside it', () => {
    expect(canonicalizeUser({ [USER_SCHEMA]: { UserName: 'a', Name: { GivenName: 'A' } } })).toEqual({ userName: 'a', name: { givenName: 'A' } });
  });

  it('a core-URN-prefixed attribute, in any case, lands on its attribute', () => {
    expect(canonicalizeUser({ [`${USER_SCHEMA.toUpperCase()}:USERNAME`]: 'a', [`${USER_SCHEMA}:displayName`]: 'A' })).toEqual({
      userName: 'a',
      displayName: 'A',
    });
  });

  it('merges the extension object into the extension, a prefixed extension attribute and an unprefixed one too', () => {
    expect(canonicalizeUser({ [EXT_URN]: { Extension: '100' } })).toEqual({ [EXT_URN]: { extension: '100' } });
    expect(canonicalizeUser({ [`${EXT_URN}:EXTENSION`]: '101' })).toEqual({ [EXT_URN]: { extension: '101' } });
    expect(canonicalizeUser({ Extension: '102' })).toEqual({ [EXT_URN]: { extension: '102' } });
  });

  it('the extension object, its prefixed attribute and an unprefixed one merge into one object (the last wins)', () => {
    expect(canonicalizeUser({ [EXT_URN]: { other: 'x' }, [`${EXT_URN}:extension`]: '100', userName: 'a' })).toEqual({
      [EXT_URN]: { other: 'x', extension: '100' },
      userName: 'a',
    });
  });

  it('a schema URN whose value is not an object is kept verbatim (the validator refuses it)', () => {
    expect(canonicalizeUser({ [USER_SCHEMA]: 'x' })).toEqual({ [USER_SCHEMA]: 'x' });
    expect(canonicalizeUser({ [EXT_URN]: ['x'] })).toEqual({ [EXT_URN]: ['x'] });
  });

  it('another schema (the enterprise extension) is kept verbatim, not merged anywhere', () => {
    const value = { Department: 'Sales', manager: { Value: 'm1' } };
    expect(canonicalizeUser({ [ENTERPRISE]: value, [`${ENTERPRISE}:employeeNumber`]: '7' })).toEqual({
      [ENTERPRISE]: value,
      [`${ENTERPRISE}:employeeNumber`]: '7',
    });
  });
});

describe('canonicalizeUser: "__proto__" keys never become a prototype', () => {
  const hasPlainPrototype = (o: unknown) => Object.getPrototypeOf(o) === Object.prototype;

  it.each<[string, string]>([
    ['at the top level', '{"__proto__": {"polluted": true}, "userName": "a"}'],
    ['inside the core schema object', `{"${USER_SCHEMA}": {"__proto__": {"polluted": true}, "userName": "a"}}`],
  ])('%s: dropped', (_where, json) => {
    const out = canonicalizeUser(JSON.parse(json) as Record<string, unknown>);
    expect(out).toEqual({ userName: 'a' });
    expect(hasPlainPrototype(out)).toBe(true);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(out, '__proto__')).toBe(false);
  });

  it('inside the extension object: dropped, the extension a plain object', () => {
    const out = canonicalizeUser(JSON.parse(`{"${EXT_URN}": {"__proto__": {"extension": "666"}, "extension": "100"}}`) as Record<string, unknown>);
    const ext = out[EXT_URN] as Record<string, unknown>;
    expect(ext).toEqual({ extension: '100' });
    expect(hasPlainPrototype(ext)).toBe(true);
  });

  it('inside a complex value and each element of a multi-valued one: dropped', () => {
    const out = canonicalizeUser(
      JSON.parse('{"name": {"__proto__": {"givenName": "x"}, "familyName": "S"}, "emails": [{"__proto__": {"primary": true}, "value": "a@b.c"}]}') as Record<
        string,
        unknown
      >,
    );
    expect(out).toEqual({ name: { familyName: 'S' }, emails: [{ value: 'a@b.c' }] });
    const name = out.name as Record<string, unknown>;
    const email = (out.emails as Array<Record<string, unknown>>)[0]!;
    expect(hasPlainPrototype(name)).toBe(true);
    expect(name.givenName).toBeUndefined();
    expect(hasPlainPrototype(email)).toBe(true);
    expect(email.primary).toBeUndefined();
  });
});

describe('canonicalizeValue', () => {
  it('leaves a simple attribute value alone, canonicalises a complex one', () => {
    expect(canonicalizeValue(findAttribute(USER_SCHEMA, 'userName')!, { Value: 1 })).toEqual({ Value: 1 });
    expect(canonicalizeValue(findAttribute(USER_SCHEMA, 'name')!, { GIVENNAME: 'A' })).toEqual({ givenName: 'A' });
  });
});
