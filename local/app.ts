import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { IntegrationService } from '../lambdas/admin/integration-service';
import { SCIM_ROUTES } from '../lambdas/routes';
import { buildScimDeps, documentClient, setScimDeps } from '../lambdas/runtime/deps';
import { DynamoAccountStore } from '../lambdas/store/dynamo-account-store';
import { localTableDefinition } from '../lambdas/store/table';
import { EmbeddedDynamo, startEmbeddedDynamo } from './dynamo/embedded';
import { FileTokenHashStore } from './file-token-hash-store';
import { HANDLERS } from './handlers';
import { createHttpAdapter } from './http-adapter';

export const LOCAL_TABLE = 'scimlink-local';
export const DEMO_ACCOUNT_ID = 'demo';

export interface LocalOptions {
  port?: number;
  host?: string;
  /** Keep everything in memory (nothing written to disk). */
  memory?: boolean;
  /** Folder for the embedded store and the token hashes (default .scimlink/). */
  dataDir?: string;
  /** Log level of the handlers' structured logs (default: WARN, so the console stays readable). */
  logLevel?: string;
}

export interface LocalApp {
  /** http://host:port */
  url: string;
  tenantUrl: string;
  secretToken: string;
  dynamo: EmbeddedDynamo;
  integrations: IntegrationService;
  tableName: string;
  close(): Promise<void>;
}

/**
 * `npm start` without the console output: the deployed handlers behind the local HTTP adapter, on dynalite with
 * the project's transaction layer, plus the demo customer account with Entra ID Sync and fresh keys — created
 * through IntegrationService, the code the admin API uses.
 */
export async function startLocal(options: LocalOptions = {}): Promise<LocalApp> {
  const dataDir = options.dataDir ?? '.scimlink';
  const dynamo = await startEmbeddedDynamo(options.memory ? {} : { path: join(dataDir, 'dynamodb') });
  const doc = documentClient(dynamo.client);
  await ensureTable(dynamo, LOCAL_TABLE);
  const tokenHashes = new FileTokenHashStore(options.memory ? undefined : join(dataDir, 'token-hashes.json'));
  const logger = new Logger({ serviceName: 'scimlink-local', logLevel: (options.logLevel ?? 'WARN') as 'WARN' });
  setScimDeps(buildScimDeps({ doc, tableName: LOCAL_TABLE, tokenHashes, logger }));

  const server = createHttpAdapter(SCIM_ROUTES, HANDLERS);
  // Sockets kept alive by clients must not hold Ctrl-C hostage.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  const accounts = new DynamoAccountStore(doc, LOCAL_TABLE);
  const integrations = new IntegrationService(accounts, tokenHashes);
  if (!(await accounts.getAccount(DEMO_ACCOUNT_ID))) {
    await integrations.createAccount({ id: DEMO_ACCOUNT_ID, name: 'Demo Customer', type: 'customer' });
  }
  await integrations.addIntegration(DEMO_ACCOUNT_ID);
  const keys = await integrations.generateKeys(DEMO_ACCOUNT_ID, url);

  return {
    url,
    tenantUrl: keys.tenantUrl,
    secretToken: keys.secretToken,
    dynamo,
    integrations,
    tableName: LOCAL_TABLE,
    async close() {
      // Stop accepting, let in-flight requests finish (their writes are acknowledged only once committed),
      // then close the store, which flushes LevelDB.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      setScimDeps(undefined);
      await dynamo.close();
    },
  };
}

async function ensureTable(dynamo: EmbeddedDynamo, tableName: string) {
  try {
    await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (e) {
    if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    await dynamo.client.send(new CreateTableCommand(localTableDefinition(tableName)));
  }
}
