import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { quotaDefaults } from './quota-defaults';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { buildMetrics } from './telemetry';
import { Authenticator } from '../auth/authenticator';
import { TokenHashStore } from '../auth/ports';
import { UserStore } from '../scim/ports';
import { CoalescingReader } from '../store/consistent-reads';
import { DynamoAccountStore } from '../store/dynamo-account-store';
import { DynamoUserStore } from '../store/dynamo-user-store';
import { lazySecretsManagerTokenHashStore } from '../store/lazy-token-hash-store';
import { secretsManagerLogKey } from '../store/secrets-log-key';
import { abortWithRequest, sharedBatches } from './request-scope';

/**
 * What the SCIM handlers need, built once per Lambda container (clients are reused across invocations).
 * In Lambda it comes from the environment; the local runner and tests inject their own (`setScimDeps`).
 */
export interface ScimDeps {
  users: UserStore;
  authenticator: Authenticator;
  logger: Logger;
  /** Request metrics (EMF), see lambdas/http/telemetry.ts. */
  metrics: Metrics;
  /** Records "last request seen" on the integration (at most once a minute per account and container). */
  lastSeen: (accountId: string) => Promise<void>;
  /**
   * Where request log lines go besides the logger. Unset in Lambda (CloudWatch Logs feeds the provisioning log
   * through the log-ingest function); the local runner writes them to the provisioning log directly.
   */
  requestSink?: (fields: Record<string, unknown>) => Promise<void>;
  /**
   * The key that seals the account's own values into the request log line for the provisioning log (issue 14,
   * lambdas/log/sealed.ts). Deployed: the stack's log-key secret; locally unset (the sink gets the values).
   */
  logKey?: () => Promise<Buffer>;
}

/** How stale "last request seen" may get: one write a minute, not one per request. */
const LAST_SEEN_EVERY_MS = 60_000;

function lastSeenRecorder(accounts: DynamoAccountStore, now: () => number = Date.now) {
  const written = new Map<string, number>();
  return async (accountId: string) => {
    const t = now();
    if (t - (written.get(accountId) ?? 0) < LAST_SEEN_EVERY_MS) return;
    written.set(accountId, t);
    await accounts.touchLastRequest(accountId, new Date(t).toISOString(), new Date(t - LAST_SEEN_EVERY_MS).toISOString());
  };
}

export interface StoreConfig {
  doc: DynamoDBDocumentClient;
  tableName: string;
  tokenHashes: TokenHashStore;
  logger?: Logger;
  metrics?: Metrics;
}

/** lib-dynamodb options: our documents omit absent attributes rather than storing NULL. */
export const documentClient = (client: DynamoDBClient) =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export function buildScimDeps(config: StoreConfig): ScimDeps {
  // Every call made for a request stops when the request is answered or runs out of time (withDeadline).
  const doc = abortWithRequest(config.doc);
  // Authentication's read of the integration item and the operation's first read are issued together: one
  // BatchGetItem instead of two GetItems (see CoalescingReader). Concurrent requests (the local server) may share
  // a batch: it is given up only once all of them are.
  const reader = new CoalescingReader(doc, sharedBatches);
  const accounts = new DynamoAccountStore(doc, config.tableName, reader);
  return {
    users: new DynamoUserStore(doc, config.tableName, { reader, maxUsers: quotaDefaults().maxUsersPerAccount }),
    authenticator: new Authenticator(accounts, config.tokenHashes),
    logger: config.logger ?? new Logger({ serviceName: 'scimlink' }),
    metrics: config.metrics ?? buildMetrics(),
    lastSeen: lastSeenRecorder(accounts),
  };
}

let current: ScimDeps | undefined;

export function setScimDeps(deps: ScimDeps | undefined): void {
  current = deps;
}

export function scimDeps(): ScimDeps {
  current ??= buildScimDeps({
    doc: documentClient(new DynamoDBClient({})),
    tableName: requiredEnv('TABLE_NAME'),
    // Loaded on the first token-hash cache miss: not evaluated at cold start (see LazyTokenHashStore).
    tokenHashes: lazySecretsManagerTokenHashStore(requiredEnv('TOKEN_SECRET_PREFIX')),
  });
  const logKeySecret = process.env.LOG_KEY_SECRET;
  if (logKeySecret && !current.logKey) current.logKey = secretsManagerLogKey(logKeySecret);
  return current;
}

function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`Missing environment variable ${name}`);
  return v;
}
