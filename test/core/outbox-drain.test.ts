import { describe, expect, it } from 'vitest';
import { applyOutcome, applyToDrain, type SendOutcome } from '../../src/core/outbox-outcome.js';
import { drainBatch, drainWake, newEntry, selectBatch, startDrain, type OutboxEntry } from '../../src/core/outbox.js';

const NOW = 1_800_000_000_000;

/**
 * A receipt log as IndexedDB is one: every `list()` reads fresh copies of every record. Each
 * copy counts the reads of its fields, so the test measures work, not time.
 */
function countingLog(n: number) {
  const records = new Map<number, OutboxEntry>();
  for (let ord = 1; ord <= n; ord++) records.set(ord, newEntry(ord, `jti-${ord}`, 'K', ord, `jws-${ord}`, NOW - 1000));
  const counter = { reads: 0, lists: 0 };
  const handler: ProxyHandler<OutboxEntry> = {
    get(target, key, receiver) {
      counter.reads++;
      return Reflect.get(target, key, receiver);
    },
  };
  return {
    counter,
    list: () => {
      counter.lists++;
      return [...records.values()].map((entry) => new Proxy({ ...entry }, handler));
    },
    put: (entries: readonly OutboxEntry[]) => entries.forEach((entry) => records.set(entry.ord, { ...entry })),
    pending: () => [...records.values()].filter((entry) => entry.status === 'pending').length,
  };
}

/** A whole drain as the flusher runs it: batches of 50 until nothing is pending, each acked. */
function drainAll(n: number, outcome: SendOutcome = { kind: 'acked' }) {
  const log = countingLog(n);
  const drain = startDrain(log.list());
  let rounds = 0;
  for (let batch = drainBatch(drain, NOW, false); batch.length > 0; batch = drainBatch(drain, NOW, true)) {
    rounds++;
    log.put(applyToDrain(drain, batch, outcome, NOW, 0.5).changed);
  }
  return { ...log.counter, rounds, pending: log.pending(), wake: drainWake(drain) };
}

describe('draining the outbox', () => {
  it('CG-07, SD-02 (issue 4 §4 outbox): sends 1,000 receipts in 20 batches reading each receipt a bounded number of times (linear, not quadratic)', () => {
    const small = drainAll(1000);
    const large = drainAll(2000);
    expect(small).toMatchObject({ rounds: 20, pending: 0, lists: 1, wake: undefined });
    // Every receipt is read a few times (batched, sent, acked), whatever the outbox size…
    expect(small.reads / 1000).toBeLessThan(40);
    // …so twice the receipts is twice the work. Re-listing and re-sorting the outbox at each of
    // the n/50 rounds made it four times (1,000 receipts: ~50,000 record reads per drain).
    expect(large.reads / small.reads).toBeLessThan(2.2);
  });

  it('matches the one-off helpers round by round (same batches, same outcomes)', () => {
    const entries = Array.from({ length: 120 }, (_, index) => newEntry(index + 1, `jti-${index + 1}`, 'K', index + 1, `jws-${index + 1}`, NOW));
    const drain = startDrain(entries);
    let list = entries;
    for (let round = 0; round < 3; round++) {
      const batch = drainBatch(drain, NOW, true);
      expect(batch.map((entry) => entry.ord)).toEqual(selectBatch(list, NOW, true).map((entry) => entry.ord));
      const outcome: SendOutcome = { kind: 'results', results: batch.slice(1).map((entry) => ({ jti: entry.jti, status: 'accepted' as const })) };
      const viaDrain = applyToDrain(drain, batch, outcome, NOW, 0.5);
      const viaList = applyOutcome(list, batch, outcome, NOW, 0.5);
      expect(viaDrain).toEqual(viaList);
      list = list.map((entry) => viaList.changed.find((changed) => changed.ord === entry.ord) ?? entry);
    }
  });

  it('issue 4 §4.3: never sends before a Retry-After set in an earlier round of the same drain', () => {
    const drain = startDrain([newEntry(1, 'a', 'K', 1, 'x', NOW), newEntry(2, 'b', 'K', 2, 'y', NOW)]);
    const batch = drainBatch(drain, NOW, true);
    applyToDrain(drain, batch, { kind: 'retry', reason: 'HTTP 503', retryAfterMs: 30_000 }, NOW, 0);
    expect(drainBatch(drain, NOW + 1000, true)).toEqual([]);
    expect(drainBatch(drain, NOW + 30_000, true)).toHaveLength(2);
    expect(drainWake(drain)).toBe(NOW + 30_000);
  });
});
