import type { DecisionEvent, Decisions } from './decision-types.js';
import type { Problem } from './errors.js';
import { checkShape, number, object, oneOf, optional, record, string } from './shape.js';

/**
 * The stored form of a person's decisions. Versioned so a later SDK can migrate it; an SDK never
 * overwrites a record from a newer version it cannot read (that would lose decisions made there).
 */
export const RECORD_VERSION = 1;
export const recordKey = (policyId: string) => `inapp-consent/v1/decisions/${policyId}`;
export const INSTALL_ID_KEY = 'inapp-consent/v1/install-id';

/**
 * A decision stored before its receipt exists: the write-ahead entry (CG-05; issue 4 §4, "receipt
 * and outbox entry written in one transaction before any send"). It is saved in the same write as
 * the decision, so a crash between that write and the receipt's cannot lose the receipt: what is
 * left here is receipted at the next start. `event.id` becomes the receipt's `jti`, so an entry
 * whose receipt was written just before a crash is recognised in the outbox, never signed twice.
 */
export interface Unreceipted {
  readonly event: DecisionEvent & { readonly id: string };
  readonly before: Decisions;
  readonly after: Decisions;
}

export interface StoredRecord {
  readonly v: typeof RECORD_VERSION;
  readonly policyId: string;
  readonly decisions: Decisions;
  readonly savedAt: number;
  /**
   * Absent when empty (nearly always): such a record reads in SDKs older than the field. Entries
   * are not checked by `readRecord`: a damaged one must not cost the decisions (see
   * host/receipts-part.ts, where it is reported and kept).
   */
  readonly unreceipted?: readonly Unreceipted[];
}

const grant = object({ granted: oneOf([true, false]), hash: string(), at: number() });
const DECISIONS_SHAPE = object({
  basic: object({
    decision: oneOf(['undecided', 'agreed', 'declined']),
    at: optional(number()),
    policyHash: optional(string()),
    policyVersion: optional(string()),
  }),
  purposes: record(grant),
  separateConsents: record(grant),
  permissions: record(object({
    status: oneOf(['granted', 'limited', 'denied', 'blocked', 'unavailable']),
    at: number(),
    refusedAt: optional(number()),
  })),
});
const RECORD_SHAPE = object({
  v: oneOf([RECORD_VERSION]),
  policyId: string({ minLength: 1 }),
  savedAt: number(),
  decisions: DECISIONS_SHAPE,
});

/**
 * Upgrades from each older version to the next. Version 1 is the first shipped format, so the
 * table is empty; a future v2 adds `1: (v1) => v2` here and a test with a stored v1 fixture.
 */
const MIGRATIONS: Readonly<Record<number, (record: Record<string, unknown>) => Record<string, unknown>>> = {};

export type ReadResult =
  | { readonly kind: 'empty' }
  | { readonly kind: 'ok'; readonly record: StoredRecord }
  | { readonly kind: 'newer'; readonly version: number }
  | { readonly kind: 'corrupt'; readonly problems: readonly Problem[] };

/** Reads whatever storage returned, migrating older versions and refusing what it cannot trust. */
export function readRecord(raw: unknown): ReadResult {
  if (raw === undefined || raw === null) return { kind: 'empty' };
  let value = raw as Record<string, unknown>;
  const version = typeof value === 'object' ? value.v : undefined;
  if (typeof version === 'number' && Number.isInteger(version) && version > RECORD_VERSION) return { kind: 'newer', version };
  for (let v = typeof version === 'number' ? version : RECORD_VERSION; v < RECORD_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) return { kind: 'corrupt', problems: [{ path: 'v', message: `no migration from version ${v}` }] };
    value = migrate(value);
  }
  const problems: Problem[] = [];
  // The list is only required to be one: a damaged entry must not cost the decisions (it is
  // reported where its receipt fails to be made, in the lazily loaded receipts part).
  const { unreceipted, ...rest } = value;
  if (unreceipted !== undefined && !Array.isArray(unreceipted)) problems.push({ path: 'unreceipted', message: 'expected an array' });
  checkShape(RECORD_SHAPE, unreceipted === undefined ? value : rest, '', problems);
  return problems.length > 0 ? { kind: 'corrupt', problems } : { kind: 'ok', record: value as unknown as StoredRecord };
}

export function createRecord(policyId: string, decisions: Decisions, savedAt: number, unreceipted: readonly Unreceipted[] = []): StoredRecord {
  return { v: RECORD_VERSION, policyId, decisions, savedAt, ...(unreceipted.length > 0 ? { unreceipted } : {}) };
}
