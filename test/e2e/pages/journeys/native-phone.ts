import { installSimulator } from '../../../../examples/simulator/install.js';
import { createNativeHost, type OsStatus, type Script } from '../../../../examples/simulator/native-host.js';

/**
 * The "phone" behind each journey page, injected at document start (as a React Native host's
 * injectedJavaScriptBeforeContentLoaded would be): the native-host simulator behind
 * `window.ReactNativeWebView`, so the script-tag build finds a real transport with its default
 * `bridge: 'auto'`. The test sets `window.journeyPhone = { answers }` just before this runs.
 *
 * What the phone keeps outside the webview (the OS permission table, native storage) is kept
 * under one localStorage key, so a reload meets the same OS answers, as a real phone would.
 */
type Saved = { os?: Record<string, OsStatus>; store?: Record<string, unknown> };
const KEY = 'journeys:phone';
const scope = window as unknown as { journeyPhone?: { answers?: Record<string, Script> }; phone?: unknown };

if (window === window.top && location.protocol.startsWith('http')) {
  let saved: Saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Saved;
  } catch {
    // No storage: a phone that forgets on reload.
  }
  const host = createNativeHost({
    answers: scope.journeyPhone?.answers ?? {},
    ...(saved.os ? { initial: saved.os } : {}),
    ...(saved.store ? { store: saved.store } : {}),
    onPersist: (state) => {
      try {
        localStorage.setItem(KEY, JSON.stringify(state));
      } catch {
        // As above.
      }
    },
  });
  installSimulator(host, 'react-native');
  scope.phone = host;
}
