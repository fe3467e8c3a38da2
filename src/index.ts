// `inapp-consent`: everything in `inapp-consent/headless`, with `createConsent` returning an
// instance that also has the widget (preact stays external in this build).
export * from './headless.js';
export { createConsent } from './ui/create-consent.js';
export type { ConsentUi, UiConsentOptions, FirstLaunchOutcome } from './ui/types.js';
export type { Strings } from './ui/strings.js';
