import type { Server } from 'node:http';
import { installTableCache } from './table-cache';

/** dynalite ships no type declarations; this is the part of its API used here. */
type DynaliteFactory = (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

/**
 * dynalite on 127.0.0.1 and a free port, on LevelDB in `folder` (in memory without one), in the calling thread.
 * Table status transitions are immediate (`createTableMs: 0` etc.): a created table becomes ACTIVE on the next
 * tick instead of after dynalite's default 500 ms.
 */
export async function startDynalite(folder: string | undefined): Promise<Server> {
  installTableCache();
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({ ...(folder !== undefined ? { path: folder } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Never close an idle keep-alive socket: with Node's 5 s default the server can close a socket at the moment
  // the SDK reuses it ("socket hang up"), and `raw` (no retries) would fail a request whose transaction had
  // committed. Seen under load in the tenant-flood test. Idle sockets still go at close() (Node closes idle ones).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** dynalite's `close` stops the HTTP server, waits for pending LevelDB operations and closes the database (flushing it and releasing LOCK). */
export const closeDynalite = (server: Server): Promise<void> =>
  new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
