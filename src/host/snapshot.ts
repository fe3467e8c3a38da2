import { grantedMap, needsConsent, pendingChanges, type PendingChanges } from '../core/consent-read.js';
import type { BasicDecision, ConsentState, PermissionStatus } from '../core/decision-types.js';

/** What hosts, subscribers and `inappconsent:change` listeners see. Plain data, never mutated. */
export interface ConsentSnapshot {
  /** False until stored decisions are restored; nothing is granted before that. */
  readonly ready: boolean;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly policyHash: string;
  readonly decision: BasicDecision;
  readonly needsConsent: boolean;
  readonly pending: PendingChanges;
  /** Every purpose and separate consent id → whether the host may act on it now. */
  readonly granted: Readonly<Record<string, boolean>>;
  readonly permissions: Readonly<Record<string, PermissionStatus>>;
  /** The pseudonymous subject id receipts carry. */
  readonly subject: string;
  /** True when storage failed and decisions live in memory for this session. */
  readonly storageDegraded: boolean;
}

export function toSnapshot(state: ConsentState, ready: boolean, subject: string, storageDegraded: boolean): ConsentSnapshot {
  const { document, hashes } = state.policy;
  return Object.freeze({
    ready,
    policyId: document.policy.id,
    policyVersion: document.policy.version,
    policyHash: hashes.policy,
    decision: state.decisions.basic.decision,
    needsConsent: ready && needsConsent(state),
    pending: pendingChanges(state),
    granted: Object.freeze(ready ? Object.fromEntries(grantedMap(state)) : {}),
    permissions: Object.freeze(Object.fromEntries(Object.entries(state.decisions.permissions).map(([id, record]) => [id, record.status]))),
    subject,
    storageDegraded,
  });
}
