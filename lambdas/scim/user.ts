import { EXTENSION_SCHEMA, USER_SCHEMA } from './schema';

/** The attributes of a User the client controls, after validation (canonical names, real booleans). */
export interface UserData {
  userName: string;
  externalId?: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  active: boolean;
  emails: Array<{ value: string; type: 'work' | 'other'; primary?: boolean }>;
  phoneNumbers?: Array<{ value: string; type: 'mobile' | 'work' | 'other'; primary?: boolean }>;
  roles?: Array<{ value: string; primary?: boolean; display?: string; type?: string }>;
  addresses?: Array<{
    type: 'work';
    streetAddress?: string;
    locality?: string;
    region?: string;
    postalCode?: string;
    country?: string;
    formatted?: string;
    primary?: boolean;
  }>;
  [EXTENSION_SCHEMA]?: { extension?: string };
}

/** Server-managed metadata (RFC 7643 §3.1). `location` is derived per response from the tenant URL. */
export interface UserMeta {
  resourceType: 'User';
  created: string;
  lastModified: string;
  /** Monotonic per user; the ETag is W/"<version>". */
  version: number;
}

export interface StoredUser {
  id: string;
  accountId: string;
  data: UserData;
  meta: UserMeta;
}

export const etagOf = (version: number) => `W/"${version}"`;

/** Render the SCIM resource (RFC 7643 §4.1) a client sees; without a base URL, meta has no location. */
export function toScimResource(user: StoredUser, baseUrl?: string): Record<string, unknown> {
  const schemas = [USER_SCHEMA];
  if (user.data[EXTENSION_SCHEMA]) schemas.push(EXTENSION_SCHEMA);
  return {
    schemas,
    id: user.id,
    ...user.data,
    meta: {
      resourceType: 'User',
      created: user.meta.created,
      lastModified: user.meta.lastModified,
      ...(baseUrl !== undefined ? { location: `${baseUrl}/Users/${user.id}` } : {}),
      version: etagOf(user.meta.version),
    },
  };
}
