// The script-tag entry (dist/inapp-consent.iife.js, global `InAppConsent`): the only module
// allowed to act on load. With `data-policy` on its <script> it starts on its own (DESIGN.md).
import { ConsentError } from './core/errors.js';
import { createConsent } from './ui/create-consent.js';
import type { ConsentUi, UiConsentOptions } from './ui/types.js';

import { validatePolicy } from './core/policy-validate.js';

export { createConsent as create, ConsentError, validatePolicy };

/** The instance started from `data-policy`, once its policy is loaded. */
export let instance: ConsentUi | undefined;

const report = (error: ConsentError, script?: Element | null) => {
  window.dispatchEvent(new CustomEvent('inappconsent:error', { detail: error }));
  script?.dispatchEvent(new CustomEvent('error', { detail: error }));
};

const notJson = (source: string) => (cause: unknown) => {
  throw new ConsentError('invalid-policy', `inapp-consent: ${source} is not JSON`, { cause });
};

/**
 * `data-policy="#id"` reads the policy from the page, from `<script type="application/json"
 * id="id">`: no request. A page loaded from file:// in Android's WebView cannot fetch() a file
 * beside it, and a fetched body of 118 kB reached the page ~50 ms after it had arrived, at 4×
 * CPU (bench/size-steps.md). Any other value is a URL, fetched.
 */
async function readPolicy(source: string): Promise<unknown> {
  if (source[0] === '#') {
    const element = document.getElementById(source.slice(1));
    if (!(element instanceof HTMLScriptElement) || element.type !== 'application/json') {
      throw new ConsentError('invalid-policy', `inapp-consent: data-policy="${source}" names no <script type="application/json"> element (a script without defer runs before the rest of the page exists)`);
    }
    return Promise.resolve(element.textContent ?? '').then(JSON.parse).catch(notJson(source));
  }
  const response = await fetch(new URL(source, document.baseURI), { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json().catch(notJson(source));
}

/**
 * `<script src="inapp-consent.iife.js" data-policy="policy.json" data-endpoint="…" defer>`:
 * fetches the policy, restores stored decisions and shows the first-launch dialog when one is
 * needed. A policy that cannot be loaded or fails validation shows nothing: the host gets a
 * console error listing every problem, and an `inappconsent:error` event on window (and an
 * `error` event on the script element) whose `detail` is the ConsentError with its `problems`.
 */
async function start(script: HTMLScriptElement | null): Promise<ConsentUi | undefined> {
  const data = script?.dataset ?? {};
  if (!data.policy) return undefined;
  try {
    const policy = await readPolicy(data.policy);
    const options: UiConsentOptions = {
      policy,
      ...(data.endpoint ? { endpoint: data.endpoint } : {}),
      ...(data.locale ? { locale: data.locale } : {}),
      ...(data.theme ? { theme: data.theme as NonNullable<UiConsentOptions['theme']> } : {}),
      // A page that allows scripts by nonce gets the fallback <style> with the same nonce.
      ...(script?.nonce ? { styleNonce: script.nonce } : {}),
    };
    instance = createConsent(options);
    instance.on('error', (error) => report(error));
    void instance.showFirstLaunch();
    await instance.ready;
    return instance;
  } catch (cause) {
    const error = cause instanceof ConsentError ? cause : new ConsentError('invalid-policy', `inapp-consent: could not load the policy from ${data.policy} (${String(cause)})`, { cause });
    console.error(error.message);
    report(error, script);
    return undefined;
  }
}

/**
 * Settles with the auto-started instance once its stored decisions are restored, or with
 * undefined without `data-policy` or on failure.
 */
export const ready: Promise<ConsentUi | undefined> = start(typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null));

// The global is set here as well as by rollup's `output.name`: a minifier run with
// `module: true` drops the IIFE's top-level `var InAppConsent` as unused, and the page then
// has no API at all. `instance` is a getter, so it reads the instance once it exists.
(globalThis as { InAppConsent?: unknown }).InAppConsent = {
  create: createConsent,
  ConsentError,
  validatePolicy,
  ready,
  get instance() {
    return instance;
  },
};
