import { hashInputs, withHashes, type PolicyHashes, type PreparedPolicy } from './policy-hash.js';
import type { PolicyDocument } from './policy-types.js';
import { sha256Hex } from './sha256.js';

export { hashPolicy, withHashes, type PolicyHashes, type PreparedPolicy } from './policy-hash.js';

function hashPolicySync(document: PolicyDocument): PolicyHashes {
  const inputs = hashInputs(document);
  const all = (list: readonly (readonly [string, string])[]) => Object.fromEntries(list.map(([id, text]) => [id, sha256Hex(text)]));
  return { policy: sha256Hex(inputs.policy), purposes: all(inputs.purposes), separateConsents: all(inputs.separateConsents) };
}

/**
 * A validated policy with its lookups and hashes (canonical JSON, SHA-256, lowercase hex),
 * computed here, synchronously, by the JS SHA-256. `createConsent` hashes with WebCrypto instead.
 */
export function preparePolicy(document: PolicyDocument): PreparedPolicy {
  return withHashes(document, hashPolicySync(document));
}
