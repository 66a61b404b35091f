import { scimRoute } from './http/scim-route';
import { created } from './http/response';
import { etagOf } from './scim/user';
import { parseUser } from './scim/validate';

/** POST /Users (RFC 7644 §3.3). */
export const handler = scimRoute(async ({ body, users, log }) => {
  const { user, ignored } = await users.create(await body());
  log.ignored = ignored;
  const resource = users.render(user);
  return created(resource, { ETag: etagOf(user.meta.version), Location: String((resource.meta as { location: string }).location) });
}, { writes: { parseUser } });
