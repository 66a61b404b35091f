/**
 * Property-based fuzzing of the pure SCIM core (issue 6), in-process and fast: whatever a client sends, the parsers
 * and engines either answer or throw a ScimError (a 4xx) — never a TypeError, a RangeError or anything else that
 * would end as a 500. Also: inputs are never mutated, nothing reaches Object.prototype, and the uniqueness
 * relation agrees with filter equality (a value refused as taken is found by the lookup Entra makes before it
 * creates — otherwise Entra would retry a 409 forever).
 *
 * FUZZ_RUNS scales every property (default: a few thousand inputs in all; FUZZ_RUNS=100000 for the full run).
 */
import fc from 'fast-check';
import { ScimError } from '../../lambdas/scim/errors';
import { findIndexableEquality, matches, parseFilter } from '../../lambdas/scim/filter';
import { applyPatch, parsePath } from '../../lambdas/scim/patch';
import { parseUser } from '../../lambdas/scim/validate';
import { project } from '../../lambdas/scim/projection';
import { parsePaging } from '../../lambdas/scim/list-response';
import { toScimResource } from '../../lambdas/scim/user';
import { uniqueKey, uniqueValuesOf } from '../../lambdas/scim/uniqueness';
import { checkItems } from '../../lambdas/admin/verify';
import { filterText, hostileJson, patchBody, patchPath, queryValue, userBody } from '../support/arbitraries';

const FULL = Number(process.env.FUZZ_RUNS ?? 0);
/** Runs per property: small in `npm test`, FUZZ_RUNS spread over the properties in a full run. */
const runs = (small: number) => (FULL > 0 ? Math.max(small, Math.ceil(FULL / 10)) : small);

/**
 * fc.assert, but a failure is reported with a depth-limited rendering of the counterexample: fast-check's own
 * rendering recurses and overflows the stack on the deeply nested inputs this file generates on purpose.
 */
function check<T extends [unknown, ...unknown[]]>(property: fc.IProperty<T>, params: fc.Parameters<T>): void {
  const details = fc.check(property, { ...params, endOnFailure: true });
  if (!details.failed) return;
  const error = details.errorInstance as Error | undefined;
  throw new Error(
    `property failed (seed ${details.seed}, path ${details.counterexamplePath}): ${error?.name}: ${error?.message}\n` +
      `${error?.stack?.split('\n').slice(1, 6).join('\n')}\ncounterexample: ${safeRender(details.counterexample)}`,
  );
}

export function safeRender(v: unknown, depth = 0): string {
  if (depth > 5) return '…';
  if (Array.isArray(v)) return `[${v.slice(0, 5).map((x) => safeRender(x, depth + 1)).join(',')}${v.length > 5 ? `,…(${v.length})` : ''}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    return `{${keys.slice(0, 8).map((k) => `${safeRender(k, depth + 1)}:${safeRender((v as Record<string, unknown>)[k], depth + 1)}`).join(',')}${keys.length > 8 ? ',…' : ''}}`;
  }
  if (typeof v === 'function') return String(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? `${text.slice(0, 120)}…(${text.length})` : text;
}

/** Calls `f`; fails the property if it throws anything but a ScimError. */
function onlyScimErrors<T>(f: () => T): T | ScimError {
  try {
    return f();
  } catch (e) {
    if (e instanceof ScimError) {
      if (e.status < 400 || e.status >= 500) throw new Error(`ScimError with status ${e.status}: ${e.detail}`);
      return e;
    }
    throw e;
  }
}

const STORED = toScimResource(
  {
    id: '2819c223-7f76-453a-919d-413861904646',
    accountId: 'acme',
    data: {
      userName: 'bjensen@example.com',
      externalId: 'bjensen',
      displayName: 'Babs Jensen',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      active: true,
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'other' },
      ],
      phoneNumbers: [{ value: '+14155550100', type: 'mobile' }],
      roles: [{ value: 'Admin', primary: true }],
      addresses: [{ type: 'work', locality: 'Hollywood', country: 'US' }],
      'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User': { extension: '0100' },
    },
    meta: { resourceType: 'User', created: '2024-01-01T00:00:00.000Z', lastModified: '2024-01-01T00:00:00.000Z', version: 3 },
  },
  'https://example.com/scim/acme.key',
);

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const PROTOTYPE = prototypeKeys();
afterEach(() => {
  expect(prototypeKeys()).toBe(PROTOTYPE);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('filters', () => {
  it('parseFilter answers or throws a 400 for any string; matches and the index hint never throw', () => {
    check(
      fc.property(fc.oneof(filterText(), fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 })), (text) => {
        const ast = onlyScimErrors(() => parseFilter(text));
        if (ast instanceof ScimError) {
          expect(ast.scimType).toBe('invalidFilter');
          return;
        }
        expect(typeof matches(STORED, ast)).toBe('boolean');
        findIndexableEquality(ast);
      }),
      { numRuns: runs(3000) },
    );
  });

  it('uniqueness and filter equality agree: a value taken (same sentinel key) is found by "eq" on it', () => {
    const variant = fc.constantFrom<(s: string) => string>(
      (s) => s,
      (s) => s.toUpperCase(),
      (s) => s.toLowerCase(),
      (s) => s.normalize('NFD'),
      (s) => s.normalize('NFC'),
      (s) => s.normalize('NFD').toUpperCase(),
    );
    const local = fc.string({ unit: fc.constantFrom('a', 'B', 'é', 'e\u0301', 'İ', 'ß', 'Ω', 'ǅ', 'ﬁ', '1', '.', 'Å', 'Å'), minLength: 1, maxLength: 12 });
    check(
      fc.property(local, variant, variant, (name, v1, v2) => {
        const stored = `${v1(name)}@example.com`;
        const asked = `${v2(name)}@example.com`;
        if (uniqueKey('userName', stored, 'a') !== uniqueKey('userName', asked, 'a')) return;
        const resource = { ...STORED, userName: stored, emails: [{ type: 'work', value: stored }] };
        expect(matches(resource, parseFilter(`userName eq ${JSON.stringify(asked)}`))).toBe(true);
        expect(matches(resource, parseFilter(`emails[type eq "work"].value eq ${JSON.stringify(asked)}`))).toBe(true);
      }),
      { numRuns: runs(2000) },
    );
  });
});

describe('PATCH', () => {
  it('parsePath answers or throws a 400 for any string', () => {
    check(
      fc.property(fc.oneof(patchPath(), fc.string({ maxLength: 200 })), (path) => {
        onlyScimErrors(() => parsePath(path));
      }),
      { numRuns: runs(3000) },
    );
  });

  it('applyPatch answers or throws a 400 for any body, never mutates the stored resource, and its result validates or 400s', () => {
    const before = JSON.stringify(STORED);
    check(
      fc.property(fc.oneof({ weight: 4, arbitrary: patchBody() }, { weight: 1, arbitrary: hostileJson() }), (body) => {
        const patched = onlyScimErrors(() => applyPatch(STORED, body));
        if (patched instanceof ScimError) return;
        const parsed = onlyScimErrors(() => parseUser(patched));
        if (!(parsed instanceof ScimError)) uniqueValuesOf(parsed.data, 'acme');
      }),
      { numRuns: runs(4000) },
    );
    expect(JSON.stringify(STORED)).toBe(before);
  });
});

describe('User bodies', () => {
  it('parseUser answers or throws a 400; what it accepts round-trips through the resource unchanged', () => {
    check(
      fc.property(fc.oneof({ weight: 3, arbitrary: userBody() }, { weight: 1, arbitrary: hostileJson() }), (body) => {
        const parsed = onlyScimErrors(() => parseUser(body));
        if (parsed instanceof ScimError) return;
        // The stored document, rendered and sent back (Entra's PUT of what it read), is the same document.
        const again = parseUser(toScimResource({ id: 'x', accountId: 'a', data: parsed.data, meta: STORED_META }, 'https://h/scim/t'));
        expect(again.data).toEqual(parsed.data);
        uniqueValuesOf(parsed.data, 'a');
      }),
      { numRuns: runs(4000) },
    );
  });
});

const STORED_META = { resourceType: 'User' as const, created: 'c', lastModified: 'm', version: 1 };

describe('query parameters', () => {
  it('attributes / excludedAttributes never fail; startIndex / count answer or 400', () => {
    check(
      fc.property(queryValue(), queryValue(), queryValue(), queryValue(), (attributes, excludedAttributes, startIndex, count) => {
        const out = project(STORED, { attributes, excludedAttributes });
        expect(out.id).toBe(STORED.id);
        onlyScimErrors(() => parsePaging({ startIndex, count }));
      }),
      { numRuns: runs(3000) },
    );
  });
});

describe('verify', () => {
  it('the checker never throws, whatever the items look like', () => {
    check(
      fc.property(fc.array(fc.oneof({ weight: 1, arbitrary: hostileJson() }, { weight: 6, arbitrary: tableItem() }), { maxLength: 12 }), (items) => {
        const report = checkItems(items as Array<Record<string, unknown>>);
        expect(report.consistent).toBe(report.findings.length === 0);
      }),
      { numRuns: runs(1000) },
    );
  });
});

/** Items shaped like the table's (user, sentinel, externalId, count) with values of any kind in their fields. */
function tableItem() {
  const odd = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('1', 'a', 'acme', 'email#x', 1, 0, -1, null, [], {}, ['email#x'], 'USER#1') }, { weight: 1, arbitrary: hostileJson() });
  return fc.record(
    {
      pk: fc.constantFrom('ACCOUNT#a', 'ACCOUNT#b', 'UNIQUE#email#x', 'UNIQUE#userName#a', 'X'),
      sk: fc.constantFrom('USER#1', 'USER#2', 'UNIQUE', 'COUNT#1', 'EXTID#ab#1'),
      id: fc.constantFrom('1', '2', 'x'),
      accountId: fc.oneof(fc.constantFrom('a', 'b'), odd),
      userId: fc.oneof(fc.constantFrom('1', '2'), odd),
      data: fc.oneof({ weight: 3, arbitrary: userBody() }, { weight: 1, arbitrary: odd }),
      uniques: odd,
      version: fc.oneof(fc.constantFrom(1, 2), odd),
      count: fc.oneof(fc.constantFrom(1, -1), odd),
    },
    { requiredKeys: ['pk', 'sk'] },
  );
}
