// vanilla-cookieconsent 3.1.0: box modal, two categories (necessary + analytics).
// hideFromBots:false, or the dialog never shows under automation (navigator.webdriver is set):
// see reference/web-consent-anchors.md §2d′.
window.__benchRun = CookieConsent.run({
  hideFromBots: false,
  guiOptions: { consentModal: { layout: 'box', position: 'bottom right' }, preferencesModal: { layout: 'box' } },
  categories: { necessary: { enabled: true, readOnly: true }, analytics: {} },
  language: {
    default: 'en',
    translations: {
      en: {
        consentModal: {
          title: 'We use cookies',
          description: 'We use necessary cookies to run the app and, with your consent, analytics cookies to improve it.',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          showPreferencesBtn: 'Manage preferences',
        },
        preferencesModal: {
          title: 'Cookie preferences',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          savePreferencesBtn: 'Save preferences',
          sections: [
            { title: 'Strictly necessary', description: 'Needed for the app to work.', linkedCategory: 'necessary' },
            { title: 'Analytics', description: 'Helps us improve the app.', linkedCategory: 'analytics' },
          ],
        },
      },
    },
  },
});
