import { backoffDelay, startDrain, type Drain, type OutboxEntry } from './outbox.js';

/**
 * What a send attempt means for each receipt in it: the retry rules of
 * reference/mobile-cmp-receipts-bridges.md §4.3 and the server contract of §4.8, pure.
 */

/** What the transport saw: the status, the raw `Retry-After` header and the parsed JSON body. */
export interface TransportResponse {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: unknown;
}

/** The server's answer for one receipt (§4.8). `gap`: its chain needs `expectedSeq` first. */
export interface ItemResult {
  readonly jti: string;
  readonly status: 'accepted' | 'duplicate' | 'rejected' | 'gap';
  readonly expectedSeq?: number;
  readonly reason?: string;
  readonly ack?: string;
}

export type SendOutcome =
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'dead'; readonly reason: string }
  /** A 2xx with no per-receipt results: the whole batch is taken (a plain `204` backend). */
  | { readonly kind: 'acked' }
  | { readonly kind: 'results'; readonly results: readonly ItemResult[]; readonly gap?: { readonly kid?: string; readonly expectedSeq: number } };

/** `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), capped at a day. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const ms = /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), 86_400_000) : undefined;
}

const STATUSES = new Set(['accepted', 'duplicate', 'rejected', 'gap']);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Per-item results from a body, dropping anything that is not one (the body is untrusted input). */
function readResults(body: unknown): ItemResult[] | undefined {
  const list = isObject(body) ? body.results : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.filter((item): item is ItemResult => isObject(item) && typeof item.jti === 'string' && STATUSES.has(item.status as string));
}

/**
 * Classifies a response. 2xx: per-receipt results (a body without a `results` list means all
 * accepted, so a plain `204` backend works; a list missing a receipt means retry that one). 409 with `expectedSeq`: a chain gap to resend from. Network
 * errors, 408, 425, 429, 5xx and a bare 409 (a concurrent duplicate, per the Idempotency-Key
 * draft): retry. Any other 4xx is final — retrying 400/401/403/422 forever would loop (§4.3).
 */
export function classifyResponse(response: TransportResponse, now: number): SendOutcome {
  const { status, body } = response;
  const results = readResults(body);
  if (status >= 200 && status < 300) return results ? { kind: 'results', results } : { kind: 'acked' };
  if (status === 409 && isObject(body) && typeof body.expectedSeq === 'number') {
    const kid = typeof body.kid === 'string' ? body.kid : undefined;
    return { kind: 'results', results: results ?? [], gap: { expectedSeq: body.expectedSeq, ...(kid ? { kid } : {}) } };
  }
  const retryAfterMs = parseRetryAfter(response.retryAfter, now);
  if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500 || status < 200) {
    return { kind: 'retry', reason: `HTTP ${status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  const reason = isObject(body) && typeof body.error === 'string' ? `: ${body.error}` : '';
  return { kind: 'dead', reason: `HTTP ${status}${reason}` };
}

export interface AppliedOutcome {
  /** Entries whose record changed, to write back in one transaction. */
  readonly changed: readonly OutboxEntry[];
  /** Entries that just became dead letters (each raises an `error` event). */
  readonly dead: readonly OutboxEntry[];
  /** Dead letters a chain gap brought back to pending (each its `revivals` counted), for the caller to report. */
  readonly revived: readonly OutboxEntry[];
  /** A chain gap was filled from the log: send again now. */
  readonly resend: boolean;
}

/**
 * How many times a 409 may bring one dead letter back. One resend fills a receipt altered on
 * the way (the device's copy is the genuine signed bytes); a second covers a flaky middlebox.
 * A receipt refused past that is one the server will never take: the chain's delivery stops,
 * reported, instead of looping (§4.3: never retry-loop on a refusal).
 */
export const MAX_REVIVALS = 2;

/**
 * The outbox after a send of `batch`, written into the drain. `random` ∈ [0, 1) is drawn once,
 * so a batch stays together on retry. Every receipt keeps its record; only its status moves.
 * O(batch), except a chain gap, which walks that chain (rare: the server lost receipts).
 */
export function applyToDrain(drain: Drain, batch: readonly OutboxEntry[], outcome: SendOutcome, now: number, random: number): AppliedOutcome {
  const next = drain.entries;
  /** The entries as they were before this send, for those it changed. */
  const old = new Map<number, OutboxEntry | undefined>();
  const set = (entry: OutboxEntry, change: Partial<OutboxEntry>) => {
    const current = next.get(entry.ord) ?? entry;
    if (!old.has(entry.ord)) old.set(entry.ord, next.get(entry.ord));
    const { holdUntil: _hold, lastError: _error, ...rest } = current;
    next.set(entry.ord, { ...rest, ...change });
  };
  const retry = (entry: OutboxEntry, reason: string, retryAfterMs?: number) => {
    const attempts = entry.attempts + 1;
    const wait = Math.max(backoffDelay(attempts, random), retryAfterMs ?? 0);
    set(entry, { attempts, nextAttemptAt: now + wait, lastError: reason, ...(retryAfterMs ? { holdUntil: now + retryAfterMs } : {}) });
    if (retryAfterMs) drain.holdUntil = Math.max(drain.holdUntil, now + retryAfterMs);
  };
  const dead = (entry: OutboxEntry, reason: string) => set(entry, { status: 'dead', lastError: reason });

  let resend = false;
  if (outcome.kind === 'retry') batch.forEach((entry) => retry(entry, outcome.reason, outcome.retryAfterMs));
  if (outcome.kind === 'dead') batch.forEach((entry) => dead(entry, outcome.reason));
  if (outcome.kind === 'acked') batch.forEach((entry) => set(entry, { status: 'acked' }));
  if (outcome.kind === 'results') {
    const byJti = new Map(outcome.results.map((result) => [result.jti, result]));
    const gaps = new Map<string, number>();
    if (outcome.gap) gaps.set(outcome.gap.kid ?? batch[0]?.kid ?? '', outcome.gap.expectedSeq);
    for (const entry of batch) {
      const result = byJti.get(entry.jti);
      if (result?.status === 'gap' && typeof result.expectedSeq === 'number' && !gaps.has(entry.kid)) gaps.set(entry.kid, result.expectedSeq);
    }
    for (const entry of batch) {
      const result = byJti.get(entry.jti);
      if (result?.status === 'accepted' || result?.status === 'duplicate') set(entry, { status: 'acked', ...(result.ack ? { ack: result.ack } : {}) });
      else if (result?.status === 'rejected') dead(entry, `rejected${result.reason ? `: ${result.reason}` : ''}`);
      else if (!gaps.has(entry.kid)) retry(entry, 'no result for this receipt');
    }
    for (const [kid, expectedSeq] of gaps) {
      const chain = [...next.values()].filter((entry) => entry.kid === kid).sort((a, b) => a.seq - b.seq);
      // The server checked every `prev` up to its head, so it holds our receipts below expectedSeq.
      chain.filter((entry) => entry.seq < expectedSeq && entry.status === 'pending').forEach((entry) => set(entry, { status: 'acked' }));
      const tail = chain.filter((entry) => entry.seq >= expectedSeq);
      // A dead letter the server asks for is resent from the device's copy: a receipt rejected
      // for what happened to it on the way (its hash never chained) is taken the second time.
      const spent = tail.find((entry) => entry.status === 'dead' && (entry.revivals ?? 0) >= MAX_REVIVALS);
      const fillable = !spent && tail.every((entry, index) => entry.seq === expectedSeq + index);
      for (const entry of tail) {
        if (fillable) {
          const attempts = entry.attempts + 1;
          const revival = entry.status === 'dead' ? revive(entry, expectedSeq) : { lastError: `server expects seq ${expectedSeq}` };
          set(entry, { status: 'pending', attempts, nextAttemptAt: now + backoffDelay(attempts, random), ...revival });
        } else if (entry.status === 'pending') {
          dead(entry, spent
            ? `chain gap: the server expects seq ${spent.seq}, which it refused again after ${MAX_REVIVALS} resends (${spent.lastError})`
            : `chain gap: the server expects seq ${expectedSeq}, which this install no longer has`);
        }
      }
      resend ||= fillable && tail.length > 0;
    }
    // Acked receipts may be pending again: the send order is rebuilt (O(n), once per gap).
    if (gaps.size > 0) Object.assign(drain, startDrain([...next.values()]), { entries: next });
  }
  const changed = [...old.keys()].sort((a, b) => a - b).map((ord) => next.get(ord)!);
  return {
    changed,
    dead: changed.filter((entry) => entry.status === 'dead' && old.get(entry.ord)?.status !== 'dead'),
    // By the count, not the status: a receipt refused in this very batch and asked for by its
    // gap is revived without ever having been reported dead.
    revived: changed.filter((entry) => (entry.revivals ?? 0) > (old.get(entry.ord)?.revivals ?? 0)),
    resend,
  };
}

/** The change that brings a dead letter back, keeping why it died for whoever reads `lastError`. */
function revive(entry: OutboxEntry, expectedSeq: number): Partial<OutboxEntry> {
  const revivals = (entry.revivals ?? 0) + 1;
  return { revivals, lastError: `server expects seq ${expectedSeq}: dead letter resent (${revivals} of ${MAX_REVIVALS}) after ${entry.lastError ?? 'a refusal'}` };
}

/** `applyToDrain` over a fresh list (one-off callers and tests). */
export function applyOutcome(entries: readonly OutboxEntry[], batch: readonly OutboxEntry[], outcome: SendOutcome, now: number, random: number): AppliedOutcome {
  // Only the lookup: the send order is not needed to apply an outcome (a gap rebuilds it).
  return applyToDrain({ entries: new Map(entries.map((entry) => [entry.ord, entry])), queue: [], head: 0, holdUntil: 0 }, batch, outcome, now, random);
}
