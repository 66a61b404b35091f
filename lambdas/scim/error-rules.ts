import { ScimError } from './errors';
import { EXTENSION_SCHEMA } from './schema';

/**
 * The rule behind a refused request, as a short fixed code (`phoneNumbers:e164`, `uniqueness:phone`,
 * `filter`): what metrics count rejections by, what the request log line and the provisioning health group them
 * by. A code is built only from our own vocabulary (attribute names of the User schema, rule kinds), never from
 * what the client sent, so it can be a CloudWatch dimension (low cardinality) and carries no personal data.
 */
export function ruleOf(e: ScimError): string {
  if (e.rule) return e.rule;
  if (e.scimType) return SCIM_TYPE_RULES[e.scimType] ?? e.scimType;
  return STATUS_RULES[e.status] ?? `http${e.status}`;
}

const SCIM_TYPE_RULES: Partial<Record<NonNullable<ScimError['scimType']>, string>> = {
  invalidSyntax: 'syntax',
  invalidFilter: 'filter',
  invalidPath: 'path',
  invalidValue: 'value',
};

const STATUS_RULES: Record<number, string> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  409: 'conflict',
  412: 'precondition',
  413: 'bodyTooLarge',
  415: 'mediaType',
  429: 'throttled',
  500: 'internal',
  501: 'groupsNotSupported',
  503: 'unavailable',
};

/**
 * What kind of answer a status is, for the `outcome` metric dimension. 501 is the designed answer to group writes
 * (SPEC §3) and 429/503 are transient answers Entra retries: none of them is a fault. Only `fault` is a bug or an
 * outage worth an alarm.
 */
export type Outcome = 'ok' | 'rejected' | 'unauthorized' | 'throttled' | 'unavailable' | 'notImplemented' | 'fault';

export function outcomeOf(status: number): Outcome {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'throttled';
  if (status === 501) return 'notImplemented';
  if (status === 503) return 'unavailable';
  return status >= 500 ? 'fault' : 'rejected';
}

/** The User attributes a validation rule code may name (anything else is `resource`). */
const RULE_ATTRIBUTES = new Set([
  'userName',
  'externalId',
  'displayName',
  'name',
  'active',
  'emails',
  'phoneNumbers',
  'roles',
  'addresses',
  'extension',
]);

/** Our own validation messages (lambdas/scim/validate.ts) → the rule kind. Order matters: first match wins. */
const MESSAGE_KINDS: Array<[(m: string) => boolean, string]> = [
  [(m) => m.startsWith('is required'), 'required'],
  [(m) => m.includes('is not in E.164 format'), 'e164'],
  [(m) => m.endsWith('is not a valid email address'), 'emailFormat'],
  [(m) => m.endsWith('must contain digits only'), 'digitsOnly'],
  [(m) => m.startsWith('has more than one entry of type'), 'oneValuePerType'],
  [(m) => m.startsWith('is longer than') || m.startsWith('has more than'), 'tooLong'],
  [(m) => m.startsWith('is not valid Unicode text'), 'unicode'],
  [(m) => m.startsWith('must not be empty'), 'empty'],
  [(m) => m.startsWith('must be one of'), 'oneOf'],
  [(m) => m.startsWith('must be '), 'type'],
];

/** `attribute:kind` for one validation issue (its path starts with the attribute). */
export function validationRule(path: readonly PropertyKey[], message: string): string {
  const head = path[0] === undefined ? 'resource' : String(path[0]);
  const attribute = head === EXTENSION_SCHEMA ? 'extension' : RULE_ATTRIBUTES.has(head) ? head : 'resource';
  const kind = MESSAGE_KINDS.find(([matches]) => matches(message))?.[1] ?? 'invalid';
  return `${attribute}:${kind}`;
}
