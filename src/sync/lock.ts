import type { ReceiptLog } from './receipt-log.js';

export type Lock = <T>(run: () => Promise<T>) => Promise<T | undefined>;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * One holder at a time across every tab and webview of the origin, by Web Locks (Android
 * WebView 69, iOS 15.4, secure contexts only). Callers queue behind the holder.
 */
export function webLock(name: string): Lock | undefined {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  return locks ? (run) => locks.request(name, run) : undefined;
}

/**
 * One holder at a time within this context: a promise chain. Used for appends: two contexts
 * can read the same log head, and the log refuses the second write whole (receipt-log.ts,
 * `StaleHead`), which is signed again after the first.
 */
export function localLock(): Lock {
  let tail: Promise<unknown> = Promise.resolve();
  return (run) => {
    const result = tail.then(run);
    tail = result.catch(() => undefined);
    return result;
  };
}

/**
 * The flush fallback without Web Locks (§4.6): a lease record taken in one IndexedDB
 * transaction. A context that does not get it skips this flush (`undefined`); the holder sends
 * every pending receipt, and a duplicate send would be harmless anyway (`jti` idempotency).
 */
export function leaseLock(log: ReceiptLog, owner: string, now: () => number, ttlMs = 30_000): Lock {
  const local = localLock();
  return (run) => local(async () => ((await log.lease(owner, now(), ttlMs)) ? run().finally(() => log.lease(owner, now(), -1)) : undefined));
}
