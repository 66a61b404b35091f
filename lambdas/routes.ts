/**
 * Every SCIM route and the handler module that serves it: the single source for the local HTTP adapter and the
 * CDK API (one Lambda per `handler`). Paths are API Gateway resource paths under the stage.
 */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** File in lambdas/ (without .ts) exporting `handler`. */
  handler: string;
}

const T = '/scim/{tenant}';

export const SCIM_ROUTES: RouteDef[] = [
  { method: 'GET', path: `${T}/Users`, handler: 'users-list' },
  { method: 'POST', path: `${T}/Users`, handler: 'users-create' },
  { method: 'GET', path: `${T}/Users/{id}`, handler: 'users-get' },
  { method: 'PUT', path: `${T}/Users/{id}`, handler: 'users-replace' },
  { method: 'PATCH', path: `${T}/Users/{id}`, handler: 'users-patch' },
  { method: 'DELETE', path: `${T}/Users/{id}`, handler: 'users-delete' },
  { method: 'GET', path: `${T}/ServiceProviderConfig`, handler: 'service-provider-config' },
  { method: 'GET', path: `${T}/Schemas`, handler: 'schemas' },
  { method: 'GET', path: `${T}/Schemas/{id}`, handler: 'schemas' },
  { method: 'GET', path: `${T}/ResourceTypes`, handler: 'resource-types' },
  { method: 'GET', path: `${T}/ResourceTypes/{id}`, handler: 'resource-types' },
  ...(['GET', 'POST'] as const).map((method) => ({ method, path: `${T}/Groups`, handler: 'groups' })),
  ...(['GET', 'PUT', 'PATCH', 'DELETE'] as const).map((method) => ({ method, path: `${T}/Groups/{id}`, handler: 'groups' })),
];
