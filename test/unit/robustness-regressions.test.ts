/**
 * Regression tests for the bugs the robustness tests of issue 6 found, one each, at the depth where each was fixed
 * (the store's lost-response idempotency and key-size guard are in test/unit/verify.test.ts and
 * test/integration/faults.test.ts).
 */
import { ScimError } from '../../lambdas/scim/errors';
import { scimError } from '../support/caught';
import { matches, parseFilter } from '../../lambdas/scim/filter';
import { applyPatch } from '../../lambdas/scim/patch';
import { uniqueKey } from '../../lambdas/scim/uniqueness';
import { parseUser } from '../../lambdas/scim/validate';
import { scimBody } from '../../lambdas/http/middleware';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const user = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u1',
  userName: 'jos\u00e9@contoso.com',
  displayName: 'José',
  active: true,
  emails: [{ type: 'work', value: 'jos\u00e9@contoso.com', primary: true }],
});

describe('uniqueness and lookups compare alike (fuzz-core: NFC)', () => {
  it('a userName taken in one Unicode form is found by "eq" in the other (else Entra retries its 409 forever)', () => {
    const nfd = 'jose\u0301@contoso.com';
    expect(uniqueKey('userName', nfd, 'a')).toBe(uniqueKey('userName', user().userName, 'a'));
    expect(matches(user(), parseFilter(`userName eq "${nfd}"`))).toBe(true);
    expect(matches(user(), parseFilter(`emails[type eq "work"].value eq "${nfd.toUpperCase()}"`))).toBe(true);
    expect(matches(user(), parseFilter(`userName sw "JOSE\u0301"`))).toBe(true);
  });

  it('caseExact attributes still compare exactly', () => {
    const withExternal = { ...user(), externalId: 'jos\u00e9' };
    expect(matches(withExternal, parseFilter('externalId eq "jose\u0301"'))).toBe(false);
  });
});

describe('a PATCH value nested deeper than any SCIM value (fuzz-core: stack overflow → 500)', () => {
  it('answers 400 instead of overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(20_000)}1${']'.repeat(20_000)}`);
    for (const op of [
      { op: 'add', path: 'title', value: deep },
      { op: 'replace', path: 'displayName', value: deep },
      { op: 'replace', value: { nickName: deep } },
    ]) {
      const e = scimError(() => applyPatch(user(), { schemas: [PATCH], Operations: [op] }));
      expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
      expect(e.detail).toContain('nested more than 32 levels');
    }
  });

  it('ordinary nesting still works', () => {
    const out = applyPatch(user(), { schemas: [PATCH], Operations: [{ op: 'add', path: 'addresses', value: [{ type: 'work', locality: 'Oslo' }] }] });
    expect(out.addresses).toEqual([{ type: 'work', locality: 'Oslo' }]);
  });
});

describe('strings that are not Unicode text (fuzz: an unpaired surrogate has no UTF-8 form)', () => {
  it.each([
    ['userName', { userName: 'a\ud800@x.co' }],
    ['displayName', { displayName: 'Ann \udc00' }],
    ['externalId', { externalId: '\ud83d' }],
  ])('%s with an unpaired surrogate → 400 naming it', (attribute, over) => {
    const e = scimError(() => parseUser({ ...user(), ...over }));
    expect(e.status).toBe(400);
    expect(e.detail).toContain(`${attribute} is not valid Unicode text`);
  });

  it('paired surrogates (emoji) are fine', () => {
    expect(parseUser({ ...user(), displayName: 'Ann 😀' }).data.displayName).toBe('Ann 😀');
  });
});

describe('add of an email equal to the work email as "other" (races: lost the work email → 400)', () => {
  it('keeps the work email and adds the other one: a user may repeat its value across types', () => {
    const out = applyPatch(user(), {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'emails', value: [{ type: 'other', value: 'JOS\u00c9@contoso.com' }] }],
    });
    expect(out.emails).toEqual([
      { type: 'work', value: 'jos\u00e9@contoso.com', primary: true },
      { type: 'other', value: 'JOS\u00c9@contoso.com' },
    ]);
    expect(parseUser(out).data.emails).toHaveLength(2);
  });

  it('an element of the same type still replaces (Entra re-adds the work email when the mail changes)', () => {
    const out = applyPatch(user(), { schemas: [PATCH], Operations: [{ op: 'Add', path: 'emails', value: [{ type: 'work', value: 'new@contoso.com' }] }] });
    expect(out.emails).toEqual([{ type: 'work', value: 'new@contoso.com' }]);
  });
});

describe('a body nested deeper than the JSON reviver can walk (fuzz: "Maximum call stack size exceeded" as a 400 detail)', () => {
  it('is a 400 invalidSyntax that says what is wrong, in our words', async () => {
    // Parsed with the __proto__-dropping reviver (the \u escape can spell a key), which recurses per level.
    const body = `{"displayName":"\\u0041nn","x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const request = { event: { body, headers: { 'content-type': 'application/scim+json' } } } as unknown as Parameters<
      NonNullable<ReturnType<typeof scimBody>['before']>
    >[0];
    const e = (await Promise.resolve(scimBody().before!(request)).catch((x: unknown) => x)) as ScimError;
    expect(e).toBeInstanceOf(ScimError);
    expect(e).toMatchObject({ status: 400, scimType: 'invalidSyntax', detail: 'The request body is nested too deeply to be a SCIM resource.' });
  });

  it('ordinary bodies with escapes still parse, without a __proto__ key', async () => {
    const request = { event: { body: '{"displayName":"\\u0041nn","__proto__":{"admin":true}}', headers: {} } } as unknown as Parameters<
      NonNullable<ReturnType<typeof scimBody>['before']>
    >[0];
    await scimBody().before!(request);
    const parsed = (request.event as unknown as { parsedBody: Record<string, unknown> }).parsedBody;
    expect(parsed).toEqual({ displayName: 'Ann' });
    expect(Object.hasOwn(parsed, '__proto__')).toBe(false);
  });
});
