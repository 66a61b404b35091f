/**
 * Words an admin reads for a rule code of lambdas/scim/error-rules.ts (provisioning health: "Entra is failing on:
 * phone number not in E.164 format"). Apart from the codes so the request path does not bundle the wording.
 * Maps, not object literals: a code such as `constructor` must not find Object.prototype's members.
 */
const ATTRIBUTE_LABELS = new Map<string, string>(Object.entries({
  userName: 'userName',
  externalId: 'externalId',
  displayName: 'display name',
  name: 'name',
  active: 'active',
  emails: 'email address',
  phoneNumbers: 'phone number',
  roles: 'roles',
  addresses: 'address',
  extension: 'extension number',
  resource: 'user',
}));

const KIND_LABELS = new Map<string, string>(Object.entries({
  required: 'missing (required)',
  e164: 'not in E.164 format',
  emailFormat: 'not a valid address',
  digitsOnly: 'not digits only',
  oneValuePerType: 'sent twice with the same type',
  tooLong: 'too long',
  unicode: 'not valid Unicode text',
  empty: 'empty',
  oneOf: 'not one of the allowed values',
  type: 'of the wrong type',
  invalid: 'invalid',
}));

const RULE_LABELS = new Map<string, string>(Object.entries({
  'displayName:required': 'no displayName, givenName or familyName',
  'emails:required': 'no work email address',
  'uniqueness:userName': 'userName already used by another user',
  'uniqueness:email': 'email address already used by another user',
  'uniqueness:phone': 'phone number already used by another user',
  'uniqueness:extension': 'extension number already used in the account',
  'uniqueness:domain': 'login ID or email in a domain claimed by another account',
  'quota:users': "account's user limit reached",
  'quota:accounts': "partner's account limit reached",
  conflict: 'conflict with another user',
  syntax: 'malformed request',
  filter: 'invalid filter',
  path: 'invalid PATCH path',
  value: 'invalid value',
  noTarget: 'PATCH target not found',
  mutability: 'read-only attribute changed',
  tooMany: 'too many operations or results',
  unauthorized: 'wrong token or tenant URL',
  forbidden: 'not allowed',
  notFound: 'user not found',
  precondition: 'ETag (If-Match) mismatch',
  bodyTooLarge: 'request body too large',
  mediaType: 'unsupported Content-Type',
  throttled: 'throttled (retried)',
  unavailable: 'temporarily unavailable (retried)',
  groupsNotSupported: 'group provisioning is on (set Provision Microsoft Entra ID Groups to No)',
  internal: 'internal error',
}));

/** Words an admin reads for a rule code: "phone number not in E.164 format". */
export function ruleLabel(rule: string): string {
  const known = RULE_LABELS.get(rule);
  if (known) return known;
  const [attribute = '', kind = ''] = rule.split(':');
  const words = ATTRIBUTE_LABELS.get(attribute);
  const problem = KIND_LABELS.get(kind);
  return words && problem ? `${words} ${problem}` : rule;
}
