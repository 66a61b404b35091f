import { scimRoute } from './http/scim-route';
import { ok } from './http/response';
import { etagOf } from './scim/user';
import { parseUser } from './scim/validate';

/** PUT /Users/{id} (RFC 7644 §3.5.1): replace every client-controlled attribute. */
export const handler = scimRoute(async ({ req, body, users, log }) => {
  const { user, ignored } = await users.replace(req.params.id ?? '', body(), req.headers['if-match']);
  log.ignored = ignored;
  return ok(users.render(user), { ETag: etagOf(user.meta.version) });
}, { writes: { parseUser } });
