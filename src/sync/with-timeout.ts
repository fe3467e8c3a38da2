/**
 * Rejects if `promise` has not settled within `ms`. Environment calls that can hang forever —
 * a `blocked` IndexedDB open in some Android WebViews, a native bridge that never answers — go
 * through this, so a consent action always settles.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
