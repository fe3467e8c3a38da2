import type { Decisions } from '../core/decision-types.js';
import type { KeyValueStore } from '../core/ports.js';
import { createRecord, readRecord, recordKey, type Unreceipted } from '../core/stored-record.js';

export type SaveResult =
  /**
   * `decisions`: what was stored, ours merged with what another writer had stored meanwhile.
   * `unreceipted`: the decisions stored without a receipt yet, theirs and ours (write-ahead).
   */
  | { readonly kind: 'saved'; readonly decisions: Decisions; readonly unreceipted: readonly Unreceipted[] }
  /** A newer SDK wrote the record: it was left untouched. */
  | { readonly kind: 'newer'; readonly version: number };

/**
 * Stores this instance's decisions without clobbering another writer's (another tab or
 * webview of the origin, or a newer SDK): the record is read first and merged three ways with
 * `base`, the decisions this instance last had in common with it. A record of a newer version
 * is never overwritten. The read and the write are two transactions (the native mirror wraps
 * `set`): a write landing between them is overwritten, but its writer still holds it and puts it
 * back at its next save, where its later time wins.
 *
 * `pending` (the events of this change) is written in the same record, so a decision is never
 * stored without what makes its receipt (CG-05). The list is a union by event id: another
 * writer's entries stay until their receipts exist (the receipts part removes them).
 */
export async function saveDecisions(store: KeyValueStore, policyId: string, base: Decisions, ours: Decisions, now: number, pending: readonly Unreceipted[] = []): Promise<SaveResult> {
  const key = recordKey(policyId);
  const read = readRecord(await store.get(key));
  if (read.kind === 'newer') return read;
  const stored = read.kind === 'ok' ? read.record.decisions : undefined;
  // A lone writer finds what it last had: nothing to merge, and no merge code to load.
  const alone = stored === undefined || JSON.stringify(stored) === JSON.stringify(base);
  const decisions = alone ? ours : (await import('./merge-record.js')).mergeDecisions(base, stored, ours);
  // `pending` ids are new (random): the union by id is a concatenation, theirs (older) first.
  const unreceipted = [...(read.kind === 'ok' ? read.record.unreceipted ?? [] : []), ...pending];
  await store.set(key, createRecord(policyId, decisions, now, unreceipted));
  return { kind: 'saved', decisions, unreceipted };
}
