import type { NativeHost } from './native-host.js';

export type SimulatedTransport = 'react-native' | 'webkit' | 'android';

type Scope = Window & typeof globalThis & Record<string, unknown>;

/**
 * Puts the simulated native end behind the same globals a real host injects, so the page runs
 * the SDK's real transport code:
 * - `react-native`: `window.ReactNativeWebView.postMessage`, replies as `message` events on
 *   `document` (react-native-webview on Android);
 * - `webkit`: `window.webkit.messageHandlers.inappConsent` with a reply handler (iOS 14+),
 *   events through `window`;
 * - `android`: a `window.inappConsent` object as `addWebMessageListener` injects it.
 * Replies are asynchronous, as every real bridge is.
 */
export function installSimulator(host: NativeHost, transport: SimulatedTransport = 'react-native', scope: Scope = window as Scope): () => void {
  const dispatch = (target: EventTarget, text: string) => target.dispatchEvent(new MessageEvent('message', { data: text }));
  const later = (text: string, deliver: (reply: string) => void) => {
    void host.handle(text).then((reply) => reply && deliver(reply));
  };

  if (transport === 'react-native') {
    scope.ReactNativeWebView = { postMessage: (text: string) => later(text, (reply) => dispatch(scope.document, reply)) };
    const stop = host.onEmit((text) => dispatch(scope.document, text));
    return () => {
      stop();
      delete scope.ReactNativeWebView;
    };
  }
  if (transport === 'webkit') {
    // A reply handler: postMessage returns a promise of the reply (it never settles on a timeout).
    const handler = { postMessage: (text: string) => host.handle(text).then((reply) => reply ?? new Promise(() => undefined)) };
    scope.webkit = { messageHandlers: { inappConsent: handler } };
    const stop = host.onEmit((text) => dispatch(scope, text));
    return () => {
      stop();
      delete scope.webkit;
    };
  }
  const channel = new EventTarget();
  scope.inappConsent = Object.assign(channel, {
    postMessage: (text: string) => later(text, (reply) => dispatch(channel, reply)),
  });
  const stop = host.onEmit((text) => dispatch(channel, text));
  return () => {
    stop();
    delete scope.inappConsent;
  };
}
