/**
 * The outbox, as pure data and functions of `now` (reference/mobile-cmp-receipts-bridges.md §4).
 * Each receipt is stored together with its delivery state in one record, so "receipt written"
 * and "queued for sending" can never disagree after a crash. Acked receipts are kept: they are
 * the person's proof, and a server that lost receipts (409 `expectedSeq`) is re-sent from them.
 */

export type EntryStatus = 'pending' | 'acked' | 'dead';

export const OUTBOX_VERSION = 1;

export interface OutboxEntry {
  readonly v: typeof OUTBOX_VERSION;
  /** Global write order (the store key): FIFO across keys. */
  readonly ord: number;
  /** The receipt id, and the idempotency key the server dedupes on. */
  readonly jti: string;
  /** Chain id (the key's thumbprint) and position. */
  readonly kid: string;
  readonly seq: number;
  /** The compact JWS, exactly as signed and sent. */
  readonly jws: string;
  readonly createdAt: number;
  readonly status: EntryStatus;
  readonly attempts: number;
  /** Backoff: not retried by the timer before this. Triggers (online, resume…) may send earlier. */
  readonly nextAttemptAt: number;
  /** The server's `Retry-After`: nothing is sent before this, whatever the trigger. */
  readonly holdUntil?: number;
  readonly lastError?: string;
  /** The server's countersigned acknowledgement (§2.7), once acked. */
  readonly ack?: string;
}

export function newEntry(ord: number, jti: string, kid: string, seq: number, jws: string, now: number): OutboxEntry {
  return { v: OUTBOX_VERSION, ord, jti, kid, seq, jws, createdAt: now, status: 'pending', attempts: 0, nextAttemptAt: now };
}

/** First retry within `BASE_MS`, the ceiling `CAP_MS` (AWS "full jitter": base 1–2 s, cap 5–15 min). */
export const BASE_MS = 2_000;
export const CAP_MS = 5 * 60_000;

/** Full jitter: a uniform delay in [0, min(cap, base·2^(attempts−1))). `random` ∈ [0, 1). */
export function backoffDelay(attempts: number, random: number): number {
  return Math.floor(random * Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempts - 1)));
}

export interface BatchLimits {
  readonly maxCount: number;
  /** keepalive requests share a ~64 KiB in-flight budget (Fetch spec), so batches stay under it. */
  readonly maxBytes: number;
}

export const BATCH_LIMITS: BatchLimits = { maxCount: 50, maxBytes: 60_000 };

const pendingInOrder = (entries: readonly OutboxEntry[]) =>
  entries.filter((entry) => entry.status === 'pending').sort((a, b) => a.ord - b.ord);

/**
 * The receipts to send now, oldest first (the server checks each chain in `seq` order).
 * `force` is an explicit trigger (start, new receipt, online, visible, resume, `flush()`): it
 * skips the backoff wait but never a server's `Retry-After`. A timer wake-up sends only when
 * some receipt is due. Empty when nothing should go out.
 */
export function selectBatch(entries: readonly OutboxEntry[], now: number, force: boolean, limits = BATCH_LIMITS): OutboxEntry[] {
  const pending = pendingInOrder(entries);
  if (pending.some((entry) => (entry.holdUntil ?? 0) > now)) return [];
  if (!force && !pending.some((entry) => entry.nextAttemptAt <= now)) return [];
  const batch: OutboxEntry[] = [];
  let bytes = 2;
  for (const entry of pending) {
    bytes += entry.jws.length + 3;
    if (batch.length > 0 && (batch.length >= limits.maxCount || bytes > limits.maxBytes)) break;
    batch.push(entry);
  }
  return batch;
}

/** When the timer should next wake the flusher, or undefined when nothing is pending. */
export function nextWake(entries: readonly OutboxEntry[]): number | undefined {
  const times = pendingInOrder(entries).map((entry) => Math.max(entry.nextAttemptAt, entry.holdUntil ?? 0));
  return times.length > 0 ? Math.min(...times) : undefined;
}
