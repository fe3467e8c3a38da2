import { createStore, del, get, set } from 'idb-keyval';
import type { KeyValueStore } from '../core/ports.js';

export const DATABASE_NAME = 'inapp-consent';
const STORE_NAME = 'state';

/**
 * IndexedDB through idb-keyval, in a database of our own so the host's data is never touched.
 * Opening is lazy and may fail in many ways (no `indexedDB` global, private mode, a `blocked`
 * open that never settles in some Android WebViews): every call then rejects, and the caller
 * (see resilient-store.ts) falls back to memory.
 */
export function createIndexedDbStore(database = DATABASE_NAME): KeyValueStore {
  let store: ReturnType<typeof createStore> | undefined;
  const open = () => {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this context');
    return (store ??= createStore(database, STORE_NAME));
  };
  return {
    kind: 'indexeddb',
    get: async (key) => get(key, open()),
    set: async (key, value) => set(key, value, open()),
    del: async (key) => del(key, open()),
  };
}
