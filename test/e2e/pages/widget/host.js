// The host app's own script: a settings button that opens the privacy center with one call.
// An external file, so the page works under `default-src 'self'`.
document.getElementById('settings').addEventListener('click', async () => {
  const consent = await window.InAppConsent.ready;
  if (consent) await consent.openPrivacyCenter();
});
