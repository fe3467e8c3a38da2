// `inapp-consent`: everything in `inapp-consent/headless`, plus the widget once it lands
// (the UI issue adds its exports here; preact stays external in this build).
export * from './headless.js';
