import { canonicalJson } from './canonical-json.js';
import type { PolicyDocument, Purpose, SeparateConsent } from './policy-types.js';
import { sha256Hex } from './sha256.js';

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

/** Hashes a validated policy document (canonical JSON, SHA-256, lowercase hex). */
export function preparePolicy(document: PolicyDocument): PreparedPolicy {
  const { sourceNotes: _notes, $schema: _schema, ...shown } = document;
  const hash = (content: unknown) => sha256Hex(canonicalJson(content));
  const hashAll = <T extends { id: string }>(list: readonly T[], content: (entry: T) => unknown) =>
    Object.fromEntries(list.map((entry) => [entry.id, hash(content(entry))]));
  return {
    document,
    hashes: {
      policy: hash(shown),
      purposes: hashAll(document.purposes, (purpose) => purposeContent(document, purpose)),
      separateConsents: hashAll(document.separateConsents, (consent) => separateConsentContent(document, consent)),
    },
    purposes: new Map(document.purposes.map((purpose) => [purpose.id, purpose])),
    separateConsents: new Map(document.separateConsents.map((consent) => [consent.id, consent])),
  };
}
