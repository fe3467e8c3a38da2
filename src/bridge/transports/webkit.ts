import { isFunction, listenForMessages, type BridgeTransport, type HostScope } from '../transport.js';

type Handler = { postMessage: (body: unknown) => unknown };

/**
 * iOS WKWebView: `window.webkit.messageHandlers.<name>.postMessage(body)`. A host that
 * registered a WKScriptMessageHandlerWithReply (iOS 14+) answers through the promise that
 * `postMessage` returns; one with a plain WKScriptMessageHandler answers with
 * `evaluateJavaScript`, dispatching a `message` event on `window`. Both work unchanged.
 */
export function webkitTransport(scope: HostScope, name = 'inappConsent'): BridgeTransport | undefined {
  const handlers = (scope.webkit as { messageHandlers?: Record<string, Handler | undefined> } | undefined)?.messageHandlers;
  const handler = handlers?.[name];
  if (!handler || !isFunction(handler.postMessage)) return undefined;
  return {
    name: 'webkit',
    send: (text) => {
      const reply = handler.postMessage(text);
      return reply instanceof Promise || (typeof reply === 'object' && reply !== null && isFunction((reply as Promise<unknown>).then))
        ? (reply as Promise<unknown>)
        : undefined;
    },
    listen: (receive) => listenForMessages(scope, receive),
  };
}
