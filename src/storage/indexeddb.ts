import { del, get, set } from 'idb-keyval';
import type { AtomicStore } from '../core/ports.js';
import { lazyStore, readThenWrite } from './idb.js';

export const DATABASE_NAME = 'inapp-consent';
const STORE_NAME = 'state';

/**
 * IndexedDB through idb-keyval, in a database of our own so the host's data is never touched.
 * Opening is lazy and may fail in many ways (no `indexedDB` global, private mode, a `blocked`
 * open that never settles in some Android WebViews): every call then rejects, and the caller
 * (see resilient-store.ts) falls back to memory.
 */
export function createIndexedDbStore(database = DATABASE_NAME): AtomicStore & { warm(): void } {
  const open = lazyStore(database, STORE_NAME);
  return {
    kind: 'indexeddb',
    // Opening the database takes 3–9 ms in a fresh page (Chromium, returning user). Started
    // before the policy is validated and hashed, it is open by the first read, which the
    // resilient store only issues once createConsent has returned. A failure here is left for
    // that read to meet and report.
    warm() {
      try {
        get('', open()).catch(() => undefined);
      } catch {
        // No IndexedDB in this context: the first read reports it.
      }
    },
    get: async (key) => get(key, open()),
    set: async (key, value) => set(key, value, open()),
    del: async (key) => del(key, open()),
    async update(key, change) {
      let value: unknown;
      await readThenWrite(open(), key, (current, objects) => objects.put((value = change(current)), key));
      return value;
    },
  };
}
