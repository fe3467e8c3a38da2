import type { Decisions } from '../core/decision-types.js';
import type { KeyValueStore } from '../core/ports.js';
import { createRecord, readRecord, recordKey } from '../core/stored-record.js';

export type SaveResult =
  /** `decisions`: what was stored, ours merged with what another writer had stored meanwhile. */
  | { readonly kind: 'saved'; readonly decisions: Decisions }
  /** A newer SDK wrote the record: it was left untouched. */
  | { readonly kind: 'newer'; readonly version: number };

/**
 * Stores this instance's decisions without clobbering another writer's (another tab or
 * webview of the origin, or a newer SDK): the record is read first and merged three ways with
 * `base`, the decisions this instance last had in common with it. A record of a newer version
 * is never overwritten. The read and the write are two transactions (the native mirror wraps
 * `set`): a write landing between them is overwritten, but its writer still holds it and puts it
 * back at its next save, where its later time wins.
 */
export async function saveDecisions(store: KeyValueStore, policyId: string, base: Decisions, ours: Decisions, now: number): Promise<SaveResult> {
  const key = recordKey(policyId);
  const read = readRecord(await store.get(key));
  if (read.kind === 'newer') return read;
  const stored = read.kind === 'ok' ? read.record.decisions : undefined;
  // A lone writer finds what it last had: nothing to merge, and no merge code to load.
  const alone = stored === undefined || JSON.stringify(stored) === JSON.stringify(base);
  const decisions = alone ? ours : (await import('./merge-record.js')).mergeDecisions(base, stored, ours);
  await store.set(key, createRecord(policyId, decisions, now));
  return { kind: 'saved', decisions };
}
