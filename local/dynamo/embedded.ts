/**
 * An in-process DynamoDB for local runs and integration tests: dynalite (the
 * npm DynamoDB implementation on LevelDB) on 127.0.0.1 and a random free port,
 * plus a `DynamoDBClient` for it on which `TransactWriteItems` /
 * `TransactGetItems` work — dynalite lacks both; see `./transactions`.
 */
import { type AttributeValue, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { inProcessRequestHandler } from './in-process';
import { RwLock } from './rw-lock';
import { installTableCache } from './table-cache';
import { LocalStreamRecord, installLocalStream } from './stream';
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
}

/** dynalite ships no type declarations; this is the part of its API used here. */
type DynaliteFactory = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * Starts dynalite and returns a client for it.
 *
 * Table status transitions are immediate (`createTableMs: 0` etc.): a created
 * table becomes ACTIVE on the next tick instead of after dynalite's default
 * 500 ms.
 *
 * Only commands sent through the returned `client` (or DocumentClients wrapping
 * it) are serialized against the emulated transactions; another client pointed
 * at `endpoint` works but can observe or interleave with a transaction midway.
 *
 * @throws if the store cannot be opened (e.g. `path` is held by another open
 *   instance — LevelDB allows one process/handle per folder).
 */
export async function startEmbeddedDynamo(opts: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  installTableCache();
  const dynalite = require('dynalite') as DynaliteFactory;
  if (opts.path !== undefined) {
    fs.mkdirSync(opts.path, { recursive: true });
    await assertStoreOpens(opts.path);
  }

  const server = dynalite({
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  // Never close an idle keep-alive socket: with Node's 5 s default the server can close a socket at the moment
  // the SDK reuses it ("socket hang up"), and `raw` (no retries, below) would fail a request whose transaction had
  // committed. Seen under load in the tenant-flood test. Idle sockets still go at close() (Node closes idle ones).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  // Commands still go through the SDK as against DynamoDB (serialized, signed, deserialized); only the loopback
  // HTTP hop is skipped. Each client gets its own handler: destroying one fails its later commands fast.
  const config = { region: 'local', endpoint, credentials: LOCAL_CREDENTIALS };
  const client = new DynamoDBClient({ ...config, maxAttempts: 3, requestHandler: inProcessRequestHandler(server) });
  // No retries on the emulator's own single-item calls: a retried conditional
  // write could trip over its own first attempt. A failed emulated transaction
  // is rolled back and surfaces to `client`, whose retry policy re-runs it whole.
  const raw = new DynamoDBClient({ ...config, maxAttempts: 1, requestHandler: inProcessRequestHandler(server) });
  const lock = new RwLock();
  installLocalTransactions(client, raw, { lock, inProcess: server });
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
          // dynalite's `close` stops the HTTP server, waits for pending LevelDB
          // operations and closes the database (flushing it and releasing LOCK).
          await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
        } finally {
          // Later commands fail fast (connection refused) instead of queueing forever.
          release();
        }
      })();
      return closing;
    },
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
