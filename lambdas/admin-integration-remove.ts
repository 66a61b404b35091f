import './runtime/admin-secrets';
import { adminRoute } from './http/admin-route';

/** DELETE /admin/accounts/{accountId}/integration — revokes Entra's access at once; users are kept. */
export const handler = adminRoute(async (req, admin) => {
  await admin.removeIntegration(req.params.accountId ?? '');
  return { status: 204 };
});
