import { scimRoute } from './http/scim-route';
import { noContent } from './http/response';

/** DELETE /Users/{id} (RFC 7644 §3.6): removes the user and releases its unique values. */
export const handler = scimRoute(async ({ req, users }) => {
  await users.delete(req.params.id ?? '', req.headers['if-match']);
  return noContent();
});
