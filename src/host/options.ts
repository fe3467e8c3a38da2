import { ConsentError, type Problem } from '../core/errors.js';
import type { Clock, KeyValueStore } from '../core/ports.js';
import type { HostSigner } from '../core/receipt-types.js';
import type { BridgeOption } from '../bridge/connect.js';
import type { RationalePrompt } from '../permissions/types.js';

/** Options for `createConsent`. */
export interface ConsentOptions {
  /** The policy document (see the JSON Schema in `schema/policy.schema.json`). */
  readonly policy: unknown;
  /**
   * Where receipts are POSTed (see docs/receiving-receipts.md). Nothing is sent before a
   * decision (FL-01); without an endpoint receipts are still made and kept on the device.
   */
  readonly endpoint?: string;
  /** The receipts' `iss`: the host app's id (bundle id, package name). Default: the page origin. */
  readonly iss?: string;
  /** Signs receipts where the device key cannot (§2.6), or always with `use: 'always'`. */
  readonly signer?: HostSigner;
  /** The fetch receipts are sent with (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Subscribes to the native app's resume (the bridge's `app.resume`): the outbox flushes then. */
  readonly resumeSignal?: (listener: () => void) => () => void;
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
  /**
   * The native bridge (docs/bridge.md): `'auto'` (default) finds the host's transport,
   * `'none'` uses web APIs only, or pass a transport object, or `{ transport, timeouts }`.
   */
  readonly bridge?: BridgeOption;
  /**
   * The rationale prompt shown before each OS permission dialog (PP-02). The widget build
   * supplies its own; headless hosts pass one to use `requestPermission`.
   */
  readonly rationale?: RationalePrompt;
}

const KNOWN = new Set(['policy', 'endpoint', 'subject', 'locale', 'storage', 'now', 'iss', 'signer', 'fetch', 'resumeSignal', 'bridge', 'rationale']);

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
  if (given.iss !== undefined) expect(typeof given.iss === 'string' && given.iss.length > 0, 'iss', 'expected a non-empty string');
  if (given.signer !== undefined) {
    const signer = given.signer as Record<string, unknown> | null;
    expect(typeof signer?.publicKey === 'function' && typeof signer.sign === 'function', 'signer', 'expected an object with publicKey() and sign(data)');
  }
  for (const name of ['fetch', 'resumeSignal']) if (given[name] !== undefined) expect(typeof given[name] === 'function', name, 'expected a function');
  if (given.bridge !== undefined) {
    const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
    const isTransport = (value: unknown) => isObject(value) && typeof value.send === 'function' && typeof value.listen === 'function';
    const isChoice = (value: unknown) => value === 'auto' || value === 'none' || isTransport(value);
    const { bridge } = given;
    const ok = isChoice(bridge) || (isObject(bridge) && !('send' in bridge) && (bridge.transport === undefined || isChoice(bridge.transport)) && (bridge.timeouts === undefined || isObject(bridge.timeouts)));
    expect(ok, 'bridge', 'expected "auto", "none", a transport ({ name, send, listen }) or { transport, timeouts }');
  }
  if (given.rationale !== undefined) expect(typeof given.rationale === 'function', 'rationale', 'expected a function (permission, context) => Promise<"continue" | "not_now">');
  if (given.now !== undefined) expect(typeof given.now === 'function', 'now', 'expected a function returning milliseconds since the epoch');

  if (problems.length > 0) {
    const lines = problems.map((problem) => `options.${problem.path}: ${problem.message}`).join('\n');
    throw new ConsentError('invalid-options', `inapp-consent: invalid options:\n${lines}`, { problems });
  }
  return given as unknown as ConsentOptions;
}
