import type { ReadonlySignal } from '@preact/signals-core';
import type { DecisionEvent, PermissionStatus, Surface } from '../core/decision-types.js';
import type { ConsentError } from '../core/errors.js';
import type { PolicyDocument } from '../core/policy-types.js';
import type { ConsentSnapshot } from './snapshot.js';

/**
 * A running consent instance. Reads are synchronous; actions return promises that settle once
 * the decision is stored (or kept in memory after a reported storage failure). Actions never
 * reject because of the environment, only for programmer errors (`invalid-action`).
 */
export interface ConsentInstance {
  /** Resolves once stored decisions are restored. Never rejects. */
  readonly ready: Promise<void>;
  /** The validated policy document in force. */
  readonly policy: PolicyDocument;
  /** The current state as a signal (preact, or any reader of `.value` / `.subscribe`). */
  readonly state: ReadonlySignal<ConsentSnapshot>;
  /** First launch, or a material change to something the person had agreed to. */
  readonly needsConsent: boolean;
  /** Whether the host may process for a purpose (or act on a separate consent) now. O(1). */
  isGranted(id: string): boolean;
  /** Called after every change with the new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: ConsentSnapshot) => void): () => void;
  /**
   * `change`: every state change. `error`: environment failures, reported and never thrown.
   * `decision`: each recorded decision, the input of its consent receipt.
   */
  on(type: 'change', listener: (snapshot: ConsentSnapshot) => void): () => void;
  on(type: 'error', listener: (error: ConsentError) => void): () => void;
  on(type: 'decision', listener: (event: DecisionEvent) => void): () => void;
  /** The person tapped 同意: grants the basic-bundle purposes only (FL-05). */
  agree(surface?: Surface): Promise<void>;
  /** The person tapped 不同意: limited mode; recorded as a refusal (FL-04). */
  decline(surface?: Surface): Promise<void>;
  /** The dialog was closed without a choice: changes nothing (FL-03). */
  dismiss(): Promise<void>;
  /** Switches one basic-bundle or optional purpose. */
  setPurpose(purposeId: string, granted: boolean, surface?: Surface): Promise<void>;
  /** Grants a separate consent or switches a purpose on. */
  grant(id: string, surface?: Surface): Promise<void>;
  /** Withdraws a purpose or a separate consent; takes effect before the promise settles (WD-01). */
  withdraw(id: string, surface?: Surface): Promise<void>;
  /** Accepts a changed policy: re-grants changed basic purposes and the optional ones named. */
  agreeChanges(optionalPurposeIds?: readonly string[], surface?: Surface): Promise<void>;
  /** Refuses a changed policy: the changed purposes are recorded as refused. */
  declineChanges(surface?: Surface): Promise<void>;
  /** Records the outcome of a permission request (the bridge issue drives the request itself). */
  recordPermission(permissionId: string, status: PermissionStatus, choice?: 'continue' | 'not_now'): Promise<void>;
  /** Loads a new version of the same policy; stored decisions are kept (CG-05). */
  updatePolicy(document: unknown): Promise<void>;
  /** Stops emitting events; later actions reject with `destroyed`. */
  destroy(): void;
}
