import { isFunction, listenForMessages, type BridgeTransport, type HostScope } from '../transport.js';

type HostObject = {
  postMessage: (text: string) => unknown;
  addEventListener?: (type: 'message', listener: (event: { data: unknown }) => void) => void;
  removeEventListener?: (type: 'message', listener: (event: { data: unknown }) => void) => void;
};

/**
 * Android WebView, both ways a host can inject `window.<name>`:
 * - `WebViewCompat.addWebMessageListener` (recommended by the Android docs: origin rules, main
 *   frame aware) gives an object with `postMessage` and `message` events that carry the
 *   host's `JavaScriptReplyProxy.postMessage` replies;
 * - the legacy `addJavascriptInterface` gives a plain Java proxy: the host answers by returning
 *   the reply string, or later with `evaluateJavascript` dispatching a `message` event. It is
 *   injected into every frame with no origin check, so the host must check the page URL.
 */
export function androidTransport(scope: HostScope, name = 'inappConsent'): BridgeTransport | undefined {
  const host = scope[name] as HostObject | undefined;
  if (typeof host !== 'object' || host === null || !isFunction(host.postMessage)) return undefined;
  const listenerObject = isFunction(host.addEventListener);
  return {
    name: 'android',
    send: (text) => {
      const reply = host.postMessage(text);
      // A legacy interface may return its answer directly (a Java String).
      return typeof reply === 'string' && reply !== '' ? Promise.resolve(reply) : undefined;
    },
    listen: (receive) => {
      if (!listenerObject) return listenForMessages(scope, receive);
      const onMessage = (event: { data: unknown }) => receive(event.data);
      host.addEventListener?.('message', onMessage);
      return () => host.removeEventListener?.('message', onMessage);
    },
  };
}
