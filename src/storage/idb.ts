import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';

/**
 * An idb-keyval store in a database of our own, opened on first use (the call throws where
 * there is no `indexedDB`, and every later call tries again).
 */
export function lazyStore(database: string, name: string): () => UseStore {
  let store: UseStore | undefined;
  return () => {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this context');
    return (store ??= createStore(database, name));
  };
}

/**
 * Reads `key` and lets `write` issue its writes in the same readwrite transaction: no other
 * context writes between the read and the writes. `write` runs inside `onsuccess`, not after an
 * `await` (older WebKit webviews end a transaction before promise continuations run); when it
 * throws, nothing is written and the promise rejects with what it threw. (idb-keyval's own
 * `update` never settles when its updater throws.)
 */
export function readThenWrite(store: UseStore, key: IDBValidKey, write: (current: unknown, objects: IDBObjectStore) => void): Promise<void> {
  return store('readwrite', (objects) => new Promise<void>((resolve, reject) => {
    const request = objects.get(key);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      try {
        write(request.result, objects);
        promisifyRequest(objects.transaction).then(() => resolve(), reject);
      } catch (error) {
        // Nothing was written; a DataCloneError from a `put` lands here too.
        reject(error);
      }
    };
  }));
}
