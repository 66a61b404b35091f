import { normalizePhoneInput } from './admin/phone-input';
import { adminRoute } from './http/admin-route';
import { badRequest } from './scim/errors';

/** GET /admin/phones?number=…&country=… — who holds a number, across accounts (SPEC §5). */
export const handler = adminRoute(async (req, admin) => {
  const number = req.query.number;
  if (!number) throw badRequest('number is required, e.g. ?number=%2B14155550100');
  return { status: 200, body: await admin.searchPhone(normalizePhoneInput(number, req.query.country)) };
});
