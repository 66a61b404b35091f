import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handler as adminAccountsCreate } from '../lambdas/admin-accounts-create';
import { handler as adminAccountsList } from '../lambdas/admin-accounts-list';
import { handler as adminAccountsGet } from '../lambdas/admin-accounts-get';
import { handler as adminAccountsRename } from '../lambdas/admin-accounts-rename';
import { handler as adminAccountsDelete } from '../lambdas/admin-accounts-delete';
import { handler as adminIntegrationAdd } from '../lambdas/admin-integration-add';
import { handler as adminIntegrationGet } from '../lambdas/admin-integration-get';
import { handler as adminIntegrationHealth } from '../lambdas/admin-integration-health';
import { handler as adminIntegrationRemove } from '../lambdas/admin-integration-remove';
import { handler as adminKeysGenerate } from '../lambdas/admin-keys-generate';
import { handler as adminUsersList } from '../lambdas/admin-users-list';
import { handler as adminUsersGet } from '../lambdas/admin-users-get';
import { handler as adminUsersDelete } from '../lambdas/admin-users-delete';
import { handler as adminPhonesSearch } from '../lambdas/admin-phones-search';
import { handler as adminConflictsSearch } from '../lambdas/admin-conflicts-search';
import { handler as adminVerify } from '../lambdas/admin-verify';
import { handler as adminLogGet } from '../lambdas/admin-log-get';
import { handler as adminWhoami } from '../lambdas/admin-whoami';
import { handler as consoleAssets } from '../lambdas/console-assets';
import { handler as groups } from '../lambdas/groups';
import { handler as health } from '../lambdas/health';
import { handler as resourceTypes } from '../lambdas/resource-types';
import { handler as schemas } from '../lambdas/schemas';
import { handler as serviceProviderConfig } from '../lambdas/service-provider-config';
import { handler as usersCreate } from '../lambdas/users-create';
import { handler as usersDelete } from '../lambdas/users-delete';
import { handler as usersGet } from '../lambdas/users-get';
import { handler as usersList } from '../lambdas/users-list';
import { handler as usersPatch } from '../lambdas/users-patch';
import { handler as usersReplace } from '../lambdas/users-replace';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The Lambda handlers by module name (lambdas/routes.ts `handler`), exactly the code deployed to AWS. */
export const HANDLERS: Record<string, ProxyHandler> = {
  'users-list': usersList,
  'users-create': usersCreate,
  'users-get': usersGet,
  'users-replace': usersReplace,
  'users-patch': usersPatch,
  'users-delete': usersDelete,
  'service-provider-config': serviceProviderConfig,
  schemas,
  'resource-types': resourceTypes,
  groups,
  health,
  'admin-log-get': adminLogGet,
  'admin-accounts-create': adminAccountsCreate,
  'admin-accounts-list': adminAccountsList,
  'admin-accounts-get': adminAccountsGet,
  'admin-accounts-rename': adminAccountsRename,
  'admin-accounts-delete': adminAccountsDelete,
  'admin-integration-add': adminIntegrationAdd,
  'admin-integration-get': adminIntegrationGet,
  'admin-integration-health': adminIntegrationHealth,
  'admin-integration-remove': adminIntegrationRemove,
  'admin-keys-generate': adminKeysGenerate,
  'admin-users-list': adminUsersList,
  'admin-users-get': adminUsersGet,
  'admin-users-delete': adminUsersDelete,
  'admin-phones-search': adminPhonesSearch,
  'admin-conflicts-search': adminConflictsSearch,
  'admin-verify': adminVerify,
  'admin-whoami': adminWhoami,
  'console-assets': consoleAssets,
};
