import { outcomeOf, ruleOf } from '../../lambdas/scim/error-rules';
import { ruleLabel } from '../../lambdas/scim/rule-labels';
import { ScimError, badRequest, invalidFilter, notFound, tooManyRequests, unavailable, uniqueness } from '../../lambdas/scim/errors';
import { parseUser } from '../../lambdas/scim/validate';
import { scimError } from '../support/caught';
import { minimalUser } from '../fixtures/entra-users';

/** The rule codes metrics, request log lines and provisioning health count rejections by (issue #17). */
describe('the rule of a rejected User body', () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ['a non-E.164 mobile', { phoneNumbers: [{ type: 'mobile', value: '(415) 555-0100' }] }, 'phoneNumbers:e164', 'phone number not in E.164 format'],
    ['an invalid work email', { emails: [{ type: 'work', value: 'not-an-address' }] }, 'emails:emailFormat', 'email address not a valid address'],
    ['no work email', { emails: [] }, 'emails:required', 'no work email address'],
    ['no name at all', { displayName: undefined }, 'displayName:required', 'no displayName, givenName or familyName'],
    ['no userName', { userName: undefined }, 'userName:required', 'userName missing (required)'],
    ['a number as userName', { userName: 5 }, 'userName:type', 'userName of the wrong type'],
    ['letters in the extension', { 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User': { extension: '12a' } }, 'extension:digitsOnly', 'extension number not digits only'],
    ['two work phones', { phoneNumbers: [{ type: 'work', value: '+14155550100' }, { type: 'work', value: '+14155550101' }] }, 'phoneNumbers:oneValuePerType', 'phone number sent twice with the same type'],
  ])('%s → %s', (_what, overrides, rule, label) => {
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
  it.each<[string, ScimError, string]>([
    ['uniqueness with its kind', uniqueness('taken', 'uniqueness:phone'), 'uniqueness:phone'],
    ['a filter error', invalidFilter('bad'), 'filter'],
    ['a 404', notFound('gone'), 'notFound'],
    ['a 429', tooManyRequests('busy'), 'throttled'],
    ['a 503', unavailable('busy'), 'unavailable'],
    ['a 501', new ScimError(501, 'no groups'), 'groupsNotSupported'],
    ['an explicit rule', badRequest('x', 'invalidValue', 'name:required'), 'name:required'],
    ['an unknown status', new ScimError(418, 'teapot'), 'http418'],
  ])('%s → %s', (_what, e, rule) => {
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
