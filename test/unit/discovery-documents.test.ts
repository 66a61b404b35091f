import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scimError } from '../support/caught';
import { resourceTypeById, resourceTypesList, schemaById, schemasList, serviceProviderConfig } from '../../lambdas/scim/discovery';
import { EXTENSION_SCHEMA, USER_SCHEMA } from '../../lambdas/scim/schema';

/**
 * The discovery documents (RFC 7644 §4) are what Entra, the SCIM validator and every other client read to learn
 * which attributes exist, which are unique, case-exact or read-only, and how to page. They are published API: the
 * fixtures under test/fixtures/discovery are the reviewed documents, so any change to an attribute's
 * characteristics, a description or a limit shows up here as a diff to review, not silently on the wire.
 */
const BASE = 'https://scim.example.com/scim/acme.Key';
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../fixtures/discovery', name), 'utf8'));
/** As the wire carries it (JSON), so `undefined` members and key order do not matter. */
const wire = (doc: unknown): unknown => JSON.parse(JSON.stringify(doc));

describe('discovery documents are exactly the reviewed ones', () => {
  it('GET /ServiceProviderConfig', () => {
    expect(wire(serviceProviderConfig(BASE))).toStrictEqual(fixture('service-provider-config.json'));
  });

  it('GET /Schemas', () => {
    expect(wire(schemasList(BASE))).toStrictEqual(fixture('schemas.json'));
  });

  it('GET /ResourceTypes', () => {
    expect(wire(resourceTypesList(BASE))).toStrictEqual(fixture('resource-types.json'));
  });
});

describe('one document by id', () => {
  const schemas = (fixture('schemas.json') as { Resources: unknown[] }).Resources;

  it.each([
    [USER_SCHEMA, 0],
    [USER_SCHEMA.toUpperCase(), 0],
    [EXTENSION_SCHEMA, 1],
    [EXTENSION_SCHEMA.toUpperCase(), 1],
  ])('GET /Schemas/%s (ids compare case-insensitively)', (id, index) => {
    expect(wire(schemaById(BASE, id))).toStrictEqual(schemas[index]);
  });

  it.each(['User', 'user', 'USER'])('GET /ResourceTypes/%s', (id) => {
    expect(wire(resourceTypeById(BASE, id))).toStrictEqual((fixture('resource-types.json') as { Resources: unknown[] }).Resources[0]);
  });

  it('an unknown schema is a 404 that names the schemas there are', () => {
    const e = scimError(() => schemaById(BASE, 'urn:ietf:params:scim:schemas:core:2.0:Group'));
    expect([e.status, e.detail]).toEqual([
      404,
      `Schema urn:ietf:params:scim:schemas:core:2.0:Group not found; this service provider has ${USER_SCHEMA} and ${EXTENSION_SCHEMA}.`,
    ]);
  });

  it('an unknown resource type is a 404 that says Groups are not supported', () => {
    const e = scimError(() => resourceTypeById(BASE, 'Group'));
    expect([e.status, e.detail]).toEqual([404, 'ResourceType Group not found; only User is supported (Groups are not).']);
  });
});
