import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceiptCheck } from '../../examples/receiver/accept.js';
import { startReceiver, type Receiver } from '../../examples/receiver/receiver.js';
import { receiptHash } from '../../src/core/receipt-chain.js';
import { verifyChain } from '../../src/verify/index.js';
import { testSigner } from '../receipts/support.js';
import { chainOf, withPayload } from './support.js';

/**
 * Issue 4 §4 (§2.8): one refused receipt must not block the rest of a device's chain. The
 * receiver keeps a receipt it refuses for its content — genuine, in place — as a rejected link
 * with its hash, so the next receipt continues the chain; bytes that do not verify are no link,
 * and the device's genuine copy fills their place.
 */

let dataDir: string;
let receiver: Receiver | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'quarantine-'));
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

type Result = { jti: string; status: string; reason?: string; ack?: string; expectedSeq?: number };
const post = async (receipts: string[]) => {
  const response = await fetch(`${receiver!.url}/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(receipts) });
  return { status: response.status, body: (await response.json()) as { results: Result[]; expectedSeq?: number } };
};
const ledger = async () => (await readFile(join(dataDir, 'receipts.jsonl'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { seq: number; hash: string; jws: string; ack?: string; rejected?: string });
const listing = async () => (await (await fetch(`${receiver!.url}/receipts`)).json()) as { devices: { count: number; headSeq: number; rejectedSeqs: number[]; chain: { valid: boolean; problems: unknown[] }; receipts: { seq: number; rejected?: boolean; reason?: string }[] }[] };
const seqOf = (jws: string) => (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { x: { chain: { seq: number } } }).x.chain.seq;
/** A backend check refusing one position of the chain ("a field failed our checks"). */
const refuseSeq = (seq: number, reason = 'notice sha256 is not a policy version we published'): ReceiptCheck => (receipt) => (receipt.payload.x.chain.seq === seq ? reason : undefined);

describe('receiver quarantine: a receipt refused for its content is a rejected link, and the chain goes on', () => {
  it('stores it with its hash and no ack, answers rejected, and accepts the next receipt whose prev is that hash; the listing marks the link', async () => {
    receiver = await startReceiver({ dataDir, check: refuseSeq(2) });
    const { receipts: [a, b, c, d] } = await chainOf(await testSigner(), 4);
    const first = await post([a!, b!]);
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([
      expect.objectContaining({ status: 'accepted' }),
      { jti: expect.any(String), status: 'rejected', reason: 'notice sha256 is not a policy version we published' },
    ]);
    // The next receipts chain on b: no 409, no gap, nothing for the device to resend.
    const next = await post([c!, d!]);
    expect(next.status).toBe(200);
    expect(next.body.results.map((result) => result.status)).toEqual(['accepted', 'accepted']);

    const lines = await ledger();
    expect(lines.map((line) => [line.seq, line.rejected ?? 'accepted', line.ack === undefined])).toEqual([
      [1, 'accepted', false], [2, 'notice sha256 is not a policy version we published', true], [3, 'accepted', false], [4, 'accepted', false],
    ]);
    expect(lines[1]!.hash).toBe(receiptHash(b!));
    // Tamper evidence is whole: the stored chain verifies link by link, the refused one included.
    expect(verifyChain(lines.map((line) => line.jws))).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: 4, headSeq: 4 })] });
    const [device] = (await listing()).devices;
    expect(device).toMatchObject({ count: 4, headSeq: 4, rejectedSeqs: [2], chain: { valid: true, problems: [] } });
    expect(device!.receipts.map((receipt) => [receipt.seq, receipt.rejected ?? false])).toEqual([[1, false], [2, true], [3, false], [4, false]]);
    expect(device!.receipts[1]!.reason).toBe('notice sha256 is not a policy version we published');
  });

  it('answers a replay of the rejected link with the same rejection (never duplicate or accepted), stores it once, and keeps it across a restart', async () => {
    receiver = await startReceiver({ dataDir, check: refuseSeq(2) });
    const { receipts: [a, b, c] } = await chainOf(await testSigner(), 3);
    await post([a!, b!]);
    receiver.setCheck(undefined); // a check changed later does not rewrite history
    expect((await post([b!])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'notice sha256 is not a policy version we published' });
    await receiver.close();
    receiver = await startReceiver({ dataDir });
    expect((await post([b!, c!])).body.results.map((result) => result.status)).toEqual(['rejected', 'accepted']);
    expect((await ledger()).map((line) => line.seq)).toEqual([1, 2, 3]);
  });

  it('checks content only once a receipt fits its chain: out of place it is a gap or a fork, as before, and not stored', async () => {
    receiver = await startReceiver({ dataDir, check: () => 'refused' });
    const { receipts: [a, , c] } = await chainOf(await testSigner(), 3);
    const { status, body } = await post([c!]);
    expect(status).toBe(409);
    expect(body.results[0]).toMatchObject({ status: 'gap', expectedSeq: 1 });
    const forged = withPayload(a!, (payload) => (payload.sub = 'someone-else'));
    expect((await post([forged])).body.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/does not verify/) });
    expect(await ledger()).toEqual([]);
  });

  it('a key bound to another subject (trust on first use) is quarantined too: the device chain is not blocked by it', async () => {
    receiver = await startReceiver({ dataDir });
    const signer = await testSigner();
    const { receipts: [a], head } = await chainOf(signer, 1, { sub: 'install-1' });
    const { receipts: [b], head: afterB } = await chainOf(signer, 1, { sub: 'install-2', head, ids: () => '00000000-0000-4000-8000-0000000000b2' });
    const { receipts: [c] } = await chainOf(signer, 1, { sub: 'install-1', head: afterB, ids: () => '00000000-0000-4000-8000-0000000000c3' });
    const { body } = await post([a!, b!, c!]);
    expect(body.results.map((result) => [result.status, result.reason])).toEqual([['accepted', undefined], ['rejected', 'this key is bound to another subject'], ['accepted', undefined]]);
    // Chained, yet not hidden: the listing re-verifies and names the key signing for two subjects.
    const [device] = (await listing()).devices;
    expect(device).toMatchObject({ count: 3, headSeq: 3, rejectedSeqs: [2], chain: { valid: false } });
    expect(device!.chain.problems).toContainEqual({ path: '[1]', message: expect.stringMatching(/signs for two subjects/) });
  });
});

describe('receiver: a receipt altered in transit is no chain link; the device copy fills its place', () => {
  it('rejects the altered bytes without storing their hash, answers the next receipt 409 expectedSeq, and accepts the genuine resend and the rest', async () => {
    receiver = await startReceiver({ dataDir });
    const { receipts: [a, b, c] } = await chainOf(await testSigner(), 3);
    const altered = withPayload(b!, (payload) => ((payload.x as { decisions: unknown[] }).decisions = []));
    const first = await post([a!, altered]);
    expect(first.body.results.map((result) => result.status)).toEqual(['accepted', 'rejected']);
    expect(first.body.results[1]!.reason).toMatch(/signature does not verify/);
    expect((await ledger()).map((line) => line.seq)).toEqual([1]);
    // The device's next receipt: the receiver still waits for seq 2.
    const gap = await post([c!]);
    expect(gap).toMatchObject({ status: 409, body: { expectedSeq: 2, results: [{ status: 'gap', expectedSeq: 2 }] } });
    // The device resends its own copy of 2 (a dead letter revived), then 3.
    const filled = await post([b!, c!]);
    expect(filled.body.results.map((result) => result.status)).toEqual(['accepted', 'accepted']);
    const lines = await ledger();
    expect(lines.map((line) => [seqOf(line.jws), line.rejected])).toEqual([[1, undefined], [2, undefined], [3, undefined]]);
    expect(verifyChain(lines.map((line) => line.jws))).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: 3 })] });
    expect((await listing()).devices[0]).toMatchObject({ rejectedSeqs: [], chain: { valid: true } });
  });
});
