import { adminRoute } from './http/admin-route';

/** GET /admin/accounts/{accountId} */
export const handler = adminRoute(async (req, admin) => ({ status: 200, body: await admin.getAccount(req.params.accountId ?? '') }));
