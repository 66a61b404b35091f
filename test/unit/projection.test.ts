import { project } from '../../lambdas/scim/projection';
import { EXTENSION_SCHEMA, USER_SCHEMA } from '../../lambdas/scim/schema';

const CORE_URN = USER_SCHEMA;
const EXT = EXTENSION_SCHEMA;

const user = {
  schemas: [USER_SCHEMA, EXTENSION_SCHEMA],
  id: 'u-1',
  externalId: 'ext-1',
  userName: 'bjensen@contoso.com',
  displayName: 'Babs Jensen',
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
  active: true,
  emails: [
    { value: 'bjensen@contoso.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'other' },
  ],
  phoneNumbers: [{ value: '+14155550100', type: 'mobile' }],
  [EXT]: { extension: '100' },
  meta: { resourceType: 'User', created: '2011-08-01T18:29:49.793Z', lastModified: '2011-08-01T21:32:44.882Z', version: 'W/"1"' },
};
type User = typeof user;
const always = { schemas: user.schemas, id: user.id };
/** The user minus some top-level keys. */
const without = (...keys: (keyof User)[]) => Object.fromEntries(Object.entries(user).filter(([k]) => !keys.includes(k as keyof User)));

describe('project: attributes (RFC 7644 §3.4.2.5)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['userName', { ...always, userName: user.userName }],
    ['USERNAME, DisplayName', { ...always, userName: user.userName, displayName: user.displayName }],
    [`${CORE_URN}:userName`, { ...always, userName: user.userName }],
    ['emails', { ...always, emails: user.emails }],
    ['emails.value', { ...always, emails: [{ value: 'bjensen@contoso.com' }, { value: 'babs@jensen.org' }] }],
    ['emails.value,emails.TYPE', { ...always, emails: [{ value: 'bjensen@contoso.com', type: 'work' }, { value: 'babs@jensen.org', type: 'other' }] }],
    ['emails.primary', { ...always, emails: [{ primary: true }] }],
    ['emails.value,emails', { ...always, emails: user.emails }],
    ['name.givenName', { ...always, name: { givenName: 'Barbara' } }],
    // The whole attribute wins over one of its sub-attributes, in either order.
    ['name,name.givenName', { ...always, name: user.name }],
    ['name.givenName,name', { ...always, name: user.name }],
    [`${CORE_URN}:name.familyName`, { ...always, name: { familyName: 'Jensen' } }],
    ['extension', { ...always, [EXT]: { extension: '100' } }],
    [`${EXT}:extension`, { ...always, [EXT]: { extension: '100' } }],
    [EXT.toUpperCase(), { ...always, [EXT]: { extension: '100' } }],
    ['meta', { ...always, meta: user.meta }],
    ['meta.lastModified', { ...always, meta: { lastModified: user.meta.lastModified } }],
    ['id', always],
    ['schemas', always],
    ['nickName, name.middleName, foo.bar.baz, urn:example:x:1.0:Thing:y', always],
    ['addresses, emails.display', always],
    ['active,externalId,phoneNumbers.value', { ...always, externalId: 'ext-1', active: true, phoneNumbers: [{ value: '+14155550100' }] }],
  ])('attributes=%s', (attributes, expected) => {
    expect(project(user, { attributes })).toEqual(expected);
  });
});

describe('project: excludedAttributes (RFC 7644 §3.4.2.5)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['emails', without('emails')],
    ['EMAILS, Name', without('emails', 'name')],
    [`${CORE_URN}:displayName`, without('displayName')],
    ['id,schemas', user],
    ['nickName,foo', user],
    ['meta', without('meta')],
    ['extension', without(EXT as keyof User)],
    [`${EXT}:extension`, without(EXT as keyof User)],
    [EXT, without(EXT as keyof User)],
    ['name.formatted', { ...user, name: { familyName: 'Jensen', givenName: 'Barbara' } }],
    ['name.formatted,name.familyName,name.givenName', without('name')],
    ['emails.type,emails.primary', { ...user, emails: [{ value: 'bjensen@contoso.com' }, { value: 'babs@jensen.org' }] }],
    ['meta.version', { ...user, meta: { resourceType: 'User', created: user.meta.created, lastModified: user.meta.lastModified } }],
  ])('excludedAttributes=%s', (excludedAttributes, expected) => {
    expect(project(user, { excludedAttributes })).toEqual(expected);
  });
});

describe('project: general rules', () => {
  it.each<[string, { attributes?: string; excludedAttributes?: string }]>([
    ['no parameters', {}],
    ['empty attributes', { attributes: '' }],
    ['whitespace attributes', { attributes: '  ' }],
    ['only commas', { attributes: ' , ,', excludedAttributes: ',' }],
  ])('%s means no projection (the resource itself: it was rendered for this response, and is not copied)', (_name, opts) => {
    expect(project(user, opts)).toBe(user);
  });

  it('applies attributes, then excludedAttributes', () => {
    expect(project(user, { attributes: 'userName,emails,name', excludedAttributes: 'emails,name.givenName' })).toEqual({
      ...always,
      userName: user.userName,
      name: { formatted: user.name.formatted, familyName: 'Jensen' },
    });
  });

  it('keeps only the named attribute of an extension object', () => {
    const withExtra = { ...user, [EXT]: { extension: '100', legacyCode: 'x' } };
    expect(project(withExtra, { attributes: 'extension' })[EXT]).toEqual({ extension: '100' });
    // The whole extension (its URN) wins over one of its attributes.
    expect(project(withExtra, { attributes: `extension,${EXT}` })[EXT]).toEqual({ extension: '100', legacyCode: 'x' });
    expect(project(withExtra, { excludedAttributes: 'extension' })[EXT]).toEqual({ legacyCode: 'x' });
  });

  it('leaves out what a projection empties: no `{}` extension, no `[]` emails', () => {
    expect(Object.keys(project({ ...user, [EXT]: { legacyCode: 'x' } }, { attributes: 'userName,extension' }))).toEqual(['schemas', 'id', 'userName']);
    expect(Object.keys(project(user, { excludedAttributes: 'emails.value,emails.type,emails.primary' }))).not.toContain('emails');
    expect(Object.keys(project(user, { excludedAttributes: 'name.formatted,name.familyName,name.givenName' }))).not.toContain('name');
  });

  it('keeps the resource key order', () => {
    expect(Object.keys(project(user, { attributes: 'meta,userName,emails.value' }))).toEqual(['schemas', 'id', 'userName', 'emails', 'meta']);
  });

  it('never mutates its input (the result shares unchanged values with it instead of copying them)', () => {
    const before = structuredClone(user);
    project(user, { attributes: 'emails.value,name.givenName' });
    project(user, { excludedAttributes: 'emails.type,name.givenName,extension,meta' });
    project(user, { excludedAttributes: `${EXT}:extension,meta.version,phoneNumbers` });
    project(user, { excludedAttributes: EXT });
    project(user, { attributes: 'emails,name,meta', excludedAttributes: 'emails.primary,name.formatted,meta.created' });
    expect(user).toEqual(before);
  });

  it('a result never aliases a container it changed', () => {
    const out = project(user, { excludedAttributes: 'name.formatted,meta.version' });
    expect(out).not.toBe(user);
    expect(out.name).not.toBe(user.name);
    expect(out.meta).not.toBe(user.meta);
    expect(out.emails).toBe(user.emails); // untouched: shared, never copied
  });
});
