import { accountCreation } from './admin/access';
import { adminRoute } from './http/admin-route';
import { badRequest } from './scim/errors';

/** POST /admin/accounts — create a partner or customer account (SPEC §2); a partner, customers under itself. */
export const handler = adminRoute(async (req, admin) => {
  if (typeof req.body !== 'object' || req.body === null) throw badRequest('send a JSON object: {"name": "...", "type": "customer"}');
  const request = accountCreation(req.principal, req.body as Record<string, unknown>);
  return { status: 201, body: await admin.createAccount(request, req.principal.role === 'partner') };
});
