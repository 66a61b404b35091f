import { adminRoute } from './http/admin-route';

/** GET /admin/accounts */
export const handler = adminRoute(async (_req, admin) => ({ status: 200, body: { accounts: await admin.listAccounts() } }));
