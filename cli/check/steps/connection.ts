/**
 * What happens when the admin clicks Test Connection: Entra needs an HTTPS tenant URL, then sends
 * `GET /Users?filter=userName+eq+%22<random GUID>%22` and expects 200 with an empty ListResponse.
 */
import { randomUUID } from 'node:crypto';
import { consequence } from '../consequences';
import { StepFailure, asRecord, contentFailure, expectScimJson, expectStatus, failure } from '../expect';
import type { Step } from '../types';

const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export const tenantUrl: Step = {
  id: 'tenant-url',
  title: 'Tenant URL is https://',
  critical: true,
  readOnly: true,
  async run({ client }) {
    const url = new URL(client.base);
    if (url.protocol === 'https:') return;
    // A plain-http loopback URL is the local server: fine for this check, never for Entra.
    if (LOOPBACK.has(url.hostname)) return 'local http URL: Entra needs an https:// URL reachable from Microsoft\'s cloud';
    throw new StepFailure(failure(undefined, `Entra accepts only https:// tenant URLs, this one is ${url.protocol}//`, consequence('connection-fails')));
  },
};

export const probe: Step = {
  id: 'probe',
  title: 'Test Connection probe (userName eq random GUID)',
  critical: true,
  readOnly: true,
  async run({ client, state, signal }) {
    const guid = randomUUID();
    // Byte for byte what Entra sends: `+` for spaces, %22 for the quotes.
    const ex = await client.send('GET', `/Users?filter=userName+eq+%22${guid}%22`, undefined, signal);
    // Nothing else can work with a refused token or nothing listening: later steps are skipped, not failed.
    if (ex.answer.status === 401 || ex.answer.status === 403) state.fatal = `the probe was refused with ${ex.answer.status} (wrong token or tenant URL)`;
    if (ex.answer.status === 0) state.fatal = 'nothing answered at the tenant URL';
    expectStatus(ex, 'connection', 200);
    expectScimJson(ex, 'connection');
    const body = asRecord(ex.json);
    if (!body) throw contentFailure(ex, 'connection', 'the answer is not a JSON object');
    if (!Array.isArray(body.schemas) || !body.schemas.includes(LIST_RESPONSE)) {
      throw contentFailure(ex, 'connection', `the answer is not a ListResponse (schemas must contain ${LIST_RESPONSE})`);
    }
    if (body.totalResults !== 0) {
      throw contentFailure(ex, 'connection', `totalResults is ${JSON.stringify(body.totalResults)}, expected 0 for a userName nobody has`);
    }
    // RFC 7644 would let an empty list omit Resources, but Entra's documented probe answer has `"Resources": []`.
    if (!Array.isArray(body.Resources) || body.Resources.length !== 0) {
      throw contentFailure(ex, 'connection', `Resources is ${body.Resources === undefined ? 'missing' : JSON.stringify(body.Resources).slice(0, 80)}, expected []`);
    }
  },
};
