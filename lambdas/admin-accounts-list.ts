import { visibleAccounts } from './admin/access';
import { MAX_ACCOUNT_FILTER, accountMatches } from './admin/account-search';
import { adminRoute } from './http/admin-route';
import { badRequest } from './scim/errors';

/**
 * GET /admin/accounts[?q=TEXT] — the accounts the caller manages (all of them for an operator), optionally only
 * those whose name or id contains TEXT. The same one Query of the account directory either way: the filter adds
 * no read.
 */
export const handler = adminRoute(async (req, admin) => {
  const q = req.query.q;
  if (q !== undefined && q.length > MAX_ACCOUNT_FILTER) throw badRequest(`q must be at most ${MAX_ACCOUNT_FILTER} characters`);
  const accounts = visibleAccounts(req.principal, await admin.listAccounts());
  return { status: 200, body: { accounts: q === undefined ? accounts : accounts.filter((a) => accountMatches(a, q)) } };
});
