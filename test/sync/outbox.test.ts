import { describe, expect, it } from 'vitest';
import { applyOutcome, classifyResponse, MAX_REVIVALS, parseRetryAfter, type SendOutcome } from '../../src/core/outbox-outcome.js';
import { backoffDelay, BASE_MS, CAP_MS, newEntry, nextWake, selectBatch, type OutboxEntry } from '../../src/core/outbox.js';

const NOW = 1_800_000_000_000;
const entry = (ord: number, change: Partial<OutboxEntry> = {}): OutboxEntry => ({ ...newEntry(ord, `jti-${ord}`, 'K', ord, `jws-${ord}`, NOW - 1000), ...change });
const statuses = (entries: readonly OutboxEntry[]) => Object.fromEntries(entries.map((e) => [e.ord, e.status]));

describe('backoffDelay (full jitter)', () => {
  it('draws uniformly in [0, min(cap, base·2^(n−1)))', () => {
    expect(backoffDelay(1, 0)).toBe(0);
    expect(backoffDelay(1, 0.999_999)).toBe(BASE_MS - 1);
    expect(backoffDelay(3, 0.5)).toBe(2 * BASE_MS);
    expect(backoffDelay(4, 0.999_999)).toBeLessThan(8 * BASE_MS);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelay(50, 0.999_999)).toBe(CAP_MS - 1);
    expect(backoffDelay(1000, 0.5)).toBe(CAP_MS / 2);
  });
});

describe('selectBatch', () => {
  it('sends pending receipts oldest first, skipping acked and dead ones', () => {
    const entries = [entry(3), entry(1), entry(2, { status: 'acked' }), entry(4, { status: 'dead' })];
    expect(selectBatch(entries, NOW, false).map((e) => e.ord)).toEqual([1, 3]);
  });

  it('on a timer, waits until some receipt is due; a trigger (force) skips the backoff', () => {
    const waiting = [entry(1, { nextAttemptAt: NOW + 5000 })];
    expect(selectBatch(waiting, NOW, false)).toEqual([]);
    expect(selectBatch(waiting, NOW + 5000, false)).toHaveLength(1);
    expect(selectBatch(waiting, NOW, true)).toHaveLength(1);
  });

  it('never sends before a Retry-After, not even when forced', () => {
    const held = [entry(1, { holdUntil: NOW + 30_000 }), entry(2)];
    expect(selectBatch(held, NOW, true)).toEqual([]);
    expect(selectBatch(held, NOW + 30_000, true)).toHaveLength(2);
  });

  it('caps a batch by count and by bytes (keepalive bodies share ~64 KiB), but always sends one', () => {
    const many = Array.from({ length: 60 }, (_, i) => entry(i + 1));
    expect(selectBatch(many, NOW, true)).toHaveLength(50);
    const big = [entry(1, { jws: 'x'.repeat(40_000) }), entry(2, { jws: 'y'.repeat(40_000) })];
    expect(selectBatch(big, NOW, true).map((e) => e.ord)).toEqual([1]);
    expect(selectBatch([entry(1, { jws: 'z'.repeat(100_000) })], NOW, true)).toHaveLength(1);
  });
});

describe('nextWake', () => {
  it('is the earliest time a pending receipt may go, Retry-After included', () => {
    expect(nextWake([entry(1, { nextAttemptAt: NOW + 9000 }), entry(2, { nextAttemptAt: NOW + 1000, holdUntil: NOW + 4000 })])).toBe(NOW + 4000);
    expect(nextWake([entry(1, { status: 'acked' })])).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates, clamps, and ignores garbage', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('999999999', NOW)).toBe(86_400_000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});

describe('classifyResponse', () => {
  const response = (status: number, body: unknown = undefined, retryAfter: string | null = null) => classifyResponse({ status, body, retryAfter }, NOW);

  it.each([408, 425, 429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
    expect(response(status).kind).toBe('retry');
  });

  it('honours Retry-After on a retry', () => {
    expect(response(503, undefined, '7')).toEqual({ kind: 'retry', reason: 'HTTP 503', retryAfterMs: 7000 });
    expect(response(429, undefined, '1')).toMatchObject({ retryAfterMs: 1000 });
  });

  it.each([400, 401, 403, 404, 410, 413, 422])('makes HTTP %i final (dead letter), never a retry loop', (status) => {
    expect(response(status, { error: 'bad' })).toEqual({ kind: 'dead', reason: `HTTP ${status}: bad` });
  });

  it('reads per-receipt results from a 2xx, and a 2xx without them as all accepted', () => {
    const results = [{ jti: 'a', status: 'accepted', ack: 'x.y.z' }, { jti: 'b', status: 'bogus' }, 'junk'];
    expect(response(200, { results })).toEqual({ kind: 'results', results: [results[0]] });
    expect(response(204)).toEqual({ kind: 'acked' });
    expect(response(200, { ok: true })).toEqual({ kind: 'acked' });
  });

  it('reads a 409 with expectedSeq as a chain gap, and a bare 409 as a concurrent duplicate to retry', () => {
    expect(response(409, { expectedSeq: 3, kid: 'K' })).toEqual({ kind: 'results', results: [], gap: { expectedSeq: 3, kid: 'K' } });
    expect(response(409, { error: 'in progress' }).kind).toBe('retry');
  });
});

describe('applyOutcome', () => {
  const apply = (entries: OutboxEntry[], batch: OutboxEntry[], outcome: SendOutcome, random = 0.5) => applyOutcome(entries, batch, outcome, NOW, random);

  it('retry: counts the attempt, backs off with full jitter, and holds for Retry-After', () => {
    const entries = [entry(1, { attempts: 2 })];
    const { changed, dead } = apply(entries, entries, { kind: 'retry', reason: 'network: refused' }, 0.5);
    expect(changed[0]).toMatchObject({ status: 'pending', attempts: 3, nextAttemptAt: NOW + 0.5 * 4 * BASE_MS, lastError: 'network: refused' });
    expect(changed[0]).not.toHaveProperty('holdUntil');
    expect(dead).toEqual([]);
    const held = apply(entries, entries, { kind: 'retry', reason: 'HTTP 503', retryAfterMs: 60_000 }, 0).changed[0]!;
    expect(held).toMatchObject({ holdUntil: NOW + 60_000, nextAttemptAt: NOW + 60_000 });
  });

  it('dead: every receipt of the batch becomes a dead letter, reported once', () => {
    const entries = [entry(1), entry(2)];
    const { changed, dead } = apply(entries, entries, { kind: 'dead', reason: 'HTTP 401' });
    expect(statuses(changed)).toEqual({ 1: 'dead', 2: 'dead' });
    expect(dead.map((e) => e.lastError)).toEqual(['HTTP 401', 'HTTP 401']);
    expect(apply(changed as OutboxEntry[], [], { kind: 'results', results: [] }).dead).toEqual([]);
  });

  it('results: accepted and duplicate are acked (keeping the ack), rejected is dead, a missing result retries', () => {
    const entries = [entry(1), entry(2), entry(3), entry(4)];
    const { changed, dead } = apply(entries, entries, {
      kind: 'results',
      results: [{ jti: 'jti-1', status: 'accepted', ack: 'ack-1' }, { jti: 'jti-2', status: 'duplicate' }, { jti: 'jti-3', status: 'rejected', reason: 'bad signature' }],
    });
    expect(statuses(changed)).toEqual({ 1: 'acked', 2: 'acked', 3: 'dead', 4: 'pending' });
    expect(changed[0]!.ack).toBe('ack-1');
    expect(dead.map((e) => e.lastError)).toEqual(['rejected: bad signature']);
    expect(changed[3]).toMatchObject({ attempts: 1, lastError: 'no result for this receipt' });
  });

  it('a 2xx without results acknowledges the whole batch; an empty results list acknowledges nothing', () => {
    const entries = [entry(1), entry(2)];
    expect(statuses(apply(entries, entries, { kind: 'acked' }).changed)).toEqual({ 1: 'acked', 2: 'acked' });
    expect(statuses(apply(entries, entries, { kind: 'results', results: [] }).changed)).toEqual({ 1: 'pending', 2: 'pending' });
  });

  it('a chain gap resends from expectedSeq using receipts already acked (the server lost them)', () => {
    const entries = [entry(1, { status: 'acked' }), entry(2, { status: 'acked' }), entry(3), entry(4)];
    const batch = entries.slice(2);
    const { changed, resend, dead } = apply(entries, batch, { kind: 'results', results: [], gap: { kid: 'K', expectedSeq: 2 } }, 0);
    expect(resend).toBe(true);
    expect(dead).toEqual([]);
    expect(statuses(changed)).toEqual({ 2: 'pending', 3: 'pending', 4: 'pending' });
    expect(selectBatch(entries.map((e) => changed.find((c) => c.ord === e.ord) ?? e), NOW, true).map((e) => e.seq)).toEqual([2, 3, 4]);
  });

  it('a gap below what is pending means the server holds those receipts: they are acked', () => {
    const entries = [entry(1), entry(2), entry(3)];
    const { changed, resend } = apply(entries, entries, {
      kind: 'results', results: [{ jti: 'jti-3', status: 'gap', expectedSeq: 3 }],
    });
    expect(statuses(changed)).toEqual({ 1: 'acked', 2: 'acked', 3: 'pending' });
    expect(resend).toBe(true);
  });

  it('a gap the log cannot fill (a receipt missing from it) dead-letters the rest of that chain', () => {
    const entries = [entry(2), entry(3, { kid: 'OTHER', seq: 1 })];
    const { changed, dead, resend } = apply(entries, [entries[0]!], { kind: 'results', results: [], gap: { kid: 'K', expectedSeq: 1 } });
    expect(resend).toBe(false);
    expect(statuses(changed)).toEqual({ 2: 'dead' });
    expect(dead[0]!.lastError).toBe('chain gap: the server expects seq 1, which this install no longer has');
  });

  // Issue 4 §4 (§2.8 + §4.3): a dead letter in the middle of a chain must not end delivery of
  // every later receipt. It used to: the server's 409 asked for the dead seq, which was never resent.
  describe('a dead letter the server asks for (409 expectedSeq)', () => {
    it('is resent from the device copy with the rest of its chain, its revival counted and explained', () => {
      const entries = [entry(1, { status: 'acked' }), entry(2, { status: 'dead', lastError: 'HTTP 400: altered by a proxy' }), entry(3), entry(4, { kid: 'OTHER', seq: 1 })];
      const { changed, dead, revived, resend } = apply(entries, [entries[2]!], { kind: 'results', results: [{ jti: 'jti-3', status: 'gap', expectedSeq: 2 }] }, 0);
      expect(resend).toBe(true);
      expect(dead).toEqual([]);
      expect(statuses(changed)).toEqual({ 2: 'pending', 3: 'pending' });
      expect(revived).toEqual([expect.objectContaining({ ord: 2, revivals: 1, jws: 'jws-2', lastError: `server expects seq 2: dead letter resent (1 of ${MAX_REVIVALS}) after HTTP 400: altered by a proxy` })]);
      expect(changed[1]).not.toHaveProperty('revivals');
      // The device's own bytes go out again, oldest first.
      expect(selectBatch(entries.map((e) => changed.find((c) => c.ord === e.ord) ?? e), NOW, true).map((e) => e.jws)).toEqual(['jws-2', 'jws-3', 'jws-4']);
    });

    it('refused in the same batch as its gap, it is revived at once, without a dead-letter report', () => {
      const entries = [entry(1), entry(2)];
      const { changed, dead, revived, resend } = apply(entries, entries, {
        kind: 'results',
        results: [{ jti: 'jti-1', status: 'rejected', reason: 'signature does not verify' }, { jti: 'jti-2', status: 'gap', expectedSeq: 1 }],
      });
      expect(resend).toBe(true);
      expect(dead).toEqual([]);
      expect(statuses(changed)).toEqual({ 1: 'pending', 2: 'pending' });
      expect(revived.map((e) => [e.ord, e.revivals, e.lastError])).toEqual([[1, 1, `server expects seq 1: dead letter resent (1 of ${MAX_REVIVALS}) after rejected: signature does not verify`]]);
    });

    it('revives a whole dead batch (a 400 for all of it) when the next receipt meets the gap', () => {
      const entries = [entry(1, { status: 'dead' }), entry(2, { status: 'dead' }), entry(3)];
      const { changed, revived } = apply(entries, [entries[2]!], { kind: 'results', results: [], gap: { kid: 'K', expectedSeq: 1 } });
      expect(statuses(changed)).toEqual({ 1: 'pending', 2: 'pending', 3: 'pending' });
      expect(revived.map((e) => e.ord)).toEqual([1, 2]);
    });

    it(`is revived at most ${MAX_REVIVALS} times: then it stays dead and the receipts waiting behind it are dead letters, each reported once`, () => {
      let entries = [entry(1, { status: 'acked' }), entry(2), entry(3)];
      const refusal: SendOutcome = { kind: 'results', results: [{ jti: 'jti-2', status: 'rejected', reason: 'policy unknown' }, { jti: 'jti-3', status: 'gap', expectedSeq: 2 }] };
      const rounds: { revived: number[]; dead: number[]; resend: boolean }[] = [];
      for (let round = 0; round < MAX_REVIVALS + 3; round++) {
        const batch = selectBatch(entries, NOW, true);
        if (batch.length === 0) break;
        const applied = apply(entries, batch, refusal);
        entries = entries.map((e) => applied.changed.find((c) => c.ord === e.ord) ?? e);
        rounds.push({ revived: applied.revived.map((e) => e.ord), dead: applied.dead.map((e) => e.ord), resend: applied.resend });
      }
      expect(rounds).toEqual([
        ...Array.from({ length: MAX_REVIVALS }, () => ({ revived: [2], dead: [], resend: true })),
        { revived: [], dead: [2, 3], resend: false },
      ]);
      expect(entries.find((e) => e.ord === 2)).toMatchObject({ status: 'dead', revivals: MAX_REVIVALS, lastError: 'rejected: policy unknown' });
      expect(entries.find((e) => e.ord === 3)!.lastError).toBe(`chain gap: the server expects seq 2, which it refused again after ${MAX_REVIVALS} resends (rejected: policy unknown)`);
      // A later receipt of that chain meets the same gap: dead at once, one send, no revival.
      entries = [...entries, entry(4)];
      const later = apply(entries, [entries[3]!], { kind: 'results', results: [], gap: { kid: 'K', expectedSeq: 2 } });
      expect({ revived: later.revived, dead: later.dead.map((e) => e.ord), resend: later.resend }).toEqual({ revived: [], dead: [4], resend: false });
    });
  });
});
