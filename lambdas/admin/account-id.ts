import { ScimError } from '../scim/errors';

/**
 * Account ids (issue 14, item 6). They end up in DynamoDB keys (`ACCOUNT#<id>`, `UNIQUE#extension#<id>#…`), in the
 * tenant URL (`/scim/<id>.<tenantKey>`, split at the first dot), in Secrets Manager names
 * (`scimlink/<stage>/tokens/<id>`) and in CLI output. So only what is inert in all of them: 1–64 lower-case
 * letters, digits and hyphens, starting and ending with a letter or a digit (a DNS label). No `#` (key separator),
 * no `.` (tenant separator), no `/` or `..` (paths), no upper case (two ids that differ only in case), no spaces.
 * Generated ids (16 hex digits) and the local `demo` match it.
 */
/** ACCOUNT_ID without its anchors: the tenant URL's pattern (lambdas/auth/tokens.ts) embeds the same rule. */
export const ACCOUNT_ID_PATTERN = '[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?';
export const ACCOUNT_ID = new RegExp(`^${ACCOUNT_ID_PATTERN}$`);
export const ACCOUNT_ID_RULE = '1-64 lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. contoso-eu)';

/** A 400 unless `id` matches ACCOUNT_ID. The refused id is shown JSON-escaped and cut, never raw. */
export function requireValidAccountId(id: unknown, what = 'id'): string {
  if (typeof id === 'string' && ACCOUNT_ID.test(id)) return id;
  const shown = typeof id === 'string' ? JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id) : `a ${id === null ? 'null' : typeof id}`;
  throw new ScimError(400, `${what} ${shown} is not a valid account id: use ${ACCOUNT_ID_RULE}`);
}
