import { ConsentError, type Problem } from '../core/errors.js';
import { verifyReceipt, type VerifiedReceipt } from './verify-receipt.js';

/** One key's chain as found. */
export interface ChainSummary {
  readonly kid: string;
  readonly sub: string;
  readonly length: number;
  readonly headSeq: number;
  readonly headHash: string;
}

export interface ChainReport {
  /** True when every receipt verifies and every chain runs 1, 2, 3… with matching `prev`. */
  readonly valid: boolean;
  /** Each problem, with the receipt's index as its path (`[3]`). */
  readonly problems: readonly Problem[];
  readonly chains: readonly ChainSummary[];
  /** A subject moving to a new key (reinstall, storage wipe): a chain reset, not by itself fraud. */
  readonly keyChanges: readonly { readonly sub: string; readonly from: string; readonly to: string; readonly index: number }[];
  /** The receipts that verified, in the order given. */
  readonly receipts: readonly VerifiedReceipt[];
}

/**
 * Checks receipts in the order they were received or stored (§2.8). Per key, `seq` must run
 * 1, 2, 3… and each `prev` must be the hash of the receipt before it, which detects:
 * - deletion: a seq is skipped;
 * - reordering or replay: a seq goes backwards or repeats;
 * - substitution: a receipt whose `prev` does not hash the receipt it follows (or whose own
 *   bytes changed, which breaks its signature first);
 * - key changes: a subject continuing under a new key is listed in `keyChanges`; the new chain
 *   must start at seq 1. Truncation of the tail needs the server's stored head as a witness.
 * Never throws for bad receipts: everything found is in `problems`.
 */
export function verifyChain(receipts: readonly string[]): ChainReport {
  const problems: Problem[] = [];
  const verified: VerifiedReceipt[] = [];
  const heads = new Map<string, { seq: number; hash: string; sub: string; length: number }>();
  const keyOf = new Map<string, string>();
  const seen = new Set<string>();
  const keyChanges: { sub: string; from: string; to: string; index: number }[] = [];

  receipts.forEach((jws, index) => {
    const path = `[${index}]`;
    let receipt: VerifiedReceipt;
    try {
      receipt = verifyReceipt(jws);
    } catch (error) {
      problems.push({ path, message: error instanceof ConsentError ? error.message : String(error) });
      return;
    }
    verified.push(receipt);
    const { kid, payload } = receipt;
    const { seq, prev } = payload.x.chain;
    if (seen.has(payload.jti)) problems.push({ path, message: `jti ${payload.jti} appears twice` });
    seen.add(payload.jti);
    const previousKid = keyOf.get(payload.sub);
    if (previousKid !== undefined && previousKid !== kid && !heads.has(kid)) keyChanges.push({ sub: payload.sub, from: previousKid, to: kid, index });
    keyOf.set(payload.sub, kid);
    const head = heads.get(kid);
    const expected = (head?.seq ?? 0) + 1;
    if (seq > expected) problems.push({ path, message: `gap: seq ${seq} where ${expected} was expected (receipts missing)` });
    else if (seq < expected) problems.push({ path, message: `reordered or replayed: seq ${seq} after seq ${head?.seq}` });
    else if (prev !== (head?.hash ?? null)) problems.push({ path, message: `substituted: prev does not match the hash of seq ${seq - 1}` });
    if (head && head.sub !== payload.sub) problems.push({ path, message: `key ${kid} signs for two subjects` });
    heads.set(kid, { seq, hash: receipt.hash, sub: payload.sub, length: (head?.length ?? 0) + 1 });
  });

  const chains = [...heads].map(([kid, head]) => ({ kid, sub: head.sub, length: head.length, headSeq: head.seq, headHash: head.hash }));
  return { valid: problems.length === 0, problems, chains, keyChanges, receipts: verified };
}

/** Throws `chain-invalid` listing every problem, for callers that want a single check. */
export function assertChain(receipts: readonly string[]): ChainReport {
  const report = verifyChain(receipts);
  if (!report.valid) {
    throw new ConsentError('chain-invalid', `inapp-consent/verify: ${report.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`, { problems: report.problems });
  }
  return report;
}
