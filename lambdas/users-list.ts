import { scimRoute } from './http/scim-route';
import { ok } from './http/response';
import { cursorListResponse, encodeCursor, listResponse, parsePaging } from './scim/list-response';
import { project } from './scim/projection';

/** GET /Users?filter=… (RFC 7644 §3.4.2, cursors RFC 9865) — also Entra's Test Connection probe. */
export const handler = scimRoute(async ({ req, users }) => {
  const paging = parsePaging(req.query);
  const { total, users: page, next } = await users.query(req.query.filter, paging);
  const resources = page.map((u) => project(users.render(u), req.query));
  if (paging.cursor !== undefined) return ok(cursorListResponse(resources, total, next === undefined ? undefined : encodeCursor(next)));
  return ok(listResponse(resources, total ?? resources.length, paging.startIndex));
});
