import { ConsentError } from '../core/errors.js';
import { newEntry, type EntryStatus, type OutboxEntry } from '../core/outbox.js';
import type { Clock, IdSource } from '../core/ports.js';
import { buildReceiptPayload, type ReceiptInput } from '../core/receipt.js';
import { advanceHead, nextLink, type LogHead } from '../core/receipt-chain.js';
import { utf8 } from '../core/receipt-encoding.js';
import { compactJws, receiptHeader, signingInput } from '../core/receipt-jws.js';
import type { HostSigner, ReceiptSigner } from '../core/receipt-types.js';
import { chooseSigner } from '../crypto/choose-signer.js';
import { createFetchTransport } from './fetch-transport.js';
import { createFlusher } from './flusher.js';
import { leaseLock, localLock, webLock } from './lock.js';
import { createIndexedDbReceiptLog, createMemoryReceiptLog, StaleHead, type ReceiptLog } from './receipt-log.js';
import { createResilientLog } from './resilient-log.js';
import { watchTriggers } from './triggers.js';
import { withTimeout } from './with-timeout.js';

const SIGN_TIMEOUT_MS = 5_000;
/** Appends tried per receipt when other contexts keep appending first. */
const APPEND_TRIES = 8;

export interface ReceiptServiceOptions {
  /** Where receipts are POSTed. Without it receipts are still made and kept on the device. */
  readonly endpoint?: string | undefined;
  readonly fetch?: typeof fetch | undefined;
  readonly hostSigner?: HostSigner | undefined;
  /**
   * IndexedDB for receipts and the device key, or memory for both (storage `memory`, or
   * IndexedDB already failed for the decisions: one cause is reported once). Asked at first use.
   */
  readonly persistent: () => boolean;
  readonly iss: string;
  readonly now: Clock;
  readonly ids: IdSource;
  readonly report: (error: ConsentError) => void;
  readonly onReceipt: (entry: OutboxEntry) => void;
  readonly resumeSignal?: ((listener: () => void) => () => void) | undefined;
  readonly random?: () => number;
  /** A log of the caller's (tests); by default IndexedDB with a memory fallback. */
  readonly log?: ReceiptLog;
  /** How long one POST may take before it is aborted and retried (default 15 s; tests shorten it). */
  readonly sendTimeoutMs?: number;
}

/**
 * What the shell passes for each decision; the service adds ids, signer and chain. `sub` may
 * still be being read (the stored install id): it is awaited only when the receipt is built,
 * after the log head and the signer are at hand.
 */
export type ReceiptRequest = Pick<ReceiptInput, 'event' | 'before' | 'state' | 'policyUrl'> & { readonly sub: string | PromiseLike<string> };

export interface ReceiptService {
  /**
   * Builds, signs and stores the decision's receipt, then triggers a flush. Never rejects. An
   * event with an `id` (its receipt's jti) that already has a receipt in the log gets that one.
   */
  record(request: ReceiptRequest): Promise<OutboxEntry | undefined>;
  flush(): Promise<void>;
  list(status: EntryStatus): Promise<OutboxEntry[]>;
  /** Flushes what earlier sessions left pending and starts listening for triggers. */
  start(): void;
  stop(): void;
}

/**
 * Receipts and their delivery, wired to the browser: the device signer, the receipt log,
 * the fetch transport and the flush triggers. Receipt content, chaining and retry rules are in
 * the pure core; this file only orders the steps.
 */
export function createReceiptService(options: ReceiptServiceOptions): ReceiptService {
  const { endpoint, persistent, iss, now, ids, report } = options;
  let opened: ReceiptLog | undefined;
  const open = () => (opened ??= options.log ?? createResilientLog(persistent() ? createIndexedDbReceiptLog() : createMemoryReceiptLog(), report));
  // Opened on first use, after the decisions are restored, so `persistent` sees their storage.
  const log: ReceiptLog = {
    get kind() {
      return open().kind;
    },
    head: () => open().head(),
    append: (entry, head) => open().append(entry, head),
    list: () => open().list(),
    put: (entries) => open().put(entries),
    lease: (owner, time, ttlMs) => open().lease(owner, time, ttlMs),
  };
  // Appends are serialised within this context only. Across contexts the log itself refuses an
  // append after a stale head (receipt-log.ts), and the receipt is then signed again: a Web Lock
  // here would only add a round trip to the browser process to every receipt (~0.5 ms).
  const appendLock = localLock();
  const fetchImpl = options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  const flusher = endpoint && fetchImpl ? createFlusher({
    log,
    transport: createFetchTransport(endpoint, fetchImpl, options.sendTimeoutMs),
    lock: webLock('inapp-consent-flush') ?? leaseLock(log, ids(), now),
    now,
    random: options.random ?? Math.random,
    report,
  }) : undefined;
  let signer: Promise<ReceiptSigner> | undefined;
  let unwatch: (() => void) | undefined;

  // Receipts in the log by jti (= the decision event's id), as of the head `ord` they were read
  // at: read again only when another context (or a failed log's fallback) appended since.
  let seen: { ord: number; byJti: Map<string, OutboxEntry> } | undefined;
  const known = async (head: LogHead) => (seen?.ord === head.ord ? seen : (seen = { ord: head.ord, byJti: new Map((await log.list()).map((entry) => [entry.jti, entry])) })).byJti;

  // The head our own last append wrote: the next receipt follows it without reading the log.
  // If another context appended since, the append is refused (StaleHead) and the head is read.
  let ownHead: LogHead | undefined;

  // Set while a receipt is built (before its signing): a failure then is the input's (a damaged
  // stored entry), not the signer's, and must not make the session give up its key.
  let building = false;
  const sign = async (current: ReceiptSigner, request: ReceiptRequest, head: LogHead): Promise<OutboxEntry> => {
    const sub = await request.sub;
    building = true;
    const header = receiptHeader(current.jwk);
    const chain = nextLink(head, header.kid);
    const payload = buildReceiptPayload({ ...request, sub, jti: request.event.id ?? ids(), iss, chain, signer: current.kind });
    const input = signingInput(header, payload);
    building = false;
    // A host signer behind a bridge may never answer; the action waiting on this must settle.
    const jws = compactJws(input, await withTimeout(current.sign(utf8(input)), SIGN_TIMEOUT_MS, `the ${current.kind} signer`));
    const entry = newEntry(head.ord + 1, payload.jti, header.kid, chain.seq, jws, now());
    // Receipt and outbox state in one record, head in the same transaction, before any send.
    const next = advanceHead(head, chain, jws);
    await log.append(entry, next);
    ownHead = next;
    // Our own append keeps what was read current: the log is read again only after another's.
    if (seen?.ord === head.ord) seen = { ord: entry.ord, byJti: seen.byJti.set(entry.jti, entry) };
    return entry;
  };

  /** Signs for the position after `head` and appends; the signer falls back as it must. */
  async function signAfter(request: ReceiptRequest, head: LogHead): Promise<OutboxEntry> {
    const current = await (signer ??= chooseSigner({ device: persistent(), host: options.hostSigner, report }));
    try {
      return await sign(current, request, head);
    } catch (cause) {
      // A signer that worked can still fail (a host bridge gone away): this session goes on
      // with a session-only key rather than losing the receipt.
      if (cause instanceof StaleHead || building || current.kind === 'ephemeral' || current.kind === 'none') throw cause;
      report(new ConsentError('signer-unavailable', `inapp-consent: the ${current.kind} signer failed; this session signs with a session-only key`, { cause }));
      signer = chooseSigner({ device: false, report });
      return sign(await signer, request, head);
    }
  }

  async function record(request: ReceiptRequest): Promise<OutboxEntry | undefined> {
    try {
      let made = false;
      const entry = await appendLock(async () => {
        for (let tries = 1; ; tries++) {
          const head = (tries === 1 && ownHead) || (await log.head());
          ownHead = undefined;
          // A decision whose receipt another context (or a start after a crash) already wrote is
          // not receipted twice: the one query over the outbox the write-ahead list needs. If
          // another context appends it after this read, our append finds the head moved and
          // this check runs again.
          const found = request.event.id && (await known(head)).get(request.event.id);
          made = !found;
          if (found) return found;
          try {
            return await signAfter(request, head);
          } catch (cause) {
            // Another context appended between our read of the head and our write, which was
            // refused whole: sign again for the position after theirs.
            if (!(cause instanceof StaleHead) || tries === APPEND_TRIES) throw cause;
          }
        }
      });
      if (entry && made) {
        options.onReceipt(entry);
        void flusher?.flush(true, true);
      }
      return entry;
    } catch (cause) {
      report(new ConsentError('storage-write-failed', 'inapp-consent: a consent receipt could not be made', { cause }));
      return undefined;
    }
  }

  return {
    record,
    flush: () => flusher?.flush(true) ?? Promise.resolve(),
    list: async (status) => (await log.list()).filter((entry) => entry.status === status),
    start() {
      if (!flusher || unwatch) return;
      unwatch = watchTriggers(() => void flusher.flush(true), () => flusher.keepalive(), options.resumeSignal);
      void flusher.flush(true);
    },
    stop() {
      unwatch?.();
      flusher?.stop();
    },
  };
}
