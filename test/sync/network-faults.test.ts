import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultStep } from '../../examples/receiver/faults.js';
import { startReceiver, type Receiver } from '../../examples/receiver/receiver.js';
import { MAX_REVIVALS } from '../../src/core/outbox-outcome.js';
import type { ReceiptService } from '../../src/sync/receipt-service.js';
import { verifyChain } from '../../src/verify/index.js';
import { makeService, requests } from './support.js';

/**
 * The outbox against the reference receiver playing every network fault of issue 8 item 4, in
 * Node with real sockets: exactly-once delivery is counted at the receiver (`items`: one
 * `accepted` per jti) and on its disk (one ledger line per jti). The send timeout is cut to
 * 300 ms so a hang costs little; backoff waits are skipped by forced flushes (a trigger), never
 * a `Retry-After`, which is waited out for real (1 s).
 */

export const EVERY_FAULT: readonly FaultStep[] = [
  { kind: 'status', status: 500 },
  { kind: 'status', status: 503, retryAfter: 1 },
  { kind: 'hang' },
  { kind: 'reset' },
  { kind: 'reset', when: 'after' },
  { kind: 'drip', chunkMs: 10 },
  { kind: 'duplicate-ack' },
  { kind: 'gap', expectedSeq: 1 },
  { kind: 'hang', when: 'after' },
  { kind: 'status', status: 502 },
];

let dataDir: string;
let receiver: Receiver | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'faults-'));
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Flushes until the outbox is empty, waiting out Retry-After. */
async function drain(service: ReceiptService): Promise<void> {
  for (let round = 0; round < 40; round++) {
    await service.flush();
    const pending = await service.list('pending');
    if (pending.length === 0) return;
    const hold = Math.max(0, ...pending.map((entry) => (entry.holdUntil ?? 0) - Date.now()));
    if (hold > 0) await sleep(hold + 20);
  }
  throw new Error('the outbox did not drain');
}

async function ledgerJws(): Promise<string[]> {
  const text = await readFile(join(dataDir, 'receipts.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { jws: string }).jws);
}

const serviceFor = (target: Receiver) => makeService({ endpoint: `${target.url}/receipts`, fetch: globalThis.fetch, now: Date.now, ids: () => crypto.randomUUID(), sendTimeoutMs: 300 });

describe('the outbox through every network fault', () => {
  it(`delivers every receipt exactly once, in one intact chain, through ${EVERY_FAULT.length} faults`, async () => {
    receiver = await startReceiver({ dataDir, script: EVERY_FAULT });
    const { service, errors } = serviceFor(receiver);
    const decisions = requests(12);
    for (const [index, request] of decisions.entries()) {
      await service.record(request);
      // Two receipts at a time now and then, so batches of several meet the faults too.
      if (index % 3 !== 1) await drain(service);
    }
    await drain(service);

    expect(receiver.scripted).toBe(0);
    expect(receiver.posts.filter((post) => post.fault).map((post) => post.fault)).toEqual(EVERY_FAULT.map((step) => step.kind));
    const acked = await service.list('acked');
    expect(acked).toHaveLength(decisions.length);
    expect(await service.list('dead')).toEqual([]);
    for (const entry of acked) {
      expect(receiver.items.filter((item) => item.jti === entry.jti && item.status === 'accepted'), entry.jti).toHaveLength(1);
      expect(entry.ack).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    }
    // Replays happened (the ack was lost at least twice), and the receiver recognised them.
    expect(receiver.items.filter((item) => item.status === 'duplicate').length).toBeGreaterThan(0);
    const stored = await ledgerJws();
    expect(stored).toEqual(acked.map((entry) => entry.jws));
    expect(verifyChain(stored)).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: decisions.length, headSeq: decisions.length })] });
    expect(new Set(errors.map((error) => error.code))).toEqual(new Set(['sync-failed']));
  });

  it('a 200 cut off mid-body is a network error: the batch stays pending and is sent again, once', async () => {
    // Before the fix the truncated body read as "no results", i.e. every receipt accepted:
    // receipts the server never stored were marked delivered and never sent again.
    receiver = await startReceiver({ dataDir, script: [{ kind: 'reset' }] });
    const { service, errors } = serviceFor(receiver);
    const entry = await service.record(requests(1)[0]!);
    await service.flush();
    expect(await service.list('pending')).toEqual([expect.objectContaining({ jti: entry!.jti, lastError: expect.stringMatching(/^network: /) })]);
    expect(errors.map((error) => error.code)).toEqual(['sync-failed']);
    await service.flush();
    expect(await service.list('acked')).toHaveLength(1);
    expect(receiver.items).toEqual([{ jti: entry!.jti, status: 'accepted', post: 1 }]);
  });

  it('a send that hangs is aborted after the send timeout and retried; the lock is free again', async () => {
    receiver = await startReceiver({ dataDir, script: [{ kind: 'hang' }] });
    const { service } = serviceFor(receiver);
    await service.record(requests(1)[0]!);
    const started = Date.now();
    await service.flush();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await service.list('pending'))[0]?.lastError).toMatch(/^network: /);
    await service.flush();
    expect(await service.list('acked')).toHaveLength(1);
  });

  it('a permanent 400 files the batch as dead letters with a receipt-rejected error each, and sends it no more', async () => {
    receiver = await startReceiver({ dataDir });
    const { service, errors } = serviceFor(receiver);
    const [first, second] = requests(2);
    await service.record(first!);
    await service.flush();
    receiver.script([{ kind: 'status', status: 400 }]);
    const entry = await service.record(second!);
    await service.flush();
    expect(await service.list('dead')).toEqual([expect.objectContaining({ jti: entry!.jti, lastError: 'HTTP 400: fault mode: 400' })]);
    expect(errors.map((error) => error.code)).toEqual(['receipt-rejected']);
    expect(errors[0]!.message).toContain(entry!.jti);
    const posts = receiver.posts.length;
    await service.flush();
    expect(receiver.posts).toHaveLength(posts);
    expect((await ledgerJws()).length).toBe(1);
  });
});

/** A middlebox between the device and the receiver: `alter` may rewrite each receipt on the way. */
function proxyFetch(alter: (jws: string) => string): typeof fetch {
  return (url, init = {}) => globalThis.fetch(url, { ...init, body: JSON.stringify((JSON.parse(String(init.body)) as string[]).map(alter)) });
}
const seqOf = (jws: string) => (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { x: { chain: { seq: number } } }).x.chain.seq;
/** The middlebox's edit: a decision dropped from the payload, header and signature kept. */
function altered(jws: string): string {
  const [head, body, signature] = jws.split('.') as [string, string, string];
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { x: { decisions: unknown[] } };
  payload.x.decisions = [];
  return `${head}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

/** Exactly once at the receiver, and its disk one intact chain of `count` links. */
async function expectDeliveredOnce(target: Receiver, acked: readonly { jti: string }[], count: number) {
  for (const entry of acked) expect(target.items.filter((item) => item.jti === entry.jti && item.status === 'accepted'), entry.jti).toHaveLength(1);
  const stored = await ledgerJws();
  expect(verifyChain(stored)).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: count, headSeq: count })] });
  return stored;
}

describe('issue 4 §4 (SD-02): a dead letter in the middle of a chain does not block the rest of it', () => {
  it('after a permanent 400, the next receipt\'s 409 revives the dead letter from the device copy: every later receipt delivered exactly once, chain intact', async () => {
    receiver = await startReceiver({ dataDir });
    const { service, errors } = serviceFor(receiver);
    const [first, second, third, fourth] = requests(4);
    await service.record(first!);
    await service.flush();
    receiver.script([{ kind: 'status', status: 400 }]);
    const dead = await service.record(second!);
    await service.flush();
    expect((await service.list('dead')).map((entry) => entry.jti)).toEqual([dead!.jti]);
    // Before the fix this receipt (and every later one) became a dead letter: "chain gap".
    await service.record(third!);
    await service.record(fourth!);
    await service.flush();

    expect(await service.list('dead')).toEqual([]);
    expect(await service.list('pending')).toEqual([]);
    const acked = await service.list('acked');
    expect(acked.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    expect(acked[1]).toMatchObject({ jti: dead!.jti, revivals: 1, ack: expect.any(String) });
    const stored = await expectDeliveredOnce(receiver, acked, 4);
    expect(stored).toEqual(acked.map((entry) => entry.jws));
    // Reported when it died, and again when it was revived and resent (naming it both times).
    expect(errors.map((error) => error.code)).toEqual(['receipt-rejected', 'receipt-revived']);
    expect(errors[1]!.message).toBe(`inapp-consent: receipt ${dead!.jti} (seq 2) was revived and resent: server expects seq 2: dead letter resent (1 of ${MAX_REVIVALS}) after HTTP 400: fault mode: 400`);
    expect(errors[1]!.cause).toMatchObject({ jti: dead!.jti, revivals: 1 });
  });

  it('a receipt altered in transit is rejected unchained, then filled by the device\'s resend of its genuine copy: every receipt accepted once, chain intact', async () => {
    receiver = await startReceiver({ dataDir });
    let tampered = 0;
    const fetch = proxyFetch((jws) => (seqOf(jws) === 2 && tampered++ === 0 ? altered(jws) : jws));
    const { service, errors } = makeService({ endpoint: `${receiver.url}/receipts`, fetch, now: Date.now, ids: () => crypto.randomUUID(), sendTimeoutMs: 300 });
    const decisions = requests(4);
    for (const request of decisions.slice(0, 2)) {
      await service.record(request);
      await service.flush();
    }
    expect(await service.list('dead')).toEqual([expect.objectContaining({ seq: 2, lastError: expect.stringMatching(/^rejected: .*signature does not verify/) })]);
    for (const request of decisions.slice(2)) {
      await service.record(request);
      await service.flush();
    }

    expect(tampered).toBe(2); // altered once, then passed through on the resend
    const acked = await service.list('acked');
    expect(acked.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    expect(await service.list('dead')).toEqual([]);
    await expectDeliveredOnce(receiver, acked, 4);
    expect(receiver.items.filter((item) => item.status === 'rejected')).toHaveLength(1);
    expect(errors.map((error) => error.code)).toEqual(['receipt-rejected', 'receipt-revived']);
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining(acked[1]!.jti), expect.stringContaining(`receipt ${acked[1]!.jti} (seq 2) was revived`)]);
  });

  it(`a receipt altered on every send is resent at most ${MAX_REVIVALS} times; then it and the receipt behind it are reported dead letters, and nothing loops`, async () => {
    receiver = await startReceiver({ dataDir });
    let sendsOf2 = 0;
    const fetch = proxyFetch((jws) => (seqOf(jws) === 2 ? (sendsOf2++, altered(jws)) : jws));
    const { service, errors } = makeService({ endpoint: `${receiver.url}/receipts`, fetch, now: Date.now, ids: () => crypto.randomUUID(), sendTimeoutMs: 300 });
    for (const request of requests(3)) {
      await service.record(request);
      await service.flush();
    }
    expect(sendsOf2).toBe(1 + MAX_REVIVALS);
    expect((await service.list('dead')).map((entry) => [entry.seq, entry.revivals ?? 0])).toEqual([[2, MAX_REVIVALS], [3, 0]]);
    expect((await service.list('dead'))[1]!.lastError).toMatch(/^chain gap: the server expects seq 2, which it refused again/);
    // Each refusal of 2 and each resend of it reported, then 2 and 3 as dead letters for good.
    expect(errors.map((error) => error.code)).toEqual(['receipt-rejected', 'receipt-revived', 'receipt-revived', 'receipt-rejected', 'receipt-rejected']);
    expect(errors.filter((error) => error.code === 'receipt-revived').map((error) => (error.cause as { seq: number; revivals: number })))
      .toEqual([expect.objectContaining({ seq: 2, revivals: 1 }), expect.objectContaining({ seq: 2, revivals: 2 })]);
    const posts = receiver.posts.length;
    await service.flush();
    expect(receiver.posts).toHaveLength(posts);
    expect((await ledgerJws()).map(seqOf)).toEqual([1]);
  });

  it('a receipt the receiver refuses for its content is quarantined as a rejected link: one dead letter, never resent, and the later receipts chain through it', async () => {
    receiver = await startReceiver({ dataDir, check: (receipt) => (receipt.payload.x.chain.seq === 2 ? 'purpose unknown to this backend' : undefined) });
    const { service, errors } = serviceFor(receiver);
    for (const request of requests(4)) {
      await service.record(request);
      await service.flush();
    }
    expect((await service.list('dead')).map((entry) => [entry.seq, entry.lastError, entry.revivals])).toEqual([[2, 'rejected: purpose unknown to this backend', undefined]]);
    const acked = await service.list('acked');
    expect(acked.map((entry) => entry.seq)).toEqual([1, 3, 4]);
    expect(receiver.items.map((item) => item.status)).toEqual(['accepted', 'rejected', 'accepted', 'accepted']); // no 409, no resend
    expect(errors.map((error) => error.code)).toEqual(['receipt-rejected']);
    const stored = await ledgerJws();
    expect(verifyChain(stored)).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: 4, headSeq: 4 })] });
    const listing = (await (await fetch(`${receiver.url}/receipts`)).json()) as { devices: { rejectedSeqs: number[]; receipts: { seq: number; rejected?: boolean; reason?: string }[] }[] };
    expect(listing.devices[0]!.rejectedSeqs).toEqual([2]);
    expect(listing.devices[0]!.receipts[1]).toMatchObject({ seq: 2, rejected: true, reason: 'purpose unknown to this backend' });
  });
});
