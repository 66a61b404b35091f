import { adminRoute } from './http/admin-route';
import { badRequest } from './scim/errors';
import { parsePaging } from './scim/list-response';

/** GET /admin/accounts/{accountId}/users?startIndex&count&active — active and inactive users. */
export const handler = adminRoute(async (req, admin) => {
  const { startIndex, count } = parsePaging(req.query);
  const active = req.query.active;
  if (active !== undefined && active !== 'true' && active !== 'false') throw badRequest("active must be 'true' or 'false'");
  return {
    status: 200,
    body: await admin.listUsers(req.params.accountId ?? '', { startIndex, count, ...(active ? { active: active === 'true' } : {}) }),
  };
});
