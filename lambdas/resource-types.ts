import { scimRoute } from './http/scim-route';
import { ok } from './http/response';
import { resourceTypeById, resourceTypesList } from './scim/discovery';

/** GET /ResourceTypes and /ResourceTypes/{id} (RFC 7644 §4): User only. */
export const handler = scimRoute(async ({ req, principal }) => {
  await principal;
  const id = req.params.id;
  return ok(id ? resourceTypeById(req.baseUrl, id) : resourceTypesList(req.baseUrl));
});
