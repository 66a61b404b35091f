import { adminRoute } from './http/admin-route';

/** PUT /admin/accounts/{accountId}/integration — add Entra ID Sync (customer accounts only; idempotent). */
export const handler = adminRoute(async (req, admin) => ({
  status: 200,
  body: await admin.addIntegration(req.params.accountId ?? '', req.apiBaseUrl),
}));
