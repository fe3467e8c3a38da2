import { isFunction, type BridgeTransport, type HostScope } from '../transport.js';

type Exec = (success: (value: unknown) => void, failure: (error: unknown) => void, service: string, action: string, args: unknown[]) => void;

/**
 * Cordova: a `ConsentBridge` plugin with two actions, `postMessage` (the success callback
 * carries the reply) and `listen` (a kept callback, `setKeepCallback(true)`, for native events).
 * `exec` may only run after `deviceready`; cordova.js calls late `deviceready` listeners at
 * once, so waiting for it costs nothing once the app is up.
 */
export function cordovaTransport(scope: HostScope, service = 'ConsentBridge'): BridgeTransport | undefined {
  const cordova = scope.cordova as { exec?: Exec } | undefined;
  if (!cordova || !isFunction(cordova.exec)) return undefined;
  const exec = cordova.exec.bind(cordova);
  const document = scope.document as EventTarget | undefined;
  const ready = new Promise<void>((resolve) => {
    if (document && isFunction(document.addEventListener)) document.addEventListener('deviceready', () => resolve(), { once: true });
    else resolve();
  });
  return {
    name: 'cordova',
    send: (text) => ready.then(() => new Promise((resolve, reject) => exec(resolve, (error) => reject(new Error(String(error))), service, 'postMessage', [text]))),
    listen: (receive) => {
      let stopped = false;
      void ready.then(() => stopped || exec((message) => stopped || receive(message), () => undefined, service, 'listen', []));
      return () => {
        stopped = true;
      };
    },
  };
}
