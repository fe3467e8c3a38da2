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
    const response = await fetch(new URL(data.policy, document.baseURI), { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const policy: unknown = await response.json().catch((cause: unknown) => {
      throw new ConsentError('invalid-policy', `inapp-consent: ${data.policy} is not JSON`, { cause });
    });
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
