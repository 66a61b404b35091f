import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { AdminService } from '../lambdas/admin/admin-service';
import { bearerToken, generateToken, hashToken, tokenMatches } from '../lambdas/auth/tokens';
import { ScimError } from '../lambdas/scim/errors';
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
import { LocalAddress, createHttpAdapter, localAddress, sendScimError } from './http-adapter';
import { readLocalKeys, writeLocalKeys } from './local-keys';

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
  /**
   * The address clients use (e.g. a tunnel's `https://abc.example.dev`): tenant URLs, `meta.location` and every
   * printed URL are built from it, and requests must name it (or a loopback address) as their Host. Default:
   * `http://<host>:<port>` (127.0.0.1 when bound to every interface).
   */
  publicUrl?: string;
  /** Generate new keys even when the data dir holds the previous start's (they stop working). */
  newKeys?: boolean;
  /** Run the embedded store in a worker thread (`npm start` does; tests mostly do not): see local/dynamo/threaded.ts. */
  storeThread?: boolean;
}

export interface LocalApp {
  /** The public base URL (`publicUrl`, else http://host:port). */
  url: string;
  /** The port it listens on (the public URL's may differ, behind a tunnel). */
  port: number;
  /** True when the keys are the ones the previous start of this data dir printed. */
  keysReused: boolean;
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
    thread: options.storeThread === true,
    onStreamRecord: events.onStreamRecord,
    // Only user items carry events: the same filter as the deployed event source mapping (lib/events.ts).
    streamKeyFilter: (key) => key.sk?.S?.startsWith('USER#') === true,
    // Captured only while someone listens (an SSE client, `--events`, a test): with no rule on a bus, nothing is delivered.
    streamWanted: () => events.listening,
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
  // In arrival order, 25 per BatchWriteItem; a batch the store refuses stays first in line for the next flush
  // (close() runs one), so a store hiccup delays entries instead of dropping them.
  const flush = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending.slice(0, 25);
      try {
        await provisioningLog.append(batch);
      } catch (e) {
        logger.warn('provisioning log write failed; kept for the next flush', { entries: pending.length, error: (e as Error).name });
        return;
      }
      pending.splice(0, batch.length);
    }
  };
  const requestSink = async (fields: Record<string, unknown>) => {
    const entry = toLogEntry(fields, new Date().toISOString(), randomUUID());
    if (!entry) return;
    pending.push(entry);
    flushing ??= new Promise<void>((r) => setTimeout(r, 20)).then(flush).finally(() => (flushing = undefined));
  };
  setScimDeps({ ...buildScimDeps({ doc, tableName: LOCAL_TABLE, tokenHashes, logger }), requestSink });
  const saved = options.memory || options.newKeys ? undefined : await readLocalKeys(dataDir);
  // Admin tokens get their own prefix: never confusable with (nor accepted as) a SCIM token.
  const adminToken = saved?.adminToken ?? generateToken().replace(/^scimlink_/, 'scimlinkadmin_');
  const adminDeps = buildAdminDeps({ doc, tableName: LOCAL_TABLE, tokenHashes, logger, auth: { mode: 'token', hash: hashToken(adminToken) } });
  setAdminDeps(adminDeps);
  // The browser console, built from console/ at every start (esbuild, in memory: ~0.1 s).
  setConsoleAssets(await buildConsole());

  const sessions = new ConsoleSessions();
  // Filled in once listening (the port may be 0 = any): the address requests must name, and the one URLs use.
  const address: LocalAddress = { public: new URL('http://127.0.0.1'), hosts: new Set() };
  const server = createHttpAdapter(
    [...SCIM_ROUTES, ...ADMIN_ROUTES, ...CONSOLE_API_ROUTES, ...CONSOLE_ROUTES, ...HEALTH_ROUTES],
    HANDLERS,
    (req, res, url) => {
      if (req.method !== 'GET' || url.pathname !== '/events') return false;
      // The events carry users' personal data: the admin token, as for the admin API.
      const presented = bearerToken(req.headers.authorization);
      if (!presented || !tokenMatches(presented, hashToken(adminToken))) {
        sendScimError(res, new ScimError(401, '/events needs the admin token: Authorization: Bearer <Admin Token> (npm start prints it and writes it to .scimlink/env)'));
        return true;
      }
      events.serveSse(req, res);
      return true;
    },
    { routes: CONSOLE_API_ROUTES, claims: (authorization) => sessions.claims(authorization) },
    address,
  );
  // A client reuses a kept-alive socket until shortly before the timeout the server advertises; under load (event
  // loop lag of seconds) 5 s let the server close sockets a client was just reusing (ECONNRESET in the tenant-flood
  // test at load average 15). 65 s is longer than load balancers' and tunnels' 60 s idle limit, and a socket idle
  // that long is rare. Ctrl-C is not held hostage: once close() begins, sockets end with their response
  // (local/http-adapter.ts) and idle ones are closed at once.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  Object.assign(address, localAddress(options.host ?? '127.0.0.1', port, options.publicUrl));
  const url = address.public.origin;

  const admin = adminDeps.admin;
  const existing = (await admin.listAccounts()).some((a) => a.id === DEMO_ACCOUNT_ID);
  if (!existing) await admin.createAccount({ id: DEMO_ACCOUNT_ID, name: 'Demo Customer', type: 'customer' });
  const integration = await admin.addIntegration(DEMO_ACCOUNT_ID, url);
  // The previous start's token still works only while the store holds the tenant key it was generated with.
  const keysReused = saved !== undefined && integration.tenantUrl?.endsWith(`/scim/${saved.tenant}`) === true;
  const keys = keysReused ? { tenantUrl: integration.tenantUrl as string, secretToken: saved.secretToken } : await admin.generateKeys(DEMO_ACCOUNT_ID, url);
  const operator = { role: 'operator' as const, name: 'local operator' };
  const consoleSession = keysReused ? sessions.restore(saved.consoleSession, operator) : sessions.issue(operator);
  if (!options.memory) {
    await writeLocalKeys(dataDir, { tenant: keys.tenantUrl.slice(keys.tenantUrl.lastIndexOf('/') + 1), secretToken: keys.secretToken, adminToken, consoleSession });
  }

  return {
    url,
    port,
    keysReused,
    tenantUrl: keys.tenantUrl,
    secretToken: keys.secretToken,
    adminUrl: `${url}/admin`,
    adminToken,
    consoleUrl: `${url}/console/#session=${consoleSession}`,
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
      // Stop accepting and let in-flight requests finish (their writes are acknowledged only once committed)…
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await server.whenIdle();
      // …hand their changes to the event subscribers (SSE streams included) before ending those streams…
      dynamo.flushStream();
      events.closeStreams();
      await closed;
      // …and write their provisioning-log entries.
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
