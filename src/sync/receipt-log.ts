import { entries as readAll, get, setMany, update } from 'idb-keyval';
import { EMPTY_HEAD, type LogHead } from '../core/receipt-chain.js';
import type { OutboxEntry } from '../core/outbox.js';
import { lazyStore, readThenWrite } from '../storage/idb.js';

/**
 * Where receipts live on the device: each receipt in one record with its delivery state, plus
 * the chain head. A database of its own: idb-keyval's `createStore` opens without a version, so
 * a second store added to an existing database would never be created (§4.1).
 */
export interface ReceiptLog {
  readonly kind: 'indexeddb' | 'memory';
  head(): Promise<LogHead>;
  /**
   * Writes the receipt's record and the new head in ONE transaction, before any send, if the
   * stored head is still the one `entry` follows (`entry.ord - 1`); otherwise writes nothing
   * and rejects with `StaleHead`.
   */
  append(entry: OutboxEntry, head: LogHead): Promise<void>;
  /** Every record, in write order. */
  list(): Promise<OutboxEntry[]>;
  /** Rewrites changed records (delivery state only) in one transaction. */
  put(entries: readonly OutboxEntry[]): Promise<void>;
  /** Takes or renews the flush lease if free, expired or ours: the fallback when Web Locks are missing. */
  lease(owner: string, now: number, ttlMs: number): Promise<boolean>;
}

/**
 * Another context appended since the head was read. Appends are not serialised across
 * contexts (and Web Locks are missing in Android WebView < 69, iOS < 15.4 and pages that are not
 * secure contexts), so two can read the same head; without this check the second write would
 * replace the first one's receipt (same `ord`).
 */
export class StaleHead extends Error {
  constructor() {
    super('the receipt log head moved');
  }
}

export const RECEIPT_DATABASE = 'inapp-consent-receipts';
const HEAD = 'head';
const LEASE = 'lease';
// Array keys sort element-wise, so a plain read returns receipts in write order (§4.1).
const key = (entry: OutboxEntry) => ['receipt', entry.ord];

interface Lease { readonly owner: string; readonly expiresAt: number }
const takeLease = (current: Lease | undefined, owner: string, now: number, ttlMs: number): Lease =>
  current && current.owner !== owner && current.expiresAt > now ? current : { owner, expiresAt: now + ttlMs };

export function createIndexedDbReceiptLog(database = RECEIPT_DATABASE): ReceiptLog {
  const open = lazyStore(database, 'receipts');
  return {
    kind: 'indexeddb',
    head: async () => (await get<LogHead>(HEAD, open())) ?? EMPTY_HEAD,
    // Compare and write in one transaction: a head that moved since it was read writes nothing.
    append: async (entry, head) =>
      readThenWrite(open(), HEAD, (current, objects) => {
        if (((current as LogHead | undefined)?.ord ?? 0) !== entry.ord - 1) throw new StaleHead();
        objects.put(entry, key(entry));
        objects.put(head, HEAD);
      }),
    list: async () => (await readAll(open())).filter(([name]) => Array.isArray(name)).map(([, value]) => value as OutboxEntry),
    put: async (entries) => setMany(entries.map((entry) => [key(entry), entry]), open()),
    async lease(owner, now, ttlMs) {
      // update() is one readwrite transaction: two contexts cannot both take a free lease.
      await update<Lease>(LEASE, (current) => takeLease(current, owner, now, ttlMs), open());
      return (await get<Lease>(LEASE, open()))?.owner === owner;
    },
  };
}

/** The same log in memory: storage `memory`, or the fallback when IndexedDB fails. */
export function createMemoryReceiptLog(initial: LogHead = EMPTY_HEAD): ReceiptLog {
  let head = initial;
  let lease: Lease | undefined;
  const records = new Map<number, OutboxEntry>();
  return {
    kind: 'memory',
    head: async () => head,
    async append(entry, next) {
      if (head.ord !== entry.ord - 1) throw new StaleHead();
      records.set(entry.ord, entry);
      head = next;
    },
    list: async () => [...records.values()].sort((a, b) => a.ord - b.ord),
    async put(entries) {
      for (const entry of entries) records.set(entry.ord, entry);
    },
    async lease(owner, now, ttlMs) {
      lease = takeLease(lease, owner, now, ttlMs);
      return lease.owner === owner;
    },
  };
}
