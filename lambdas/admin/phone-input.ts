import { parsePhoneNumberFromString, CountryCode } from 'libphonenumber-js/min';
import { E164 } from '../scim/rules';
import { ScimError } from '../scim/errors';

/**
 * Normalise what an operator types ("+1 (415) 555-0100", "0044 20 7183 8750", "415-555-0100" with --country US)
 * to E.164 for the phone-conflict search (SPEC §5). libphonenumber-js only *reads* formats here; it never
 * decides whether a number may be stored (that rule is syntactic, lambdas/scim/rules.ts).
 */
export function normalizePhoneInput(input: string, country?: string): string {
  const trimmed = input.trim();
  const parsed = parsePhoneNumberFromString(trimmed.replace(/^00/, '+'), country ? (country.toUpperCase() as CountryCode) : undefined);
  if (parsed?.number && E164.test(parsed.number)) return parsed.number;
  // Not a number the library knows how to read: keep the digits if the operator typed an international number.
  const digits = trimmed.replace(/[^0-9]/g, '');
  const candidate = `+${digits}`;
  if (trimmed.startsWith('+') && E164.test(candidate)) return candidate;
  throw new ScimError(
    400,
    `'${input}' is not a readable phone number; type it in international format (e.g. +14155550100) or give its country (a two-letter code such as US).`,
  );
}
