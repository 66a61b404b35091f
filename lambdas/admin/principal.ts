import { ScimError } from '../scim/errors';

/**
 * Who is calling the admin API. An operator runs the platform; a partner manages its own account and the customer
 * accounts under it; an account admin manages its own account only. The access rules are in ./access.ts.
 */
export type Principal = { role: 'operator'; name: string } | { role: 'partner' | 'account-admin'; accountId: string; name: string };

export type Role = Principal['role'];

/** The Cognito groups that grant a role, most powerful first: a user in several groups gets the first one. */
export const ROLES: readonly Role[] = ['operator', 'partner', 'account-admin'];

/**
 * The caller of a console request, from the Cognito ID-token claims API Gateway's COGNITO_USER_POOLS authorizer
 * put in `requestContext.authorizer.claims`. A user without a scimlink group, or a partner / account admin whose
 * user has no `custom:accountId`, is refused (403) rather than given a guessed role.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const name = firstText(claims.email, claims['cognito:username'], claims.sub) ?? 'unknown user';
  const groups = parseGroups(claims['cognito:groups']);
  const role = ROLES.find((r) => groups.includes(r));
  if (!role) {
    throw new ScimError(403, `${name} is in no scimlink group (operator, partner or account-admin); an operator adds console users to one`);
  }
  if (role === 'operator') return { role, name };
  const accountId = firstText(claims['custom:accountId']);
  if (!accountId) throw new ScimError(403, `${name} is a ${role} without an account (custom:accountId); an operator sets it`);
  return { role, accountId, name };
}

/**
 * `cognito:groups` as the REST API authorizer passes it — a string: "operator", "a,b" or "[a b]" — or as an
 * array (the decoded token itself).
 */
export function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((g) => String(g).trim()).filter((g) => g !== '');
  if (typeof value !== 'string') return [];
  return value
    .trim()
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]/)
    .filter((g) => g !== ''); // what runs of separators leave between them
}

function firstText(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return undefined;
}
