import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { verifyChain, type VerifiedReceipt } from '../../src/verify/index.js';
import { flushed, pageLog, receiptsAt, snapshot, type JourneySuite } from './journeys-support.js';
import { eventually } from './receipts-support.js';

/**
 * Every receipt the device made arrived at the receiver, and checks out there:
 * - the device's outbox is empty, nothing dead-lettered (the sync issue's "never losing one");
 * - each JWS verifies with src/verify (ES256 signature, typ, alg, kid = RFC 7638 thumbprint of
 *   the header's jwk), independently of the receiver's own check;
 * - one chain for the device: seq runs 1..n and each `prev` is the hash of the receipt before;
 * - no jti twice, and the receiver holds exactly the device's receipts, in the device's order
 *   (the page logs the ones made since its last load: `sinceLoad` of them, all by default);
 * - the decision kinds are `kinds`: one receipt per decision, none missing, none extra.
 * Returns the verified receipts for further checks.
 */
export async function expectReceiptsVerified(suite: JourneySuite, page: Page, kinds: readonly string[], sinceLoad = kinds.length): Promise<readonly VerifiedReceipt[]> {
  expect(await flushed(page), 'the device outbox after a flush').toEqual({ pending: 0, dead: 0 });
  const { subject } = await snapshot(page);
  const stored = await eventually(() => receiptsAt(suite, subject), (list) => list.length >= kinds.length);
  const report = verifyChain(stored);
  expect(report.problems).toEqual([]);
  expect(report.valid).toBe(true);
  expect(report.chains.map((chain) => chain.sub)).toEqual([subject]);
  const receipts = report.receipts;
  expect(receipts.map((receipt) => receipt.payload.x.chain.seq)).toEqual(receipts.map((_, index) => index + 1));
  receipts.forEach((receipt, index) => expect(receipt.payload.x.chain.prev).toBe(index === 0 ? null : receipts[index - 1]!.hash));
  const jtis = receipts.map((receipt) => receipt.payload.jti);
  expect(new Set(jtis).size).toBe(jtis.length);
  expect(receipts.map((receipt) => receipt.payload.x.event.kind)).toEqual(kinds);
  expect((await pageLog(page)).receipts).toEqual(jtis.slice(jtis.length - sinceLoad));
  return receipts;
}
