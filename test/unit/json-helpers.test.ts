import fc from 'fast-check';
import { canonicalJson, sameJson } from '../../lambdas/scim/canonical-json';
import { cloneJson } from '../../lambdas/scim/json';
import { headerValue, lowerCaseHeaders } from '../../lambdas/http/request';
import { ScimEvent, scimBody } from '../../lambdas/http/middleware';

/** The same value with every object's keys in reverse order. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reordered((v as Record<string, unknown>)[k])]));
  return v;
}

describe('canonicalJson', () => {
  it('writes keys sorted at every level, arrays in order, and undefined as `undefined`', () => {
    expect(canonicalJson({ b: [2, 1, { z: true, y: null }], a: { d: 'x', c: 1.5 } })).toBe('{"a":{"c":1.5,"d":"x"},"b":[2,1,{"y":null,"z":true}]}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson(undefined)).toBe('undefined');
    expect(canonicalJson('{}')).toBe('"{}"');
  });
});

describe('sameJson', () => {
  it('agrees with comparing canonicalJson strings, for any two JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameJson(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores key order and nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (a) => {
        expect(sameJson(a, reordered(a))).toBe(true);
      }),
      { numRuns: 1000 },
    );
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }) === canonicalJson({ a: 1, b: undefined }));
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
    expect(sameJson({ active: true }, { active: 'true' })).toBe(false);
    expect(sameJson('{}', {})).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson(NaN, null)).toBe(true); // JSON writes both as null
  });
});

describe('cloneJson', () => {
  it('copies any JSON value deeply: equal, and no object or array shared', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const copy = cloneJson(v);
        expect(copy).toEqual(v);
        const shared = (a: unknown, b: unknown): boolean => {
          if (a === null || typeof a !== 'object') return false;
          if (a === b) return true;
          return Object.keys(a).some((k) => shared((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
        };
        expect(shared(copy, v)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a "__proto__" key an own property (never the prototype)', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    // An ordinary data property, as JSON.parse made it: listed, writable, deletable.
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')).toEqual({ value: { polluted: true }, writable: true, enumerable: true, configurable: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('headerValue', () => {
  it('is lowerCaseHeaders(headers)[name], for any spelling and duplicates', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('Content-Type', 'content-type', 'CONTENT-TYPE', 'Host', 'X-Other', 'content-typ'), fc.option(fc.string(), { nil: undefined })),
        (headers) => {
          expect(headerValue(headers, 'content-type')).toBe(lowerCaseHeaders(headers)['content-type']);
        },
      ),
      { numRuns: 500 },
    );
    expect(headerValue(null, 'content-type')).toBeUndefined();
  });
});

describe('scimBody: "__proto__" keys are dropped while parsing, however they are spelled', () => {
  const parse = async (body: string) => {
    const event = { body, headers: { 'Content-Type': 'application/scim+json' }, isBase64Encoded: false } as unknown as ScimEvent;
    await scimBody().before?.({ event } as never);
    return event.parsedBody as Record<string, unknown>;
  };

  it.each([
    ['spelled out', '{"__proto__": {"polluted": true}, "userName": "a", "name": {"__proto__": {"x": 1}}}'],
    ['in \\u escapes', '{"\\u005f\\u005fproto\\u005f\\u005f": {"polluted": true}, "userName": "a", "name": {"\\u005F_proto__": {"x": 1}}}'],
    ['partly escaped', '{"__pro\\u0074o__": {"polluted": true}, "userName": "a", "name": {"_\\u005fproto__": {"x": 1}}}'],
  ])('%s', async (_how, body) => {
    const parsed = await parse(body);
    expect(Object.hasOwn(parsed, '__proto__')).toBe(false);
    expect(Object.hasOwn(parsed.name as object, '__proto__')).toBe(false);
    expect(parsed.userName).toBe('a');
  });

  it('other bodies parse as JSON.parse does', async () => {
    const body = '{"userName": "a\\"b", "emails": [{"value": "x@y.z", "type": "work"}], "n": 1.5, "t": null}';
    expect(await parse(body)).toEqual(JSON.parse(body));
  });
});
