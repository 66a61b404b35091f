import { outcomeOf, ruleOf } from '../../lambdas/scim/error-rules';
import { ruleLabel } from '../../lambdas/scim/rule-labels';
import { ScimError, badRequest, invalidFilter, notFound, tooManyRequests, unavailable, uniqueness } from '../../lambdas/scim/errors';
import { parseUser } from '../../lambdas/scim/validate';
import { scimError } from '../support/caught';
import { minimalUser } from '../fixtures/entra-users';

/** The rule codes metrics, request log lines and provisioning health count rejections by (issue #17). */
describe('the rule of a rejected User body', () => {
  it.each<{ what: string; overrides: Record<string, unknown>; rule: string; label: string }>([
    { what: 'a non-E.164 mobile', overrides: { phoneNumbers: [{ type: 'mobile', value: '(415) 555-0100' }] }, rule: 'phoneNumbers:e164', label: 'phone number not in E.164 format' },
    { what: 'an invalid work email', overrides: { emails: [{ type: 'work', value: 'not-an-address' }] }, rule: 'emails:emailFormat', label: 'email address not a valid address' },
    { what: 'no work email', overrides: { emails: [] }, rule: 'emails:required', label: 'no work email address' },
    { what: 'no name at all', overrides: { displayName: undefined }, rule: 'displayName:required', label: 'no displayName, givenName or familyName' },
    { what: 'no userName', overrides: { userName: undefined }, rule: 'userName:required', label: 'userName missing (required)' },
    { what: 'a number as userName', overrides: { userName: 5 }, rule: 'userName:type', label: 'userName of the wrong type' },
    { what: 'letters in the extension', overrides: { 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User': { extension: '12a' } }, rule: 'extension:digitsOnly', label: 'extension number not digits only' },
    { what: 'two work phones', overrides: { phoneNumbers: [{ type: 'work', value: '+14155550100' }, { type: 'work', value: '+14155550101' }] }, rule: 'phoneNumbers:oneValuePerType', label: 'phone number sent twice with the same type' },
  ])('$what → $rule', ({ overrides, rule, label }) => {
    // Act
    const e = scimError(() => parseUser({ ...minimalUser(), ...overrides }));

    // Assess
    expect(e.status).toBe(400);
    expect(ruleOf(e)).toBe(rule);
    expect(ruleLabel(rule)).toBe(label);
  });

  it('never carries the value the client sent', () => {
    const e = scimError(() => parseUser({ ...minimalUser(), phoneNumbers: [{ type: 'mobile', value: 'is required' }] }));
    expect(ruleOf(e)).toBe('phoneNumbers:e164');
  });
});

describe('the rule of other errors', () => {
  // The title names the rule, not the error: an error's text holds a stack with this checkout's paths, and
  // Stryker's incremental mode matches tests by title (a title that changes with the path reruns mutants in CI).
  it.each<{ what: string; e: ScimError; rule: string }>([
    { what: 'uniqueness with its kind', e: uniqueness('taken', 'uniqueness:phone'), rule: 'uniqueness:phone' },
    { what: 'a filter error', e: invalidFilter('bad'), rule: 'filter' },
    { what: 'a 404', e: notFound('gone'), rule: 'notFound' },
    { what: 'a 429', e: tooManyRequests('busy'), rule: 'throttled' },
    { what: 'a 503', e: unavailable('busy'), rule: 'unavailable' },
    { what: 'a 501', e: new ScimError(501, 'no groups'), rule: 'groupsNotSupported' },
    { what: 'an explicit rule', e: badRequest('x', 'invalidValue', 'name:required'), rule: 'name:required' },
    { what: 'an unknown status', e: new ScimError(418, 'teapot'), rule: 'http418' },
  ])('$what → $rule', ({ e, rule }) => {
    expect(ruleOf(e)).toBe(rule);
  });
});

describe('outcomes', () => {
  it.each<[number, string]>([
    [200, 'ok'],
    [204, 'ok'],
    [400, 'rejected'],
    [409, 'rejected'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [429, 'throttled'],
    [501, 'notImplemented'],
    [503, 'unavailable'],
    [500, 'fault'],
    [502, 'fault'],
  ])('%i → %s', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });
});
