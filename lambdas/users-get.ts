import { scimRoute } from './http/scim-route';
import { ok } from './http/response';
import { project } from './scim/projection';
import { etagOf } from './scim/user';

/** GET /Users/{id} (RFC 7644 §3.4.1), with attributes/excludedAttributes. */
export const handler = scimRoute(async ({ req, users }) => {
  const user = await users.get(req.params.id ?? '');
  return ok(project(users.render(user), req.query), { ETag: etagOf(user.meta.version) });
});
