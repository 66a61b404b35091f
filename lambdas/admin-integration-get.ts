import { adminRoute } from './http/admin-route';

/** GET /admin/accounts/{accountId}/integration — added when, keys generated when, last request seen, users. */
export const handler = adminRoute(async (req, admin) => ({
  status: 200,
  body: await admin.getIntegration(req.params.accountId ?? '', req.apiBaseUrl),
}));
