import { outcomeOf, ruleOf, validationRule } from '../../lambdas/scim/error-rules';
import { ruleLabel } from '../../lambdas/scim/rule-labels';
import { ScimError, invalidPath, invalidSyntax, mutability, noTarget, preconditionFailed, tooMany, unauthorized } from '../../lambdas/scim/errors';
import { EXTENSION_SCHEMA } from '../../lambdas/scim/schema';

/**
 * Rule codes and the words provisioning health shows an admin for them ("Entra is failing on: phone number not in
 * E.164 format"). Every code the service emits has its sentence; a code without one is shown as the code.
 */
describe('the words for each rule code', () => {
  it.each([
    ['displayName:required', 'no displayName, givenName or familyName'],
    ['emails:required', 'no work email address'],
    ['uniqueness:userName', 'userName already used by another user'],
    ['uniqueness:email', 'email address already used by another user'],
    ['uniqueness:phone', 'phone number already used by another user'],
    ['uniqueness:extension', 'extension number already used in the account'],
    ['uniqueness:domain', 'login ID or email in a domain claimed by another account'],
    ['quota:users', "account's user limit reached"],
    ['quota:accounts', "partner's account limit reached"],
    ['conflict', 'conflict with another user'],
    ['syntax', 'malformed request'],
    ['filter', 'invalid filter'],
    ['path', 'invalid PATCH path'],
    ['value', 'invalid value'],
    ['noTarget', 'PATCH target not found'],
    ['mutability', 'read-only attribute changed'],
    ['tooMany', 'too many operations or results'],
    ['unauthorized', 'wrong token or tenant URL'],
    ['forbidden', 'not allowed'],
    ['notFound', 'user not found'],
    ['precondition', 'ETag (If-Match) mismatch'],
    ['bodyTooLarge', 'request body too large'],
    ['mediaType', 'unsupported Content-Type'],
    ['throttled', 'throttled (retried)'],
    ['unavailable', 'temporarily unavailable (retried)'],
    ['groupsNotSupported', 'group provisioning is on (set Provision Microsoft Entra ID Groups to No)'],
    ['internal', 'internal error'],
  ])('%s → %s', (rule, label) => {
    expect(ruleLabel(rule)).toBe(label);
  });

  it.each([
    ['userName', 'userName'],
    ['externalId', 'externalId'],
    ['displayName', 'display name'],
    ['name', 'name'],
    ['active', 'active'],
    ['emails', 'email address'],
    ['phoneNumbers', 'phone number'],
    ['roles', 'roles'],
    ['addresses', 'address'],
    ['extension', 'extension number'],
    ['resource', 'user'],
  ])('attribute %s is named "%s"', (attribute, words) => {
    expect(ruleLabel(`${attribute}:invalid`)).toBe(`${words} invalid`);
  });

  it.each([
    ['required', 'missing (required)'],
    ['e164', 'not in E.164 format'],
    ['emailFormat', 'not a valid address'],
    ['digitsOnly', 'not digits only'],
    ['oneValuePerType', 'sent twice with the same type'],
    ['tooLong', 'too long'],
    ['unicode', 'not valid Unicode text'],
    ['empty', 'empty'],
    ['oneOf', 'not one of the allowed values'],
    ['type', 'of the wrong type'],
    ['invalid', 'invalid'],
  ])('kind %s reads "%s"', (kind, words) => {
    expect(ruleLabel(`roles:${kind}`)).toBe(`roles ${words}`);
  });

  it.each(['http418', 'title:required', 'roles:weird', 'roles', 'constructor', 'toString:required', 'roles:constructor'])('unknown code %s is shown as is', (rule) => {
    expect(ruleLabel(rule)).toBe(rule);
  });
});

describe('the rule code of an error', () => {
  // The title names the rule, not the error: an error's text holds a stack with this checkout's paths, and
  // Stryker's incremental mode matches tests by title (a title that changes with the path reruns mutants in CI).
  it.each<{ what: string; e: ScimError; rule: string }>([
    { what: 'invalidSyntax', e: invalidSyntax('x'), rule: 'syntax' },
    { what: 'invalidPath', e: invalidPath('x'), rule: 'path' },
    { what: 'invalidValue', e: new ScimError(400, 'x', 'invalidValue'), rule: 'value' },
    { what: 'noTarget (named as itself)', e: noTarget('x'), rule: 'noTarget' },
    { what: 'mutability', e: mutability('x'), rule: 'mutability' },
    { what: 'tooMany', e: tooMany('x'), rule: 'tooMany' },
    { what: '401', e: unauthorized(), rule: 'unauthorized' },
    { what: '403', e: new ScimError(403, 'x'), rule: 'forbidden' },
    { what: '409 without a rule', e: new ScimError(409, 'x'), rule: 'conflict' },
    { what: '412', e: preconditionFailed('x'), rule: 'precondition' },
    { what: '413', e: new ScimError(413, 'x'), rule: 'bodyTooLarge' },
    { what: '415', e: new ScimError(415, 'x'), rule: 'mediaType' },
    { what: '500', e: new ScimError(500, 'x'), rule: 'internal' },
    { what: 'a 400 without scimType', e: new ScimError(400, 'x'), rule: 'http400' },
  ])('$what → $rule', ({ e, rule }) => {
    expect(ruleOf(e)).toBe(rule);
  });

  it('every code derived from a status or scimType has words', () => {
    for (const e of [invalidSyntax(''), invalidPath(''), noTarget(''), mutability(''), tooMany(''), unauthorized(), preconditionFailed('')]) {
      expect(ruleLabel(ruleOf(e))).not.toBe(ruleOf(e));
    }
  });
});

describe('validation rule codes', () => {
  it.each<[PropertyKey[], string, string]>([
    [[], 'is required: send at least one of …', 'resource:required'],
    [['nickName'], 'must be a string, not number 5', 'resource:type'],
    [[EXTENSION_SCHEMA, 'extension'], "'1a' must contain digits only", 'extension:digitsOnly'],
    [['emails', 0, 'value'], 'is longer than 254 characters', 'emails:tooLong'],
    [['roles'], 'has more than 20 roles', 'roles:tooLong'],
    [['emails'], 'has more than one entry of type "work"; send one value per type', 'emails:oneValuePerType'],
    [['displayName'], 'is not valid Unicode text (it contains an unpaired surrogate)', 'displayName:unicode'],
    [['userName'], 'must not be empty', 'userName:empty'],
    [['emails', 0, 'type'], 'must be one of "work", "other"', 'emails:oneOf'],
    [['active'], 'must be a boolean (true or false), not the string \'yes\'', 'active:type'],
    [['phoneNumbers', 0, 'value'], "'5' is not in E.164 format (\"+\", then 2-15 digits, the first not 0), e.g. +14155550100", 'phoneNumbers:e164'],
    [['emails', 0, 'value'], "'x' is not a valid email address", 'emails:emailFormat'],
    [['userName'], "'ａnn' mixes scripts", 'userName:invalid'],
    [['externalId'], 'x must be one of', 'externalId:invalid'],
    [['name'], 'x is required', 'name:invalid'],
    [['addresses'], 'say must be a string', 'addresses:invalid'],
  ])('%j %s → %s', (path, message, rule) => {
    expect(validationRule(path, message)).toBe(rule);
  });
});

describe('outcomes at the edges of each class', () => {
  it.each<[number, string]>([
    [399, 'ok'],
    [400, 'rejected'],
    [402, 'rejected'],
    [404, 'rejected'],
    [499, 'rejected'],
    [500, 'fault'],
    [504, 'fault'],
  ])('%i → %s', (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });
});
