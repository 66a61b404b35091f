import './runtime/admin-secrets';
import { requireMayDelete } from './admin/access';
import { adminRoute } from './http/admin-route';
import { DELETE_BATCH } from './admin/account-teardown';
import { badRequest } from './scim/errors';

/**
 * DELETE /admin/accounts/{accountId}[?force=true][&limit=N] (issue 16): 200 when the account is gone, 202 with what
 * remains when this call's share of the work (at most `limit` deletes, default and maximum 100) is done and the
 * caller must call again (lambdas/admin/account-teardown.ts).
 */
export const handler = adminRoute(async (req, admin) => {
  const accountId = req.params.accountId ?? '';
  requireMayDelete(req.principal, accountId);
  const force = req.query.force;
  if (force !== undefined && force !== 'true' && force !== 'false') throw badRequest("force must be 'true' or 'false'");
  const limit = req.query.limit === undefined ? DELETE_BATCH : Number(req.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > DELETE_BATCH) throw badRequest(`limit must be a whole number from 1 to ${DELETE_BATCH}`);
  const view = await admin.deleteAccount(accountId, { force: force === 'true', batch: limit });
  return { status: view.deleted ? 200 : 202, body: view };
});
