import { requireMayRename } from './admin/access';
import { adminRoute } from './http/admin-route';
import { badRequest } from './scim/errors';

/** PATCH /admin/accounts/{accountId} {"name": "..."}: rename an account (issue 16); nothing else about it changes. */
export const handler = adminRoute(async (req, admin) => {
  requireMayRename(req.principal);
  const body = req.body as Record<string, unknown> | null;
  if (typeof body !== 'object' || body === null || Object.keys(body).some((k) => k !== 'name')) {
    throw badRequest('send a JSON object with the new name only: {"name": "..."}');
  }
  return { status: 200, body: await admin.renameAccount(req.params.accountId ?? '', body.name) };
});
