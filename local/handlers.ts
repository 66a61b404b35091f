import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handler as groups } from '../lambdas/groups';
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
};
