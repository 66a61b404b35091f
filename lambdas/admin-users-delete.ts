import { adminRoute } from './http/admin-route';

/** DELETE /admin/accounts/{accountId}/users/{userId} — deletes the user and releases its unique values. */
export const handler = adminRoute(async (req, admin) => {
  await admin.deleteUser(req.params.accountId ?? '', req.params.userId ?? '');
  return { status: 204 };
});
