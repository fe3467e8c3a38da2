/**
 * One way of carrying bridge strings between the page and the native host. Implementations
 * adapt a host global (see transports/); hosts with something else pass their own object as
 * `createConsent({ bridge })`.
 */
export interface BridgeTransport {
  readonly name: string;
  /**
   * Sends one encoded message. Transports whose native call returns the reply (WKWebView reply
   * handlers, Capacitor, Cordova) return it as a promise; it is read like any incoming message.
   */
  send(text: string): void | Promise<unknown>;
  /** Starts delivering incoming values (strings, or objects on some hosts); returns `stop`. */
  listen(receive: (raw: unknown) => void): () => void;
}

/** The parts of `window` the transports touch, so tests can pass a fake. */
export type HostScope = Record<string, unknown> & {
  addEventListener?: EventTarget['addEventListener'];
  removeEventListener?: EventTarget['removeEventListener'];
  document?: unknown;
};

export const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';

const asTarget = (value: unknown): EventTarget | undefined =>
  typeof value === 'object' && value !== null && isFunction((value as EventTarget).addEventListener) ? (value as EventTarget) : undefined;

/**
 * Listens for `message` events that a native host dispatches with `evaluateJavascript`
 * (`window.dispatchEvent(new MessageEvent('message', { data }))`). react-native-webview
 * dispatches on `document` on Android and on `window` on iOS, so both are watched; one event
 * bubbling from document to window is delivered once. Messages posted by other frames (an ad
 * iframe calling `parent.postMessage`) carry a `source` window and are never ours.
 */
export function listenForMessages(scope: HostScope, receive: (raw: unknown) => void): () => void {
  const targets = [asTarget(scope), asTarget(scope.document)].filter((target): target is EventTarget => target !== undefined);
  const seen = new WeakSet<Event>();
  const onMessage = (event: Event) => {
    if (seen.has(event)) return;
    seen.add(event);
    const { source, data } = event as MessageEvent;
    if (source !== null && source !== undefined && (source as unknown) !== scope) return;
    receive(data);
  };
  for (const target of targets) target.addEventListener('message', onMessage);
  return () => {
    for (const target of targets) target.removeEventListener('message', onMessage);
  };
}
