import type { AtomicStore } from '../core/ports.js';
import type { PreparedPolicy } from '../core/policy-hash.js';
import type { Decisions } from '../core/decision-types.js';
import { createRecord, INSTALL_ID_KEY, readRecord, recordKey, type Unreceipted } from '../core/stored-record.js';
import { adoptStored } from '../storage/merge-record.js';
import { createReceiptService, type ReceiptService, type ReceiptServiceOptions } from '../sync/receipt-service.js';

export interface ReceiptsPartOptions extends ReceiptServiceOptions {
  readonly policyId: string;
  /** The decisions store in use now (it changes: the native mirror, a session kept in memory). */
  readonly store: () => AtomicStore & { readonly degraded?: boolean };
  /**
   * Another instance of this policy (a tab, a webview of the origin) stored decisions: `merge`
   * reads them and gives ours with theirs adopted, by the rules of a save (save-decisions.ts).
   * Run it in the instance's queue, with the decisions it holds then.
   */
  readonly adopt: (merge: (ours: Decisions) => Promise<Decisions>) => void;
}

/** What a receipt is made with besides its stored entry: the instance's view at that moment. */
export interface ReceiptContext {
  readonly policy: PreparedPolicy;
  readonly sub: string;
  readonly policyUrl: string;
  /** Given when `sub` is the install id (no `subject` option): told of the stored one. */
  readonly installId?: ((id: string) => void) | undefined;
}

export interface ReceiptsPart extends Omit<ReceiptService, 'record'> {
  /**
   * Receipts each decision stored without one (the write-ahead `list` just stored, oldest
   * first, which the other instances are told of; by default the stored one, as a start does),
   * then takes those now receipted off the stored list. A decision whose receipt is already in
   * the log (written just before a crash, or by another tab) is not receipted again. Never
   * rejects. Call it in the instance's queue: its read-modify-write of the record must not race
   * a save.
   */
  receipt(list: readonly Unreceipted[] | undefined, context: ReceiptContext): Promise<void>;
}

/** Thrown inside an update to leave the record as it is. */
const UNCHANGED = new Error('unchanged');

/**
 * The lazily loaded receipts part of an instance (a chunk of its own in the ESM builds): the
 * receipt service, plus the write-ahead bookkeeping that ties each stored decision to its
 * receipt (CG-05; issue 4 §4: receipt and outbox entry written in one transaction before any
 * send). A receipt made for an entry from before this session (a crash, a chunk that failed
 * to load) is built with the policy in force now; its notice id, version and hash are the
 * decision's own.
 */
export function createReceiptsPart(options: ReceiptsPartOptions): ReceiptsPart {
  const service = createReceiptService(options);
  const key = recordKey(options.policyId);
  // Tabs and webviews of the origin hear of each other's saves at once (where BroadcastChannel
  // exists: Android WebView 54, iOS 15.4), so none shows a stale state or asks again. Opened
  // with this part, after `ready`: what was saved between the two is adopted at once.
  let channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(key) : undefined;
  if (channel) {
    // Not while storage fails: a read would end the failure episode early (write-back), and the
    // next save merges anyway.
    (channel.onmessage = () => options.adopt(async (ours) => (options.store().degraded ? ours : adoptStored(options.store(), options.policyId, ours))))();
    // Node keeps a process alive while a channel is open (tests, server-side rendering).
    (channel as { unref?: () => void }).unref?.();
  }
  return {
    ...service,
    stop() {
      service.stop();
      channel?.close();
      // A closed channel throws on postMessage.
      channel = undefined;
    },
    async receipt(list, { policy, sub, policyUrl, installId }) {
      const store = options.store();
      // Two tabs opened at once on a fresh origin each make an install id, and the last write
      // wins: sign with the stored one, so every tab's receipts name one pseudonymous subject
      // (the receiver binds a device key to one subject and quarantines the rest). Read while
      // the receipt is being made: only its building awaits it (receipt-service.ts).
      const subject = !installId ? sub : store.get(INSTALL_ID_KEY).then(
        (id: unknown) => (typeof id === 'string' && id && id !== sub ? (installId(id), id) : sub),
        () => sub,
      );
      // A start's pass reads the list, which would end a storage failure episode early (the
      // write-back): then it waits for the next save, whose list includes what is stored.
      if (!list && store.degraded) return;
      const stored = async () => {
        const read = readRecord(await store.get(key));
        return read.kind === 'ok' ? read.record : undefined;
      };
      try {
        if (list) channel?.postMessage(0);
        const done = new Set<unknown>();
        for (const entry of list ?? (await stored())?.unreceipted ?? []) {
          // Entries are not checked when the record is read: a damaged one (storage corruption)
          // fails here, is reported by `record` and stays listed, kept rather than dropped.
          if (await service.record({ event: entry?.event, before: entry?.before, state: { policy, decisions: entry?.after }, sub: subject, policyUrl })) done.add(entry.event.id);
        }
        // Not while storage fails: its next write is a decision's (with the write-back), and
        // the receipts are in the log, so a later save or start takes the entries off.
        if (done.size === 0 || store.degraded) return;
        // The entries now receipted come off the record as it is stored at that moment: in one
        // transaction where the store can, so another tab's save cannot land in between.
        const without = (raw: unknown) => {
          const read = readRecord(raw);
          const listed = read.kind === 'ok' ? read.record.unreceipted : undefined;
          const left = listed?.filter((entry) => !done.has(entry?.event?.id));
          if (read.kind !== 'ok' || !listed || !left || left.length === listed.length) throw UNCHANGED;
          return createRecord(options.policyId, read.record.decisions, read.record.savedAt, left);
        };
        await store.update(key, without).catch((error: unknown) => {
          if (error !== UNCHANGED) throw error;
        });
      } catch {
        // The store reports its own failures; the entries stay listed and the next start finds
        // their receipts in the log.
      }
    },
  };
}
