/**
 * Policy hashing without a SHA-256 of its own: the digest is passed in (WebCrypto in the host,
 * off the main thread), so the start path of the ESM builds does not load the JS one
 * (policy-prepare.ts has the synchronous `preparePolicy`).
 */
import { canonicalJson } from './canonical-json.js';
import type { PolicyDocument, Purpose, SeparateConsent } from './policy-types.js';

/** Content hashes that receipts bind to and that decide what a policy change re-asks. */
export interface PolicyHashes {
  /** The whole document, less `sourceNotes` and `$schema` (audit metadata, not what users read). */
  readonly policy: string;
  readonly purposes: Readonly<Record<string, string>>;
  readonly separateConsents: Readonly<Record<string, string>>;
}

/** A validated policy with its hashes and id lookups, ready for the reducer. */
export interface PreparedPolicy {
  readonly document: PolicyDocument;
  readonly hashes: PolicyHashes;
  readonly purposes: ReadonlyMap<string, Purpose>;
  readonly separateConsents: ReadonlyMap<string, SeparateConsent>;
}

const pick = <T extends { id: string }>(list: readonly T[], wanted: readonly string[] | undefined): T[] =>
  list.filter((entry) => wanted?.includes(entry.id));

/**
 * What a purpose means to the person consenting: its own text plus the data items, recipients
 * and retention rules it points at, resolved. A change to any of them is material for that
 * purpose alone (CG-04, CH-01: PIPL 14 ¶2 asks for new consent when purpose, method or
 * categories change); a change elsewhere in the policy leaves its consent standing.
 */
function purposeContent(policy: PolicyDocument, purpose: Purpose): unknown {
  return {
    purpose,
    items: pick(policy.dataItems, purpose.items),
    recipients: pick(policy.recipients, purpose.recipients),
    retention: pick(policy.retentionRules, purpose.retentionRuleIds),
  };
}

function separateConsentContent(policy: PolicyDocument, consent: SeparateConsent): unknown {
  return {
    consent,
    items: pick(policy.dataItems, consent.items),
    recipients: pick(policy.recipients, consent.recipientId === undefined ? [] : [consent.recipientId]),
  };
}

/**
 * The canonical JSON of everything a hash covers: the policy, and each purpose and separate
 * consent with what it points at. Split from the hashing so the host can digest it with
 * WebCrypto, off the main thread, while `core` stays free of globals.
 */
export function hashInputs(document: PolicyDocument) {
  const { sourceNotes: _notes, $schema: _schema, ...shown } = document;
  return {
    policy: canonicalJson(shown),
    purposes: document.purposes.map((purpose) => [purpose.id, canonicalJson(purposeContent(document, purpose))] as const),
    separateConsents: document.separateConsents.map((consent) => [consent.id, canonicalJson(separateConsentContent(document, consent))] as const),
  };
}

/**
 * The hashes of a validated policy, by `digest` (SHA-256 of UTF-8 text as lowercase hex, which
 * may be asynchronous). Same values as `preparePolicy`'s: only the digest's speed differs.
 */
export async function hashPolicy(document: PolicyDocument, digest: (text: string) => string | Promise<string>): Promise<PolicyHashes> {
  const inputs = hashInputs(document);
  const all = (list: readonly (readonly [string, string])[]) => Promise.all(list.map(async ([id, text]) => [id, await digest(text)] as const)).then(Object.fromEntries);
  const [policy, purposes, separateConsents] = await Promise.all([digest(inputs.policy), all(inputs.purposes), all(inputs.separateConsents)]);
  return { policy, purposes, separateConsents };
}

/** A validated policy with its lookups and the given hashes. */
export function withHashes(document: PolicyDocument, hashes: PolicyHashes): PreparedPolicy {
  return {
    document,
    hashes,
    purposes: new Map(document.purposes.map((purpose) => [purpose.id, purpose])),
    separateConsents: new Map(document.separateConsents.map((consent) => [consent.id, consent])),
  };
}
