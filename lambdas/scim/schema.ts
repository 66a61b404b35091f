/**
 * The User schema as data (RFC 7643 §2.2 attribute characteristics, §7 schema representation).
 *
 * One definition drives everything that needs to know about attributes: case-insensitive name resolution on
 * input, `caseExact` in filters, PATCH path resolution, `attributes`/`excludedAttributes`, and the `/Schemas`
 * discovery document. Only the attributes listed here are stored; anything else Entra sends is accepted and
 * ignored (SPEC §4) so a forgotten attribute mapping never fails a provisioning cycle.
 */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** Project extension for the platform's extension number (SPEC §4). */
export const EXTENSION_SCHEMA = 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type AttributeType = 'string' | 'boolean' | 'complex' | 'dateTime' | 'reference' | 'integer' | 'decimal' | 'binary';

export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  subAttributes?: AttributeDef[];
}

const attr = (name: string, description: string, over: Partial<AttributeDef> = {}): AttributeDef => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...over,
});

const sub = (name: string, description: string, over: Partial<AttributeDef> = {}) => attr(name, description, over);
const typeAttr = (values: string[]) => sub('type', `Label: one of ${values.join(', ')}.`, { canonicalValues: values });
const primaryAttr = sub('primary', 'Whether this is the primary value.', { type: 'boolean' });

export const EMAIL_TYPES = ['work', 'other'] as const;
export const PHONE_TYPES = ['mobile', 'work', 'other'] as const;
export const ADDRESS_TYPES = ['work'] as const;

export const USER_ATTRIBUTES: AttributeDef[] = [
  attr('id', 'Server-assigned identifier.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'global',
  }),
  // externalId is caseExact (RFC 7643 §3.1) and deliberately NOT unique: Microsoft's own tests share it.
  attr('externalId', "The provisioning client's identifier for the user.", { caseExact: true }),
  attr('userName', 'Login ID, unique across the platform (case-insensitive).', {
    required: true,
    uniqueness: 'server',
  }),
  attr('displayName', 'Name shown to people.'),
  attr('name', 'The components of the user’s name.', {
    type: 'complex',
    subAttributes: [
      sub('formatted', 'Full name, formatted for display.'),
      sub('familyName', 'Family name.'),
      sub('givenName', 'Given name.'),
    ],
  }),
  attr('active', 'Whether the user may sign in.', { type: 'boolean' }),
  attr('emails', 'Email addresses; a work email is required and every address is unique.', {
    type: 'complex',
    multiValued: true,
    required: true,
    uniqueness: 'server',
    subAttributes: [sub('value', 'Email address.', { uniqueness: 'server' }), typeAttr([...EMAIL_TYPES]), primaryAttr],
  }),
  attr('phoneNumbers', 'Phone numbers in E.164 format; unique across the platform.', {
    type: 'complex',
    multiValued: true,
    uniqueness: 'server',
    subAttributes: [sub('value', 'E.164 number, e.g. +14155550100.', { uniqueness: 'server' }), typeAttr([...PHONE_TYPES]), primaryAttr],
  }),
  attr('roles', 'Roles of the user.', {
    type: 'complex',
    multiValued: true,
    subAttributes: [sub('value', 'Role value.'), sub('display', 'Role display name.'), sub('type', 'Role type.'), primaryAttr],
  }),
  attr('addresses', 'Work address, stored for downstream apps.', {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      sub('formatted', 'Full address.'),
      sub('streetAddress', 'Street address.'),
      sub('locality', 'City or locality.'),
      sub('region', 'State or region.'),
      sub('postalCode', 'Postal code.'),
      sub('country', 'Country.'),
      typeAttr([...ADDRESS_TYPES]),
      primaryAttr,
    ],
  }),
];

export const EXTENSION_ATTRIBUTES: AttributeDef[] = [
  attr('extension', 'Extension number (digits only), unique within the account.', { uniqueness: 'server' }),
];

/** A sub-attribute of `meta`: read-only like `meta` itself (PATCH checks the mutability of `meta`, not this). */
const metaSub = (name: string, over: Partial<AttributeDef>, description: string) =>
  // Stryker disable next-line StringLiteral: never read (PATCH checks the mutability of `meta` itself)
  sub(name, description, { mutability: 'readOnly', ...over });

/** Common attributes every resource has (RFC 7643 §3.1), needed by filters and projection. */
export const META_ATTRIBUTE: AttributeDef = attr('meta', 'Resource metadata.', {
  type: 'complex',
  mutability: 'readOnly',
  // `meta` is in no schema document (RFC 7643 §3.1), so these descriptions are never shown. What filters use is each
  // name, its `caseExact` and whether it is a `dateTime` (test/unit/filter.test.ts).
  subAttributes: [
    metaSub('resourceType', { caseExact: true },
      // Stryker disable next-line StringLiteral: never shown (see above)
      'Resource type.'),
    metaSub('created', { type: 'dateTime' },
      // Stryker disable next-line StringLiteral: never shown (see above)
      'Creation time.'),
    metaSub('lastModified', { type: 'dateTime' },
      // Stryker disable next-line StringLiteral: never shown (see above)
      'Last modification time.'),
    metaSub(
      'location',
      // Stryker disable next-line StringLiteral: 'reference' compares as a string, as the default type does
      { type: 'reference', caseExact: true },
      // Stryker disable next-line StringLiteral: never shown (see above)
      'Resource URI.',
    ),
    metaSub('version', { caseExact: true },
      // Stryker disable next-line StringLiteral: never shown (see above)
      'Weak ETag of the resource.'),
  ],
});

export interface ResolvedAttribute {
  /** Schema URN the attribute belongs to. */
  schema: string;
  def: AttributeDef;
  /** Definition of the sub-attribute, when the path named one. */
  subDef?: AttributeDef;
}

const byLowerName = (defs: AttributeDef[]) => new Map(defs.map((d) => [d.name.toLowerCase(), d]));
const CORE_BY_NAME = byLowerName([...USER_ATTRIBUTES, META_ATTRIBUTE]);
const USER_SCHEMA_LOWER = USER_SCHEMA.toLowerCase();
const EXTENSION_SCHEMA_LOWER = EXTENSION_SCHEMA.toLowerCase();
const EXT_BY_NAME = byLowerName(EXTENSION_ATTRIBUTES);

/** Look up a top-level attribute by name, case-insensitively (RFC 7643 §2.1). */
export function findAttribute(schema: string, name: string): AttributeDef | undefined {
  // Schema URNs compare ignoring case too (RFC 7643 §2.1 makes attribute names, URN prefixes included, case-insensitive).
  const s = schema.toLowerCase();
  if (s === USER_SCHEMA_LOWER) return CORE_BY_NAME.get(name.toLowerCase());
  if (s === EXTENSION_SCHEMA_LOWER) return EXT_BY_NAME.get(name.toLowerCase());
  return undefined;
}

export function findSubAttribute(def: AttributeDef, name: string): AttributeDef | undefined {
  return def.subAttributes?.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

/** The schemas a path may be prefixed with, and their lower-case forms (computed once). */
const KNOWN_SCHEMAS_LOWER: Array<[string, string]> = [EXTENSION_SCHEMA, ENTERPRISE_SCHEMA, USER_SCHEMA].map((s) => [s, s.toLowerCase()]);

/**
 * Split an attribute path that may carry a schema URN prefix ("urn:...:User:name.givenName", RFC 7644 §3.10)
 * into schema + "attr[.sub]". Without a prefix the core User schema is assumed, except for attributes that only
 * exist in our extension (so `extension` works unprefixed too).
 */
export function splitSchemaPrefix(path: string): { schema: string; rest: string } {
  const lower = path.toLowerCase();
  if (lower.startsWith('urn:')) {
    for (const [schema, s] of KNOWN_SCHEMAS_LOWER) {
      if (lower === s) return { schema, rest: '' };
      if (lower.startsWith(s) && lower.charCodeAt(s.length) === 58 /* ':' */) return { schema, rest: path.slice(schema.length + 1) };
    }
    // An unknown schema URN: everything up to the last ':' is the schema.
    const i = path.lastIndexOf(':');
    return { schema: path.slice(0, i), rest: path.slice(i + 1) };
  }
  const first = lower.split('.', 1)[0] as string;
  if (!CORE_BY_NAME.has(first) && EXT_BY_NAME.has(first)) {
    return { schema: EXTENSION_SCHEMA, rest: path };
  }
  return { schema: USER_SCHEMA, rest: path };
}

/** Resolve "[urn:]attr[.sub]" to its definitions; undefined when the schema does not define it. */
export function resolveAttributePath(path: string): (ResolvedAttribute & { attrName: string; subName?: string }) | undefined {
  const { schema, rest } = splitSchemaPrefix(path);
  const [attrName, subName, ...more] = rest.split('.') as [string, ...string[]];
  // An empty name ("", "urn:…:User:") finds no attribute below; a third level does not exist in this schema.
  if (more.length > 0) return undefined;
  const def = findAttribute(schema, attrName);
  if (!def) return undefined;
  if (subName === undefined) return { schema, def, attrName: def.name };
  const subDef = findSubAttribute(def, subName);
  if (!subDef) return undefined;
  return { schema, def, subDef, attrName: def.name, subName: subDef.name };
}
