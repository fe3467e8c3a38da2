import { isFunction, type BridgeTransport, type HostScope } from '../transport.js';

interface Plugin {
  postMessage(options: { message: string }): Promise<{ message?: string } | undefined>;
  addListener?(event: 'message', listener: (event: { message?: unknown }) => void): unknown;
}
interface CapacitorGlobal {
  isNativePlatform?: () => boolean;
  isPluginAvailable?: (name: string) => boolean;
  registerPlugin?: (name: string) => unknown;
  Plugins?: Record<string, unknown>;
}

/**
 * Capacitor (3+): a tiny native plugin, `ConsentBridge`, with `postMessage({ message })`
 * resolving `{ message: reply }` and `message` events (`notifyListeners`) for native events.
 * Capacitor already handles call ids, threading and reloads; we only carry strings.
 */
export function capacitorTransport(scope: HostScope, name = 'ConsentBridge'): BridgeTransport | undefined {
  const capacitor = scope.Capacitor as CapacitorGlobal | undefined;
  if (!capacitor || capacitor.isNativePlatform?.() === false) return undefined;
  const available = capacitor.isPluginAvailable?.(name) ?? name in (capacitor.Plugins ?? {});
  if (!available) return undefined;
  const plugin = (capacitor.Plugins?.[name] ?? capacitor.registerPlugin?.(name)) as Plugin | undefined;
  if (!plugin || !isFunction(plugin.postMessage)) return undefined;
  return {
    name: 'capacitor',
    send: (text) => plugin.postMessage({ message: text }).then((reply) => reply?.message),
    listen: (receive) => {
      let stopped = false;
      // addListener returns a handle, or a promise of one since Capacitor 3.
      const handle = Promise.resolve(plugin.addListener?.('message', (event) => stopped || receive(event.message)));
      return () => {
        stopped = true;
        void handle.then((value) => (value as { remove?: () => unknown } | undefined)?.remove?.());
      };
    },
  };
}
