import * as path from 'node:path';

/** The parts of dynalite's store (dynalite/db) this module touches. */
interface DynaliteStore {
  tableDb: { put: (...args: unknown[]) => unknown; del: (...args: unknown[]) => unknown };
  getTable: (name: string, checkStatus: unknown, cb?: (err: unknown, table?: { TableStatus?: string }) => void) => void;
}
type DbModule = { create: (options: unknown) => DynaliteStore; scimlinkTableCache?: true };

/**
 * dynalite reads and JSON-decodes a table's description from LevelDB at the start of every item operation
 * (`store.getTable`): on the disk store that one lookup was a tenth of `npm start`'s CPU under load (profiled with
 * `node --cpu-prof`). This keeps each ACTIVE table's description in memory, per store, and forgets it on any
 * write to dynalite's table list (CreateTable, UpdateTable, DeleteTable and their status changes all go through
 * `tableDb.put`/`del`). Only the item operations' lookups are served from it (`checkStatus` true); DescribeTable
 * and the table-management actions read LevelDB as before. Installed once per process, before dynalite creates a
 * store; a dynalite without this internal shape is left alone.
 */
export function installTableCache(): void {
  let db: DbModule;
  try {
    db = require(path.join(path.dirname(require.resolve('dynalite')), 'db')) as DbModule;
  } catch {
    return;
  }
  if (db.scimlinkTableCache || typeof db.create !== 'function') return;
  const create = db.create;
  db.create = (options: unknown) => {
    const store = create(options);
    if (typeof store?.getTable !== 'function' || typeof store.tableDb?.put !== 'function' || typeof store.tableDb.del !== 'function') return store;
    const cache = new Map<string, { TableStatus?: string }>();
    const { put, del } = store.tableDb;
    store.tableDb.put = (...args: unknown[]) => (cache.clear(), put.apply(store.tableDb, args));
    store.tableDb.del = (...args: unknown[]) => (cache.clear(), del.apply(store.tableDb, args));
    const getTable = store.getTable;
    store.getTable = (name, checkStatus, cb) => {
      const callback = typeof checkStatus === 'function' ? (checkStatus as NonNullable<typeof cb>) : cb;
      // dynalite's own default: a call without `checkStatus` checks it.
      const checked = typeof checkStatus === 'function' || checkStatus === true;
      if (!checked || !callback) return getTable(name, checkStatus, cb);
      const hit = cache.get(name);
      if (hit) return void process.nextTick(callback, null, hit);
      getTable(name, true, (err, table) => {
        if (!err && table?.TableStatus === 'ACTIVE') cache.set(name, table);
        callback(err, table);
      });
    };
    return store;
  };
  db.scimlinkTableCache = true;
}
