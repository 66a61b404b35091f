import { scimRoute } from './http/scim-route';
import { ok } from './http/response';
import { listResponse, parsePaging } from './scim/list-response';
import { project } from './scim/projection';

/** GET /Users?filter=… (RFC 7644 §3.4.2) — also Entra's Test Connection probe. */
export const handler = scimRoute(async ({ req, users }) => {
  const paging = parsePaging(req.query);
  const { total, users: page } = await users.query(req.query.filter, paging);
  return ok(listResponse(page.map((u) => project(users.render(u), req.query)), total, paging.startIndex));
});
