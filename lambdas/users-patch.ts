import { scimRoute } from './http/scim-route';
import { ok } from './http/response';
import { etagOf } from './scim/user';
import { applyPatch } from './scim/patch';
import { parseUser } from './scim/validate';

/** PATCH /Users/{id} (RFC 7644 §3.5.2), both Entra dialects; answers 200 with the resource. */
export const handler = scimRoute(async ({ req, body, users, log }) => {
  const { user, ignored } = await users.patch(req.params.id ?? '', body(), req.headers['if-match']);
  log.ignored = ignored;
  return ok(users.render(user), { ETag: etagOf(user.meta.version) });
}, { writes: { parseUser, applyPatch } });
