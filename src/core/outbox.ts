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
  /**
   * How often a 409 brought this receipt back from the dead letters (see `applyToDrain`):
   * counted so a receipt the server will never take cannot loop. Absent = never.
   */
  readonly revivals?: number;
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

/**
 * One drain of the outbox (a flush sending batch after batch): the pending receipts are put in
 * send order once, and each round then costs O(batch). Listing, filtering and sorting the whole
 * outbox again for every batch of 50 made draining n receipts O(n²/50): 1,000 receipts touched
 * entries ~50,000 times. Owned by one drain, and updated in place by `applyToDrain`.
 */
export interface Drain {
  /** Every entry by `ord`, as the rounds so far left it. */
  readonly entries: Map<number, OutboxEntry>;
  /** Pending `ord`s in send order; those before `head` are settled. */
  queue: number[];
  head: number;
  /** The latest Retry-After among pending receipts: nothing is sent before it. */
  holdUntil: number;
}

/** O(n), and no sort when the log lists receipts in write order (it does: `ord` is the key). */
export function startDrain(entries: readonly OutboxEntry[]): Drain {
  const byOrd = new Map<number, OutboxEntry>();
  const queue: number[] = [];
  let holdUntil = 0;
  let sorted = true;
  for (const entry of entries) {
    byOrd.set(entry.ord, entry);
    if (entry.status !== 'pending') continue;
    sorted &&= queue.length === 0 || queue[queue.length - 1]! < entry.ord;
    queue.push(entry.ord);
    holdUntil = Math.max(holdUntil, entry.holdUntil ?? 0);
  }
  if (!sorted) queue.sort((a, b) => a - b);
  return { entries: byOrd, queue, head: 0, holdUntil };
}

/** The pending entries of a drain from its head, skipping any a round settled. */
function* pendingOf(drain: Drain): Generator<OutboxEntry> {
  for (let index = drain.head; index < drain.queue.length; index++) {
    const entry = drain.entries.get(drain.queue[index]!);
    if (entry?.status === 'pending') yield entry;
    else if (index === drain.head) drain.head++;
  }
}

/**
 * The receipts to send now, oldest first (the server checks each chain in `seq` order).
 * `force` is an explicit trigger (start, new receipt, online, visible, resume, `flush()`, or the
 * next round of a drain): it skips the backoff wait but never a server's `Retry-After`. A timer
 * wake-up sends only when some receipt is due. Empty when nothing should go out.
 */
export function drainBatch(drain: Drain, now: number, force: boolean, limits = BATCH_LIMITS): OutboxEntry[] {
  if (drain.holdUntil > now) return [];
  if (!force) {
    let due = false;
    for (const entry of pendingOf(drain)) if ((due = entry.nextAttemptAt <= now)) break;
    if (!due) return [];
  }
  const batch: OutboxEntry[] = [];
  let bytes = 2;
  for (const entry of pendingOf(drain)) {
    bytes += entry.jws.length + 3;
    if (batch.length > 0 && (batch.length >= limits.maxCount || bytes > limits.maxBytes)) break;
    batch.push(entry);
  }
  return batch;
}

/** `drainBatch` over a fresh list (one-off callers: keepalive, tests). */
export function selectBatch(entries: readonly OutboxEntry[], now: number, force: boolean, limits = BATCH_LIMITS): OutboxEntry[] {
  return drainBatch(startDrain(entries), now, force, limits);
}

/** When the timer should next wake the flusher, or undefined when nothing is pending. */
export function drainWake(drain: Drain): number | undefined {
  let wake: number | undefined;
  // A loop, not Math.min(...times): spreading a large outbox overflows the call stack.
  for (const entry of pendingOf(drain)) {
    const time = Math.max(entry.nextAttemptAt, entry.holdUntil ?? 0);
    if (wake === undefined || time < wake) wake = time;
  }
  return wake;
}

export function nextWake(entries: readonly OutboxEntry[]): number | undefined {
  return drainWake(startDrain(entries));
}
