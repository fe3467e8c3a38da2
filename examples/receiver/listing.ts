import { verifyChain } from '../../src/verify/index.js';
import type { Ledger } from './ledger.js';

/**
 * The read-only listing for the demo: per device key, its receipts (event, decisions, signer)
 * and the chain re-verified from what is on disk — so a stored file edited by hand shows up as
 * an invalid chain, not as quietly different history.
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
      chain: { valid: report.valid, problems: report.problems },
      receipts: report.receipts.map((receipt) => ({
        seq: receipt.payload.x.chain.seq,
        jti: receipt.payload.jti,
        iat: receipt.payload.iat,
        receivedAt: stored.find((record) => record.jti === receipt.payload.jti)?.receivedAt,
        event: receipt.payload.x.event,
        decisions: receipt.payload.x.decisions,
        signer: receipt.payload.x.signer,
      })),
    };
  });
  return { receiver, ackKey, devices };
}
