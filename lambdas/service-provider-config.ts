import { scimRoute } from './http/scim-route';
import { ok } from './http/response';
import { serviceProviderConfig } from './scim/discovery';

/** GET /ServiceProviderConfig (RFC 7644 §4). DOCUMENTATION_URI: the stack's `documentationUrl` context, if set. */
export const handler = scimRoute(async ({ req, principal }) => {
  await principal;
  return ok(serviceProviderConfig(req.baseUrl, process.env.DOCUMENTATION_URI || undefined));
});
