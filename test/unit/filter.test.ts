import { ScimError } from '../../lambdas/scim/errors';
import {
  type AttrPath,
  type FilterNode,
  type FilterValue,
  findIndexableEquality,
  matches,
  matchesElement,
  parseFilter,
} from '../../lambdas/scim/filter';
import { Lexer } from '../../lambdas/scim/filter/tokenizer';
import { EXTENSION_SCHEMA, findAttribute, USER_SCHEMA } from '../../lambdas/scim/schema';

// ---- AST builders -------------------------------------------------------------------------------------------
/** `path('name.familyName')` → { attr: 'name', sub: 'familyName' }. */
const path = (dotted: string, schema?: string): AttrPath => {
  const [attr = '', sub] = dotted.split('.');
  return { ...(schema ? { schema } : {}), attr, ...(sub !== undefined ? { sub } : {}) };
};
const cmp = (p: string | AttrPath, op: string, value: FilterValue, raw?: string): FilterNode =>
  ({ kind: 'compare', path: typeof p === 'string' ? path(p) : p, op, value, ...(raw !== undefined ? { raw } : {}) }) as FilterNode;
const pr = (p: string | AttrPath): FilterNode => ({ kind: 'present', path: typeof p === 'string' ? path(p) : p });
const and = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'and', left, right });
const or = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'or', left, right });
const not = (filter: FilterNode): FilterNode => ({ kind: 'not', filter });
const vp = (attr: string | AttrPath, filter: FilterNode): FilterNode => ({
  kind: 'valuePath',
  path: typeof attr === 'string' ? path(attr) : attr,
  filter,
});

const CORE_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** The error parseFilter throws for `text` (fails the test if it throws none, or not a ScimError). */
function refusal(text: string): ScimError {
  let caught: unknown;
  try {
    parseFilter(text);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ScimError);
  return caught as ScimError;
}

describe('tokenizer', () => {
  it('splits structure into words, strings and punctuation, treating "+" as a space', () => {
    const lex = new Lexer('emails[type+eq "a+b"] (x)');
    const kinds: string[] = [];
    for (let t = lex.next(); t.kind !== 'eof'; t = lex.next()) kinds.push(`${t.kind}:${t.value ?? t.text}`);
    expect(kinds).toEqual(['word:emails', 'lbracket:[', 'word:type', 'word:eq', 'string:a+b', 'rbracket:]', 'lparen:(', 'word:x', 'rparen:)']);
  });

  it.each([
    ['"abc"', { kind: 'string', value: 'abc' }],
    ['john.doe@contoso.com)', { kind: 'bare', text: 'john.doe@contoso.com' }],
    ['+14155550100', { kind: 'bare', text: '+14155550100' }],
    ['++14155550100', { kind: 'bare', text: '+14155550100' }],
    ['+"quoted"', { kind: 'string', value: 'quoted' }],
    ['abc+and', { kind: 'bare', text: 'abc' }],
    ['  0a21f0f2-8d2a]', { kind: 'bare', text: '0a21f0f2-8d2a' }],
  ])('readValue(%j) → %j', (src, expected) => {
    expect(new Lexer(src).readValue()).toMatchObject(expected);
  });

  it.each(['', '   ', ')', ']'])('readValue(%j) finds no value', (src) => {
    expect(new Lexer(src).readValue()).toBeUndefined();
  });

  it('refuses to read a value once a token was peeked (the peeked token would be lost)', () => {
    const lex = new Lexer('eq "a"');
    lex.peek();
    expect(() => lex.readValue()).toThrow('Lexer.readValue called after peek()');
  });
});

describe('parseFilter: RFC 7644 §3.4.2.2 grammar', () => {
  it.each<[string, FilterNode]>([
    // every operator
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    ['userName ne "bjensen"', cmp('userName', 'ne', 'bjensen')],
    ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
    ['userName sw "J"', cmp('userName', 'sw', 'J')],
    ['userName ew "son"', cmp('userName', 'ew', 'son')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
    ['title pr', pr('title')],
    // keywords are case-insensitive; attribute names keep their spelling (resolved later)
    ['USERNAME EQ "x" AND Title PR', and(cmp('USERNAME', 'eq', 'x'), pr('Title'))],
    ['userName Eq "x" Or NOT (active eQ true)', or(cmp('userName', 'eq', 'x'), not(cmp('active', 'eq', true)))],
    // literals
    ['active eq true', cmp('active', 'eq', true)],
    ['active eq false', cmp('active', 'eq', false)],
    ['displayName eq null', cmp('displayName', 'eq', null)],
    ['x eq -1.5e3', cmp('x', 'eq', -1500, '-1.5e3')],
    ['x eq 0', cmp('x', 'eq', 0, '0')],
    // JSON string escapes
    ['displayName eq "say \\"hi\\""', cmp('displayName', 'eq', 'say "hi"')],
    ['displayName eq "back\\\\slash"', cmp('displayName', 'eq', 'back\\slash')],
    ['displayName eq "Ren\\u00e9e"', cmp('displayName', 'eq', 'Renée')],
    ['displayName eq "a\\/b\\tc\\nd"', cmp('displayName', 'eq', 'a/b\tc\nd')],
    ['displayName eq "a+b (c) [d] and or"', cmp('displayName', 'eq', 'a+b (c) [d] and or')],
    ['displayName eq ""', cmp('displayName', 'eq', '')],
    // precedence: and binds tighter than or, both left-associative
    ['a pr or b pr and c pr', or(pr('a'), and(pr('b'), pr('c')))],
    ['a pr and b pr or c pr', or(and(pr('a'), pr('b')), pr('c'))],
    ['a pr and b pr and c pr', and(and(pr('a'), pr('b')), pr('c'))],
    ['a pr or b pr or c pr', or(or(pr('a'), pr('b')), pr('c'))],
    // grouping
    ['(a pr or b pr) and c pr', and(or(pr('a'), pr('b')), pr('c'))],
    ['((a pr))', pr('a')],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')))],
    // not
    ['not (a pr)', not(pr('a'))],
    ['not(a pr)', not(pr('a'))],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'ne', 'Employee'), not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))))],
    // value paths
    ['emails[type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
    ['emails[type eq "work" and value co "@example.com"]', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(cmp('userType', 'eq', 'Employee'), vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))))],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))), vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))))],
    ['emails[not (type eq "work") or (primary eq true)]', vp('emails', or(not(cmp('type', 'eq', 'work')), cmp('primary', 'eq', true)))],
    // schema URN prefixes
    [`${CORE_URN}:userName eq "a"`, cmp(path('userName', USER_SCHEMA), 'eq', 'a')],
    [`${CORE_URN}:name.familyName eq "a"`, cmp(path('name.familyName', USER_SCHEMA), 'eq', 'a')],
    [`${EXTENSION_SCHEMA}:extension eq "100"`, cmp(path('extension', EXTENSION_SCHEMA), 'eq', '100')],
    [`${CORE_URN}:emails[type eq "work"]`, vp(path('emails', USER_SCHEMA), cmp('type', 'eq', 'work'))],
    ['urn:example:other:1.0:Thing:size gt 3', cmp(path('size', 'urn:example:other:1.0:Thing'), 'gt', 3, '3')],
    // sub-attributes
    ['name.familyName eq "Jensen"', cmp('name.familyName', 'eq', 'Jensen')],
    ['members.$ref pr', pr('members.$ref')],
  ])('%s', (text, expected) => {
    // Strict: an AST with `schema: undefined` or `sub: undefined` keys is not the AST the grammar describes.
    expect(parseFilter(text)).toStrictEqual(expected);
  });
});

describe('parseFilter: Entra ID quirks', () => {
  it.each<[string, string, FilterNode]>([
    ['Test Connection probe', 'userName eq "2819c223-7f76-453a-919d-413861904646"', cmp('userName', 'eq', '2819c223-7f76-453a-919d-413861904646')],
    // attr[filter].sub op value → attr[filter and sub op value]
    ['valuePath with trailing .value', 'emails[type eq "work"].value eq "a@b.com"', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a@b.com')))],
    ['phone valuePath .value', 'phoneNumbers[type eq "mobile"].value eq "+14155550100"', vp('phoneNumbers', and(cmp('type', 'eq', 'mobile'), cmp('value', 'eq', '+14155550100')))],
    ['address valuePath .locality', 'addresses[type eq "work"].locality eq "x"', vp('addresses', and(cmp('type', 'eq', 'work'), cmp('locality', 'eq', 'x')))],
    ['valuePath .sub pr', 'emails[type eq "work"].value pr', vp('emails', and(cmp('type', 'eq', 'work'), pr('value')))],
    ['valuePath .sub and more', 'emails[type eq "work"].value eq "a" and active eq true',
      and(vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a'))), cmp('active', 'eq', true))],
    // unquoted values keep their exact text in raw
    ['unquoted email', 'userName eq john.doe@contoso.com', cmp('userName', 'eq', 'john.doe@contoso.com', 'john.doe@contoso.com')],
    ['unquoted GUID', 'externalId eq 0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', cmp('externalId', 'eq', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef')],
    ['unquoted number', 'id eq 123', cmp('id', 'eq', 123, '123')],
    ['unquoted leading zero stays a string', 'extension eq 0100', cmp('extension', 'eq', '0100', '0100')],
    ['unquoted value ends at ")"', '(userName eq bob) and active eq true', and(cmp('userName', 'eq', 'bob', 'bob'), cmp('active', 'eq', true))],
    ['unquoted value ends at "]"', 'emails[value eq a@b.com]', vp('emails', cmp('value', 'eq', 'a@b.com', 'a@b.com'))],
    ['unquoted mixed-case True is a string', 'roles[primary eq True]', vp('roles', cmp('primary', 'eq', 'True', 'True'))],
    // '+' as an undecoded space
    ['"+" between tokens', 'userName+eq+"abc"', cmp('userName', 'eq', 'abc')],
    ['"+" around and', 'userName+eq+"a"+and+active+eq+true', and(cmp('userName', 'eq', 'a'), cmp('active', 'eq', true))],
    ['"+" inside quotes is literal', 'userName eq "a+b@x.com"', cmp('userName', 'eq', 'a+b@x.com')],
    ['"+digit" starts an unquoted phone', 'phoneNumbers.value eq +14155550100', cmp('phoneNumbers.value', 'eq', '+14155550100', '+14155550100')],
    ['"++digit": space then phone', 'phoneNumbers.value+eq++14155550100', cmp('phoneNumbers.value', 'eq', '+14155550100', '+14155550100')],
    ['"+" ends an unquoted value', 'userName+eq+bob+and+title+pr', and(cmp('userName', 'eq', 'bob', 'bob'), pr('title'))],
    ['"+" in a valuePath', 'emails[type+eq+"work"].value+eq+"a@b.com"', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a@b.com')))],
  ])('%s: %s', (_name, text, expected) => {
    expect(parseFilter(text)).toStrictEqual(expected);
  });
});

describe('parseFilter: literals', () => {
  it.each<[string, FilterValue, string | undefined]>([
    // JSON numbers (RFC 8259 §6) become numbers and keep their text
    ['0', 0, '0'],
    ['-0', -0, '-0'],
    ['7', 7, '7'],
    ['42', 42, '42'],
    ['-12', -12, '-12'],
    ['2.50', 2.5, '2.50'],
    ['0.5', 0.5, '0.5'],
    ['1e2', 100, '1e2'],
    ['1E2', 100, '1E2'],
    ['1e-2', 0.01, '1e-2'],
    ['25e-1', 2.5, '25e-1'],
    ['-1.5E3', -1500, '-1.5E3'],
    // anything else unquoted is a string, exactly as written
    ['0100', '0100', '0100'],
    ['+1415', '+1415', '+1415'],
    ['--1', '--1', '--1'],
    ['a1', 'a1', 'a1'],
    ['1a', '1a', '1a'],
    ['x12', 'x12', 'x12'],
    ['12x', '12x', '12x'],
    ['1.', '1.', '1.'],
    ['.5', '.5', '.5'],
    ['1.x', '1.x', '1.x'],
    ['1e', '1e', '1e'],
    ['1e-', '1e-', '1e-'],
    ['1ex', '1ex', '1ex'],
    ['1e2x', '1e2x', '1e2x'],
    ['-', '-', '-'],
    ['-a', '-a', '-a'],
    ['True', 'True', 'True'],
    ['NULL', 'NULL', 'NULL'],
    ['truex', 'truex', 'truex'],
    // RFC literals
    ['true', true, undefined],
    ['false', false, undefined],
    ['null', null, undefined],
    ['"12"', '12', undefined],
    ['"true"', 'true', undefined],
  ])('x eq %s → %j (raw %j)', (text, value, raw) => {
    expect(parseFilter(`x eq ${text}`)).toStrictEqual(cmp('x', 'eq', value, raw));
  });

  it.each<[string, string]>([
    ['"\\b\\f\\n\\r\\t"', '\b\f\n\r\t'],
    ['"\\"\\\\\\/"', '"\\/'],
    ['"\\u00C9\\u00e9\\u0041\\u4e2D"', 'ÉéA中'],
    ['"a\\u0020b"', 'a b'],
    ['"(\\u005d)"', '(])'],
  ])('decodes the JSON escapes of %s', (quoted, decoded) => {
    expect(parseFilter(`displayName eq ${quoted}`)).toStrictEqual(cmp('displayName', 'eq', decoded));
  });
});

describe('parseFilter: nesting is counted per level, not per group', () => {
  const siblings = (n: number) => Array.from({ length: n }, (_, i) => `(title eq "${i}")`).join(' and ');

  it('accepts any number of groups side by side', () => {
    const parsed = parseFilter(siblings(40));
    expect(parsed).toMatchObject({ kind: 'and', right: cmp('title', 'eq', '39') });
  });

  it('accepts 40 "not" groups and value filters side by side', () => {
    const nots = Array.from({ length: 40 }, (_, i) => `not (title eq "${i}")`).join(' or ');
    const vps = Array.from({ length: 40 }, (_, i) => `emails[type eq "${i}"]`).join(' or ');
    expect(parseFilter(nots)).toMatchObject({ kind: 'or', right: not(cmp('title', 'eq', '39')) });
    expect(parseFilter(vps)).toMatchObject({ kind: 'or', right: vp('emails', cmp('type', 'eq', '39')) });
  });

  it('counts "not", parentheses and value-filter brackets alike: 32 levels pass, 33 do not', () => {
    const notDeep = (n: number) => 'not ('.repeat(n) + 'title pr' + ')'.repeat(n);
    let expected: FilterNode = pr('title');
    for (let i = 0; i < 32; i++) expected = not(expected);
    expect(parseFilter(notDeep(32))).toStrictEqual(expected);

    const inGroups = (n: number) => '('.repeat(n) + 'emails[type eq "work"]' + ')'.repeat(n);
    expect(parseFilter(inGroups(31))).toStrictEqual(vp('emails', cmp('type', 'eq', 'work')));
    expect(() => parseFilter(inGroups(32))).toThrow('Invalid filter: nesting deeper than 32 levels at position 38');
    expect(() => parseFilter(notDeep(33))).toThrow('Invalid filter: nesting deeper than 32 levels at position 160');
  });
});

describe('parseFilter: the exact detail of each refusal (Entra shows it to the admin)', () => {
  it.each<[string, string]>([
    ['', 'Invalid filter: the filter is empty'],
    [' \t\n', 'Invalid filter: the filter is empty'],
    ['userName eq "a")', 'Invalid filter: unmatched ")" at position 15'],
    ['userName eq "a" xor', 'Invalid filter: expected "and", "or" or end of filter at position 16, found "xor"'],
    ['userName eq "a" "b"', 'Invalid filter: expected "and", "or" or end of filter at position 16, found "\\"b\\""'],
    ['(userName eq "a"', 'Invalid filter: expected ")" at position 16, found end of filter'],
    ['(userName eq "a"]', 'Invalid filter: expected ")" at position 16, found "]"'],
    ['not [', 'Invalid filter: expected "(" after "not" at position 4, found "["'],
    ['NOT', 'Invalid filter: expected "(" after "not" at position 3, found end of filter'],
    [']', 'Invalid filter: expected an attribute name, "not" or "(" at position 0, found "]"'],
    ['userName', 'Invalid filter: expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "userName" at position 8, found end of filter'],
    ['userName ("a")', 'Invalid filter: expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "userName" at position 9, found "("'],
    ['userName eq', 'Invalid filter: expected a value after "eq" at position 11, found end of filter'],
    ['userName EQ   )', 'Invalid filter: expected a value after "EQ" at position 14, found ")"'],
    ['emails[type eq "work"', 'Invalid filter: expected "]" to close "emails[" at position 21, found end of filter'],
    ['emails[type eq "work")', 'Invalid filter: expected "]" to close "emails[" at position 21, found ")"'],
    ['emails[type[value eq "x"]]', 'Invalid filter: nested value filter after "type" is not allowed at position 11'],
    [`emails[${CORE_URN}:type eq "w"]`, `Invalid filter: a schema URN is not allowed inside a value filter: "${CORE_URN}:type" at position 7`],
    [`${CORE_URN}: eq "a"`, `Invalid filter: expected an attribute name after the schema URN in "${CORE_URN}:" at position 0`],
    ['emails[type.x eq "w"]', 'Invalid filter: invalid attribute path "type.x" at position 7'],
    ['a.b.c pr', 'Invalid filter: invalid attribute path "a.b.c" at position 0'],
    ['a..b pr', 'Invalid filter: invalid attribute path "a..b" at position 0'],
    ['name. pr', 'Invalid filter: invalid attribute path "name." at position 0'],
    ['_name pr', 'Invalid filter: invalid attribute path "_name" at position 0'],
    ['na:me pr', 'Invalid filter: invalid attribute path "na:me" at position 0'],
    ['emails[type eq "work"].1x eq "a"', 'Invalid filter: invalid sub-attribute ".1x" at position 22'],
    ['emails[type eq "work"]. eq "a"', 'Invalid filter: invalid sub-attribute "." at position 22'],
    ['emails[type eq "work"].value', 'Invalid filter: expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "emails[...].value" at position 28, found end of filter'],
    // the `.sub` suffix must touch the "]": with a space it is not a suffix but a stray word
    ['emails[type eq "work"] .value eq "a"', 'Invalid filter: expected "and", "or" or end of filter at position 23, found ".value"'],
    ['emails[type eq "work"]value eq "a"', 'Invalid filter: expected "and", "or" or end of filter at position 22, found "value"'],
    ['userName eq "abc', 'Invalid filter: unterminated string starting at position 12'],
    ['userName eq "abc\\', 'Invalid filter: invalid escape "\\" in string at position 16'],
    ['userName eq "a\\x"', 'Invalid filter: invalid escape "\\x" in string at position 14'],
    ['userName eq "a\\x0041"', 'Invalid filter: invalid escape "\\x" in string at position 14'],
    ['& eq "a"', 'Invalid filter: expected an attribute name, "not" or "(" at position 0, found "&"'],
    ['userName eq "a" & title pr', 'Invalid filter: expected "and", "or" or end of filter at position 16, found "&"'],
    ['userName ! "a"', 'Invalid filter: expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "userName" at position 9, found "!"'],
    ['emails[type eq "w"]}', 'Invalid filter: expected "and", "or" or end of filter at position 19, found "}"'],
    ['userName eq "\\u12G4"', 'Invalid filter: invalid escape "\\u" in string at position 13'],
    ['userName eq "\\u123"', 'Invalid filter: invalid escape "\\u" in string at position 13'],
    ['x'.repeat(4097), 'Invalid filter: longer than 4096 characters'],
  ])('%j → %s', (text, detail) => {
    expect(refusal(text)).toMatchObject({ status: 400, scimType: 'invalidFilter', detail });
  });

  it('reads an Entra-style suffix and a following "and" only when they touch the "]"', () => {
    expect(parseFilter('emails[type eq "work"]and title pr')).toStrictEqual(and(vp('emails', cmp('type', 'eq', 'work')), pr('title')));
  });
});

describe('parseFilter: malformed filters are 400 invalidFilter', () => {
  const deep = (n: number) => '('.repeat(n) + 'userName eq "a"' + ')'.repeat(n);
  const deepNot = (n: number) => 'not ('.repeat(n) + 'userName eq "a"' + ')'.repeat(n);

  it.each<[string, string, RegExp]>([
    ['empty', '', /empty/],
    ['blank', '   ', /empty/],
    ['attribute alone', 'userName', /expected a comparison operator .*after "userName" at position 8, found end of filter/],
    ['missing operator', 'userName "a"', /expected a comparison operator .*after "userName" at position 9/],
    ['unknown operator', 'userName eqq "a"', /after "userName" at position 9, found "eqq"/],
    ['symbolic operator', 'userName = "a"', /comparison operator .* at position 9, found "="/],
    ['missing value', 'userName eq', /expected a value after "eq" at position 11/],
    ['missing value before ")"', '(userName eq )', /expected a value after "eq" at position 13/],
    ['dangling and', 'userName eq "a" and', /expected an attribute name.* at position 19, found end of filter/],
    ['dangling or', 'userName eq "a" or', /expected an attribute name/],
    ['unknown logical operator', 'userName eq "a" xor title pr', /expected "and", "or" or end of filter at position 16, found "xor"/],
    ['unclosed group', '(userName eq "a"', /expected "\)" at position 16, found end of filter/],
    ['unmatched ")"', 'userName eq "a")', /unmatched "\)" at position 15/],
    ['empty group', '()', /expected an attribute name, "not" or "\(" at position 1, found "\)"/],
    ['not without parentheses', 'not userName eq "a"', /expected "\(" after "not" at position 4, found "userName"/],
    ['unclosed value path', 'emails[type eq "work"', /expected "\]" to close "emails\[" at position 21, found end of filter/],
    ['extra "]"', 'emails[type eq "work"]]', /found "\]"/],
    ['nested value path', 'emails[type[value eq "x"] eq "y"]', /nested value filter/],
    ['URN inside a value filter', `emails[${CORE_URN}:type eq "work"]`, /schema URN is not allowed/],
    ['dotted path inside a value filter', 'emails[emails.type eq "work"]', /invalid attribute path/],
    ['valuePath suffix without operator', 'emails[type eq "work"].value', /expected a comparison operator .*after "emails\[...\].value"/],
    ['valuePath compared directly', 'emails[type eq "work"] eq "x"', /found "eq"/],
    ['pr with a value', 'title pr "x"', /found "\\"x\\""/],
    ['unterminated string', 'userName eq "abc', /unterminated string starting at position 12/],
    ['bad escape', 'userName eq "a\\xb"', /invalid escape "\\x"/],
    ['short \\u escape', 'userName eq "\\u12"', /invalid escape "\\u"/],
    ['string where an attribute belongs', '"abc" eq userName', /expected an attribute name.*found "\\"abc\\""/],
    ['URN without attribute', `${CORE_URN} eq "a"`, /expected an attribute name after the schema URN/],
    ['too many path segments', 'name.givenName.x eq "a"', /invalid attribute path "name.givenName.x"/],
    ['attribute starting with a digit', '123 eq "a"', /invalid attribute path "123"/],
    ['stray character', 'userName eq "a" & title pr', /found "&"/],
    ['33 nested parentheses', deep(33), /nesting deeper than 32 levels/],
    ['33 nested nots', deepNot(33), /nesting deeper than 32 levels/],
    ['hostile 10 000 parentheses (length checked first)', deep(10_000), /longer than 4096 characters/],
    ['5000-character filter', `userName eq "${'a'.repeat(5000)}"`, /longer than 4096 characters/],
  ])('%s: %s', (_name, text, detail) => {
    const err = refusal(text);
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('invalidFilter');
    expect(err.detail).toMatch(/^Invalid filter: /);
    expect(err.detail).toMatch(detail);
  });

  it('accepts exactly 32 levels of nesting and a 4096-character filter', () => {
    expect(parseFilter(deep(32))).toEqual(cmp('userName', 'eq', 'a'));
    const max = `userName eq "${'a'.repeat(4096 - 'userName eq ""'.length)}"`;
    expect(max).toHaveLength(4096);
    expect(parseFilter(max)).toMatchObject({ kind: 'compare', op: 'eq' });
  });
});

// ---- evaluation -----------------------------------------------------------------------------------------------
const user: Record<string, unknown> = {
  schemas: [USER_SCHEMA, EXTENSION_SCHEMA],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'AbC-0a21f0f2',
  userName: 'Barbara.Jensen@Contoso.com',
  displayName: 'Babs Jensen',
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
  active: true,
  emails: [
    { value: 'bjensen@contoso.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'other', primary: false },
  ],
  phoneNumbers: [{ value: '+14155550100', type: 'mobile' }],
  roles: [{ value: 'Admin', display: 'Administrator', primary: true }],
  addresses: [{ type: 'work', locality: 'Redmond', country: 'US' }],
  [EXTENSION_SCHEMA]: { extension: '0100' },
  meta: {
    resourceType: 'User',
    created: '2011-08-01T18:29:49.793Z',
    lastModified: '2011-08-01T21:32:44.882Z',
    location: 'https://scim.example.com/Users/2819c223-7f76-453a-919d-413861904646',
    version: 'W/"a330bc54f0671c9"',
  },
};

describe('matches: evaluation against a stored user', () => {
  it.each<[string, boolean]>([
    // attribute names are case-insensitive (RFC 7643 §2.1)
    ['userName eq "Barbara.Jensen@Contoso.com"', true],
    ['USERNAME eq "Barbara.Jensen@Contoso.com"', true],
    ['name.FAMILYNAME eq "Jensen"', true],
    [`${CORE_URN.toUpperCase()}:username eq "Barbara.Jensen@Contoso.com"`, true],
    // caseExact:false values compare case-insensitively
    ['userName eq "barbara.jensen@contoso.com"', true],
    ['emails.value eq "BJENSEN@CONTOSO.COM"', true],
    ['emails[type eq "WORK"]', true],
    ['displayName co "JENS"', true],
    ['userName sw "barbara."', true],
    ['userName ew "@CONTOSO.COM"', true],
    // caseExact:true values do not
    ['externalId eq "AbC-0a21f0f2"', true],
    ['externalId eq "abc-0a21f0f2"', false],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['id eq "2819c223-7f76-453a-919d-413861904646"', true],
    ['meta.version eq "w/\\"A330BC54F0671C9\\""', false],
    ['meta.version eq "W/\\"a330bc54f0671c9\\""', true],
    ['meta.resourceType eq "User"', true],
    ['meta.resourceType eq "user"', false],
    ['meta.location eq "https://scim.example.com/Users/2819c223-7f76-453a-919d-413861904646"', true],
    ['meta.location eq "https://scim.example.com/users/2819c223-7f76-453a-919d-413861904646"', false],
    ['meta.location ew "/Users/2819c223-7f76-453a-919d-413861904646"', true],
    // Entra's Test Connection probe finds nothing (it is a userName, not our id)
    ['userName eq "2819c223-7f76-453a-919d-413861904646"', false],
    // unquoted values compare by their exact text
    ['userName eq barbara.jensen@contoso.com', true],
    ['externalId eq AbC-0a21f0f2', true],
    ['externalId eq abc-0a21f0f2', false],
    ['extension eq 0100', true],
    ['extension eq 100', false],
    ['phoneNumbers.value eq +14155550100', true],
    ['phoneNumbers.value+eq++14155550100', true],
    // multi-valued: any element matches; bare `emails` means `emails.value`
    ['emails.value eq "babs@jensen.org"', true],
    ['emails eq "babs@jensen.org"', true],
    ['emails co "jensen.org"', true],
    ['emails.value eq "nobody@x.com"', false],
    ['emails.type eq "other"', true],
    ['emails ne "babs@jensen.org"', false],
    ['emails ne "nobody@x.com"', true],
    // value paths: all conditions on the SAME element
    ['emails[type eq "work" and value co "@contoso.com"]', true],
    ['emails[type eq "work" and value co "@jensen.org"]', false],
    ['emails[type eq "work"].value eq "bjensen@contoso.com"', true],
    ['emails[type eq "other"].value eq "bjensen@contoso.com"', false],
    ['phoneNumbers[type eq "mobile"].value eq "+14155550100"', true],
    ['addresses[type eq "work"].locality eq "redmond"', true],
    ['emails[type eq "work"].value pr', true],
    ['addresses[type eq "work"].region pr', false],
    ['emails[not (type eq "work")]', true],
    ['name[givenName eq "Barbara"]', true],
    // booleans, including Entra's string booleans
    ['active eq true', true],
    ['active eq false', false],
    ['active ne false', true],
    ['active eq "True"', true],
    ['active eq "TRUE"', true],
    ['active eq "False"', false],
    ['roles[primary eq "True"]', true],
    ['roles[primary eq True]', true],
    ['emails[primary eq "False"].value eq "babs@jensen.org"', true],
    ['active gt false', false],
    ['active eq "yes"', false],
    // dateTime compares as instants
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified gt "2011-08-01T21:32:44.882Z"', false],
    ['meta.lastModified gt "2011-08-01T23:32:44.881+02:00"', true],
    ['meta.lastModified gt "2012-01-01T00:00:00Z" or meta.created lt "2011-08-02T00:00:00+02:00"', true],
    ['meta.created lt "2011-08-01T20:29:50+02:00"', true],
    ['meta.created eq "2011-08-01T20:29:49.793+02:00"', true],
    ['meta.created ge "2011-08-01T18:29:49.793Z"', true],
    ['meta.created le "2011-08-01T18:29:49.792Z"', false],
    ['meta.lastModified sw "2011-08"', true],
    // strings order lexicographically, honouring caseExact
    ['displayName gt "babs"', true],
    ['displayName lt "BABS JENSEN!"', true],
    ['name.familyName ge "JENSEN"', true],
    ['name.familyName le "jensen"', true],
    // pr
    ['name pr', true],
    ['name.givenName pr', true],
    ['emails pr', true],
    ['extension pr', true],
    ['nickName pr', false],
    ['addresses.region pr', false],
    // missing attributes: ne is true, eq null means "not present"
    ['addresses.region ne "WA"', true],
    ['addresses.region eq "WA"', false],
    ['addresses.region eq null', true],
    ['displayName eq null', false],
    ['displayName ne null', true],
    // unknown attributes never match (and never throw)
    ['nickName eq "Babs"', false],
    ['nickName ne "Babs"', false],
    ['not (nickName eq "Babs")', true],
    ['urn:example:other:1.0:Thing:size eq 3', false],
    ['emails[foo eq "x"]', false],
    ['name.middleName eq "J"', false],
    // extension attributes, prefixed or not
    [`${EXTENSION_SCHEMA}:extension eq "0100"`, true],
    [`${EXTENSION_SCHEMA.toUpperCase()}:EXTENSION eq "0100"`, true],
    ['extension eq "0100"', true],
    ['extension eq "0101"', false],
    // logic
    ['userName eq "x" or emails[type eq "work"]', true],
    ['userName eq "x" and emails[type eq "work"]', false],
    ['not (userName eq "x")', true],
    ['not (userName eq "x" or active eq true)', false],
    ['(userName eq "x" or active eq true) and not (displayName co "Kim")', true],
  ])('%s → %s', (text, expected) => {
    expect(matches(user, parseFilter(text))).toBe(expected);
  });

  it('compares unquoted numbers against string attributes by their text', () => {
    const numeric = { ...user, id: '123' };
    expect(matches(numeric, parseFilter('id eq 123'))).toBe(true);
    expect(matches(numeric, parseFilter('id eq 123.0'))).toBe(false);
  });

  it('does not mutate the resource', () => {
    const copy = structuredClone(user);
    matches(user, parseFilter('emails[type eq "work"].value eq "bjensen@contoso.com" and name pr'));
    expect(user).toEqual(copy);
  });
});

describe('matches: operator edges', () => {
  it.each<[string, boolean]>([
    // ordering at equality: strings (caseExact false folds case first)
    ['displayName gt "Babs Jensen"', false],
    ['displayName ge "Babs Jensen"', true],
    ['displayName lt "Babs Jensen"', false],
    ['displayName le "Babs Jensen"', true],
    ['displayName gt "BABS JENSEN"', false],
    ['displayName ge "BABS JENSEN"', true],
    ['displayName ge "Babs Jensen!"', false],
    ['meta.created ge "2011-08-01T18:29:49.794Z"', false],
    ['displayName lt "babs jensen"', false],
    ['displayName le "babs jensen"', true],
    ['displayName ne "BABS JENSEN"', false],
    ['displayName lt "Babs Jensen "', true],
    ['displayName gt "Babs Jensem"', true],
    // caseExact attributes order and match by code unit ('A' < 'a')
    ['externalId gt "abc-0a21f0f2"', false],
    ['externalId lt "abc-0a21f0f2"', true],
    ['externalId le "ABC-0a21f0f2"', false],
    ['externalId ge "ABC-0a21f0f2"', true],
    ['externalId ne "abc-0a21f0f2"', true],
    ['externalId co "bC-0"', true],
    ['externalId co "bc-0"', false],
    ['externalId sw "AbC"', true],
    ['externalId sw "abc"', false],
    ['externalId ew "f2"', true],
    ['externalId ew "F2"', false],
    ['externalId ew "AbC"', false],
    ['externalId sw "f2"', false],
    ['externalId co ""', true],
    // caseExact false: substring operators fold case
    ['displayName ew "JENSEN"', true],
    ['displayName sw "JENSEN"', false],
    ['displayName co "xyz"', false],
    // dateTime at equality and across time zones (string order would say the opposite in each)
    ['meta.created gt "2011-08-01T18:29:49.793Z"', false],
    ['meta.created ge "2011-08-01T18:29:49.793Z"', true],
    ['meta.created lt "2011-08-01T18:29:49.793Z"', false],
    ['meta.created le "2011-08-01T18:29:49.793Z"', true],
    ['meta.created ne "2011-08-01T18:29:49.793Z"', false],
    ['meta.created ne "2011-08-01T20:29:49.793+02:00"', false],
    ['meta.created ne "2011-08-01T18:29:49.794Z"', true],
    ['meta.created gt "2011-08-01T19:00:00+02:00"', true],
    ['meta.created ge "2011-08-01T19:00:00+02:00"', true],
    ['meta.created lt "2011-08-01T20:00:00+02:00"', false],
    ['meta.created le "2011-08-01T20:00:00+02:00"', false],
    ['meta.created lt "2011-08-01T18:29:49.794Z"', true],
    ['meta.created gt "2011-08-01T18:29:49.792Z"', true],
    // a value that is not an xsd:dateTime compares as a string
    ['meta.created lt "3"', true],
    ['meta.created gt "2011-08-01"', true],
    ['meta.created eq " 2011-08-01T18:29:49.793Z"', false],
    ['meta.created eq "x2011-08-01T18:29:49.793Z"', false],
    ['meta.created eq "2011-08-01T18:29:49.793Zx"', false],
    ['meta.created co "T18:29"', true],
    ['meta.created ew "793z"', true],
    ['meta.created eq 2011', false],
    // booleans: only eq and ne
    ['active ne true', false],
    ['active ne "false"', true],
    ['active ne "maybe"', true], // ne is the negation of eq
    ['active co "t"', false],
    ['active ge true', false],
    ['active le true', false],
    ['active eq 1', false],
    // null: eq = absent, ne = present, any other operator never matches
    ['displayName gt null', false],
    ['displayName co null', false],
    ['nickName eq null', false],
    ['addresses.region ne null', false],
    ['emails.display ne null', false],
    ['emails.type ne null', true],
    // complex attributes without a `value` sub-attribute cannot be compared directly
    ['name eq "Jensen"', false],
    ['name ne "Jensen"', false],
    ['addresses co "Redmond"', false],
    // value filters on what is not a multi-valued complex attribute
    ['displayName[value eq "Babs Jensen"]', false],
    ['name.givenName[value eq "Barbara"]', false],
    ['nickName[type eq "work"]', false],
    ['emails.value[not (type eq "x")]', false],
  ])('%s → %s', (text, expected) => {
    expect(matches(user, parseFilter(text))).toBe(expected);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ['displayName pr', { displayName: '' }, false],
    ['displayName pr', { displayName: ' ' }, true],
    ['displayName pr', { displayName: null }, false],
    ['emails pr', { emails: [] }, false],
    ['emails pr', { emails: [null] }, false],
    ['emails pr', { emails: [{ value: '' }] }, false],
    ['emails pr', { emails: [{ value: '', type: '' }, { type: 'work' }] }, true],
    ['emails pr', { emails: [{ value: { nested: '' } }] }, false],
    ['emails pr', { emails: [{ value: [''] }] }, false],
    ['emails pr', { emails: [{ value: ['', 'x'] }] }, true],
    ['emails.value pr', { emails: [{ type: 'work' }] }, false],
    ['emails.value pr', { emails: [{ value: '' }, { value: 'a@b.c' }] }, true],
    ['name pr', { name: { givenName: '' } }, false],
    ['name pr', { name: {} }, false],
    ['active pr', { active: false }, true],
    // attribute names in stored data are matched case-insensitively too
    ['userName eq "a@b.c"', { USERNAME: 'a@b.c' }, true],
    ['name.givenName eq "Ann"', { Name: { GIVENNAME: 'Ann' } }, true],
    ['userName eq "a@b.c"', { userNameX: 'a@b.c' }, false],
    ['userName eq "a@b.c"', { USERNAME: 'a@b.c', userName: 'x' }, false],
    // a value filter on a simple attribute matches nothing, whatever is stored in it
    ['displayName[not (value eq "y")]', { displayName: { value: 'x' } }, false],
    ['meta.created lt "2011-08-01T00:00:00Z"', { meta: { created: 20110802 } }, false], // by text: '1' > '-'
    ['meta.created eq "[object Object]"', { meta: { created: {} } }, false],
    // elements that are not objects never match a value filter, even a negated one
    ['emails[not (type eq "x")]', { emails: [null, 'a@b.c'] }, false],
    ['emails[not (type eq "x")]', { emails: [{ value: 'a@b.c' }] }, true],
    ['emails[type eq "work"]', { emails: { value: 'a@b.c', type: 'work' } }, true],
    ['emails eq "a@b.c"', { emails: ['a@b.c', null, { value: 'A@B.C' }] }, true],
    ['emails eq "a@b.c"', { emails: ['a@b.c'] }, false],
    // eq null: absent, null, or only null/undefined values
    ['displayName eq null', {}, true],
    ['displayName eq null', { displayName: null }, true],
    ['displayName ne null', { displayName: null }, false],
    ['displayName ne null', { displayName: [null] }, false],
    ['displayName eq null', { displayName: [null, undefined] }, true],
    ['displayName ne "x"', { displayName: [null] }, true],
    ['displayName eq "x"', { displayName: [null, 'X'] }, true],
    // strings, numbers and booleans stored in a string attribute compare by their text; objects never
    ['displayName eq "42"', { displayName: 42 }, true],
    ['displayName eq "true"', { displayName: true }, true],
    ['displayName eq "[object Object]"', { displayName: { a: 1 } }, false],
    ['displayName ne "[object Object]"', { displayName: { a: 1 } }, true],
    ['displayName eq 42', { displayName: '42' }, true],
    // an element that is not an object holds no sub-attribute value
    ['emails eq null', { emails: ['junk'] }, true],
    ['emails.type eq null', { emails: [7, { type: 'work' }] }, false],
    // a stored key named "undefined" is not a fallback for a missing attribute
    ['userName eq "a@b.c"', { undefined: 'a@b.c' }, false],
    ['displayName eq true', { displayName: 'TRUE' }, true],
    ['displayName eq false', { displayName: 'true' }, false],
    // a boolean attribute holding something that is no boolean equals nothing
    ['active eq "yes"', { active: 'maybe' }, false],
    ['active eq "true"', { active: 'TRUE' }, true],
    ['active eq false', { active: 0 }, false],
    // extension attributes live under the schema URN key; no such object, no match
    ['extension eq "1"', { extension: '1' }, false],
    ['extension eq "1"', { [EXTENSION_SCHEMA]: '1' }, false],
    ['extension ne "1"', { [EXTENSION_SCHEMA]: null }, true],
  ])('%s on %j → %s', (text, resource, expected) => {
    expect(matches(resource, parseFilter(text))).toBe(expected);
  });
});

describe('matchesElement: one element of a multi-valued attribute (used by PATCH)', () => {
  const emails = findAttribute(USER_SCHEMA, 'emails');
  if (!emails) throw new Error('schema has no emails');
  const work = { value: 'bjensen@contoso.com', type: 'work', primary: true };

  it.each<[string, boolean]>([
    ['type eq "work"', true],
    ['TYPE eq "Work"', true],
    ['type eq "other"', false],
    ['value ew "@CONTOSO.com" and primary eq "true"', true],
    ['primary eq false', false],
    ['display pr', false],
    ['not (type eq "other")', true],
    // an element has only plain sub-attributes: a schema URN or a dotted path names nothing in it
    [`${CORE_URN}:type eq "work"`, false],
    ['emails.type eq "work"', false],
    ['type.value eq "work"', false],
    ['emails[type eq "work"]', false],
  ])('%s → %s', (text, expected) => {
    expect(matchesElement(work, parseFilter(text), emails)).toBe(expected);
  });
});

describe('findIndexableEquality', () => {
  it.each<[string, { key: string; value: string } | undefined]>([
    ['userName eq "bjensen"', { key: 'userName', value: 'bjensen' }],
    ['USERNAME EQ "bjensen"', { key: 'userName', value: 'bjensen' }],
    [`${CORE_URN}:userName eq "bjensen"`, { key: 'userName', value: 'bjensen' }],
    ['id eq "2819c223"', { key: 'id', value: '2819c223' }],
    ['id eq 123', { key: 'id', value: '123' }],
    ['externalId eq 0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', { key: 'externalId', value: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef' }],
    ['emails.value eq "a@b.com"', { key: 'email', value: 'a@b.com' }],
    ['emails eq "a@b.com"', { key: 'email', value: 'a@b.com' }],
    ['emails[type eq "work"].value eq "a@b.com"', { key: 'email', value: 'a@b.com' }],
    ['emails[value eq "a@b.com" and type eq "work"]', { key: 'email', value: 'a@b.com' }],
    ['emails[type eq "work" and VALUE eq "a@b.com"]', { key: 'email', value: 'a@b.com' }],
    ['phoneNumbers[type eq "work" and (value eq "+1" and primary eq true)]', { key: 'phone', value: '+1' }],
    ['userName eq "u" and emails.value eq "a@b"', { key: 'userName', value: 'u' }],
    ['emails.value eq "a@b" and id eq "i"', { key: 'id', value: 'i' }],
    ['phoneNumbers.value eq "+14155550100"', { key: 'phone', value: '+14155550100' }],
    ['phoneNumbers[type eq "mobile"].value eq +14155550100', { key: 'phone', value: '+14155550100' }],
    ['phoneNumbers eq "+14155550100"', { key: 'phone', value: '+14155550100' }],
    ['extension eq "100"', { key: 'extension', value: '100' }],
    [`${EXTENSION_SCHEMA}:extension eq "0100"`, { key: 'extension', value: '0100' }],
    ['extension eq 0100', { key: 'extension', value: '0100' }],
    // conjuncts of top-level ands, recursively
    ['active eq true and userName eq "u"', { key: 'userName', value: 'u' }],
    ['(active eq true and (title pr and externalId eq "e"))', { key: 'externalId', value: 'e' }],
    // priority: id > userName > email > phone > extension > externalId
    ['externalId eq "e" and userName eq "u" and id eq "i"', { key: 'id', value: 'i' }],
    ['externalId eq "e" and userName eq "u"', { key: 'userName', value: 'u' }],
    ['externalId eq "e" and extension eq "1"', { key: 'extension', value: '1' }],
    ['extension eq "1" and phoneNumbers.value eq "+1"', { key: 'phone', value: '+1' }],
    ['phoneNumbers.value eq "+1" and emails.value eq "a@b"', { key: 'email', value: 'a@b' }],
    ['(userName eq "u" or id eq "i") and externalId eq "e"', { key: 'externalId', value: 'e' }],
    // negatives
    ['userName eq "u" or userName eq "v"', undefined],
    ['not (userName eq "u")', undefined],
    ['not (userName ne "u")', undefined],
    ['userName ne "u"', undefined],
    ['userName co "u"', undefined],
    ['userName pr', undefined],
    ['userName eq null', undefined],
    ['id eq true', undefined],
    ['displayName eq "Babs"', undefined],
    ['emails.type eq "work"', undefined],
    ['emails[type eq "work"]', undefined],
    ['emails[type eq "a@b.com"]', undefined],
    ['emails[display eq "a@b.com"]', undefined],
    ['emails[value ne "a@b.com"]', undefined],
    ['emails[value co "a@b.com"]', undefined],
    ['emails[value eq null]', undefined],
    ['emails[value pr]', undefined],
    ['emails[type eq "work"].value sw "a"', undefined],
    ['emails.display eq "a@b.com"', undefined],
    ['phoneNumbers.type eq "mobile"', undefined],
    ['phoneNumbers[type eq "mobile"]', undefined],
    ['extension.value eq "1"', undefined],
    ['name[givenName eq "x"]', undefined],
    ['active eq true', undefined],
    ['emails[value eq "a" or value eq "b"]', undefined],
    ['emails[not (value eq "a")]', undefined],
    ['addresses[type eq "work"].value eq "x"', undefined],
    ['name.givenName eq "x"', undefined],
    ['urn:example:other:1.0:Thing:userName eq "u"', undefined],
  ])('%s → %j', (text, expected) => {
    expect(findIndexableEquality(parseFilter(text))).toEqual(expected);
  });
});
