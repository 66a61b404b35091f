/**
 * fast-check generators of hostile SCIM input (issue 6): JSON of every shape — wrong types, deep nesting, huge
 * strings, unicode (lone surrogates, combining marks, RTL, NUL), prototype-pollution keys — and grammar-aware
 * filters, PATCH paths and bodies, User bodies and query values that get past the first syntax check and into
 * the deeper code. Used in-process (test/unit/fuzz-core.test.ts) and over HTTP (test/integration/fuzz.test.ts).
 *
 * JSON is produced as TEXT and parsed with JSON.parse, exactly as the server receives it: an own `__proto__` key
 * is then a plain property, as in a real request.
 */
import fc from 'fast-check';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const EXT = 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'polluted'];

const ATTRIBUTES = [
  'userName',
  'displayName',
  'name',
  'name.givenName',
  'name.familyName',
  'name.formatted',
  'active',
  'externalId',
  'emails',
  'emails.value',
  'phoneNumbers',
  'phoneNumbers.value',
  'roles',
  'addresses',
  'addresses.locality',
  'id',
  'meta',
  'meta.created',
  'meta.lastModified',
  'schemas',
  'title',
  'nickName',
  'extension',
];
const SUBS = ['value', 'type', 'primary', 'display', 'locality', 'country', 'streetAddress', 'givenName', '$ref'];
const TYPES = ['work', 'other', 'mobile', 'home', 'fax', 'WORK', 'Mobile', ''];

/** Odd characters that have broken parsers and comparisons elsewhere. */
const ODD = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'e\u0301',
  '\u00e9',
  'İ',
  'ß',
  '\u202e',
  '\u200b',
  '\ufeff',
  '"',
  '\\',
  '\\u00',
  '\n',
  '\t',
  '+',
  '%',
  '%2B',
  '[',
  ']',
  '(',
  ')',
  '.',
  ':',
  ' ',
  '\u3000',
  'Ω',
];

/** Long strings are built once (generating 300,000 characters per input would dominate the run). */
const LONG = 'x'.repeat(5000);
const HUGE = 'é'.repeat(300_000);

/** Nesting far beyond any SCIM document (and any recursive walker's stack), as JSON text, built once per depth. */
const DEEP_ARRAYS = new Map([40, 200, 3_000, 20_000].map((n) => [n, `${'['.repeat(n)}1${']'.repeat(n)}`]));
const DEEP_OBJECTS = new Map([40, 200, 3_000, 20_000].map((n) => [n, `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`]));

const randomCase = (s: string) => fc.constantFrom(s, s.toLowerCase(), s.toUpperCase(), s[0]!.toUpperCase() + s.slice(1));

/** Strings: ordinary, with odd characters, any UTF-16 (lone surrogates included), long, and huge. */
export const anyString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...ODD, 'a', 'Z', '0', '@'), maxLength: 20 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('True', 'False', 'true', 'null', '+14155550100', '(415) 555-0100', 'a@b.co', 'bjensen@example.com', '0100', '', ' ') },
    { weight: 1, arbitrary: fc.constantFrom(LONG, HUGE) },
  );

/** A JSON value as text: every type, pollution keys, deep nesting. */
export function hostileJsonText(): fc.Arbitrary<string> {
  const key = fc.oneof(
    fc.constantFrom(...POLLUTION_KEYS, ...ATTRIBUTES, ...SUBS, CORE, EXT, `${EXT}:extension`, ENTERPRISE, 'Operations', 'op', 'path', 'value'),
    anyString(),
  );
  const scalar = fc.oneof(
    anyString().map((s) => JSON.stringify(s)),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
    fc.constantFrom('true', 'false', 'null', '1e400', '-0', '0.1e-400', '123456789012345678901234567890'),
  );
  /** Deep nesting, far beyond any SCIM document (and any recursive walker's stack). */
  const deep = fc.tuple(fc.constantFrom(40, 200, 3_000, 20_000), fc.boolean()).map(([n, arrays]) => (arrays ? DEEP_ARRAYS : DEEP_OBJECTS).get(n)!);
  const { value } = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 5, arbitrary: scalar },
      { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`) },
      {
        weight: 3,
        arbitrary: fc
          .array(fc.tuple(key, tie('value')), { maxLength: 6 })
          .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
      },
      { weight: 1, arbitrary: deep },
    ),
  }));
  return value;
}

export const hostileJson = (): fc.Arbitrary<unknown> => hostileJsonText().map(parseOrString);

function parseOrString(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // e.g. too deep for JSON.parse: then it is a string, also hostile
  }
}

/**
 * Generated objects are used as they are (no JSON round trip: a deeply nested value inside would overflow
 * JSON.stringify). `__proto__` keys are own properties here too: fc.record with a computed key defines them.
 */
const asParsed = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => arb;

/** Scalars that are almost right for some attribute. */
const nearValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    anyString(),
    fc.constantFrom(true, false, 'True', 'FALSE', null, 0, 1, -1, 1.5, [], {}, ['a@b.co'], { value: 'a@b.co' }),
    fc.constantFrom('+14155550100', '+4930123456', '+0123', '14155550100', '+1 415 555 0100', '+1234567890123456', '0100', '12345678901234567'),
    fc.constantFrom('ann@contoso.com', 'ANN@CONTOSO.COM', 'ann@contoso', '@contoso.com', 'a b@c.d', 'ünï@cödé.de', `${'a'.repeat(65)}@x.co`),
  );

/** A multi-valued entry: `{type, value, primary}` with odd types and values. */
const entry = () =>
  fc.record(
    {
      type: fc.oneof(fc.constantFrom(...TYPES), anyString()),
      value: nearValue(),
      primary: nearValue(),
      display: nearValue(),
      locality: nearValue(),
      ['__proto__']: fc.constant({ polluted: true }),
      constructor: fc.constant({ prototype: { polluted: true } }),
    },
    { requiredKeys: [] },
  );

/** User bodies: mostly plausible, with attribute names in any case and values of the wrong kind. */
export function userBody(): fc.Arbitrary<unknown> {
  const field = <T>(name: string, arb: fc.Arbitrary<T>) => fc.tuple(randomCase(name), arb);
  return asParsed(
    fc
      .tuple(
        fc.option(field('schemas', fc.oneof(fc.constant([CORE]), fc.constant([CORE, EXT]), nearValue())), { nil: undefined }),
        fc.option(field('userName', fc.oneof(fc.constantFrom('ann@contoso.com', 'Ann@Contoso.com'), nearValue())), { nil: undefined }),
        fc.option(field('displayName', nearValue()), { nil: undefined }),
        fc.option(field('name', fc.oneof(fc.record({ givenName: nearValue(), familyName: nearValue(), formatted: nearValue() }, { requiredKeys: [] }), nearValue())), {
          nil: undefined,
        }),
        fc.option(field('active', nearValue()), { nil: undefined }),
        fc.option(field('externalId', nearValue()), { nil: undefined }),
        fc.option(field('emails', fc.oneof(fc.array(entry(), { maxLength: 4 }), nearValue())), { nil: undefined }),
        fc.option(field('phoneNumbers', fc.oneof(fc.array(entry(), { maxLength: 4 }), nearValue())), { nil: undefined }),
        fc.option(field('roles', fc.oneof(fc.array(entry(), { maxLength: 25 }), nearValue())), { nil: undefined }),
        fc.option(field('addresses', fc.oneof(fc.array(entry(), { maxLength: 3 }), nearValue())), { nil: undefined }),
        fc.option(fc.tuple(fc.constantFrom(EXT, `${EXT}:extension`, 'extension'), fc.oneof(fc.record({ extension: nearValue() }), nearValue())), { nil: undefined }),
        fc.option(fc.tuple(fc.constantFrom(CORE, ENTERPRISE, 'id', 'meta', ...POLLUTION_KEYS), hostileJson()), { nil: undefined }),
      )
      .map((fields) => {
        const out: Record<string, unknown> = {};
        for (const f of fields) if (f) Object.defineProperty(out, f[0], { value: f[1], enumerable: true, writable: true, configurable: true });
        return out;
      }),
  );
}

/** Filters built from the grammar (RFC 7644 §3.4.2.2) with Entra's quirks, then sometimes damaged. */
export function filterText(): fc.Arbitrary<string> {
  const attr = fc.oneof(
    fc.constantFrom(...ATTRIBUTES).chain(randomCase),
    fc.constantFrom(...ATTRIBUTES).map((a) => `${CORE}:${a}`),
    fc.constantFrom(`${EXT}:extension`, `${ENTERPRISE}:department`, 'urn:x:y', 'emails[type eq "work"].value', '__proto__', 'constructor.prototype'),
    fc.string({ unit: fc.constantFrom('a', 'Z', '.', ':', '$', '-', '_', '1'), minLength: 1, maxLength: 8 }),
  );
  const op = fc.oneof(fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Eq', 'pr', 'xx', 'and', 'not'));
  const value = fc.oneof(
    anyString().map((s) => JSON.stringify(s)),
    fc.constantFrom('"bjensen@example.com"', 'bjensen@example.com', '+14155550100', '0100', 'true', 'False', 'null', '12', '1.5e3', '"\\u00e9"', '"\\x"', '"unterminated', '2024-01-01T00:00:00Z'),
  );
  const sp = fc.constantFrom(' ', '  ', '+', '\t', ' + ');
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: fc.tuple(attr, sp, op, sp, value).map((p) => p.join('')) },
      { weight: 1, arbitrary: fc.tuple(attr, sp).map(([a, s]) => `${a}${s}pr`) },
      { weight: 2, arbitrary: fc.tuple(tie('expr'), fc.constantFrom(' and ', ' or ', ' AND ', '+and+', ' Or '), tie('expr')).map((p) => p.join('')) },
      { weight: 1, arbitrary: tie('expr').map((e) => `not (${e})`) },
      { weight: 1, arbitrary: tie('expr').map((e) => `(${e})`) },
      { weight: 1, arbitrary: fc.tuple(attr, tie('expr'), fc.constantFrom('', '.value eq "x"', '.value', '.type pr')).map(([a, e, tail]) => `${a}[${e}]${tail}`) },
    ),
  }));
  const damaged = fc.tuple(expr, fc.nat(), fc.constantFrom('', '"', '(', ')', '[', ']', '\\', 'and', ' ', '\u0000')).map(([e, at, insert]) => {
    const i = e.length === 0 ? 0 : at % e.length;
    return e.slice(0, i) + insert + e.slice(i + (insert === '' ? 1 : 0));
  });
  const nested = fc.integer({ min: 10, max: 3000 }).map((n) => `${'('.repeat(n)}userName eq "a"${')'.repeat(n)}`);
  return fc.oneof({ weight: 6, arbitrary: expr }, { weight: 3, arbitrary: damaged }, { weight: 1, arbitrary: nested }, { weight: 1, arbitrary: fc.integer({ min: 4000, max: 5000 }).map((n) => `userName eq "${'a'.repeat(n)}"`) });
}

/** PATCH paths: attribute paths with URN prefixes, value filters, sub-attributes, pollution keys, garbage. */
export function patchPath(): fc.Arbitrary<string> {
  const prefix = fc.constantFrom('', `${CORE}:`, `${EXT}:`, `${ENTERPRISE}:`, 'urn:x:', `${CORE.toUpperCase()}:`);
  const name = fc.oneof(fc.constantFrom(...ATTRIBUTES, ...POLLUTION_KEYS, 'emails[type eq "work"]').chain(randomCase), fc.string({ maxLength: 10 }));
  const filter = fc.option(fc.oneof(filterText(), fc.constantFrom('type eq "work"', 'type eq "mobile"', 'primary eq "True"', 'value eq "a@b.co"', 'type eq "fax"', 'type ne "work"')), { nil: undefined });
  const sub = fc.option(fc.oneof(fc.constantFrom(...SUBS, ...POLLUTION_KEYS), fc.string({ maxLength: 6 })), { nil: undefined });
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(prefix, name, filter, sub).map(([p, n, f, s]) => `${p}${n}${f === undefined ? '' : `[${f}]`}${s === undefined ? '' : `.${s}`}`) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '[', ']', 'emails[', 'emails]', 'emails[type eq "work"]x', 'a.b.c', `${CORE}`, `${EXT}`, 'schemas', '__proto__.polluted') },
  );
}

/** PATCH bodies: plausible operations (both Entra dialects) mixed with broken ones. */
export function patchBody(): fc.Arbitrary<unknown> {
  const op = fc.oneof(fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'ADD', 'move', ''), nearValue());
  const value = fc.oneof(
    nearValue(),
    fc.array(entry(), { maxLength: 3 }),
    entry(),
    fc.dictionary(patchPath(), nearValue(), { maxKeys: 4 }),
    hostileJson(),
  );
  const operation = fc.record({ op, path: fc.oneof(patchPath(), nearValue()), value }, { requiredKeys: [] });
  return asParsed(
    fc.record(
      {
        schemas: fc.oneof(fc.constant([PATCH_SCHEMA]), nearValue()),
        Operations: fc.oneof({ weight: 5, arbitrary: fc.array(operation, { maxLength: 6 }) }, { weight: 1, arbitrary: nearValue() }),
      },
      { requiredKeys: [] },
    ),
  );
}

/** Values of query parameters (attributes, excludedAttributes, startIndex, count, filter…). */
export function queryValue(): fc.Arbitrary<string | undefined> {
  return fc.option(
    fc.oneof(
      anyString().map((v) => v.slice(0, 1000)),
      fc.array(fc.oneof(fc.constantFrom(...ATTRIBUTES, ...POLLUTION_KEYS, `${EXT}`, `${CORE}:emails.value`).chain(randomCase), fc.string()), { maxLength: 6 }).map((a) => a.join(',')),
      fc.constantFrom('0', '1', '-1', '500', '501', '1e400', '9007199254740993', '1.5', ' 2 ', '0x10', 'NaN', 'Infinity', ''),
    ),
    { nil: undefined },
  );
}
