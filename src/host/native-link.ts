import { ConsentError } from '../core/errors.js';
import type { Native, NativeParts } from '../permissions/attach.js';
import type { ResilientStore } from '../storage/resilient-store.js';
import { lazy } from './lazy.js';
import type { ConsentSnapshot } from './snapshot.js';

export interface NativeLinkOptions {
  /** What the bridge, mirror and permission part are wired with (permissions/attach.ts). */
  readonly parts: NativeParts;
  /** The instance's own store, which the mirror wraps. */
  readonly resilient: ResilientStore;
  /** The decisions record's key: read through the mirror as it is attached. */
  readonly key: string;
  /** Told of the wrapped store, which the instance then uses (unless it works in memory). */
  readonly mirrored: (store: ResilientStore) => void;
  readonly destroyed: () => boolean;
}

/**
 * The bridge, the native mirror and the permission flow of one instance (issue 5), loaded with
 * `import()` on first use: after `ready`, or during it when local storage is empty and the
 * native side may hold the decisions (an evicted webview). Once loaded, the instance's store
 * goes through the mirror. A part that fails to load is reported once per use, as
 * `bridge-failed`; the instance goes on without it.
 */
export function createNativeLink({ parts, resilient, key, mirrored, destroyed }: NativeLinkOptions) {
  let attached: Native | undefined;
  const native = lazy(async (): Promise<Native> => {
    const { attachNative } = await import('../permissions/attach.js');
    const part = attachNative(parts);
    if (destroyed()) part.close();
    const store = part.wrapStore(resilient);
    mirrored(store);
    // This read tells the mirror the record it sends along with the next change, and restores
    // it when local storage is empty.
    await store.get(key).catch(() => undefined);
    return (attached = part);
  });
  const withNative = <T>(use: (part: Native) => T | Promise<T>): Promise<T> =>
    native().then(use, (cause: unknown) => {
      const error = new ConsentError('bridge-failed', 'inapp-consent: the bridge and permission part could not be loaded', { cause });
      parts.report(error);
      throw error;
    });
  return {
    withNative,
    /** Sends a snapshot to the native side (each change, and each record stored). */
    mirror: (snapshot: ConsentSnapshot) => void withNative((part) => part.put(snapshot)).catch(() => undefined),
    /** The native app's `app.resume` (or, on the web, the page shown again). */
    onResume(listener: () => void) {
      let stop: (() => void) | undefined;
      let stopped = false;
      void withNative((part) => {
        if (!stopped) stop = part.onResume(listener);
      }).catch(() => undefined);
      return () => {
        stopped = true;
        stop?.();
      };
    },
    close: () => attached?.close(),
  };
}
