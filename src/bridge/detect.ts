import type { BridgeTransport, HostScope } from './transport.js';
import { androidTransport } from './transports/android.js';
import { capacitorTransport } from './transports/capacitor.js';
import { cordovaTransport } from './transports/cordova.js';
import { reactNativeTransport } from './transports/react-native.js';
import { webkitTransport } from './transports/webkit.js';

/** The global a host may set at document start to name its transport (and handler name). */
export const BOOTSTRAP_GLOBAL = 'inappConsentBootstrap';

export type TransportKind = 'react-native' | 'webkit' | 'android' | 'capacitor' | 'cordova';

const FACTORIES: Readonly<Record<TransportKind, (scope: HostScope, name?: string) => BridgeTransport | undefined>> = {
  'react-native': reactNativeTransport,
  webkit: webkitTransport,
  android: androidTransport,
  capacitor: capacitorTransport,
  cordova: cordovaTransport,
};

/**
 * Finds the host's transport. A host that injected `{ ns: "consent", v: 1, transport, name? }`
 * as `window.inappConsentBootstrap` before page scripts (WKUserScript, Android's
 * addDocumentStartJavaScript, react-native-webview's injectedJavaScriptBeforeContentLoaded) is
 * taken at its word; otherwise the globals are probed in order. Undefined means a plain browser.
 */
export function detectTransport(scope: HostScope = globalThis as unknown as HostScope): BridgeTransport | undefined {
  const hint = scope[BOOTSTRAP_GLOBAL] as { ns?: unknown; transport?: unknown; name?: unknown } | undefined;
  if (hint?.ns === 'consent' && typeof hint.transport === 'string' && hint.transport in FACTORIES) {
    const named = FACTORIES[hint.transport as TransportKind](scope, typeof hint.name === 'string' ? hint.name : undefined);
    if (named) return named;
  }
  for (const factory of Object.values(FACTORIES)) {
    const transport = factory(scope);
    if (transport) return transport;
  }
  return undefined;
}
