import { adminRoute } from './http/admin-route';

/** GET /admin/accounts/{accountId}/users/{userId} */
export const handler = adminRoute(async (req, admin) => ({
  status: 200,
  body: await admin.getUser(req.params.accountId ?? '', req.params.userId ?? ''),
}));
