/**
 * What happens when the admin clicks Test Connection: Entra needs an HTTPS tenant URL, then sends
 * `GET /Users?filter=userName+eq+%22<random GUID>%22` and expects 200 with an empty ListResponse.
 */
import { randomUUID } from 'node:crypto';
import { consequence } from '../consequences';
import { StepWarning, asRecord, contentFailure, expectScimJson, expectStatus, failure } from '../expect';
import { isLoopback } from '../options';
import type { Step } from '../types';

const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export const tenantUrl: Step = {
  id: 'tenant-url',
  title: 'Tenant URL scheme (Entra needs https://)',
  // A warning, not a failure: the rest of the check still says whether the endpoint behaves, and a plain-http
  // URL may be a test set-up behind a TLS proxy. Entra itself will refuse it.
  critical: false,
  readOnly: true,
  async run({ client }) {
    const url = new URL(client.base);
    if (url.protocol === 'https:') return 'https';
    // A plain-http loopback URL is the local server: fine for this check, never for Entra.
    if (isLoopback(url.hostname)) return 'http on this machine: fine here; Entra needs an https:// URL reachable from Microsoft\'s cloud';
    throw new StepWarning(failure(undefined, `Entra accepts only https:// tenant URLs, this one is ${url.protocol}//`, consequence('connection-fails')));
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
    // Nothing else can work with a refused token, a wrong URL or nothing listening: the run stops here, with
    // this one failure and what to do about it.
    const fatal = FATAL[ex.answer.status];
    if (fatal) state.fatal = fatal;
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

/** Answers to the probe after which no other request can tell anything, with what to check. */
const FATAL: Record<number, string> = {
  0: 'nothing answered at the tenant URL: is the server running, and is the host and port right?',
  401: 'the token or the tenant URL was refused: use the Secret Token printed with this Tenant URL, and the latest pair (each keys generate replaces the previous one)',
  403: 'the request was refused: use the Secret Token printed with this Tenant URL, and the latest pair (each keys generate replaces the previous one)',
  404: 'nothing at /Users under this URL: pass the whole Tenant URL as keys generate or npm start prints it (…/scim/<account>.<key>)',
};
