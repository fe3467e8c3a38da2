import { sha256Base64url } from './receipt-encoding.js';
import type { ChainLink } from './receipt-types.js';

/**
 * Hash-chaining (reference/mobile-cmp-receipts-bridges.md §2.8): per signing key, `seq` counts
 * 1, 2, 3… and `prev` is the base64url SHA-256 of the previous compact JWS. Hashing the exact
 * transmitted string avoids any re-serialisation question. A server holding the head detects a
 * deleted, reordered or substituted receipt; the head is what it witnesses.
 */

/** The end of each chain this install has written, and the log's global write counter. */
export interface LogHead {
  /** Order of the last receipt written, across all keys: outbox entries are keyed by it. */
  readonly ord: number;
  /** Per key id: the last `seq` and the hash of that receipt's JWS. */
  readonly chains: Readonly<Record<string, { readonly seq: number; readonly hash: string }>>;
}

export const EMPTY_HEAD: LogHead = { ord: 0, chains: {} };

/** The hash a receipt is chained by. */
export const receiptHash = (jws: string): string => sha256Base64url(jws);

/**
 * Where the next receipt signed by `kid` goes. A key seen before continues its own chain even
 * after receipts under another key (a session that fell back to an ephemeral key); a new key
 * starts at 1 (reinstall, storage wipe: the server records a chain reset, not fraud).
 */
export function nextLink(head: LogHead, kid: string): ChainLink {
  const last = head.chains[kid];
  return { id: kid, seq: (last?.seq ?? 0) + 1, prev: last?.hash ?? null };
}

/** The head after appending `jws` at `link`. Written in the same transaction as the receipt. */
export function advanceHead(head: LogHead, link: ChainLink, jws: string): LogHead {
  return { ord: head.ord + 1, chains: { ...head.chains, [link.id]: { seq: link.seq, hash: receiptHash(jws) } } };
}
