// `inapp-consent/verify` (Node ≥ 20): server-side verification of consent receipts. Built on
// node:crypto only, so it adds no dependency. See docs/receiving-receipts.md.
export { verifyReceipt, thumbprint, type VerifiedReceipt } from './verify-receipt.js';
export { verifyChain, assertChain, type ChainReport, type ChainSummary } from './verify-chain.js';
export { ConsentError, type ErrorCode, type Problem } from '../core/errors.js';
export type { ReceiptPayload, ReceiptHeader, ReceiptExtension, PublicJwk } from '../core/receipt-types.js';
