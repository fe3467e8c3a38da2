import { verifyReceipt, type VerifiedReceipt } from '../../src/verify/index.js';
import { countersign, type ServerKey } from './acks.js';
import type { Ledger } from './ledger.js';

/** The per-receipt answer of the server contract (docs/receiving-receipts.md). */
export interface ItemResult {
  readonly jti: string;
  readonly status: 'accepted' | 'duplicate' | 'rejected' | 'gap';
  readonly expectedSeq?: number;
  /** For a gap: the chain (key) that needs resending. */
  readonly kid?: string;
  readonly reason?: string;
  readonly ack?: string;
}

/** The jti of a receipt that failed verification, so the device can file it as a dead letter. */
function peekJti(jws: unknown): string {
  try {
    const payload = JSON.parse(Buffer.from(String(jws).split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: unknown };
    return typeof payload.jti === 'string' ? payload.jti : '';
  } catch {
    return '';
  }
}

/**
 * A content check of the backend's own (a policy version it never published, an unknown
 * `iss`…): the reason to refuse a receipt that verifies and fits its chain, or undefined.
 */
export type ReceiptCheck = (receipt: VerifiedReceipt) => string | undefined;

/**
 * Decides one receipt, in order (§4.8, §2.8):
 * 1. verify signature, typ, alg and thumbprint — else `rejected`, and NOT stored: bytes that do
 *    not verify are no link of any chain (altered on the way, say), so their hash is not the
 *    head; the device's genuine copy, resent when the next receipt meets a gap, fills the place;
 * 2. a known `jti`: the same bytes get the same answer again — `duplicate` with the original ack,
 *    or `rejected` with the original reason; other bytes under a used `jti` are `rejected`
 *    (Idempotency-Key semantics);
 * 3. the chain: `seq` must be head + 1 and `prev` the head's hash. A higher `seq` is a `gap`
 *    (the device resends from `expectedSeq`); a lower one or a wrong `prev` is a fork or a
 *    substitution and is `rejected`, not stored;
 * 4. content: the key bound to another subject (trust on first use, §2.7), or `check` refusing
 *    it. The receipt is genuine and in place, so it is stored as a rejected (quarantined) link
 *    with its hash and answered `rejected`: the chain goes on through it, one refusal does not
 *    block every later receipt of the device, and the listing shows the refused link;
 * 5. stored, then `accepted` with a countersigned ack.
 */
export async function acceptReceipt(jws: unknown, ledger: Ledger, key: ServerKey, iss: string, now: () => number, check?: ReceiptCheck): Promise<ItemResult> {
  let receipt: VerifiedReceipt;
  try {
    receipt = verifyReceipt(jws as string);
  } catch (error) {
    return { jti: peekJti(jws), status: 'rejected', reason: error instanceof Error ? error.message : String(error) };
  }
  const { kid, hash, payload } = receipt;
  const { jti, sub } = payload;
  const { seq, prev } = payload.x.chain;
  const known = ledger.byJti(jti);
  if (known && known.jws !== jws) return { jti, status: 'rejected', reason: 'jti already used for a different receipt' };
  if (known) return known.rejected === undefined ? { jti, status: 'duplicate', ack: known.ack! } : { jti, status: 'rejected', reason: known.rejected };
  const head = ledger.head(kid);
  const expectedSeq = (head?.seq ?? 0) + 1;
  if (seq > expectedSeq) return { jti, status: 'gap', expectedSeq, kid };
  if (seq < expectedSeq) return { jti, status: 'rejected', reason: `chain conflict: seq ${seq} is already taken by another receipt` };
  if (prev !== (head?.hash ?? null)) return { jti, status: 'rejected', reason: `chain mismatch: prev is not the hash of seq ${seq - 1}` };
  const bound = ledger.subject(kid);
  const refusal = bound !== undefined && bound !== sub ? 'this key is bound to another subject' : check?.(receipt);
  const receivedAt = Math.floor(now() / 1000);
  if (refusal !== undefined) {
    await ledger.append({ jti, kid, sub, seq, hash, jws: jws as string, receivedAt, rejected: refusal });
    return { jti, status: 'rejected', reason: refusal };
  }
  const ack = countersign(key, { iss, jti, kid, seq, sha256: hash, receivedAt });
  await ledger.append({ jti, kid, sub, seq, hash, jws: jws as string, receivedAt, ack });
  return { jti, status: 'accepted', ack };
}
