import type { DecisionChange, DecisionEvent, Decisions, ConsentState, Surface } from './decision-types.js';
import { kantaraControllers, kantaraServices, retentionRules, sensitiveCategories } from './receipt-kantara.js';
import {
  KANTARA_VERSION, RECEIPT_SCHEMA,
  type ChainLink, type ConsentStatusTerm, type EventType, type ReceiptDecision, type ReceiptExtension, type ReceiptPayload, type SignerKind,
} from './receipt-types.js';

/** Everything a receipt is built from. Time, ids and the chain position come from outside. */
export interface ReceiptInput {
  readonly event: DecisionEvent;
  /** The decisions before the event: tells a withdrawal from a first refusal, and `osBefore`. */
  readonly before: Decisions;
  /** The state after the event. */
  readonly state: ConsentState;
  readonly jti: string;
  /** Host app id (bundle id, package name) or the controller's URL. */
  readonly iss: string;
  /** Pseudonymous subject: an install id or a hashed user id, never personal data (27560 §6.3.3.4). */
  readonly sub: string;
  /** The full policy text's absolute URL (the shell resolves relative ones). */
  readonly policyUrl: string;
  readonly chain: ChainLink;
  readonly signer: SignerKind;
}

// Every policy of schemaVersion 1 is written for the PRC's PIPL (DESIGN.md: China first).
const JURISDICTION = 'CN';

const METHOD: Readonly<Record<Surface, string>> = {
  first_launch: 'first-launch dialog',
  privacy_center: 'privacy center',
  policy_change: 'policy-change dialog',
  separate_dialog: 'separate-consent dialog',
  permission_prompt: 'permission pre-prompt',
  host: 'host app call',
};

type GrantChange = Extract<DecisionChange, { scope: 'purpose' | 'separate_consent' }>;
const isGrant = (change: DecisionChange): change is GrantChange => change.scope !== 'permission';

function wasGranted(before: Decisions, change: GrantChange): boolean {
  return (change.scope === 'purpose' ? before.purposes : before.separateConsents)[change.id]?.granted === true;
}

/** The 27560 event type and its DPV state. */
function eventOf(input: ReceiptInput): { type: EventType; state: ConsentStatusTerm } {
  const { event, before } = input;
  const permission = event.changes.find((change) => change.scope === 'permission');
  if (permission) {
    if (permission.status === 'granted' || permission.status === 'limited') return { type: 'given', state: 'ConsentGiven' };
    return permission.status === 'unavailable' ? { type: 'updated', state: 'ConsentUnknown' } : { type: 'refused', state: 'ConsentRefused' };
  }
  // CH-01/CH-02: a notice of a non-material change updates the record; consent stays as it was.
  if (event.kind === 'policy_notice') return { type: 'updated', state: 'ConsentGiven' };
  const grants = event.changes.filter(isGrant);
  const refused = grants.filter((change) => !change.granted);
  if (grants.length === 0 ? event.kind !== 'decline' : refused.length === 0) {
    return event.kind === 'policy_change' ? { type: 'updated', state: 'RenewedConsentGiven' } : { type: 'given', state: 'ConsentGiven' };
  }
  if (refused.length < grants.length) return { type: 'updated', state: 'ConsentGiven' };
  // WD-01: refusing what was granted is a withdrawal, and receipts must say so.
  return refused.some((change) => wasGranted(before, change)) ? { type: 'withdrawn', state: 'ConsentWithdrawn' } : { type: 'refused', state: 'ConsentRefused' };
}

function decisionsOf(input: ReceiptInput): ReceiptDecision[] {
  const { policy } = input.state;
  return input.event.changes.filter(isGrant).map((change): ReceiptDecision => {
    const status = change.granted ? 'granted' : 'refused';
    if (change.scope === 'purpose') {
      return { purposeId: change.id, status, legalBasis: policy.purposes.get(change.id)?.legalBasis ?? 'consent', hash: change.hash };
    }
    const purposeId = policy.separateConsents.get(change.id)?.purposeId;
    return { consentId: change.id, ...(purposeId ? { purposeId } : {}), status, hash: change.hash };
  });
}

function permissionOf(input: ReceiptInput): ReceiptExtension['permission'] {
  const change = input.event.changes.find((entry) => entry.scope === 'permission');
  if (!change) return undefined;
  const permission = input.state.policy.document.permissions.find((entry) => entry.id === change.id);
  return {
    id: change.id,
    name: permission?.kind ?? 'other',
    prePrompt: input.event.surface === 'permission_prompt' ? 'shown' : 'skipped',
    ...(change.choice ? { choice: change.choice } : {}),
    osBefore: input.before.permissions[change.id]?.status ?? 'unknown',
    osAfter: change.status,
  };
}

/**
 * Builds the receipt claims for one decision. Pure: the same input gives the same payload, so
 * a receipt is reproducible from the decision log and testable byte for byte.
 */
export function buildReceiptPayload(input: ReceiptInput): ReceiptPayload {
  const { event, state } = input;
  const document = state.policy.document;
  const seconds = Math.floor(event.at / 1000);
  const permission = permissionOf(input);
  const method = METHOD[event.surface] + (permission ? ` (${permission.name})` : '');
  const separateIds = event.changes.filter((change) => change.scope === 'separate_consent').map((change) => change.id);
  const spiCat = sensitiveCategories(state, separateIds);
  const withdrawal = document.rights
    .filter((right) => right.right === 'withdraw_consent')
    .flatMap((right) => right.channels.map((channel) => ({
      type: channel.type, ...(channel.value ? { value: channel.value } : {}), ...(channel.route ? { route: channel.route } : {}),
    })));
  return {
    jti: input.jti,
    iat: seconds,
    iss: input.iss,
    sub: input.sub,
    version: KANTARA_VERSION,
    jurisdiction: JURISDICTION,
    consentTimestamp: seconds,
    collectionMethod: `in-app webview: ${method}`,
    consentReceiptID: input.jti,
    language: document.locale,
    piiPrincipalId: input.sub,
    piiControllers: kantaraControllers(document),
    policyUrl: input.policyUrl,
    services: kantaraServices(state),
    sensitive: spiCat.length > 0,
    spiCat,
    x: {
      schema: RECEIPT_SCHEMA,
      event: { ...eventOf(input), time: new Date(event.at).toISOString(), kind: event.kind, surface: event.surface },
      decisions: decisionsOf(input),
      notice: { id: event.policyId, version: event.policyVersion, sha256: event.policyHash, url: input.policyUrl, locale: document.locale },
      ...(permission ? { permission } : {}),
      retention: retentionRules(document),
      withdrawal,
      chain: input.chain,
      signer: input.signer,
      ...(input.signer === 'ephemeral' ? { keyEphemeral: true as const } : {}),
    },
  };
}
