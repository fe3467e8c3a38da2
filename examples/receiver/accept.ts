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
 * Decides one receipt, in order (§4.8, §2.8):
 * 1. verify signature, typ, alg and thumbprint — else `rejected`;
 * 2. a known `jti`: the same bytes are a `duplicate` (answered with the original ack); other
 *    bytes under a used `jti` are `rejected` (Idempotency-Key semantics);
 * 3. a key already bound to another subject is `rejected` (trust on first use, §2.7);
 * 4. the chain: `seq` must be head + 1 and `prev` the head's hash. A higher `seq` is a `gap`
 *    (the device resends from `expectedSeq`); a lower one or a wrong `prev` is a fork or a
 *    substitution and is `rejected`;
 * 5. stored, then `accepted` with a countersigned ack.
 */
export async function acceptReceipt(jws: unknown, ledger: Ledger, key: ServerKey, iss: string, now: () => number): Promise<ItemResult> {
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
  if (known) return known.jws === jws ? { jti, status: 'duplicate', ack: known.ack } : { jti, status: 'rejected', reason: 'jti already used for a different receipt' };
  const head = ledger.head(kid);
  if (head && head.sub !== sub) return { jti, status: 'rejected', reason: 'this key is bound to another subject' };
  const expectedSeq = (head?.seq ?? 0) + 1;
  if (seq > expectedSeq) return { jti, status: 'gap', expectedSeq, kid };
  if (seq < expectedSeq) return { jti, status: 'rejected', reason: `chain conflict: seq ${seq} is already taken by another receipt` };
  if (prev !== (head?.hash ?? null)) return { jti, status: 'rejected', reason: `chain mismatch: prev is not the hash of seq ${seq - 1}` };
  const receivedAt = Math.floor(now() / 1000);
  const ack = countersign(key, { iss, jti, kid, seq, sha256: hash, receivedAt });
  await ledger.append({ jti, kid, sub, seq, hash, jws: jws as string, receivedAt, ack });
  return { jti, status: 'accepted', ack };
}
