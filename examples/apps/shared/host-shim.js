// Runs before the SDK (a plain, non-deferred script), as a native host's document-start script
// would. Two jobs, both off unless asked for in the URL:
//
// 1. `?reset=1` — a fresh install: deletes this origin's consent databases before the SDK
//    opens them (IndexedDB queues the SDK's open behind the deletes).
// 2. `?gallery=<origin>` inside a frame — the app reports its consent state and a log to the
//    gallery; with `&bridge=sim` the gallery is also its "native host": an Android-style bridge
//    object (`window.inappConsent` with postMessage and message listeners, named by
//    `window.inappConsentBootstrap`) carries the SDK's bridge messages (src/bridge/protocol.ts)
//    to the gallery's native-host simulator (examples/simulator) and back.
//
// Opened on its own, the app has no bridge and the SDK uses the browser's permission APIs.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);

  if (params.has('reset')) {
    ['inapp-consent', 'inapp-consent-keys', 'inapp-consent-receipts'].forEach(function (name) {
      try {
        indexedDB.deleteDatabase(name);
      } catch (error) {
        /* no IndexedDB here: nothing to delete */
      }
    });
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf('inapp-consent') === 0) localStorage.removeItem(key);
      });
    } catch (error) {
      /* storage blocked */
    }
    params.delete('reset');
    var query = params.toString();
    history.replaceState(null, '', location.pathname + (query ? '?' + query : '') + location.hash);
  }

  var gallery = params.get('gallery');
  var galleryOrigin = '';
  try {
    galleryOrigin = gallery ? new URL(gallery).origin : '';
  } catch (error) {
    galleryOrigin = '';
  }
  var framed = window.parent !== window;

  /** What the app reports to the gallery (state for the receipts view, a log line). */
  window.demoHost = {
    framed: framed && galleryOrigin !== '',
    post: function (kind, detail) {
      if (!framed || !galleryOrigin) return;
      window.parent.postMessage({ type: 'inapp-consent-demo', kind: kind, detail: detail }, galleryOrigin);
    },
  };
  if (!framed || !galleryOrigin) return;

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== galleryOrigin) return;
    if (event.data && event.data.type === 'inapp-consent-demo' && event.data.kind === 'reload') location.reload();
  });
  if (params.get('bridge') !== 'sim') return;

  var listeners = [];
  window.addEventListener('message', function (event) {
    // Only the gallery that framed us speaks for the "OS".
    if (event.source !== window.parent || event.origin !== galleryOrigin) return;
    var data = event.data;
    if (!data || typeof data !== 'object') return;
    if (data.type === 'inapp-consent-bridge' && typeof data.text === 'string') {
      listeners.slice().forEach(function (listener) {
        listener({ data: data.text });
      });
    }
  });

  window.inappConsentBootstrap = { ns: 'consent', v: 1, transport: 'android', name: 'inappConsent' };
  window.inappConsent = {
    postMessage: function (text) {
      window.parent.postMessage({ type: 'inapp-consent-bridge', text: String(text) }, galleryOrigin);
    },
    addEventListener: function (type, listener) {
      if (type === 'message' && listeners.indexOf(listener) < 0) listeners.push(listener);
    },
    removeEventListener: function (type, listener) {
      listeners = listeners.filter(function (other) {
        return other !== listener;
      });
    },
  };
})();
