/**
 * Discovery documents (RFC 7644 §4). Entra's provisioning cycles work from the admin's attribute mappings and
 * do not read them, so failures here are warnings; Microsoft's SCIM Validator and generic SCIM clients do.
 */
import { asRecord, contentFailure, expectScimJson, expectStatus, resources } from '../expect';
import type { CheckContext, Exchange, Step } from '../types';

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

async function get(ctx: CheckContext, path: string): Promise<Exchange> {
  const ex = await ctx.client.send('GET', path, undefined, ctx.signal);
  expectStatus(ex, 'discovery', 200);
  expectScimJson(ex, 'discovery');
  return ex;
}

export const serviceProviderConfig: Step = {
  id: 'discovery.spc',
  title: 'GET /ServiceProviderConfig',
  critical: false,
  readOnly: true,
  async run(ctx) {
    const ex = await get(ctx, '/ServiceProviderConfig');
    const body = asRecord(ex.json);
    if (!Array.isArray(body?.schemas) || !body.schemas.includes(SPC_SCHEMA)) {
      throw contentFailure(ex, 'discovery', `schemas does not contain ${SPC_SCHEMA}`);
    }
    if (asRecord(body.patch)?.supported !== true) throw contentFailure(ex, 'discovery', 'patch.supported is not true (Entra updates users with PATCH)');
    if (asRecord(body.filter)?.supported !== true) throw contentFailure(ex, 'discovery', 'filter.supported is not true (Entra finds users with filters)');
  },
};

export const schemas: Step = {
  id: 'discovery.schemas',
  title: 'GET /Schemas',
  critical: false,
  readOnly: true,
  async run(ctx) {
    const ex = await get(ctx, '/Schemas');
    const ids = resources(ex)?.map((r) => r.id);
    if (!ids) throw contentFailure(ex, 'discovery', 'the answer is not a ListResponse with Resources');
    if (!ids.includes(USER_SCHEMA)) throw contentFailure(ex, 'discovery', `the core User schema (${USER_SCHEMA}) is not listed`);
    return `${ids.length} schema${ids.length === 1 ? '' : 's'}`;
  },
};

export const resourceTypes: Step = {
  id: 'discovery.resource-types',
  title: 'GET /ResourceTypes',
  critical: false,
  readOnly: true,
  async run(ctx) {
    const ex = await get(ctx, '/ResourceTypes');
    const list = resources(ex);
    if (!list) throw contentFailure(ex, 'discovery', 'the answer is not a ListResponse with Resources');
    const user = list.find((r) => r.id === 'User' || r.name === 'User');
    if (!user) throw contentFailure(ex, 'discovery', 'no User resource type is listed');
    if (user.endpoint !== '/Users') throw contentFailure(ex, 'discovery', `the User resource type's endpoint is ${JSON.stringify(user.endpoint)}, expected "/Users"`);
    return list.map((r) => String(r.id ?? r.name)).join(', ');
  },
};
