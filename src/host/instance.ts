import type { ReadonlySignal } from '@preact/signals-core';
import type { DecisionEvent, PermissionStatus, Surface } from '../core/decision-types.js';
import type { ConsentError } from '../core/errors.js';
import type { OutboxEntry } from '../core/outbox.js';
import type { PolicyDocument } from '../core/policy-types.js';
import type { PermissionResult, RequestPermissionOptions } from '../permissions/types.js';
import type { ConsentSnapshot } from './snapshot.js';

/**
 * A running consent instance. Reads are synchronous and see each decision from the moment its
 * action is called (after `ready`); actions return promises that settle once the decision is
 * stored (or kept in memory after a reported storage failure). Actions never reject because of
 * the environment, only for programmer errors (`invalid-action`).
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
  /**
   * The last change of the policy that re-asked nothing (CH-01: no purpose's content changed),
   * recorded in this session for someone who had agreed, at start or by `updatePolicy`: a
   * `policy_notice` decision with its receipt. People must be told of it: the widget's
   * `showFirstLaunch()` shows it once; a headless host shows its own notice.
   */
  readonly policyNotice: DecisionEvent | undefined;
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
  /** `receipt`: each signed receipt, once stored on the device (before it is sent). */
  on(type: 'receipt', listener: (receipt: OutboxEntry) => void): () => void;
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
  /** Withdraws a purpose or a separate consent; takes effect at once, before it is stored (WD-01). */
  withdraw(id: string, surface?: Surface): Promise<void>;
  /** Accepts a changed policy: re-grants changed basic purposes and the optional ones named. */
  agreeChanges(optionalPurposeIds?: readonly string[], surface?: Surface): Promise<void>;
  /** Refuses a changed policy: the changed purposes are recorded as refused. */
  declineChanges(surface?: Surface): Promise<void>;
  /** Records the outcome of a permission request (the bridge issue drives the request itself). */
  recordPermission(permissionId: string, status: PermissionStatus, choice?: 'continue' | 'not_now'): Promise<void>;
  /** Loads a new version of the same policy; stored decisions are kept (CG-05). */
  updatePolicy(document: unknown): Promise<void>;
  /**
   * Sends pending receipts to the endpoint now (skipping the backoff wait, never a server's
   * Retry-After). Resolves when this attempt is over; never rejects — failures are `error` events.
   */
  flush(): Promise<void>;
  /** Receipts stored on the device and not yet acknowledged by the endpoint, oldest first. */
  pendingReceipts(): Promise<readonly OutboxEntry[]>;
  /** Receipts the endpoint refused for good (a 4xx other than 408/409/425/429), oldest first. */
  deadReceipts(): Promise<readonly OutboxEntry[]>;
  /**
   * Asks for one device permission when a feature starts (docs/bridge.md):
   * 1. rejects, with no UI, unless the feature is declared and uses the permission (PP-01) and
   *    no other request is on screen (PP-03);
   * 2. reads the OS state; granted, limited or unavailable resolve at once;
   * 3. within `cooldownHours` of a refusal resolves `reason: 'cooldown'` with no prompt, unless
   *    `userInitiated` (PP-05); `blocked` offers 去设置 only when `userInitiated` (PP-06);
   * 4. shows the rationale prompt (PP-02); on 继续 asks the OS through the bridge or the web
   *    fallback, and records the outcome (a decision, hence a receipt).
   * Bridge failures and timeouts resolve with `reason: 'error'` and an `error` event.
   * @throws ConsentError `permission-not-declared`, `permission-busy`, `invalid-action` (an
   *   array: one permission per call), `invalid-options` (no rationale prompt configured).
   * @example
   * const result = await consent.requestPermission('camera', { feature: 'scan_to_pay' });
   * if (result.status === 'granted' || result.status === 'limited') openScanner();
   */
  requestPermission(permissionId: string, options: RequestPermissionOptions): Promise<PermissionResult>;
  /** Opens the app's page in system settings; call only from a tap on 去设置 (PP-06). */
  openPermissionSettings(permissionId: string): Promise<boolean>;
  /** The native app came back to the foreground (the bridge's `app.resume`). */
  onResume(listener: () => void): () => void;
  /** Stops emitting events; later actions reject with `destroyed`. */
  destroy(): void;
}
