/**
 * What Microsoft Entra ID's provisioning service does with an answer, so a failure says more than "expected
 * 200, got 404". Sources: the SPEC (§3 Test Connection), Microsoft's "Application provisioning in quarantine
 * status" page and the Entra provisioning team's public answers: per-object failures are held ("escrowed") and
 * retried with exponential backoff (~30 min, 1 h, 2 h, …); when most calls fail, or the start-up calls (the
 * probe, the credentials) fail, the whole job is quarantined and cycles slow to once a day.
 */

/** The operation Entra was performing: the same status means different things to the probe and to a user. */
export type Operation =
  | 'connection' // the Test Connection probe, also the first call of every cycle
  | 'discovery' // /ServiceProviderConfig, /Schemas, /ResourceTypes
  | 'lookup' // GET /Users?filter=… (matching a user before creating or updating it)
  | 'read' // GET /Users/{id}
  | 'create'
  | 'update' // PATCH or PUT
  | 'delete'
  | 'reject'; // a write Entra expects to be refused (uniqueness, validation)

export type ConsequenceKind = 'quarantine' | 'connection-fails' | 'retry' | 'user-fails' | 'silent-divergence' | 'not-used';

export interface Consequence {
  kind: ConsequenceKind;
  /** One sentence, as the report prints after "Entra:". */
  summary: string;
}

const SUMMARY: Record<ConsequenceKind, string> = {
  quarantine:
    'quarantines the provisioning job: no user is provisioned, cycles slow to once a day, and after four weeks the job is disabled',
  'connection-fails': 'Test Connection fails: the admin cannot save the Tenant URL and token, so provisioning never starts',
  retry: 'retries in later cycles (exponential backoff); if most calls fail this way the job is quarantined',
  'user-fails':
    'gives up on that user: a failure in the provisioning logs, retried in later cycles but failing the same way until the data or the endpoint changes',
  'silent-divergence':
    "reports success, so nobody is told: the platform's data silently differs from Entra's (duplicates, stale or invalid values)",
  'not-used':
    "nothing during provisioning cycles (Entra's client does not read discovery documents), but Microsoft's SCIM Validator and other SCIM clients fail",
};

export function consequence(kind: ConsequenceKind): Consequence {
  return { kind, summary: SUMMARY[kind] };
}

/**
 * status → consequence, per operation. `status` 0 is "no HTTP answer" (refused, reset, timeout, TLS failure).
 * A 2xx reaches this function only when its content was wrong (see `wrongContent`).
 */
export function consequenceOf(operation: Operation, status: number): Consequence {
  // Discovery is advisory for Entra, whatever the status.
  if (operation === 'discovery') return consequence('not-used');
  // Bad credentials or a wrong tenant URL: every call fails the same way. In the portal Test Connection fails;
  // in a running job (keys regenerated, integration removed) the job is quarantined.
  if (status === 401 || status === 403) return consequence('quarantine');
  if (operation === 'connection') {
    // SPEC §3: a 404 on the probe (or on the list it is) quarantines the job.
    if (status === 404) return consequence('quarantine');
    // Anything else that is not a 200 with an empty list: the credentials cannot be saved.
    return consequence('connection-fails');
  }
  // Transient trouble: no answer, a timeout, throttling, a server fault. Retried with backoff.
  if (status === 0 || status === 408 || status === 429 || status >= 500) return consequence('retry');
  // A filter that 404s is "the endpoint is not there" for every user, as for the probe.
  if (operation === 'lookup' && status === 404) return consequence('quarantine');
  // A write Entra expects refused but which went through (2xx): nobody notices.
  if (operation === 'reject' && status >= 200 && status < 300) return consequence('silent-divergence');
  // Every other 4xx (400, 404 on an id, 409, 412, 413, 415, 501, …) is permanent for that user.
  return consequence('user-fails');
}

/**
 * A 2xx whose content is wrong (no user in a filter answer, a PATCH not applied, a missing Content-Type).
 * For the probe it fails Test Connection; a lookup that misses a user makes Entra create it again (409: that
 * user fails); an update that answers success without applying is invisible.
 */
export function wrongContent(operation: Operation): Consequence {
  switch (operation) {
    case 'connection':
      return consequence('connection-fails');
    case 'discovery':
      return consequence('not-used');
    case 'update':
    case 'delete':
    case 'reject':
      return consequence('silent-divergence');
    default:
      return consequence('user-fails');
  }
}

/** The table `scimlink check --help` and the README print: first column status, then what Entra does. */
export const CONSEQUENCE_TABLE: Array<[string, string]> = [
  ['probe: 401/403/404', 'job quarantined (Test Connection fails in the portal)'],
  ['probe: anything but 200 + empty list', 'Test Connection fails; provisioning cannot start'],
  ['any call: 401/403', 'job quarantined'],
  ['no answer, 408, 429, 5xx', 'retried in later cycles with backoff; quarantine if most calls fail'],
  ['other 4xx on a user (400, 404, 409, …)', 'that user fails; retried, failing the same way until fixed'],
  ['2xx that did not do the job', 'Entra believes it worked: data silently diverges'],
  ['discovery failures', 'not used by Entra cycles (warning only); the SCIM Validator fails'],
];
