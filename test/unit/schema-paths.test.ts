/**
 * How attribute paths resolve against the schema (RFC 7644 §3.10: an optional schema URN prefix, then
 * "attr[.sub]", all case-insensitive): the same resolution filters, PATCH paths, `attributes=` and canonical
 * names use, so a wrong answer here is a wrong filter result, a PATCH on the wrong attribute or a 400 for a valid path.
 */
import { ENTERPRISE_SCHEMA, EXTENSION_SCHEMA, USER_SCHEMA, findAttribute, resolveAttributePath, splitSchemaPrefix } from '../../lambdas/scim/schema';

describe('splitSchemaPrefix', () => {
  it.each([
    [`${USER_SCHEMA}:name.givenName`, USER_SCHEMA, 'name.givenName'],
    [`${USER_SCHEMA.toUpperCase()}:userName`, USER_SCHEMA, 'userName'],
    [`${EXTENSION_SCHEMA}:extension`, EXTENSION_SCHEMA, 'extension'],
    [`${ENTERPRISE_SCHEMA}:manager.value`, ENTERPRISE_SCHEMA, 'manager.value'],
    // The canonical spelling of a known schema, whatever the case of the request.
    [`${ENTERPRISE_SCHEMA.toUpperCase()}:employeeNumber`, ENTERPRISE_SCHEMA, 'employeeNumber'],
    // A bare schema URN is the schema with an empty path, not a path "User" in a schema "…:2.0".
    [ENTERPRISE_SCHEMA, ENTERPRISE_SCHEMA, ''],
    [USER_SCHEMA.toLowerCase(), USER_SCHEMA, ''],
    // A known URN followed by more than ':' is another (unknown) schema: everything before the last ':'.
    [`${USER_SCHEMA}X:userName`, `${USER_SCHEMA}X`, 'userName'],
    [`${USER_SCHEMA}s:name.givenName`, `${USER_SCHEMA}s`, 'name.givenName'],
    // Unprefixed: the core schema, except for what only our extension defines (`extension`, any case, with a sub-path).
    ['userName', USER_SCHEMA, 'userName'],
    ['EXTENSION', EXTENSION_SCHEMA, 'EXTENSION'],
    ['extension.sub', EXTENSION_SCHEMA, 'extension.sub'],
    ['name.givenName', USER_SCHEMA, 'name.givenName'],
    ['unknown.extension', USER_SCHEMA, 'unknown.extension'],
  ])('%s → schema %s, path "%s"', (path, schema, rest) => {
    expect(splitSchemaPrefix(path)).toEqual({ schema, rest });
  });

  it('does not take an unknown URN for a known one because a ":" sits where the known URN would end', () => {
    // Same length as our extension's URN up to a ':' at that position, but another schema.
    const unknown = `urn:${'a'.repeat(EXTENSION_SCHEMA.length - 4)}`;
    expect(unknown.length).toBe(EXTENSION_SCHEMA.length);
    expect(splitSchemaPrefix(`${unknown}:extension`)).toEqual({ schema: unknown, rest: 'extension' });
  });
});

describe('findAttribute', () => {
  it('finds core and extension attributes by name and schema URN in any case', () => {
    expect(findAttribute(USER_SCHEMA, 'USERNAME')?.name).toBe('userName');
    expect(findAttribute(USER_SCHEMA.toUpperCase(), 'userName')?.name).toBe('userName');
    expect(findAttribute(EXTENSION_SCHEMA.toUpperCase(), 'Extension')?.name).toBe('extension');
    expect(findAttribute(EXTENSION_SCHEMA, 'extension')?.name).toBe('extension');
  });

  it('keeps each schema to its own attributes, and knows no other schema', () => {
    expect(findAttribute(USER_SCHEMA, 'extension')).toBeUndefined();
    expect(findAttribute(EXTENSION_SCHEMA, 'userName')).toBeUndefined();
    expect(findAttribute(ENTERPRISE_SCHEMA, 'userName')).toBeUndefined();
    expect(findAttribute(ENTERPRISE_SCHEMA, 'extension')).toBeUndefined();
    expect(findAttribute('urn:example:other', 'extension')).toBeUndefined();
  });
});

describe('resolveAttributePath', () => {
  it('resolves an attribute and a sub-attribute to their canonical names', () => {
    expect(resolveAttributePath('NAME.GIVENNAME')).toMatchObject({ schema: USER_SCHEMA, attrName: 'name', subName: 'givenName' });
    expect(resolveAttributePath(`${USER_SCHEMA}:emails.VALUE`)).toMatchObject({ attrName: 'emails', subName: 'value' });
    expect(resolveAttributePath('extension')).toMatchObject({ schema: EXTENSION_SCHEMA, attrName: 'extension' });
  });

  it.each([
    ['', 'an empty path'],
    [`${USER_SCHEMA}:`, 'a schema with an empty path'],
    ['name.givenName.x', 'a third level'],
    ['name.', 'an empty sub-attribute'],
    ['name.nickName', 'an unknown sub-attribute'],
    ['nickname', 'an unknown attribute'],
    [`${ENTERPRISE_SCHEMA}:employeeNumber`, 'an attribute of a schema we do not support'],
  ])('finds nothing for %j (%s)', (path) => {
    expect(resolveAttributePath(path)).toBeUndefined();
  });
});
