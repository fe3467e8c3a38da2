import { describe, expect, it } from 'vitest';
import { applyToDrain, MAX_REVIVALS, type ItemResult, type SendOutcome } from '../../src/core/outbox-outcome.js';
import { drainBatch, newEntry, startDrain, type OutboxEntry } from '../../src/core/outbox.js';

const NOW = 1_800_000_000_000;

/**
 * A receiver as a pure model of the chain rule (§2.8): it takes `seq = head + 1`, answers a
 * replay `duplicate`, a higher `seq` a gap (409 + `expectedSeq`), and refuses — without chaining —
 * the bytes `refuse` picks (a receipt altered on the way fails its signature there).
 */
function modelReceiver(refuse: (entry: OutboxEntry, sends: number) => boolean) {
  let head = 0;
  const sends = new Map<number, number>();
  const answer = (batch: readonly OutboxEntry[]): SendOutcome => {
    const results: ItemResult[] = batch.map((entry) => {
      const count = (sends.get(entry.seq) ?? 0) + 1;
      sends.set(entry.seq, count);
      if (entry.seq <= head) return { jti: entry.jti, status: 'duplicate' };
      if (entry.seq > head + 1) return { jti: entry.jti, status: 'gap', expectedSeq: head + 1 };
      if (refuse(entry, count)) return { jti: entry.jti, status: 'rejected', reason: 'signature does not verify' };
      head = entry.seq;
      return { jti: entry.jti, status: 'accepted' };
    });
    const gap = results.find((result) => result.status === 'gap');
    return { kind: 'results', results, ...(gap ? { gap: { kid: 'K', expectedSeq: gap.expectedSeq! } } : {}) };
  };
  return { answer, sends, head: () => head };
}

/** The flusher's loop, pure: rounds until nothing is pending or no round asks to go on. */
function drainWith(receiver: ReturnType<typeof modelReceiver>, entries: OutboxEntry[]) {
  const drain = startDrain(entries);
  const reported = { dead: [] as number[], revived: [] as number[] };
  let rounds = 0;
  for (let batch = drainBatch(drain, NOW, true); batch.length > 0 && rounds < 10; batch = drainBatch(drain, NOW, true)) {
    rounds++;
    const applied = applyToDrain(drain, batch, receiver.answer(batch), NOW, 0.5);
    reported.dead.push(...applied.dead.map((entry) => entry.seq));
    reported.revived.push(...applied.revived.map((entry) => entry.seq));
    if (!applied.resend && applied.changed.some((entry) => entry.status === 'pending')) break;
  }
  const after = [...drain.entries.values()];
  return { rounds, reported, after, status: Object.fromEntries(after.map((entry) => [entry.seq, entry.status])) };
}

const chain = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => newEntry(from + i, `jti-${from + i}`, 'K', from + i, `jws-${from + i}`, NOW));

describe('issue 4 §4 (SD-02): a dead letter in the middle of a chain, through whole drains', () => {
  it('a receipt altered on the way once is filled by the device copy: every later receipt delivered, in one flush', () => {
    const receiver = modelReceiver((entry, sends) => entry.seq === 3 && sends === 1);
    // Receipt 3 goes out alone and dies: a dead letter, reported.
    const first = drainWith(receiver, chain(1, 3));
    expect(first.reported).toEqual({ dead: [3], revived: [] });
    // The next receipts meet the gap at 3: it is revived and the chain goes on, in one flush.
    const next = drainWith(receiver, [...first.after, ...chain(4, 6)]);
    expect(next.status).toEqual({ 1: 'acked', 2: 'acked', 3: 'acked', 4: 'acked', 5: 'acked', 6: 'acked' });
    expect(next.reported).toEqual({ dead: [], revived: [3] });
    expect(receiver.head()).toBe(6);
    // 4–6 went out together and met the gap once; the revived 3 led them the second time.
    expect(Object.fromEntries(receiver.sends)).toEqual({ 1: 1, 2: 1, 3: 2, 4: 2, 5: 2, 6: 2 });
  });

  it(`a receipt refused on every send is resent at most ${MAX_REVIVALS} times; the drain then ends, the chain behind it reported dead, no loop`, () => {
    const receiver = modelReceiver((entry) => entry.seq === 2);
    const result = drainWith(receiver, chain(1, 4));
    expect(result.status).toEqual({ 1: 'acked', 2: 'dead', 3: 'dead', 4: 'dead' });
    expect(result.reported.revived).toEqual(Array(MAX_REVIVALS).fill(2));
    expect(result.reported.dead.sort()).toEqual([2, 3, 4]);
    expect(receiver.sends.get(2)).toBe(MAX_REVIVALS + 1);
    expect(result.rounds).toBe(MAX_REVIVALS + 1);
    // A later receipt of the chain costs one send and dies at once: the bound holds across flushes.
    const later = drainWith(receiver, [...result.after, ...chain(5, 5)]);
    expect({ rounds: later.rounds, reported: later.reported }).toEqual({ rounds: 1, reported: { dead: [5], revived: [] } });
    expect(receiver.sends.get(2)).toBe(MAX_REVIVALS + 1);
  });
});
