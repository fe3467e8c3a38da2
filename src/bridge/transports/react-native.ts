import { isFunction, listenForMessages, type BridgeTransport, type HostScope } from '../transport.js';

/**
 * react-native-webview (16.x): the page sends with `window.ReactNativeWebView.postMessage`
 * (strings only; the global exists only when the host set an `onMessage` prop), and the host's
 * `ref.postMessage` arrives as a `message` event on `document` (Android) or `window` (iOS).
 * The channel is shared with the host app's own messages, hence the `ns` in every envelope.
 */
export function reactNativeTransport(scope: HostScope): BridgeTransport | undefined {
  const host = scope.ReactNativeWebView as { postMessage?: unknown } | undefined;
  if (!host || !isFunction(host.postMessage)) return undefined;
  const post = host.postMessage as (text: string) => void;
  return {
    name: 'react-native',
    send: (text) => post.call(host, text),
    listen: (receive) => listenForMessages(scope, receive),
  };
}
