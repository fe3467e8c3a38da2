import { ConsentError, type Problem } from '../core/errors.js';
import type { Clock, KeyValueStore } from '../core/ports.js';

/** Options for `createConsent`. */
export interface ConsentOptions {
  /** The policy document (see the JSON Schema in `schema/policy.schema.json`). */
  readonly policy: unknown;
  /** Where receipts will be sent (https URL). Nothing is sent before a decision (FL-01). */
  readonly endpoint?: string;
  /**
   * A pseudonymous subject id, e.g. a hash of the host's user id. Without it a random install
   * id is generated and stored (SD-01: no device identifiers are read).
   */
  readonly subject?: string;
  /** UI language; defaults to the policy's locale. */
  readonly locale?: string;
  /** Where decisions are kept: IndexedDB (default), memory, or a store of the host's. */
  readonly storage?: 'indexeddb' | 'memory' | KeyValueStore;
  /** The clock, for tests and hosts with a trusted time source. */
  readonly now?: Clock;
}

const KNOWN = new Set(['policy', 'endpoint', 'subject', 'locale', 'storage', 'now']);

const isStore = (value: unknown): value is KeyValueStore =>
  typeof value === 'object' && value !== null && ['get', 'set', 'del'].every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

/**
 * Checks every option and throws one `ConsentError('invalid-options')` naming each bad option
 * and what was expected. The policy itself is validated separately (`invalid-policy`).
 */
export function checkOptions(options: unknown): ConsentOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConsentError('invalid-options', 'inapp-consent: createConsent(options) expected an options object');
  }
  const given = options as Record<string, unknown>;
  const problems: Problem[] = [];
  const expect = (ok: boolean, path: string, message: string) => ok || problems.push({ path, message });

  for (const key of Object.keys(given)) expect(KNOWN.has(key), key, `is not an option (expected one of ${[...KNOWN].join(', ')})`);
  expect(typeof given.policy === 'object' && given.policy !== null, 'policy', 'expected the policy document as an object');
  if (given.endpoint !== undefined) {
    expect(typeof given.endpoint === 'string' && /^(https?:\/\/|\/)\S*$/.test(given.endpoint), 'endpoint', 'expected an http(s) URL or an absolute path');
  }
  if (given.subject !== undefined) expect(typeof given.subject === 'string' && given.subject.length > 0, 'subject', 'expected a non-empty string');
  if (given.locale !== undefined) expect(typeof given.locale === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(given.locale), 'locale', 'expected a language tag such as zh-CN or en');
  if (given.storage !== undefined) {
    expect(given.storage === 'indexeddb' || given.storage === 'memory' || isStore(given.storage), 'storage', 'expected "indexeddb", "memory" or an object with get, set and del');
  }
  if (given.now !== undefined) expect(typeof given.now === 'function', 'now', 'expected a function returning milliseconds since the epoch');

  if (problems.length > 0) {
    const lines = problems.map((problem) => `options.${problem.path}: ${problem.message}`).join('\n');
    throw new ConsentError('invalid-options', `inapp-consent: invalid options:\n${lines}`, { problems });
  }
  return given as unknown as ConsentOptions;
}
