import { adminRoute } from './http/admin-route';

/** GET /admin/accounts/{accountId}/quotas — the account's limits (its own or the default) and what it uses. */
export const handler = adminRoute(async (req, _admin, deps) => ({ status: 200, body: await deps.quotas.get(req.params.accountId ?? '') }));
