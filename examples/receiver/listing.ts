import { verifyChain } from '../../src/verify/index.js';
import type { Ledger } from './ledger.js';

/**
 * The read-only listing for the demo: per device key, its receipts (event, decisions, signer)
 * and the chain re-verified from what is on disk — so a stored file edited by hand shows up as
 * an invalid chain, not as quietly different history. A link the receiver rejected for its
 * content is listed in its place with `rejected: true` and the reason: the chain through it is
 * intact (it is the device's genuine receipt), and it is plainly not accepted.
 */
export function listDevices(ledger: Ledger, receiver: string, ackKey: string) {
  const byKid = new Map<string, string[]>();
  for (const record of ledger.records) byKid.set(record.kid, [...(byKid.get(record.kid) ?? []), record.jws]);
  const devices = [...byKid].map(([kid, receipts]) => {
    const report = verifyChain(receipts);
    const stored = ledger.records.filter((record) => record.kid === kid);
    return {
      kid,
      sub: stored[0]?.sub,
      count: receipts.length,
      headSeq: stored.at(-1)?.seq,
      rejectedSeqs: stored.filter((record) => record.rejected !== undefined).map((record) => record.seq),
      chain: { valid: report.valid, problems: report.problems },
      receipts: report.receipts.map((receipt) => {
        const record = ledger.byJti(receipt.payload.jti);
        return {
          seq: receipt.payload.x.chain.seq,
          jti: receipt.payload.jti,
          iat: receipt.payload.iat,
          receivedAt: record?.receivedAt,
          event: receipt.payload.x.event,
          decisions: receipt.payload.x.decisions,
          signer: receipt.payload.x.signer,
          ...(record?.rejected === undefined ? {} : { rejected: true, reason: record.rejected }),
        };
      }),
    };
  });
  return { receiver, ackKey, devices };
}
