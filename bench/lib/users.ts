/**
 * Entra-shaped User bodies for the bench, deterministic per index so the seeder, the load generator and the peer
 * all agree on what user #i looks like. Unique values (userName, email, phone) never collide across `prefix`es.
 */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface UserBody {
  schemas: string[];
  userName: string;
  externalId: string;
  active: boolean;
  displayName: string;
  name: { givenName: string; familyName: string };
  emails: Array<{ type: 'work'; value: string; primary: boolean }>;
  phoneNumbers: Array<{ type: 'mobile'; value: string }>;
}

/**
 * `series` (0–899) keeps phone numbers of different runs apart: +1 (200+series) 5xx xxxx, 7 digits of index.
 * Index must be < 10,000,000.
 */
export function userBody(prefix: string, series: number, i: number): UserBody {
  const upn = `${prefix}${i}@contoso.com`;
  return {
    schemas: [USER_SCHEMA],
    userName: upn,
    externalId: `${prefix}-oid-${i}`,
    active: true,
    displayName: `${prefix} User ${i}`,
    name: { givenName: `${prefix}${i}`, familyName: 'Bench' },
    emails: [{ type: 'work', value: upn, primary: true }],
    phoneNumbers: [{ type: 'mobile', value: `+1${200 + series}${String(i).padStart(7, '0')}` }],
  };
}

/**
 * Entra's multi-attribute update: one PATCH, one `Replace` per attribute with a path (its usual dialect), here a
 * rename plus a new work email — so the write also swaps a uniqueness sentinel (claim the new, release the old).
 */
export function entraMultiPatch(prefix: string, i: number) {
  return {
    schemas: [PATCH_SCHEMA],
    Operations: [
      { op: 'Replace', path: 'displayName', value: `${prefix} User ${i} (renamed)` },
      { op: 'Replace', path: 'name.givenName', value: `${prefix}${i}b` },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: `${prefix}${i}.renamed@contoso.com` },
    ],
  };
}

/**
 * Entra disabling a user (soft delete / unassignment). Without the `aadOptscim062020` flag Entra sends `active`
 * as the string "False"; with it, a boolean. (SCIMMY rejects the string with a 400, so the peer gets the boolean.)
 */
export const entraDisablePatch = (value: 'False' | false = 'False') => ({
  schemas: [PATCH_SCHEMA],
  Operations: [{ op: 'Replace', path: 'active', value }],
});
