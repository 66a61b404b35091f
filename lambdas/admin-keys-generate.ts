import './runtime/admin-secrets';
import { adminRoute } from './http/admin-route';

/** POST /admin/accounts/{accountId}/integration/keys — new Tenant URL + Secret Token, shown once. */
export const handler = adminRoute(async (req, admin) => ({
  status: 201,
  body: await admin.generateKeys(req.params.accountId ?? '', req.apiBaseUrl),
}));
