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

/**
 * What each handler module may touch: the CDK app grants exactly this (least privilege per function) and the
 * infra tests fail if a reader gains a write action.
 */
export interface HandlerAccess {
  /**
   * 'read': GetItem/Query only — plus, for SCIM handlers (path under /scim), an UpdateItem restricted to the
   * integration item's `lastRequestAt` attribute (the "last request seen" of SPEC §2 state).
   * 'scan': read + dynamodb:Scan — only `scimlink verify` (admin-verify), the one operation that reads the whole table.
   */
  /** 'none': no table access (the stream publisher reads the stream, not the table). */
  table: 'none' | 'read' | 'write' | 'scan';
  /** Token-hash secrets: SCIM handlers read them (auth); only key generation writes; integration removal and account deletion delete. */
  secrets: 'none' | 'read' | 'write' | 'delete';
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

const A = '/admin/accounts/{accountId}';

/** Admin API (SPEC §2, §5): IAM-authorised when deployed. Contract: lambdas/admin/contract.ts. */
export const ADMIN_ROUTES: RouteDef[] = [
  { method: 'POST', path: '/admin/accounts', handler: 'admin-accounts-create' },
  { method: 'GET', path: '/admin/accounts', handler: 'admin-accounts-list' },
  { method: 'GET', path: A, handler: 'admin-accounts-get' },
  { method: 'PATCH', path: A, handler: 'admin-accounts-rename' },
  { method: 'DELETE', path: A, handler: 'admin-accounts-delete' },
  { method: 'PUT', path: `${A}/integration`, handler: 'admin-integration-add' },
  { method: 'GET', path: `${A}/integration`, handler: 'admin-integration-get' },
  { method: 'GET', path: `${A}/integration/health`, handler: 'admin-integration-health' },
  { method: 'DELETE', path: `${A}/integration`, handler: 'admin-integration-remove' },
  { method: 'POST', path: `${A}/integration/keys`, handler: 'admin-keys-generate' },
  { method: 'GET', path: `${A}/users`, handler: 'admin-users-list' },
  { method: 'GET', path: `${A}/users/{userId}`, handler: 'admin-users-get' },
  { method: 'DELETE', path: `${A}/users/{userId}`, handler: 'admin-users-delete' },
  { method: 'GET', path: '/admin/phones', handler: 'admin-phones-search' },
  { method: 'GET', path: '/admin/conflicts', handler: 'admin-conflicts-search' },
  { method: 'GET', path: `${A}/log`, handler: 'admin-log-get' },
  { method: 'GET', path: '/admin/verify', handler: 'admin-verify' },
  { method: 'GET', path: '/admin/me', handler: 'admin-whoami' },
];

/**
 * The admin API again for the browser console: the same handler modules under '/console/api', authorised by a
 * Cognito user pool (ID token) instead of IAM, so the console never needs AWS credentials. Roles are enforced in
 * the handlers (lambdas/admin/access.ts), whichever tree the request came through.
 */
export const CONSOLE_API_ROUTES: RouteDef[] = ADMIN_ROUTES.map((route) => ({
  ...route,
  path: route.path.replace(/^\/admin/, '/console/api'),
}));

/** The console's static files (index.html, app.js, app.css, config.json): public, no auth. */
export const CONSOLE_ROUTES: RouteDef[] = [
  { method: 'GET', path: '/console', handler: 'console-assets' },
  { method: 'GET', path: '/console/{file}', handler: 'console-assets' },
];

/**
 * Uptime checks (lambdas/health.ts): public, outside every tenant URL and the admin API, and touching nothing —
 * no table, no secret, no tenant data.
 */
export const HEALTH_ROUTES: RouteDef[] = [{ method: 'GET', path: '/health', handler: 'health' }];

const SCIM_READER: HandlerAccess = { table: 'read', secrets: 'read' };
const SCIM_WRITER: HandlerAccess = { table: 'write', secrets: 'read' };

export const HANDLER_ACCESS: Record<string, HandlerAccess> = {
  'users-list': SCIM_READER,
  'users-get': SCIM_READER,
  'users-create': SCIM_WRITER,
  'users-replace': SCIM_WRITER,
  'users-patch': SCIM_WRITER,
  'users-delete': SCIM_WRITER,
  'service-provider-config': SCIM_READER,
  schemas: SCIM_READER,
  'resource-types': SCIM_READER,
  groups: SCIM_READER,
  'admin-accounts-create': { table: 'write', secrets: 'none' },
  'admin-accounts-list': { table: 'read', secrets: 'none' },
  'admin-accounts-get': { table: 'read', secrets: 'none' },
  'admin-accounts-rename': { table: 'write', secrets: 'none' },
  'admin-accounts-delete': { table: 'write', secrets: 'delete' },
  'admin-integration-add': { table: 'write', secrets: 'none' },
  'admin-integration-get': { table: 'read', secrets: 'none' },
  'admin-integration-health': { table: 'read', secrets: 'none' },
  'admin-integration-remove': { table: 'write', secrets: 'delete' },
  'admin-keys-generate': { table: 'write', secrets: 'write' },
  'admin-users-list': { table: 'read', secrets: 'none' },
  'admin-users-get': { table: 'read', secrets: 'none' },
  'admin-users-delete': { table: 'write', secrets: 'none' },
  'admin-phones-search': { table: 'read', secrets: 'none' },
  'admin-conflicts-search': { table: 'read', secrets: 'none' },
  'admin-log-get': { table: 'read', secrets: 'none' },
  'admin-verify': { table: 'scan', secrets: 'none' },
  'admin-whoami': { table: 'none', secrets: 'none' },
  'console-assets': { table: 'none', secrets: 'none' },
  health: { table: 'none', secrets: 'none' },
};
