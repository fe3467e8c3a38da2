import { ConsentError } from '../core/errors.js';
import { createConsent as createHeadless } from '../host/create-consent.js';
import type { ConsentInstance } from '../host/instance.js';
import type { RationalePrompt } from '../permissions/types.js';
import { createFlows } from './flows.js';
import { mountWidget, type MountedWidget } from './mount.js';
import { pickLocale, pickStrings } from './strings.js';
import type { ConsentUi, UiConsentOptions, WidgetContext, WidgetOptions } from './types.js';
import { createViewStack, type ViewStack } from './view-stack.js';

const THEMES = ['auto', 'light', 'dark', 'high-contrast'];

/**
 * Creates a consent instance with its widget: the headless instance (same options, same
 * validation, same errors) plus one call per surface, and the widget's rationale prompt in
 * front of every `requestPermission` (PP-02). Nothing touches the DOM until a surface first
 * opens, so a returning user whose decisions are stored never builds the widget.
 *
 * @throws ConsentError `invalid-options` or `invalid-policy`, as the headless `createConsent`.
 * @example
 * const consent = createConsent({ policy, endpoint: 'https://app.example/consent/receipts' });
 * await consent.showFirstLaunch();             // shows only what needs deciding
 * settingsButton.onclick = () => consent.openPrivacyCenter();
 * if (await consent.requestSeparateConsent('face_consent')) startFaceCheck();
 */
export function createConsent(options: UiConsentOptions): ConsentUi {
  // The headless options refuse unknown keys, so the widget's own are taken out first.
  const { theme, strings, styleNonce, styleElement, container, ...headless } = options;
  let prompt: RationalePrompt | undefined;
  const instance = createHeadless({ ...headless, rationale: headless.rationale ?? ((permission, context) => prompt!(permission, context)) });
  const widget = attachWidget(instance, { ...options }); // a copy, as the options are now; the widget reads its own
  prompt = widget.rationale;
  return widget.consent;
}

/**
 * @internal Adds the widget to a headless instance. `mount` renders it (a shadow root by
 * default; tests pass @testing-library/preact's render).
 */
export function attachWidget(
  instance: ConsentInstance,
  options: WidgetOptions,
  mount: (ctx: WidgetContext, stack: ViewStack) => MountedWidget = (ctx, stack) => mountWidget(ctx, stack, options),
): { consent: ConsentUi; rationale: RationalePrompt } {
  if (options.theme !== undefined && !THEMES.includes(options.theme)) {
    throw new ConsentError('invalid-options', `inapp-consent: invalid options:\noptions.theme: expected one of ${THEMES.join(', ')}`);
  }
  const consent = instance as ConsentUi;
  const locale = pickLocale(options.locale);
  let widget: MountedWidget | undefined;
  const stack = createViewStack(() => {
    widget ??= mount({ consent, strings: pickStrings(locale, options.strings), locale, flows }, stack);
  });
  const flows = createFlows(consent, stack);
  const destroy = instance.destroy;
  Object.assign(consent, {
    showFirstLaunch: flows.firstLaunch,
    showPolicySummary: () => stack.show({ kind: 'summary' }),
    openPrivacyCenter: () => stack.show({ kind: 'center' }),
    requestSeparateConsent: flows.separate,
    destroy() {
      widget?.unmount();
      widget = undefined;
      destroy();
    },
  });
  return { consent, rationale: flows.rationale };
}
