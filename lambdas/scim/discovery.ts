import { notFound } from './errors';
import { DEFAULT_COUNT, MAX_COUNT, MAX_START_INDEX, listResponse } from './list-response';
import { MAX_FILTER_SCAN, MAX_FILTER_WORK } from './filter/cost';
import { EXTENSION_ATTRIBUTES, EXTENSION_SCHEMA, USER_ATTRIBUTES, USER_SCHEMA } from './schema';

/** Discovery documents (RFC 7644 §4, RFC 7643 §5–§7). Only the User resource type exists: no Groups. */
const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** Largest request body we accept (413 above it). A User is ~2 KB; this leaves room for big PATCHes. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * `documentationUri` is optional (RFC 7643 §5) and only the deployer knows where their documentation lives
 * (CDK context `documentationUrl`): left out rather than pointing at a page that is not theirs.
 */
export function serviceProviderConfig(baseUrl: string, documentationUri?: string) {
  return {
    schemas: [SPC_SCHEMA],
    ...(documentationUri ? { documentationUri } : {}),
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    // RFC 9865 §4: both methods; index stays the default (Entra and most clients page by index). Cursors are
    // positions, not server-side state, so they never expire: cursorTimeout is a floor we always meet.
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: DEFAULT_COUNT,
      maxPageSize: MAX_COUNT,
      cursorTimeout: 86_400,
    },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'The Secret Token from "Generate keys", sent as "Authorization: Bearer <token>".',
        primary: true,
      },
    ],
    // Not in RFC 7643; documents the listing defaults the SPEC asks us to publish.
    'urn:ietf:params:scim:schemas:extension:scimlink:2.0:ServiceProviderConfig': {
      defaultCount: DEFAULT_COUNT,
      maxCount: MAX_COUNT,
      maxPayloadSize: MAX_BODY_BYTES,
      maxStartIndex: MAX_START_INDEX,
      maxUsersPerNonIndexedFilter: MAX_FILTER_SCAN,
      maxFilterWork: MAX_FILTER_WORK,
    },
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

const schemaDocs = (baseUrl: string) => [
  {
    schemas: [SCHEMA_SCHEMA],
    id: USER_SCHEMA,
    name: 'User',
    description: 'User account (only the attributes scimlink stores; others are accepted and ignored)',
    attributes: USER_ATTRIBUTES,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${USER_SCHEMA}` },
  },
  {
    schemas: [SCHEMA_SCHEMA],
    id: EXTENSION_SCHEMA,
    name: 'scimlink User extension',
    description: 'Platform attributes of a user',
    attributes: EXTENSION_ATTRIBUTES,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${EXTENSION_SCHEMA}` },
  },
];

const resourceTypeDocs = (baseUrl: string) => [
  {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: EXTENSION_SCHEMA, required: false }],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
  },
];

export const schemasList = (baseUrl: string) => {
  const docs = schemaDocs(baseUrl);
  return listResponse(docs, docs.length, 1);
};

export function schemaById(baseUrl: string, id: string) {
  const doc = schemaDocs(baseUrl).find((d) => d.id.toLowerCase() === id.toLowerCase());
  if (!doc) throw notFound(`Schema ${id} not found; this service provider has ${USER_SCHEMA} and ${EXTENSION_SCHEMA}.`);
  return doc;
}

export const resourceTypesList = (baseUrl: string) => {
  const docs = resourceTypeDocs(baseUrl);
  return listResponse(docs, docs.length, 1);
};

export function resourceTypeById(baseUrl: string, id: string) {
  const doc = resourceTypeDocs(baseUrl).find((d) => d.id.toLowerCase() === id.toLowerCase());
  if (!doc) throw notFound(`ResourceType ${id} not found; only User is supported (Groups are not).`);
  return doc;
}
