import type { Decisions } from '../core/decision-types.js';
import type { KeyValueStore } from '../core/ports.js';
import { createRecord, INSTALL_ID_KEY, readRecord, recordKey, type Unreceipted } from '../core/stored-record.js';

/*
 * Several writers: another tab or webview of the same origin shares the decisions record, and
 * may have written it since this instance last read it. Writing our state over it would lose
 * what was decided there ("nothing a user decided is ever lost", CG-05), so every write merges.
 * Pure functions of data; a module of their own, `import()`ed when a decision is saved or a
 * failed store answers again, so the bytes a page loads before `ready` stay as they were.
 */

/** One decision: a grant, a permission record or the basic decision (flat objects of scalars). */
type Entry = { readonly at?: number } | undefined;

// Entries of one writer keep their key order (structured clone), so JSON text compares them.
const same = (a: Entry, b: Entry) => a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));

/**
 * The choice for one decision. If nobody else changed it since `base` (what this writer last had
 * in common with the record), ours stands: a lone writer stays right even when the clock goes
 * back. Otherwise the later decision wins (ties: ours, the writer's), whichever side made it: a
 * decision that another writer's stale copy overwrote comes back with its own, later time.
 */
const later = <T extends Entry>(base: T, stored: T, ours: T): T =>
  stored === undefined || same(stored, base) || same(stored, ours) || (ours !== undefined && (ours.at ?? -Infinity) >= (stored.at ?? -Infinity)) ? ours : stored;

type Part = 'purposes' | 'separateConsents' | 'permissions';

/**
 * The decisions to store when the record holds `stored` and this instance, which last saw
 * `base` there, holds `ours`: both sides' decisions where they do not conflict, the later where
 * they do. Returns `ours` itself when the stored record adds nothing.
 */
export function mergeDecisions(base: Decisions | undefined, stored: Decisions, ours: Decisions): Decisions {
  let changed = false;
  const pick = <T extends Entry>(b: T, s: T, o: T): T => {
    const value = later(b, s, o);
    changed ||= value !== o;
    return value;
  };
  // Own entries only, and fromEntries defines data properties: an id such as "__proto__" stays an id.
  const own = (part: Part, of: Decisions | undefined, id: string): Entry => (of && Object.hasOwn(of[part], id) ? (of[part] as Record<string, Entry>)[id] : undefined);
  const all = (part: Part) => Object.fromEntries(
    [...new Set([...Object.keys(stored[part]), ...Object.keys(ours[part])])]
      .map((id) => [id, pick(own(part, base, id), own(part, stored, id), own(part, ours, id))]),
  );
  const merged = {
    basic: pick(base?.basic, stored.basic, ours.basic) ?? ours.basic,
    purposes: all('purposes'), separateConsents: all('separateConsents'), permissions: all('permissions'),
  } as Decisions;
  return changed ? merged : ours;
}

// Entries are checked where they are used (host/receipts-part.ts): a damaged one must not throw here.
const idOf = (entry: Unreceipted): unknown => (entry as { event?: { id?: unknown } } | null)?.event?.id;

/**
 * The decisions stored without a receipt yet (write-ahead entries), merged: a union by event id,
 * ours first. An entry one side already took off may come back; its receipt is in the log, so it
 * is recognised by its jti and taken off again, never receipted twice (host/receipts-part.ts).
 */
export const mergeUnreceipted = (stored: readonly Unreceipted[], ours: readonly Unreceipted[]): Unreceipted[] =>
  [...ours, ...stored.filter((entry) => !ours.some((mine) => idOf(mine) === idOf(entry)))];

/**
 * What another instance (tab, webview) stored, adopted into `ours` by the same rules as a save:
 * entries only there are taken, and where both hold one, the later decision wins. Returns `ours`
 * itself when the record adds nothing (or cannot be read: a newer SDK's, a damaged one).
 */
export async function adoptStored(store: KeyValueStore, policyId: string, ours: Decisions): Promise<Decisions> {
  const read = readRecord(await store.get(recordKey(policyId)));
  return read.kind === 'ok' ? mergeDecisions(ours, read.record.decisions, ours) : ours;
}

const RECORD_PREFIX = recordKey('');

/**
 * How the storage layer writes back a value kept in memory while the primary store failed,
 * over what the primary holds now (`base`: what it held when last seen). A decisions record is
 * merged, and one from a newer SDK is left alone; the install id already stored stays, so the
 * pseudonym does not change between launches; anything else is ours, the latest.
 */
export function reconcileStored(key: string, onPrimary: unknown, ours: unknown, base: unknown): unknown {
  if (key === INSTALL_ID_KEY) return typeof onPrimary === 'string' && onPrimary !== '' && onPrimary !== base ? onPrimary : ours;
  if (!key.startsWith(RECORD_PREFIX) || key.includes('/', RECORD_PREFIX.length)) return ours;
  const mine = readRecord(ours);
  const stored = readRecord(onPrimary);
  if (stored.kind === 'newer') return onPrimary;
  if (mine.kind !== 'ok' || stored.kind !== 'ok') return ours;
  const seen = readRecord(base);
  const decisions = mergeDecisions(seen.kind === 'ok' ? seen.record.decisions : undefined, stored.record.decisions, mine.record.decisions);
  const unreceipted = mergeUnreceipted(stored.record.unreceipted ?? [], mine.record.unreceipted ?? []);
  return decisions === mine.record.decisions && unreceipted.length === (mine.record.unreceipted?.length ?? 0) ? ours : createRecord(mine.record.policyId, decisions, Math.max(mine.record.savedAt, stored.record.savedAt), unreceipted);
}
