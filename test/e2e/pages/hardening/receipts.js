// One consent instance per load, as a host page makes it; ?endpoint=… names the receiver,
// ?helloMs=… gives the bridge's hello that long (a test playing the native side needs time).
// Everything the tests read is on window: the instance, every error event (code and message),
// resume callbacks, and kick()/settled to start a flush without awaiting it (a hung send must
// not block the test, which ends it by moving the page's clock past the SDK's send timeout).
const params = new URLSearchParams(location.search);
window.errors = [];
window.resumed = 0;
window.settled = true;
window.kick = () => {
  window.settled = false;
  consent.flush().then(() => { window.settled = true; });
};
window.started = fetch('/policy.json').then((response) => response.json()).then((policy) => {
  window.consent = InAppConsentTest.createConsent({
    policy,
    iss: 'com.example.hardening',
    ...(params.get('endpoint') ? { endpoint: params.get('endpoint') } : {}),
    ...(params.get('helloMs') ? { bridge: { timeouts: { hello: Number(params.get('helloMs')) } } } : {}),
  });
  consent.on('error', (error) => errors.push({ code: error.code, message: error.message }));
  consent.onResume(() => { window.resumed += 1; });
  return consent.ready;
});
