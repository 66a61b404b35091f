import { requireOperator } from './admin/access';
import { adminRoute } from './http/admin-route';

/**
 * GET /admin/verify — scan the table and report every inconsistency between users and their sentinels, externalId
 * index items and count shards (`scimlink verify`). The only handler allowed to Scan (HANDLER_ACCESS `scan`).
 * Operators only: it reads every account.
 */
export const handler = adminRoute(async (req, admin) => {
  requireOperator(req.principal, 'verify');
  return { status: 200, body: await admin.verify() };
});
