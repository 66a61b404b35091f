import { requireOperator } from './admin/access';
import { adminRoute } from './http/admin-route';

/** GET /admin/accounts/{accountId}/domains — the account's domain claims and who else holds values in them (operators). */
export const handler = adminRoute(async (req, _admin, deps) => {
  requireOperator(req.principal, 'domain claims');
  return { status: 200, body: await deps.domains.list(req.params.accountId ?? '') };
});
