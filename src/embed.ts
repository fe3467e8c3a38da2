// The script-tag entry (dist/inapp-consent.iife.js, global `InAppConsent`): the only module
// allowed to act on load. For now it exposes the API; the widget issue adds the `data-policy`
// auto-start described in DESIGN.md.
export { createConsent as create, ConsentError, validatePolicy } from './headless.js';
