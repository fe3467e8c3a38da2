import type { PreparedPolicy } from './policy-prepare.js';

/** Where a decision was made; receipts record it (CG-07). */
export type Surface = 'first_launch' | 'privacy_center' | 'policy_change' | 'separate_dialog' | 'permission_prompt' | 'host';

/** The first-launch decision. `undecided` until a tap: dismissing never changes it (FL-03). */
export type BasicDecision = 'undecided' | 'agreed' | 'declined';

/** react-native-permissions' vocabulary: denied is still askable, blocked needs settings. */
export type PermissionStatus = 'granted' | 'limited' | 'denied' | 'blocked' | 'unavailable';

/** One recorded decision about a purpose or a separate consent. */
export interface Grant {
  readonly granted: boolean;
  /** The content hash of the purpose or separate consent the person decided on (CG-04). */
  readonly hash: string;
  readonly at: number;
}

export interface PermissionRecord {
  readonly status: PermissionStatus;
  readonly at: number;
  /** When the person last refused, in the prompt or the OS dialog: starts the cooldown (PP-05). */
  readonly refusedAt?: number;
}

/** Everything a person decided, as stored. Only ever changed by `reduce`. */
export interface Decisions {
  readonly basic: {
    readonly decision: BasicDecision;
    readonly at?: number;
    /**
     * Hash and version of the policy the person last saw: the one the decision was made on, or a
     * later one whose change was put to them (change dialog or notice, CH-01). Loading any other
     * version is a change to record.
     */
    readonly policyHash?: string;
    readonly policyVersion?: string;
  };
  readonly purposes: Readonly<Record<string, Grant>>;
  readonly separateConsents: Readonly<Record<string, Grant>>;
  readonly permissions: Readonly<Record<string, PermissionRecord>>;
}

export interface ConsentState {
  readonly policy: PreparedPolicy;
  readonly decisions: Decisions;
}

export type ConsentAction =
  | { readonly type: 'agree-basic'; readonly surface?: Surface }
  | { readonly type: 'decline-basic'; readonly surface?: Surface }
  | { readonly type: 'dismiss' }
  | { readonly type: 'set-purpose'; readonly purposeId: string; readonly granted: boolean; readonly surface?: Surface }
  | { readonly type: 'set-separate-consent'; readonly consentId: string; readonly granted: boolean; readonly surface?: Surface }
  | { readonly type: 'agree-changes'; readonly optionalPurposeIds?: readonly string[]; readonly surface?: Surface }
  | { readonly type: 'decline-changes'; readonly surface?: Surface }
  | {
      readonly type: 'record-permission';
      readonly permissionId: string;
      readonly status: PermissionStatus;
      /** `not_now` when the person refused in the rationale prompt, before any OS dialog. */
      readonly choice?: 'continue' | 'not_now';
      readonly surface?: Surface;
    }
  | { readonly type: 'load-policy'; readonly policy: PreparedPolicy };

/** One change inside a decision event, as a receipt lists it (refusals included). */
export type DecisionChange =
  | { readonly scope: 'purpose' | 'separate_consent'; readonly id: string; readonly granted: boolean; readonly hash: string }
  | { readonly scope: 'permission'; readonly id: string; readonly status: PermissionStatus; readonly choice?: 'continue' | 'not_now' };

/** `policy_notice`: a change that re-asks nothing was applied and notified (CH-01); it is no agreement (CH-02). */
export type DecisionKind = 'agree' | 'decline' | 'purpose' | 'separate_consent' | 'policy_change' | 'policy_notice' | 'permission';

/** What happened, for the receipt that proves it (issue: signed consent receipts). */
export interface DecisionEvent {
  /**
   * Given by the shell before the decision is stored (the reducer stays pure): it is stored with
   * the decision until the receipt exists, and becomes the receipt's `jti`.
   */
  readonly id?: string;
  readonly kind: DecisionKind;
  readonly surface: Surface;
  readonly at: number;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyHash: string;
  readonly changes: readonly DecisionChange[];
}

/** Effects are values: the shell carries them out through its ports. */
export type Effect = { readonly type: 'persist' } | { readonly type: 'record'; readonly event: DecisionEvent };

export interface Transition {
  readonly state: ConsentState;
  readonly effects: readonly Effect[];
}

export const EMPTY_DECISIONS: Decisions = { basic: { decision: 'undecided' }, purposes: {}, separateConsents: {}, permissions: {} };
