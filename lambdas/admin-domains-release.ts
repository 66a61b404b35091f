import { requireOperator } from './admin/access';
import { adminRoute } from './http/admin-route';

/** DELETE /admin/accounts/{accountId}/domains/{domain} — release a claim: the domain behaves as unclaimed again. */
export const handler = adminRoute(async (req, _admin, deps) => {
  requireOperator(req.principal, 'releasing a domain');
  await deps.domains.release(req.params.accountId ?? '', req.params.domain);
  return { status: 204 };
});
