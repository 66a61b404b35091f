/** What an operator types into the phone-conflict search (lambdas/admin/phone-input.ts), read as E.164. */
import { normalizePhoneInput } from '../../lambdas/admin/phone-input';
import { ScimError } from '../../lambdas/scim/errors';
import { scimError } from '../support/caught';

describe('normalizePhoneInput', () => {
  it.each([
    ['+1 (415) 555-0100', undefined, '+14155550100'],
    [' +14155550100 ', undefined, '+14155550100'],
    ['0044 20 7183 8750', undefined, '+442071838750'],
    ['00 1 415 555 0100', undefined, '+14155550100'],
    ['+44 20 7100 8750', undefined, '+442071008750'],
    ['415-555-0100', 'US', '+14155550100'],
    ['415-555-0100', 'us', '+14155550100'],
    ['020 7100 8750', 'GB', '+442071008750'],
    ['020 7100 8750', 'gb', '+442071008750'],
  ])('%j (country %s) → %s', (input, country, expected) => {
    expect(normalizePhoneInput(input, country)).toBe(expected);
  });

  it('a number in a plan the library does not know keeps its digits when typed internationally', () => {
    expect(normalizePhoneInput('+999 123 4567')).toBe('+9991234567');
    expect(normalizePhoneInput('  +999-123-4567  ')).toBe('+9991234567');
  });

  it.each([
    ['415-555-0100', undefined],
    ['999 123 4567', undefined],
    ['+0123', undefined],
    ['+1234567890123456', undefined],
    ['+', undefined],
    ['call me', 'US'],
  ])('%j (country %s) → 400 telling how to type it', (input, country) => {
    const e = scimError(() => normalizePhoneInput(input, country));
    expect(e).toBeInstanceOf(ScimError);
    expect(e.status).toBe(400);
    expect(e.detail).toBe(
      `'${input}' is not a readable phone number; type it in international format (e.g. +14155550100) or give its country (a two-letter code such as US).`,
    );
  });
});
