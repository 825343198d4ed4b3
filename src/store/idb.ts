/**
 * The IndexedDB connection under idb-keyval. idb-keyval's own `createStore` keeps its connection open for
 * the life of the page, so `indexedDB.deleteDatabase()` (forget, consent withdrawn) in another tab would
 * wait on it forever. This one closes when another tab deletes or upgrades the database (`versionchange`)
 * and reopens on the next use; it plugs into every idb-keyval function as a custom store.
 */
import { promisifyRequest, type UseStore } from 'idb-keyval';

export interface Connection {
  /** idb-keyval's store function: runs `callback` in a transaction on the object store. */
  store: UseStore;
  /** Closes the connection now (it reopens on the next use). */
  close(): void;
}

export function connect(dbName: string, storeName: string): Connection {
  let dbp: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (dbp) return dbp;
    const request = indexedDB.open(dbName);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    const p: Promise<IDBDatabase> = promisifyRequest(request).then((db) => {
      // Safari may close a connection on its own; another tab's deleteDatabase() asks us to.
      db.onclose = db.onversionchange = () => {
        db.close();
        if (dbp === p) dbp = undefined;
      };
      return db;
    });
    p.catch(() => dbp === p && (dbp = undefined));
    return (dbp = p);
  };
  return {
    // `open` runs inside a promise so that an `indexedDB.open` that throws (storage blocked) rejects instead.
    store: (mode, callback) => Promise.resolve().then(open).then((db) => callback(db.transaction(storeName, mode).objectStore(storeName))),
    close() {
      const p = dbp;
      dbp = undefined;
      p?.then((db) => db.close(), () => {});
    },
  };
}

/**
 * Deletes the database. Resolves once it is gone, or as soon as the deletion has to wait for a connection
 * that another tab (an older Tacit) keeps open: it then completes when that tab closes. Never rejects.
 */
export function deleteDatabase(dbName: string): Promise<void> {
  return new Promise((resolve) => {
    try {
      const request = indexedDB.deleteDatabase(dbName);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    } catch {
      resolve(); // no IndexedDB at all: nothing to delete
    }
  });
}
