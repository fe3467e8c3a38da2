import { ConsentError, type ErrorCode } from '../core/errors.js';
import type { AtomicStore, KeyValueStore } from '../core/ports.js';
import { createMemoryStore } from './memory.js';

export interface ResilientStore extends AtomicStore {
  /** True while the primary store is failing: the latest writes are kept in memory until it answers again. */
  readonly degraded: boolean;
}

/**
 * What to write back for `key` when the primary answers again: `onPrimary` is what it holds now,
 * `ours` the latest value written here, `base` what this store last saw there (undefined when
 * never). Returns the value to store, or `onPrimary` itself to leave it untouched.
 */
export type Reconcile = (key: string, onPrimary: unknown, ours: unknown, base: unknown) => unknown;

/**
 * Wraps the primary store so that storage never breaks the host. A failure (a throw, a
 * rejection, or a call that does not settle within `timeoutMs`, as a `blocked` IndexedDB open
 * does) starts an episode: one `error` is reported, the value lands in memory so the decision
 * is kept, and the primary is tried again on the next call. When it answers, the values kept in
 * memory are written back first (reconciled with what it holds: another tab may have written
 * meanwhile), so nothing decided during the episode is lost on restart ("nothing a user decided
 * is ever lost", DESIGN.md). A call that hung is not stacked on: until it settles, calls go to
 * memory at once rather than waiting `timeoutMs` each.
 */
export function createResilientStore(
  primary: KeyValueStore,
  report: (error: ConsentError) => void,
  timeoutMs = 3000,
  /** By default `reconcileStored` (merge-record.ts), loaded on the first write-back. */
  reconcile?: Reconcile,
): ResilientStore {
  const memory = createMemoryStore();
  const memoryOnly = primary.kind === 'memory';
  /** Keys whose latest value (or deletion) is only in memory. */
  const unsaved = new Set<string>();
  /** What the primary held when last read or written, per key: the base of a write-back. */
  const seen = new Map<string, unknown>();
  let failing = false;
  let hung: Promise<unknown> | undefined;
  let writingBack: Promise<void> | undefined;

  const call = async <T>(work: (store: KeyValueStore) => Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Called from a microtask: a store that throws synchronously (localStorage in a sandboxed
    // frame) must not report before createConsent has returned and listeners are attached.
    const pending = Promise.resolve().then(() => work(primary));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const settled = () => void (hung === pending && (hung = undefined));
        hung = pending;
        pending.then(settled, settled);
        reject(new Error(`storage did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const writeBack = async () => {
    const merge = reconcile ?? (await import('./merge-record.js')).reconcileStored;
    for (const key of [...unsaved]) {
      const ours = await memory.get(key);
      const onPrimary = await call((store) => store.get(key));
      const value = ours === undefined ? undefined : merge(key, onPrimary, ours, seen.get(key));
      if (value === undefined) await call((store) => store.del(key));
      else if (value !== onPrimary) await call((store) => store.set(key, value));
      seen.set(key, value);
      unsaved.delete(key);
      await memory.del(key);
    }
  };

  /**
   * Runs `work` on the primary, or `fallback` in memory. Writes (and reads of a key kept in
   * memory) first write back what the episode kept, so the primary never gets a value older
   * than memory's, and the episode ends only when nothing is left unsaved.
   */
  const attempt = async <T>(work: (store: KeyValueStore) => Promise<T>, code: ErrorCode, fallback: () => Promise<T>, key?: string, own?: (cause: unknown) => boolean): Promise<T> => {
    if (memoryOnly || hung) return fallback();
    try {
      if (unsaved.size > 0 && (key === undefined || unsaved.has(key))) {
        await (writingBack ??= writeBack().finally(() => (writingBack = undefined)));
      }
      const result = await call(work);
      failing = unsaved.size > 0;
      return result;
    } catch (cause) {
      // An update's `change` refusing to write is the caller's answer, not a storage failure.
      if (own?.(cause)) throw cause;
      // Calls in flight may fail together, and a retry may fail again: reported once an episode.
      if (!failing) report(new ConsentError(code, `inapp-consent: ${primary.kind} storage failed; decisions are kept in memory and written back when it answers again`, { cause }));
      failing = true;
      return fallback();
    }
  };

  /** A set, or with `undefined` a delete (as IndexedDB reads either back). */
  const write = (key: string, value: unknown) =>
    attempt(async (store) => {
      await (value === undefined ? store.del(key) : store.set(key, value));
      seen.set(key, value);
    }, 'storage-write-failed', () => {
      unsaved.add(key);
      return value === undefined ? memory.del(key) : memory.set(key, value);
    });

  return {
    kind: primary.kind,
    get degraded() {
      return memoryOnly || failing || unsaved.size > 0 || hung !== undefined;
    },
    get: (key) =>
      attempt(async (store) => {
        const value = await store.get(key);
        seen.set(key, value);
        return value;
      }, 'storage-unavailable', () => memory.get(key), key),
    set: write,
    // A write like `set` (same episode rules), read and written in one transaction where the
    // primary can (a host's own store without `update` gets a read, then a write): a save then
    // has no window in which another tab's write is overwritten.
    async update(key, change) {
      let refused: { readonly error: unknown } | undefined;
      const guarded = (current: unknown) => {
        try {
          return change(current);
        } catch (error) {
          refused = { error };
          throw error;
        }
      };
      return attempt(async (store) => {
        let value: unknown;
        if (store.update) value = await store.update(key, guarded);
        else await store.set(key, (value = guarded(await store.get(key))));
        seen.set(key, value);
        return value;
      }, 'storage-write-failed', async () => {
        const value = guarded(await memory.get(key));
        unsaved.add(key);
        await memory.set(key, value);
        return value;
      }, key, (cause) => refused !== undefined && cause === refused.error);
    },
    // Through `attempt` too: a delete that throws or never settles must not hang the caller.
    del: (key) => write(key, undefined),
  };
}
