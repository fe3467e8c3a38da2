import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_GLOBAL, detectTransport } from '../../src/bridge/detect.js';
import type { HostScope } from '../../src/bridge/transport.js';
import { mayHaveNativeHost, nativeMayHold } from '../../src/host/native-hint.js';

const post = { postMessage: () => undefined };
/** One scope per way a native host makes itself known (the transports of bridge/detect.ts). */
const HOSTS: Record<string, Record<string, unknown>> = {
  'react-native': { ReactNativeWebView: post },
  webkit: { webkit: { messageHandlers: { inappConsent: post } } },
  android: { inappConsent: post },
  capacitor: { Capacitor: { isNativePlatform: () => true, Plugins: { ConsentBridge: { postMessage: async () => ({}), addListener: () => ({ remove: () => undefined }) } } } },
  cordova: { cordova: { exec: () => undefined } },
  'bootstrap with a handler name of its own': { consentBridge: post, [BOOTSTRAP_GLOBAL]: { ns: 'consent', v: 1, transport: 'android', name: 'consentBridge' } },
};

const scope = (globals: Record<string, unknown>) => Object.assign(new EventTarget(), { document: new EventTarget() }, globals) as unknown as HostScope;

describe('mayHaveNativeHost: a first launch waits for a native copy of the decisions only where one can exist', () => {
  it('is false in a plain browser, where no transport is detected', () => {
    expect(detectTransport(scope({}))).toBeUndefined();
    expect(mayHaveNativeHost(scope({}))).toBe(false);
  });

  it.each(Object.entries(HOSTS))('is true wherever a transport is detected: %s', (_, globals) => {
    const host = scope(globals);
    // The scope must be one detectTransport recognises, or the case proves nothing.
    expect(detectTransport(host)).toBeDefined();
    expect(mayHaveNativeHost(host)).toBe(true);
  });
});

describe('nativeMayHold: by the bridge option', () => {
  const transport = { name: 'test', send: async () => '', listen: () => () => undefined };
  it('never with "none"; always with a transport of the host\'s own; otherwise where a native host\'s globals are', () => {
    expect(nativeMayHold('none')).toBe(false);
    expect(nativeMayHold({ transport: 'none', timeouts: {} })).toBe(false);
    expect(nativeMayHold(transport)).toBe(true);
    expect(nativeMayHold({ transport })).toBe(true);
    // Node has none of a webview's globals.
    for (const option of [undefined, 'auto', { transport: 'auto' }, { timeouts: { hello: 100 } }] as const) expect(nativeMayHold(option)).toBe(false);
  });
});
