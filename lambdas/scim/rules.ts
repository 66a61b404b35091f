import { canonicalForm } from './identifiers';

/**
 * Value rules that more than one place needs (validation, uniqueness, admin search). One place decides each.
 */

/**
 * E.164 (ITU-T E.164 / SPEC §4): "+", then 2–15 digits, the first not 0. Purely syntactic on purpose: a
 * numbering-plan library's idea of "assigned ranges" ages, and rejecting a well-formed number would make Entra
 * retry that user forever.
 */
export const E164 = /^\+[1-9][0-9]{1,14}$/;
export const E164_EXAMPLE = '+14155550100';

/**
 * A pragmatic address check: one "@", a non-empty local part (≤ 64), a dotted domain, no whitespace; ≤ 254 in
 * all (RFC 5321 §4.5.3.1). Unicode is allowed (RFC 6531), quoted local parts are not (Entra never sends them).
 */
export const EMAIL = /^[^\s@"]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/u;
export const EMAIL_MAX = 254;

/** Extension numbers: digits only (SPEC §4). */
export const EXTENSION = /^[0-9]{1,15}$/;

/** "True"/"False" in any case (Entra sends booleans as strings in some mappings), or a real boolean. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return undefined;
}

/**
 * Case-insensitive comparison form (RFC 7643 `caseExact: false`): the canonical form of lambdas/scim/identifiers.ts
 * (NFKC + case folding). ONE function for uniqueness keys and for filter/PATCH comparisons, so a value refused as
 * taken is always found by the `eq` lookup Entra makes before creating (else it would retry the 409 forever).
 * Found by test/unit/fuzz-core.test.ts.
 */
export const foldCase = canonicalForm;

/** Unique-value normalisation (SPEC §4 uniqueness table). */
export const normalizeUserName = foldCase;
export const normalizeEmail = foldCase;
export const phoneDigits = (v: string) => v.replace(/[^0-9]/g, '');
