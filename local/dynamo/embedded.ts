/**
 * An in-process DynamoDB for local runs and integration tests: dynalite (the
 * npm DynamoDB implementation on LevelDB) on 127.0.0.1 and a random free port,
 * plus a `DynamoDBClient` for it on which `TransactWriteItems` /
 * `TransactGetItems` work — dynalite lacks both; see `./transactions`.
 */
import { type AttributeValue, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { HttpAuthScheme } from '@smithy/types';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { type DynaliteHost, callDynalite, inProcessRequestHandler } from './in-process';
import { closeDynalite, startDynalite } from './dynalite-server';
import { RwLock } from './rw-lock';
import { LocalStreamRecord, installLocalStream } from './stream';
import { startStoreThread } from './threaded';
import { installLocalTransactions } from './transactions';

export interface EmbeddedDynamo {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Client with the local transaction layer installed; wrap it in a DocumentClient as needed. */
  client: DynamoDBClient;
  /**
   * Waits for in-flight commands of `client` to finish (it takes the write lock,
   * which also waits for readers), destroys the clients and closes the server —
   * which closes the LevelDB store, releasing its lock file, so the same `path`
   * can be opened again (in this process or another). Idempotent.
   */
  close(): Promise<void>;
  /**
   * Hands every change the local stream captured to `onStreamRecord` now (it does so on its own right after the
   * writing request, off its path); `close()` does it too. A no-op without `onStreamRecord`.
   */
  flushStream(): void;
}

export interface EmbeddedDynamoOptions {
  /** Folder for the LevelDB files (created if missing); omit for an in-memory store. */
  path?: string;
  /** Receives one record per item changed by a committed write: the local stand-in for DynamoDB Streams. */
  onStreamRecord?: (record: LocalStreamRecord) => void;
  /** Which items the stream reports (default all), like the deployed event source mapping's filter. */
  streamKeyFilter?: (key: Record<string, AttributeValue>) => boolean;
  /** Whether `onStreamRecord` has a consumer right now (default always): writes are captured only while it does. */
  streamWanted?: () => boolean;
  /**
   * Run dynalite and LevelDB in a worker thread (./threaded.ts) instead of this one: what `npm start` does, so the
   * store's work runs beside the handlers on a second core. Same requests, answers and HTTP endpoint.
   */
  thread?: boolean;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * How the local clients sign: dynalite checks that a request carries a SigV4-shaped `Authorization` header and an
 * `X-Amz-Date`, never the signature itself (it has no secret to check it with), so hashing the canonical request
 * and deriving signing keys per call would be pure cost — a twentieth of `npm start`'s CPU under Entra's cycle mix.
 * The rest of the SDK's path (serialization, middleware, retries, deserialization) is the deployed one.
 */
const LOCAL_AUTH_SCHEMES: HttpAuthScheme[] = [
  {
    schemeId: 'aws.auth#sigv4',
    identityProvider: (config) => config.getIdentityProvider('aws.auth#sigv4'),
    signer: {
      async sign(request) {
        const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
        request.headers['x-amz-date'] = date;
        request.headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=unsigned`;
        return request;
      },
    },
  },
];

/**
 * Starts dynalite (./dynalite-server.ts) and returns a client for it.
 *
 * Only commands sent through the returned `client` (or DocumentClients wrapping
 * it) are serialized against the emulated transactions; another client pointed
 * at `endpoint` works but can observe or interleave with a transaction midway.
 *
 * @throws if the store cannot be opened (e.g. `path` is held by another open
 *   instance — LevelDB allows one process/handle per folder).
 */
export async function startEmbeddedDynamo(opts: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  if (opts.path !== undefined) {
    fs.mkdirSync(opts.path, { recursive: true });
    await assertStoreOpens(opts.path);
  }

  const host = opts.thread ? await startStoreThread(opts.path !== undefined ? { path: opts.path } : {}) : await startHere(opts.path);
  const endpoint = `http://127.0.0.1:${host.port}`;

  // Commands still go through the SDK as against DynamoDB (serialized, signed, deserialized); only the loopback
  // HTTP hop is skipped. Each client gets its own handler: destroying one fails its later commands fast.
  const config = { region: 'local', endpoint, credentials: LOCAL_CREDENTIALS, httpAuthSchemes: LOCAL_AUTH_SCHEMES };
  const client = new DynamoDBClient({ ...config, maxAttempts: 3, requestHandler: inProcessRequestHandler(host.call) });
  // No retries on the emulator's own single-item calls: a retried conditional
  // write could trip over its own first attempt. A failed emulated transaction
  // is rolled back and surfaces to `client`, whose retry policy re-runs it whole.
  const raw = new DynamoDBClient({ ...config, maxAttempts: 1, requestHandler: inProcessRequestHandler(host.call) });
  const lock = new RwLock();
  installLocalTransactions(client, raw, { lock, inProcess: host.call });
  const stream = opts.onStreamRecord ? installLocalStream(client, raw, opts.onStreamRecord, opts.streamKeyFilter, opts.streamWanted) : undefined;
  // dynalite opens LevelDB lazily, on the first request: open it now, so the folder is held from here on and a
  // second instance on the same folder is refused by assertStoreOpens instead of racing this one.
  await raw.send(new ListTablesCommand({ Limit: 1 }));

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    client,
    flushStream: () => stream?.flush(),
    close() {
      closing ??= (async () => {
        const release = await lock.acquireWrite();
        try {
          // Every acknowledged write's change reaches the consumer before the store goes away.
          stream?.flush();
          client.destroy();
          raw.destroy();
          await host.close();
        } finally {
          // Later commands fail fast (connection refused) instead of queueing forever.
          release();
        }
      })();
      return closing;
    },
  };
}

/** dynalite in this thread, called through its request listener. */
async function startHere(folder: string | undefined): Promise<DynaliteHost> {
  const server = await startDynalite(folder);
  return {
    port: (server.address() as AddressInfo).port,
    call: (request) => callDynalite(server, request),
    close: () => closeDynalite(server),
  };
}

/**
 * Opens and closes the LevelDB store at `folder` with the same `level` package
 * dynalite uses, so that a folder already held by another instance (LevelDB
 * allows one open handle per folder, in this process or another) fails here
 * with a clear error. dynalite itself opens lazily and, when the open fails,
 * throws from inside its request handler — crashing the process on the first
 * request. Skipped if dynalite no longer depends on `level`.
 */
async function assertStoreOpens(folder: string): Promise<void> {
  type LevelModule = { Level: new (location: string) => { open(): Promise<void>; close(): Promise<void> } };
  let level: LevelModule;
  try {
    level = require(require.resolve('level', { paths: [path.dirname(require.resolve('dynalite'))] })) as LevelModule;
  } catch {
    return;
  }
  const db = new level.Level(folder);
  try {
    await db.open();
  } catch (error) {
    throw new Error(`startEmbeddedDynamo: cannot open the LevelDB store at ${folder} (is another instance using it?)`, {
      cause: error,
    });
  }
  await db.close();
}
