import { adminRoute } from './http/admin-route';
import { badRequest } from './scim/errors';

/** GET /admin/accounts/{accountId}/log?errors=true&limit=50 — Entra's last requests, newest first. */
export const handler = adminRoute(async (req, admin, { log }) => {
  const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
  if (!Number.isInteger(limit) || limit < 1) throw badRequest('limit must be a positive integer');
  const errors = req.query.errors === 'true';
  const account = await admin.getAccount(req.params.accountId ?? ''); // 404 for an unknown account
  return { status: 200, body: { accountId: account.id, entries: await log.latest(account.id, limit, errors) } };
});
