import type { Decisions } from '../core/decision-types.js';
import type { AtomicStore } from '../core/ports.js';
import { createRecord, readRecord, recordKey, type Unreceipted } from '../core/stored-record.js';

export type SaveResult =
  /**
   * `decisions`: what was stored, ours merged with what another writer had stored meanwhile.
   * `unreceipted`: the decisions stored without a receipt yet, theirs and ours (write-ahead).
   */
  | { readonly kind: 'saved'; readonly decisions: Decisions; readonly unreceipted: readonly Unreceipted[] }
  /** A newer SDK wrote the record: it was left untouched. */
  | { readonly kind: 'newer'; readonly version: number };

type Merge = (typeof import('./merge-record.js'))['mergeDecisions'];

/** Thrown from inside an update to leave the record unwritten. */
class Unwritten {
  /** `undefined`: another writer's record needs the merge code first. */
  constructor(readonly outcome: SaveResult | undefined) {}
}

/**
 * Stores this instance's decisions without clobbering another writer's (another tab or
 * webview of the origin, or a newer SDK): the record is read and merged three ways with
 * `base`, the decisions this instance last had in common with it, and written, in one
 * `update` (one IndexedDB readwrite transaction: no other writer can land between the read and
 * the write; a host's own store gets a read, then a write, from the resilient store, where a
 * write landing between them is overwritten, but its writer still holds it and puts it back at
 * its next save, where its later time wins). A record of a newer version is never overwritten.
 *
 * `pending` (the events of this change) is written in the same record, so a decision is never
 * stored without what makes its receipt (CG-05). The list is a union by event id: another
 * writer's entries stay until their receipts exist (the receipts part removes them).
 */
export async function saveDecisions(store: AtomicStore, policyId: string, base: Decisions, ours: Decisions, now: number, pending: readonly Unreceipted[] = []): Promise<SaveResult> {
  const key = recordKey(policyId);
  // Runs inside the transaction, so it must not await: the merge code (a lazy chunk) is
  // loaded outside it, and the update run again, only when another writer's record needs it.
  // `undefined`: another writer's record is there and `merge` is not loaded yet.
  const plan = (raw: unknown, merge: Merge | undefined): SaveResult | undefined => {
    const read = readRecord(raw);
    if (read.kind === 'newer') return read;
    const stored = read.kind === 'ok' ? read.record.decisions : undefined;
    // A lone writer finds what it last had: nothing to merge, and no merge code to load.
    const alone = stored === undefined || JSON.stringify(stored) === JSON.stringify(base);
    if (!alone && !merge) return undefined;
    const decisions = alone ? ours : merge!(base, stored, ours);
    // `pending` ids are new (random): the union by id is a concatenation, theirs (older) first.
    return { kind: 'saved', decisions, unreceipted: [...(read.kind === 'ok' ? read.record.unreceipted ?? [] : []), ...pending] };
  };
  let merge: Merge | undefined;
  for (;;) {
    let saved: SaveResult | undefined;
    try {
      await store.update(key, (raw) => {
        const outcome = plan(raw, merge);
        if (outcome?.kind !== 'saved') throw new Unwritten(outcome);
        saved = outcome;
        return createRecord(policyId, outcome.decisions, now, outcome.unreceipted);
      });
      return saved!;
    } catch (error) {
      if (!(error instanceof Unwritten)) throw error;
      if (error.outcome) return error.outcome;
      merge = (await import('./merge-record.js')).mergeDecisions;
    }
  }
}
