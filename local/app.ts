import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { AdminService } from '../lambdas/admin/admin-service';
import { generateToken, hashToken } from '../lambdas/auth/tokens';
import { ADMIN_ROUTES, CONSOLE_API_ROUTES, CONSOLE_ROUTES, HEALTH_ROUTES, SCIM_ROUTES } from '../lambdas/routes';
import { buildAdminDeps, setAdminDeps } from '../lambdas/runtime/admin-deps';
import { buildScimDeps, documentClient, setScimDeps } from '../lambdas/runtime/deps';
import { ProvisioningLogEntry, toLogEntry } from '../lambdas/log/provisioning-log';
import { DynamoLogStore } from '../lambdas/store/dynamo-log-store';
import { localTableDefinition } from '../lambdas/store/table';
import { buildConsole } from '../console/build';
import { setConsoleAssets } from '../lambdas/console-assets';
import { ConsoleSessionRequest, ConsoleSessions } from './console-sessions';
import { EmbeddedDynamo, startEmbeddedDynamo } from './dynamo/embedded';
import { FileTokenHashStore } from './file-token-hash-store';
import { LocalEventHub } from './events';
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
  /** Base URL of the admin API (what the CLI's SCIMLINK_ADMIN_URL takes). */
  adminUrl: string;
  /** Bearer token of the local admin API (new at every start; only its hash is kept). */
  adminToken: string;
  /** The browser console, signed in as an operator: `${url}/console/#session=<operator session token>`. */
  consoleUrl: string;
  /**
   * A console session token (in memory, gone at restart): what the local stand-in for the Cognito authorizer
   * accepts on /console/api, as the ID token of a user with that role (and account) deployed.
   */
  consoleSession(request: ConsoleSessionRequest): string;
  dynamo: EmbeddedDynamo;
  admin: AdminService;
  /** User change events of committed writes (the local EventBridge bus); also served at GET /events. */
  events: LocalEventHub;
  /** Write out the provisioning-log entries still batched (they are written within ~20 ms anyway). */
  flushProvisioningLog(): Promise<void>;
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
  const events = new LocalEventHub();
  const dynamo = await startEmbeddedDynamo({
    ...(options.memory ? {} : { path: join(dataDir, 'dynamodb') }),
    onStreamRecord: events.onStreamRecord,
    // Only user items carry events: the same filter as the deployed event source mapping (lib/events.ts).
    streamKeyFilter: (key) => key.sk?.S?.startsWith('USER#') === true,
  });
  const doc = documentClient(dynamo.client);
  await ensureTable(dynamo, LOCAL_TABLE);
  const tokenHashes = new FileTokenHashStore(options.memory ? undefined : join(dataDir, 'token-hashes.json'));
  const logger = new Logger({ serviceName: 'scimlink-local', logLevel: (options.logLevel ?? 'WARN') as 'WARN' });
  // No CloudWatch Logs locally: request log lines go to the provisioning log directly, through the same mapping.
  const provisioningLog = new DynamoLogStore(doc, LOCAL_TABLE);
  // Batched off the request path, like CloudWatch Logs delivery when deployed; flushed on close.
  const pending: ProvisioningLogEntry[] = [];
  let flushing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    while (pending.length > 0) await provisioningLog.append(pending.splice(0, 25)).catch(() => undefined);
  };
  const requestSink = async (fields: Record<string, unknown>) => {
    const entry = toLogEntry(fields, new Date().toISOString(), randomUUID());
    if (!entry) return;
    pending.push(entry);
    flushing ??= new Promise<void>((r) => setTimeout(r, 20)).then(flush).finally(() => (flushing = undefined));
  };
  setScimDeps({ ...buildScimDeps({ doc, tableName: LOCAL_TABLE, tokenHashes, logger }), requestSink });
  // Admin tokens get their own prefix: never confusable with (nor accepted as) a SCIM token.
  const adminToken = generateToken().replace(/^scimlink_/, 'scimlinkadmin_');
  const adminDeps = buildAdminDeps({ doc, tableName: LOCAL_TABLE, tokenHashes, logger, auth: { mode: 'token', hash: hashToken(adminToken) } });
  setAdminDeps(adminDeps);
  // The browser console, built from console/ at every start (esbuild, in memory: ~0.1 s).
  setConsoleAssets(await buildConsole());

  const sessions = new ConsoleSessions();
  const server = createHttpAdapter(
    [...SCIM_ROUTES, ...ADMIN_ROUTES, ...CONSOLE_API_ROUTES, ...CONSOLE_ROUTES, ...HEALTH_ROUTES],
    HANDLERS,
    (req, res, url) => {
      if (req.method !== 'GET' || url.pathname !== '/events') return false;
      events.serveSse(req, res);
      return true;
    },
    { routes: CONSOLE_API_ROUTES, claims: (authorization) => sessions.claims(authorization) },
  );
  // Sockets kept alive by clients must not hold Ctrl-C hostage.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  const admin = adminDeps.admin;
  const existing = (await admin.listAccounts()).some((a) => a.id === DEMO_ACCOUNT_ID);
  if (!existing) await admin.createAccount({ id: DEMO_ACCOUNT_ID, name: 'Demo Customer', type: 'customer' });
  await admin.addIntegration(DEMO_ACCOUNT_ID);
  const keys = await admin.generateKeys(DEMO_ACCOUNT_ID, url);

  return {
    url,
    tenantUrl: keys.tenantUrl,
    secretToken: keys.secretToken,
    adminUrl: `${url}/admin`,
    adminToken,
    consoleUrl: `${url}/console/#session=${sessions.issue({ role: 'operator', name: 'local operator' })}`,
    consoleSession: (request) => sessions.issue(request),
    dynamo,
    admin,
    events,
    tableName: LOCAL_TABLE,
    async flushProvisioningLog() {
      await flushing;
      await flush();
    },
    async close() {
      // Stop accepting, let in-flight requests finish (their writes are acknowledged only once committed),
      // then close the store, which flushes LevelDB.
      events.closeStreams();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      // …including their provisioning-log entries.
      await flushing;
      await flush();
      setScimDeps(undefined);
      setAdminDeps(undefined);
      setConsoleAssets(undefined);
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
