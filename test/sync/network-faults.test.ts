import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultStep } from '../../examples/receiver/faults.js';
import { startReceiver, type Receiver } from '../../examples/receiver/receiver.js';
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
    // TODO(lead): the NEXT receipt after a dead letter is dead-lettered too ("chain gap … which
    // this install no longer has"): the receiver answers 409 expectedSeq = the dead seq, and
    // applyOutcome (src/core/outbox-outcome.ts, the `fillable` check in the gap loop) refuses
    // to resend a dead entry, so one 400 ends delivery for this install's chain for good.
    // Reproduce: record a third receipt here, flush → service.list('dead') has 2 entries.
  });
});
