import { hashPolicy, type PolicyHashes } from '../core/policy-hash.js';
import type { PolicyDocument } from '../core/policy-types.js';
import { parsePolicy } from '../core/policy-validate.js';

/**
 * A policy already validated and hashed on this device, remembered so that a returning launch
 * does neither again. On a returning user's launch of the 118 kB lakala-pay policy they were
 * ~18 of the ~25 ms of the synchronous `createConsent()` (cold code: bench/size-steps.md).
 *
 * The check that must be synchronous (`createConsent` throws on an invalid policy) compares a
 * fast 64-bit fingerprint of the document's JSON text. That is no proof: before `ready`, the
 * text's SHA-256 (WebCrypto, off the main thread) must equal the one remembered, or the policy
 * is validated and hashed in full after all. Receipts therefore only ever bind hashes computed
 * from the text in use. The instance then works on `JSON.parse(text)`: exactly the JSON that was
 * validated, whatever else the host's object holds (a getter, a Date, a NaN).
 *
 * Kept in localStorage: it is read synchronously; where it is missing or throws (storage off in
 * a WebView, a sandboxed frame) every launch takes the full path, as before.
 */
export interface SeenPolicy {
  /** The document to use; validated now, or (remembered) a copy of one validated earlier. */
  readonly document: PolicyDocument;
  /**
   * The policy's hashes, remembered or computed. Rejects with `invalid-policy` only where the
   * fingerprint matched and the SHA-256 did not (a forged collision) and the text is invalid.
   */
  hashes(digest: (text: string) => Promise<string>): Promise<PolicyHashes>;
  /**
   * Remembers a policy validated and hashed by this launch (its fingerprint, the SHA-256 of its
   * text, its hashes). Called once `ready` and the first dialog are out of the way: on a first
   * launch at 4× CPU, doing it as soon as the hashes were known took the main thread while
   * IndexedDB's first open waited for it.
   */
  remember(): void;
}

interface Remembered {
  readonly v: 1;
  readonly fp: string;
  readonly sha: string;
  readonly hashes: PolicyHashes;
}

const PREFIX = 'inapp-consent/seen-policy/';

// cyrb53's mixing (bryc, public domain), both 32-bit halves kept: a fingerprint, not a proof.
/** @internal Exported for tests (a forged collision). */
export function fingerprint(text: string): string {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${text.length}.${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}`;
}

const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // a sandboxed frame throws on the getter itself
  }
};

function recall(key: string): Remembered | undefined {
  try {
    const entry = JSON.parse(storage()?.getItem(key) ?? 'null') as Remembered | null;
    // Nothing else is checked: a wrong entry fails the SHA-256 comparison before its hashes are used.
    return entry?.v === 1 ? entry : undefined;
  } catch {
    return undefined; // unreadable: the full path, and the entry is written again
  }
}

const jsonText = (value: unknown): string | undefined => {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined; // a cycle or a bigint: not JSON, and validation says where
  }
};

/**
 * Validates `document` (throwing `invalid-policy` as `parsePolicy` does) unless its JSON text was
 * validated at an earlier launch on this device. `remember` is false for a host's own storage or
 * `storage: 'memory'`: nothing is read from or left in localStorage then.
 */
export function seenPolicy(document: unknown, remember: boolean): SeenPolicy {
  const id = remember ? (document as { policy?: { id?: unknown } } | null)?.policy?.id : undefined;
  const key = typeof id === 'string' ? PREFIX + id : undefined;
  const entry = key === undefined ? undefined : recall(key);
  // Only a policy id with an entry is fingerprinted before use: a first launch fingerprints and
  // digests its text after `ready`, off the first dialog's path.
  let text = entry ? jsonText(document) : undefined;
  const remembered = text !== undefined && entry!.fp === fingerprint(text) ? entry : undefined;
  let current = remembered ? (JSON.parse(text!) as PolicyDocument) : parsePolicy(document);
  let unremembered: { text: string; hashes: PolicyHashes; digest: (text: string) => Promise<string> } | undefined;
  return {
    document: current,
    async hashes(digest) {
      if (remembered) {
        const sha = await digest(text!);
        text = undefined; // 118 kB of it need not live as long as the instance
        if (remembered.sha === sha) return remembered.hashes;
        // Remembered by fingerprint alone: validate it now (ready rejects if it is invalid).
        current = parsePolicy(current);
      }
      // The text of what is hashed, taken now: what is remembered must be what was hashed.
      const hashedText = key === undefined ? undefined : jsonText(current);
      const hashes = await hashPolicy(current, digest);
      if (hashedText !== undefined) unremembered = { text: hashedText, hashes, digest };
      return hashes;
    },
    remember() {
      const pending = unremembered;
      unremembered = undefined;
      if (!pending) return;
      void pending.digest(pending.text).then((sha) => {
        storage()?.setItem(key!, JSON.stringify({ v: 1, fp: fingerprint(pending.text), sha, hashes: pending.hashes } satisfies Remembered));
      }).catch(() => {
        // Full or refused: the next launch validates again.
      });
    },
  };
}
