import { scimRoute } from './http/scim-route';
import { ok } from './http/response';
import { schemaById, schemasList } from './scim/discovery';

/** GET /Schemas and /Schemas/{id} (RFC 7644 §4). */
export const handler = scimRoute(async ({ req, principal }) => {
  await principal;
  const id = req.params.id;
  return ok(id ? schemaById(req.baseUrl, id) : schemasList(req.baseUrl));
});
