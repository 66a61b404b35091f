import { visibleHits } from './admin/access';
import { normalizePhoneInput } from './admin/phone-input';
import { adminRoute } from './http/admin-route';
import { badRequest } from './scim/errors';

/**
 * GET /admin/phones?number=…&country=… — who holds a number, across accounts (SPEC §5); a partner or account admin
 * sees only the holders in accounts it manages (a holder elsewhere is no hit for it).
 */
export const handler = adminRoute(async (req, admin) => {
  const number = req.query.number;
  if (!number) throw badRequest('number is required, e.g. ?number=%2B14155550100');
  const found = await admin.searchPhone(normalizePhoneInput(number, req.query.country));
  return { status: 200, body: { ...found, hits: await visibleHits(req.principal, found.hits, (id) => admin.findAccount(id)) } };
});
