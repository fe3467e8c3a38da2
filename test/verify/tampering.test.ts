import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../examples/receiver/receiver.js';
import { receiptHash } from '../../src/core/receipt-chain.js';
import { thumbprint, verifyChain } from '../../src/verify/index.js';
import { testSigner } from '../receipts/support.js';
import { chainOf, freshSigner, withHeader, withPayload } from './support.js';

/**
 * Issue 8 item 7: each way of tampering with a device's receipts, checked twice — by
 * `verifyChain` (an auditor holding the receipts) and by the reference receiver (the server
 * holding the chain head). Each is rejected or flagged; none is stored as if it were honest.
 */

let dataDir: string;
let receiver: Receiver;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tamper-'));
  receiver = await startReceiver({ dataDir });
});
afterEach(async () => {
  await receiver.close();
  await rm(dataDir, { recursive: true, force: true });
});

const post = async (receipts: string[]) => {
  const response = await fetch(`${receiver.url}/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(receipts) });
  return { status: response.status, body: (await response.json()) as { results: { status: string; reason?: string; expectedSeq?: number }[]; expectedSeq?: number } };
};
const stored = async () => (await readFile(join(dataDir, 'receipts.jsonl'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
const honest = async (count = 3) => (await chainOf(await testSigner(), count)).receipts as [string, string, string];

describe('tampering: altered payload', () => {
  it('a decision changed after signing breaks the signature: verifyChain reports it, the receiver rejects it', async () => {
    const [a, b] = await honest();
    const altered = withPayload(b, (payload) => ((payload.x as { decisions: unknown[] }).decisions = []));
    const report = verifyChain([a, altered]);
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([{ path: '[1]', message: expect.stringMatching(/signature does not verify/) }]);
    const { body } = await post([a, altered]);
    expect(body.results.map((result) => result.status)).toEqual(['accepted', 'rejected']);
    expect(body.results[1]!.reason).toMatch(/signature does not verify/);
    expect(await stored()).toBe(1);
  });
});

describe('tampering: swapped key', () => {
  it('another public key put in the header (signature kept) is rejected by both', async () => {
    const [a, b] = await honest();
    const other = (await freshSigner()).jwk!;
    const swapped = withHeader(b, (header) => {
      header.jwk = other;
      header.kid = thumbprint(other);
    });
    expect(verifyChain([a, swapped]).problems).toEqual([{ path: '[1]', message: expect.stringMatching(/signature does not verify/) }]);
    const { body } = await post([a, swapped]);
    expect(body.results[1]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/signature does not verify/) });
    expect(await stored()).toBe(1);
  });

  it('a receipt re-signed by another key cannot continue the chain: a key change and a gap for verifyChain, a 409 gap at the receiver', async () => {
    const [a] = await honest();
    const attacker = await freshSigner();
    const kid = thumbprint(attacker.jwk!);
    // The forger's own key, claiming to be seq 2 right after the honest receipt 1.
    const { receipts: [forged] } = await chainOf(attacker, 1, { head: { ord: 1, chains: { [kid]: { seq: 1, hash: receiptHash(a) } } }, ids: () => 'forged-2' });
    const report = verifyChain([a, forged!]);
    expect(report.valid).toBe(false);
    expect(report.keyChanges).toEqual([expect.objectContaining({ sub: 'install-1', to: kid, index: 1 })]);
    expect(report.problems).toEqual([{ path: '[1]', message: 'gap: seq 2 where 1 was expected (receipts missing)' }]);
    const { status, body } = await post([a, forged!]);
    expect(status).toBe(409);
    expect(body.results[1]).toMatchObject({ status: 'gap', expectedSeq: 1 });
    expect(await stored()).toBe(1);
  });
});

describe('tampering: reordered', () => {
  it('receipts 1, 3, 2: verifyChain flags both out-of-place receipts; the receiver stores only in order', async () => {
    const [a, b, c] = await honest();
    expect(verifyChain([a, c, b]).problems.map((problem) => problem.message)).toEqual([
      'gap: seq 3 where 2 was expected (receipts missing)',
      'reordered or replayed: seq 2 after seq 3',
    ]);
    const first = await post([a, c, b]);
    expect(first.status).toBe(409);
    expect(first.body.results.map((result) => result.status)).toEqual(['accepted', 'gap', 'accepted']);
    expect(first.body.expectedSeq).toBe(2);
    // Sent again in order from there, it is whole.
    expect((await post([c])).body.results[0]!.status).toBe('accepted');
    const listing = await (await fetch(`${receiver.url}/receipts`)).json() as { devices: { receipts: { seq: number }[]; chain: { valid: boolean } }[] };
    expect(listing.devices[0]!.receipts.map((receipt) => receipt.seq)).toEqual([1, 2, 3]);
    expect(listing.devices[0]!.chain.valid).toBe(true);
  });
});

describe('tampering: deleted in the middle', () => {
  it('receipts 1, 3 without 2: a gap for verifyChain; the receiver answers 409 expectedSeq 2 and stores nothing after 1', async () => {
    const [a, , c] = await honest();
    expect(verifyChain([a, c]).problems).toEqual([{ path: '[1]', message: 'gap: seq 3 where 2 was expected (receipts missing)' }]);
    const { status, body } = await post([a, c]);
    expect(status).toBe(409);
    expect(body.results[1]).toMatchObject({ status: 'gap', expectedSeq: 2 });
    expect(await stored()).toBe(1);
  });

  it('and a forged receipt 2 in its place (same key, other history) is a substitution for both', async () => {
    const signer = await testSigner();
    const [a, , c] = await honest();
    const kid = thumbprint(signer.jwk!);
    const { receipts: [forged] } = await chainOf(signer, 1, { head: { ord: 1, chains: { [kid]: { seq: 1, hash: 'A'.repeat(43) } } }, ids: () => 'forged-2' });
    expect(verifyChain([a, forged!, c]).problems.map((problem) => problem.message)).toEqual([
      'substituted: prev does not match the hash of seq 1',
      'substituted: prev does not match the hash of seq 2',
    ]);
    const { body } = await post([a, forged!]);
    expect(body.results[1]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/chain mismatch/) });
  });
});

describe('tampering: replayed', () => {
  it('a receipt sent twice: verifyChain names the repeat; the receiver answers duplicate with the original ack and stores it once', async () => {
    const [a, b] = await honest();
    expect(verifyChain([a, b, b]).problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^jti .* appears twice$/),
      'reordered or replayed: seq 2 after seq 2',
    ]);
    const first = await post([a, b]);
    const again = await post([b, a]);
    expect(again.body.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
    expect((again.body.results[0] as { ack?: string }).ack).toBe((first.body.results[1] as { ack?: string }).ack);
    expect(await stored()).toBe(2);
  });

  it('a receipt replayed under a used jti with other bytes (re-signed) is rejected, not stored', async () => {
    const [a] = await honest();
    await post([a]);
    const { receipts: [twin] } = await chainOf(await freshSigner(), 1, { ids: () => '00000000-0000-4000-8000-000000000001' });
    const { body } = await post([twin!]);
    expect(body.results[0]).toMatchObject({ status: 'rejected', reason: 'jti already used for a different receipt' });
    expect(await stored()).toBe(1);
  });
});
