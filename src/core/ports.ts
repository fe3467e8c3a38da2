/**
 * What the pure core needs from outside, as interfaces only. The shell (consent.ts) passes in
 * browser or Node implementations; tests pass in fakes.
 */

/** Milliseconds since the epoch. */
export type Clock = () => number;

/** A fresh random id (UUID v4 in the browser). */
export type IdSource = () => string;

/**
 * A key-value store of structured-cloneable values. Implementations may throw or reject on
 * any call (private mode, quota, a blocked open); the shell turns that into an `error` event.
 */
export interface KeyValueStore {
  readonly kind: 'indexeddb' | 'memory' | 'custom';
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /**
   * Reads `key`, writes `change(current)` and resolves with it, atomically where the store can
   * (one IndexedDB readwrite transaction: no other tab writes between the read and the write).
   * `change` runs synchronously; when it throws, nothing is written and `update` rejects with
   * what it threw. Optional: a host's own store without it gets a read, then a write.
   */
  update?(key: string, change: (current: unknown) => unknown): Promise<unknown>;
}

/** A store with `update`: the SDK's own stores (the resilient store gives every store one). */
export type AtomicStore = KeyValueStore & Required<Pick<KeyValueStore, 'update'>>;
