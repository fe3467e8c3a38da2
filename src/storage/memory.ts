import type { AtomicStore } from '../core/ports.js';

/**
 * A Map-backed store: the fallback when IndexedDB is missing or failing, and the store for
 * hosts that keep decisions elsewhere. Values are cloned in and out, as IndexedDB would, so a
 * caller can never mutate what is stored.
 */
export function createMemoryStore(): AtomicStore {
  const map = new Map<string, unknown>();
  return {
    kind: 'memory',
    get: async (key) => (map.has(key) ? structuredClone(map.get(key)) : undefined),
    set: async (key, value) => {
      map.set(key, structuredClone(value));
    },
    del: async (key) => {
      map.delete(key);
    },
    update: async (key, change) => {
      const value = change(map.has(key) ? structuredClone(map.get(key)) : undefined);
      map.set(key, structuredClone(value));
      return value;
    },
  };
}
