import { requireOperator } from './admin/access';
import { adminRoute } from './http/admin-route';

/**
 * PUT /admin/accounts/{accountId}/domains/{domain} — claim a domain (and its subdomains) for the account: only it
 * may then hold login IDs and emails there. 201 when claimed now, 200 when the account held it already; either way
 * the answer lists the values in the domain other accounts hold (issue 14, item 2).
 */
export const handler = adminRoute(async (req, _admin, deps) => {
  requireOperator(req.principal, 'claiming a domain');
  const { created, view } = await deps.domains.claim(req.params.accountId ?? '', req.params.domain);
  return { status: created ? 201 : 200, body: view };
});
