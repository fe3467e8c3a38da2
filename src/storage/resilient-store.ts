import { ConsentError, type ErrorCode } from '../core/errors.js';
import type { KeyValueStore } from '../core/ports.js';
import { createMemoryStore } from './memory.js';

export interface ResilientStore extends KeyValueStore {
  /** True once the primary store failed and everything lives in memory for this session. */
  readonly degraded: boolean;
}

/**
 * Wraps the primary store so that storage never breaks the host: the first failure (a throw, a
 * rejection, or an open that does not settle within `timeoutMs`, as a `blocked` IndexedDB open
 * does) moves this session to memory, reports one `error`, and the failed write lands in memory
 * so the decision is kept. The primary is not written again: a half-working IndexedDB would
 * otherwise hold an older state than memory.
 */
export function createResilientStore(
  primary: KeyValueStore,
  report: (error: ConsentError) => void,
  timeoutMs = 3000,
): ResilientStore {
  const memory = createMemoryStore();
  let degraded = primary.kind === 'memory';

  const attempt = async <T>(call: (store: KeyValueStore) => Promise<T>, code: ErrorCode): Promise<T> => {
    if (degraded) return call(memory);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`storage did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      // Called from a microtask: a store that throws synchronously (localStorage in a sandboxed
      // frame) must not report before createConsent has returned and listeners are attached.
      return await Promise.race([Promise.resolve().then(() => call(primary)), timeout]);
    } catch (cause) {
      // Calls already in flight may fail together; the switch is reported once.
      if (!degraded) report(new ConsentError(code, `inapp-consent: ${primary.kind} storage failed; decisions are kept in memory for this session`, { cause }));
      degraded = true;
      return call(memory);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    kind: primary.kind,
    get degraded() {
      return degraded;
    },
    get: (key) => attempt((store) => store.get(key), 'storage-unavailable'),
    set: (key, value) => attempt((store) => store.set(key, value), 'storage-write-failed'),
    // Through `attempt` too: a delete that throws or never settles must not hang the caller.
    del: (key) => attempt((store) => store.del(key), 'storage-write-failed'),
  };
}
