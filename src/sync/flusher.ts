import { ConsentError } from '../core/errors.js';
import { applyToDrain, classifyResponse, type SendOutcome } from '../core/outbox-outcome.js';
import { drainBatch, drainWake, selectBatch, startDrain } from '../core/outbox.js';
import type { Clock } from '../core/ports.js';
import type { Transport } from './fetch-transport.js';
import type { Lock } from './lock.js';
import type { ReceiptLog } from './receipt-log.js';

export interface FlusherConfig {
  readonly log: ReceiptLog;
  readonly transport: Transport;
  readonly lock: Lock;
  readonly now: Clock;
  /** Uniform in [0, 1): the jitter source. */
  readonly random: () => number;
  readonly report: (error: ConsentError) => void;
}

export interface Flusher {
  /**
   * Sends what is pending; `force` skips the backoff wait (never `Retry-After`). While a flush
   * runs, a call joins it, unless `fresh` (a receipt was just stored, which the running flush
   * may have missed): then one more flush follows. Never rejects.
   */
  flush(force: boolean, fresh?: boolean): Promise<void>;
  /** One best-effort keepalive POST of everything pending, for a page being hidden (§4.5). */
  keepalive(): void;
  stop(): void;
}

const MAX_ROUNDS = 10;
const LEASE_RETRY_MS = 2_000;
const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/**
 * The imperative half of the outbox: reads the log, asks core/outbox what to send, sends it,
 * writes back what the answer means, and sets one timer for the next due receipt.
 */
export function createFlusher({ log, transport, lock, now, random, report }: FlusherConfig): Flusher {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let queuedForce = false;
  let failing = false;
  let stopped = false;

  const wakeAt = (time: number | undefined) => {
    clearTimeout(timer);
    if (time === undefined || stopped) return;
    timer = setTimeout(() => void flush(false), Math.max(0, time - now()));
    // Where timers are objects (Node: tests, server-side rendering), a retry must not keep the
    // process alive on its own.
    (timer as { unref?: () => void }).unref?.();
  };

  async function drain(force: boolean): Promise<void> {
    // Listed once: each round then costs O(batch), so draining n receipts is linear. A receipt
    // stored meanwhile is not in this list; its own flush (`fresh`) follows this one.
    const outbox = startDrain(await log.list());
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const batch = drainBatch(outbox, now(), force || round > 0);
      if (batch.length === 0) break;
      let outcome: SendOutcome;
      try {
        outcome = classifyResponse(await transport(batch), now());
      } catch (cause) {
        outcome = { kind: 'retry', reason: `network: ${message(cause)}` };
      }
      const applied = applyToDrain(outbox, batch, outcome, now(), random());
      await log.put(applied.changed);
      for (const entry of applied.dead) {
        report(new ConsentError('receipt-rejected', `inapp-consent: receipt ${entry.jti} (seq ${entry.seq}) was refused by the server and moved to the dead letters: ${entry.lastError}`, { cause: entry }));
      }
      // Each resend of a refused receipt is reported, not only its final death: a host counting
      // refusals (a proxy altering receipts, a backend out of step) sees every one of them.
      for (const entry of applied.revived) {
        report(new ConsentError('receipt-revived', `inapp-consent: receipt ${entry.jti} (seq ${entry.seq}) was revived and resent: ${entry.lastError}`, { cause: entry }));
      }
      if (outcome.kind === 'retry') {
        // Reported once per outage, not at every retry; the receipts wait in the outbox.
        if (!failing) report(new ConsentError('sync-failed', `inapp-consent: sending receipts failed (${outcome.reason}); they stay in the outbox and will be retried`));
        failing = true;
        break;
      }
      failing = false;
      // Receipts left waiting for their backoff end this flush; a filled chain gap goes again now.
      if (!applied.resend && applied.changed.some((entry) => entry.status === 'pending')) break;
    }
    wakeAt(drainWake(outbox));
  }

  const run = async (force: boolean) => {
    try {
      const held = await lock(async () => {
        await drain(force);
        return true;
      });
      // Another context holds the lease: it may have read the outbox before our newest receipt.
      if (!held) wakeAt(now() + LEASE_RETRY_MS);
    } catch (cause) {
      report(new ConsentError('sync-failed', `inapp-consent: flushing the outbox failed (${message(cause)})`, { cause }));
    }
  };

  function flush(force: boolean, fresh = false): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      if (!fresh && !queued) return running;
      queuedForce ||= force;
      return (queued ??= running.then(() => {
        queued = undefined;
        const again = queuedForce;
        queuedForce = false;
        return flush(again);
      }));
    }
    running = run(force).finally(() => (running = undefined));
    return running;
  }

  return {
    flush,
    keepalive() {
      if (stopped) return;
      // Fire and forget (§4.5): nothing is marked sent on the way out; the next launch's flush
      // reconciles through `jti` idempotency, the server answering `duplicate`.
      void log.list()
        .then((entries) => {
          const batch = selectBatch(entries, now(), true);
          return batch.length > 0 ? transport(batch, { keepalive: true }) : undefined;
        })
        .catch(() => undefined);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
