import { scimRoute } from './http/scim-route';
import { ok } from './http/response';
import { ScimError, notFound } from './scim/errors';
import { listResponse } from './scim/list-response';

/**
 * /Groups stand-ins (SPEC §3): the platform has no groups. Entra probes GET /Groups when group provisioning is
 * on, so a list answers an empty ListResponse (the probe passes); anything else explains what to change.
 */
export const handler = scimRoute(async ({ req, principal }) => {
  await principal;
  if (req.method === 'GET' && !req.params.id) return ok(listResponse([], 0, 1));
  if (req.method === 'GET') throw notFound(`Group ${req.params.id} not found: this service provider has no groups.`);
  throw new ScimError(
    501,
    'Groups are not supported. In the Entra admin center, open the app’s Provisioning → Mappings and set "Provision Microsoft Entra ID Groups" to No.',
  );
});
