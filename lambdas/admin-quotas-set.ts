import { requireOperator } from './admin/access';
import { adminRoute } from './http/admin-route';

/**
 * PUT /admin/accounts/{accountId}/quotas {"maxUsers": N|null, "maxAccounts": N|null} — an operator sets the account's
 * own limits (null: back to the deployment default). Lowering a limit below what the account holds removes nobody:
 * new users (or customer accounts) are refused until it is below the limit again.
 */
export const handler = adminRoute(async (req, _admin, deps) => {
  requireOperator(req.principal, 'setting quotas');
  return { status: 200, body: await deps.quotas.set(req.params.accountId ?? '', req.body) };
});
