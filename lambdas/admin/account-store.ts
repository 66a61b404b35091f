import type { DynamoAccountStore } from '../store/dynamo-account-store';

/**
 * What the admin service and the account teardown need of the account store: the DynamoDB adapter when deployed
 * and locally, an in-memory one in their unit tests (test/unit/admin-service.test.ts).
 */
export type AccountStore = Pick<
  DynamoAccountStore,
  | 'createAccount'
  | 'renameAccount'
  | 'listAccounts'
  | 'getAccount'
  | 'getIntegration'
  | 'addIntegration'
  | 'setTenantKey'
  | 'removeIntegration'
  | 'sweepAccountItems'
  | 'deleteAccount'
>;
