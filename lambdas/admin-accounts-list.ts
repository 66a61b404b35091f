import { visibleAccounts } from './admin/access';
import { adminRoute } from './http/admin-route';

/** GET /admin/accounts — the accounts the caller manages (all of them for an operator). */
export const handler = adminRoute(async (req, admin) => ({
  status: 200,
  body: { accounts: visibleAccounts(req.principal, await admin.listAccounts()) },
}));
