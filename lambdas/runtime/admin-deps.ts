import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { buildMetrics } from './telemetry';
import { AdminService } from '../admin/admin-service';
import { DynamoAccountStore } from '../store/dynamo-account-store';
import { DynamoLogStore } from '../store/dynamo-log-store';
import { DynamoUserStore } from '../store/dynamo-user-store';
import type { TokenHashStore } from '../auth/ports';
import { TableScanner } from '../store/table-scanner';
import { StoreConfig, documentClient } from './deps';
import { abortWithRequest } from './request-scope';
import { parseOperators } from '../admin/operators';

/**
 * How admin requests are authenticated. Deployed: API Gateway checks SigV4 against IAM before the handler runs
 * (`iam`), the handler only insists the gateway did so. Locally: a bearer token printed by `npm start`, of which
 * only the hash is kept.
 */
/** `iam`: SigV4 through API Gateway, from one of the named `operators` (ARNs); `token`: the local admin token. */
export type AdminAuth = { mode: 'iam'; operators: string[] } | { mode: 'token'; hash: string };

export interface AdminDeps {
  admin: AdminService;
  /** The provisioning log (read by GET /admin/accounts/{id}/log). */
  log: DynamoLogStore;
  auth: AdminAuth;
  logger: Logger;
  metrics: Metrics;
}

export function buildAdminDeps(config: StoreConfig & { auth: AdminAuth }): AdminDeps {
  // Table calls stop when their request is answered or runs out of time (withDeadline in adminRoute).
  const doc = abortWithRequest(config.doc);
  return {
    admin: new AdminService(
      new DynamoAccountStore(doc, config.tableName),
      new DynamoUserStore(doc, config.tableName),
      config.tokenHashes,
      undefined,
      new TableScanner(doc, config.tableName),
    ),
    log: new DynamoLogStore(doc, config.tableName),
    auth: config.auth,
    logger: config.logger ?? new Logger({ serviceName: 'scimlink-admin' }),
    metrics: config.metrics ?? buildMetrics(),
  };
}

let current: AdminDeps | undefined;
let tokenHashStore: ((prefix: string) => TokenHashStore) | undefined;

/**
 * Called (by importing runtime/admin-secrets.ts) from the admin handlers that touch token hashes — key
 * generation, integration removal and account deletion — so the other admin bundles do not ship the Secrets
 * Manager client.
 */
export function useTokenHashStore(factory: (prefix: string) => TokenHashStore): void {
  tokenHashStore = factory;
}

/** What the other admin handlers get: they never call it, and if one did, it would say so instead of guessing. */
const noTokenHashes: TokenHashStore = {
  get: () => Promise.reject(new Error('this admin function has no token-hash store (import runtime/admin-secrets)')),
  put: () => Promise.reject(new Error('this admin function has no token-hash store (import runtime/admin-secrets)')),
  delete: () => Promise.reject(new Error('this admin function has no token-hash store (import runtime/admin-secrets)')),
};

export function setAdminDeps(deps: AdminDeps | undefined): void {
  current = deps;
}

export function adminDeps(): AdminDeps {
  if (!current) {
    const tableName = process.env.TABLE_NAME;
    const prefix = process.env.TOKEN_SECRET_PREFIX;
    if (!tableName || !prefix) throw new Error('Missing environment variable TABLE_NAME or TOKEN_SECRET_PREFIX');
    // Deployed admin routes are IAM-authorised at the gateway; there is no other mode in Lambda.
    current = buildAdminDeps({
      doc: documentClient(new DynamoDBClient({})),
      tableName,
      tokenHashes: tokenHashStore ? tokenHashStore(prefix) : noTokenHashes,
      auth: { mode: 'iam', operators: parseOperators(process.env.OPERATOR_PRINCIPALS) },
    });
  }
  return current;
}
