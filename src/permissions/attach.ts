import { connectBridge, type BridgeOption } from '../bridge/connect.js';
import { createMirror } from '../bridge/mirror.js';
import type { PermissionRecord, PermissionStatus, Surface } from '../core/decision-types.js';
import type { ConsentError } from '../core/errors.js';
import type { KeyValueStore } from '../core/ports.js';
import type { PolicyDocument } from '../core/policy-types.js';
import { anchorsKey, createAnchorBook } from './anchors.js';
import { createPermissionRequester, type PermissionRequester } from './requester.js';
import type { RationalePrompt } from './types.js';

/** What the instance hands over; functions, because its state changes under them. */
export interface NativeParts {
  readonly bridge: BridgeOption | undefined;
  readonly rationale: RationalePrompt | undefined;
  readonly ready: () => Promise<void>;
  readonly policyId: string;
  readonly policy: () => PolicyDocument;
  readonly records: () => Readonly<Record<string, PermissionRecord>>;
  readonly record: (permissionId: string, status: PermissionStatus, choice: 'continue' | 'not_now' | undefined, surface: Surface) => Promise<void>;
  readonly store: () => KeyValueStore;
  readonly now: () => number;
  readonly report: (error: ConsentError) => void;
}

export interface Native {
  readonly requester: PermissionRequester;
  /** Wraps the instance's store so an empty one is restored from the native mirror. */
  wrapStore<S extends KeyValueStore>(store: S): S;
  /** Mirrors a state change to the native side (`consent.put`). */
  put(state: { readonly ready: boolean; readonly subject: string }): void;
  /** The native app's `app.resume`; the outbox flushes on it too. */
  onResume(listener: () => void): () => void;
  close(): void;
}

/**
 * Wires the bridge, the mirror and the permission flow to one instance: the only place that
 * knows all three. `app.resume` and `permission.changed` re-read OS state (PP-07); with no
 * bridge, a page becoming visible again stands in for a resume (back from the browser's
 * site settings).
 */
export function attachNative(parts: NativeParts): Native {
  const link = connectBridge(parts.bridge, parts.report);
  const mirror = createMirror(link, parts.policyId, parts.report);
  const key = anchorsKey(parts.policyId);
  const monotonic = typeof performance === 'undefined' ? undefined : () => performance.now();
  // The parts pass through as they are (ready, policy, records, rationale, record, report).
  const requester = createPermissionRequester({
    ...parts,
    device: link.device,
    clock: { now: parts.now, ...(monotonic ? { monotonic } : {}) },
    anchors: createAnchorBook({ get: () => parts.store().get(key), set: (value) => parts.store().set(key, value) }),
  });
  const recheck = () => void requester.recheck();
  const page = typeof document === 'undefined' ? undefined : document;
  const onVisible = () => {
    if (link.device.source === 'web' && page?.visibilityState === 'visible') recheck();
  };
  page?.addEventListener('visibilitychange', onVisible);
  const stops = [link.on('app.resume', recheck), link.on('permission.changed', recheck), () => page?.removeEventListener('visibilitychange', onVisible)];

  return {
    requester,
    wrapStore: (store) => mirror.wrap(store),
    put: (state) => mirror.put(state),
    onResume: (listener) => link.on('app.resume', listener),
    close() {
      for (const stop of stops) stop();
      link.close();
    },
  };
}
