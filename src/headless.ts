// `inapp-consent/headless`: the consent core and host API with no UI and no preact.
export { createConsent } from './host/create-consent.js';
export type { ConsentInstance } from './host/instance.js';
export type { ConsentOptions } from './host/options.js';
export type { ConsentSnapshot } from './host/snapshot.js';
export { ConsentError, formatProblems, type ErrorCode, type Problem } from './core/errors.js';
export { validatePolicy, parsePolicy } from './core/policy-validate.js';
export { preparePolicy, type PolicyHashes, type PreparedPolicy } from './core/policy-prepare.js';
export { reduce } from './core/decisions.js';
export { isGranted, needsConsent, pendingChanges, type PendingChanges } from './core/consent-read.js';
export { canonicalJson } from './core/canonical-json.js';
export { sha256Hex } from './core/sha256.js';
export { createMemoryStore } from './storage/memory.js';
export { createIndexedDbStore } from './storage/indexeddb.js';
export type { KeyValueStore, Clock } from './core/ports.js';
export type * from './core/decision-types.js';
export type * from './core/policy-types.js';
// Receipts (docs/receiving-receipts.md): what `pendingReceipts()` returns, the `signer` option's
// shape, and the signed claims. Verification lives in `inapp-consent/verify` (Node).
export type { OutboxEntry as ReceiptEntry, EntryStatus as ReceiptStatus } from './core/outbox.js';
export type { HostSigner, ReceiptPayload, ReceiptHeader, PublicJwk, SignerKind } from './core/receipt-types.js';
