import type { ConsentError } from '../core/errors.js';
import type { KeyValueStore } from '../core/ports.js';
import { INSTALL_ID_KEY, recordKey } from '../core/stored-record.js';
import type { BridgeLink } from './connect.js';

/**
 * What `consent.put` carries and `consent.get` returns. `state` is for the host to read
 * (granted purposes, permission statuses, the decision: the instance's snapshot); `record` is
 * the versioned stored record, opaque to the host, kept so the webview can restore it.
 */
export interface MirroredState {
  readonly policyId: string;
  readonly state?: unknown;
  readonly record?: unknown;
  readonly subject?: string;
}

export interface Mirror {
  /** Wraps the store: reads of an empty store fall back to the native copy, writes are kept. */
  wrap<S extends KeyValueStore>(store: S): S;
  /** Sends the current state to the native side (coalesced: only the latest is sent). */
  put(state: { readonly ready: boolean; readonly subject: string }): void;
}

/**
 * Mirrors decisions into native storage so a host reads them before any webview exists, and a
 * webview whose storage was evicted (iOS ITP clears script-writable storage after 7 days
 * without use; Android "clear cache" tools; private modes) restores them from there. The native
 * copy is read only when local storage is empty: local is never overwritten by it.
 */
export function createMirror(link: BridgeLink, policyId: string, report: (error: ConsentError) => void): Mirror {
  const key = recordKey(policyId);
  let record: unknown;
  let native: Promise<MirroredState | undefined> | undefined;
  let latest: MirroredState | undefined;
  let sending = false;

  const fetchNative = () =>
    (native ??= link.call('consent.get', { policyId }).then(
      (value) => {
        const found = value as Partial<MirroredState> | null | undefined;
        return found && found.policyId === policyId ? (found as MirroredState) : undefined;
      },
      (error: ConsentError) => {
        report(error);
        return undefined;
      },
    ));

  const flush = async () => {
    if (sending) return;
    sending = true;
    while (latest) {
      const next = latest;
      latest = undefined;
      await link.call('consent.put', next).catch(report);
    }
    sending = false;
  };

  return {
    wrap(store) {
      // Object.create keeps the wrapped store's other members (ResilientStore's `degraded`).
      return Object.assign(Object.create(store) as typeof store, {
        async get(name: string) {
          const local = await store.get(name);
          if (local !== undefined || (name !== key && name !== INSTALL_ID_KEY)) {
            if (name === key) record = local;
            return local;
          }
          const mirrored = await fetchNative();
          const value = name === key ? mirrored?.record : mirrored?.subject;
          if (value === undefined) return undefined;
          if (name === key) record = value;
          await store.set(name, value).catch(() => undefined); // a failing store reports itself
          return value;
        },
        async set(name: string, value: unknown) {
          await store.set(name, value);
          if (name === key) record = value;
        },
        // A save's read and write in one transaction. No native fallback is needed: the instance
        // reads through this wrapper as it attaches it (create-consent.ts), before any save,
        // which brings an evicted webview's record back from the native copy.
        ...(store.update && {
          async update(name: string, change: (current: unknown) => unknown) {
            const value = await store.update!(name, change);
            if (name === key) record = value;
            return value;
          },
        }),
      });
    },
    put(state) {
      if (!state.ready) return;
      latest = { policyId, state, ...(record === undefined ? {} : { record }), subject: state.subject };
      void flush();
    },
  };
}
