import { describe, expect, it, vi } from 'vitest';
import { createBridgeClient } from '../../src/bridge/client.js';
import { BOOTSTRAP_GLOBAL, detectTransport } from '../../src/bridge/detect.js';
import type { BridgeTransport, HostScope } from '../../src/bridge/transport.js';
import { androidTransport } from '../../src/bridge/transports/android.js';
import { capacitorTransport } from '../../src/bridge/transports/capacitor.js';
import { cordovaTransport } from '../../src/bridge/transports/cordova.js';
import { reactNativeTransport } from '../../src/bridge/transports/react-native.js';
import { webkitTransport } from '../../src/bridge/transports/webkit.js';
import { response } from './fake-transport.js';

/** A fake `window` with a `document`: both EventTargets, as in a webview. */
function fakeWindow(extra: Record<string, unknown> = {}): HostScope & EventTarget & { document: EventTarget } {
  const window = new EventTarget() as EventTarget & Record<string, unknown>;
  window.document = new EventTarget();
  return Object.assign(window, extra) as never;
}
const message = (data: unknown, init: MessageEventInit = {}) => new MessageEvent('message', { data, ...init });
const idOf = (text: string) => (JSON.parse(text) as { id: string }).id;

/** Drives one request through a fresh client on the transport; the test plays the native end. */
let clients = 0;
async function roundTrip(transport: BridgeTransport) {
  const client = createBridgeClient(transport, { report: (error) => { throw error; }, idPrefix: `p${++clients}` });
  try {
    return await client.request('permission.check', { permission: 'camera' });
  } finally {
    client.close();
  }
}

describe('reactNativeTransport', () => {
  it('is absent unless the host set onMessage (no ReactNativeWebView global)', () => {
    expect(reactNativeTransport(fakeWindow())).toBeUndefined();
  });

  it('posts strings and hears replies on document (Android) and on window (iOS)', async () => {
    const posted: string[] = [];
    const window = fakeWindow();
    window.ReactNativeWebView = { postMessage: (text: string) => posted.push(text) };
    const transport = reactNativeTransport(window)!;
    const android = roundTrip(transport);
    window.document.dispatchEvent(message(response(idOf(posted[0]!), { result: 'from document' })));
    await expect(android).resolves.toBe('from document');
    const ios = roundTrip(transport);
    window.dispatchEvent(message(response(idOf(posted[1]!), { result: 'from window' })));
    await expect(ios).resolves.toBe('from window');
  });

  it('delivers one event once even when it reaches both listeners, and ignores other frames', () => {
    const window = fakeWindow({ ReactNativeWebView: { postMessage: () => undefined } });
    const seen: unknown[] = [];
    const stop = reactNativeTransport(window)!.listen((raw) => seen.push(raw));
    const event = message('once');
    window.document.dispatchEvent(event);
    window.dispatchEvent(event); // the same event object, as bubbling delivers it
    window.dispatchEvent(message('from an iframe', { source: new MessageChannel().port1 }));
    window.dispatchEvent(message('self-posted', { source: null }));
    stop();
    window.dispatchEvent(message('after stop'));
    expect(seen).toEqual(['once', 'self-posted']);
  });
});

describe('webkitTransport', () => {
  it('uses a reply handler when postMessage returns a promise (iOS 14+)', async () => {
    const handler = { postMessage: vi.fn((text: string) => Promise.resolve(response(idOf(text), { result: 'replied' }))) };
    const window = fakeWindow({ webkit: { messageHandlers: { inappConsent: handler } } });
    await expect(roundTrip(webkitTransport(window)!)).resolves.toBe('replied');
    expect(typeof handler.postMessage.mock.calls[0]?.[0]).toBe('string');
  });

  it('hears evaluateJavaScript replies on window when the handler has no reply', async () => {
    const posted: string[] = [];
    const window = fakeWindow({ webkit: { messageHandlers: { inappConsent: { postMessage: (text: string) => void posted.push(text) } } } });
    const pending = roundTrip(webkitTransport(window)!);
    window.dispatchEvent(message(response(idOf(posted[0]!), { result: 'pushed' })));
    await expect(pending).resolves.toBe('pushed');
  });

  it('looks for the handler name it is given', () => {
    const window = fakeWindow({ webkit: { messageHandlers: { custom: { postMessage: () => undefined } } } });
    expect(webkitTransport(window)).toBeUndefined();
    expect(webkitTransport(window, 'custom')?.name).toBe('webkit');
  });
});

describe('androidTransport', () => {
  it('talks to an addWebMessageListener object through its own message events', async () => {
    const channel = new EventTarget() as EventTarget & { postMessage?: (text: string) => void };
    channel.postMessage = (text) => queueMicrotask(() => channel.dispatchEvent(message(response(idOf(text), { result: 'proxy reply' }))));
    const window = fakeWindow({ inappConsent: channel });
    await expect(roundTrip(androidTransport(window)!)).resolves.toBe('proxy reply');
  });

  it('takes a legacy JavascriptInterface reply returned directly as a string', async () => {
    const window = fakeWindow({ inappConsent: { postMessage: (text: string) => response(idOf(text), { result: 'returned' }) } });
    await expect(roundTrip(androidTransport(window)!)).resolves.toBe('returned');
  });

  it('hears a legacy interface answering later through evaluateJavascript on document', async () => {
    const posted: string[] = [];
    const window = fakeWindow({ inappConsent: { postMessage: (text: string) => void posted.push(text) } });
    const pending = roundTrip(androidTransport(window)!);
    window.document.dispatchEvent(message(response(idOf(posted[0]!), { result: 'evaluated' })));
    await expect(pending).resolves.toBe('evaluated');
  });
});

describe('capacitorTransport', () => {
  const capacitor = (native: boolean) => {
    const listeners: ((event: { message?: unknown }) => void)[] = [];
    const removed = vi.fn();
    const plugin = {
      postMessage: async ({ message: text }: { message: string }) => ({ message: response(idOf(text), { result: 'plugin reply' }) }),
      addListener: async (_event: 'message', listener: (event: { message?: unknown }) => void) => {
        listeners.push(listener);
        return { remove: removed };
      },
    };
    const Capacitor = { isNativePlatform: () => native, isPluginAvailable: (name: string) => name === 'ConsentBridge', registerPlugin: () => plugin };
    return { window: fakeWindow({ Capacitor }), listeners, removed };
  };

  it('calls the ConsentBridge plugin and reads the resolved reply', async () => {
    await expect(roundTrip(capacitorTransport(capacitor(true).window)!)).resolves.toBe('plugin reply');
  });

  it('hears plugin events and removes its listener on stop', async () => {
    const { window, listeners, removed } = capacitor(true);
    const seen: unknown[] = [];
    const stop = capacitorTransport(window)!.listen((raw) => seen.push(raw));
    await Promise.resolve();
    listeners[0]?.({ message: 'evt' });
    stop();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['evt']);
    expect(removed).toHaveBeenCalledOnce();
  });

  it('is absent on the web platform or without the plugin', () => {
    expect(capacitorTransport(capacitor(false).window)).toBeUndefined();
    expect(capacitorTransport(capacitor(true).window, 'Other')).toBeUndefined();
  });
});

describe('cordovaTransport', () => {
  it('waits for deviceready, then execs postMessage and keeps a listen callback', async () => {
    const calls: string[] = [];
    const kept: ((value: unknown) => void)[] = [];
    const exec = (ok: (value: unknown) => void, _fail: unknown, service: string, action: string, args: unknown[]) => {
      calls.push(`${service}.${action}`);
      if (action === 'postMessage') ok(response(idOf(args[0] as string), { result: 'exec reply' }));
      if (action === 'listen') kept.push(ok);
    };
    const window = fakeWindow({ cordova: { exec } });
    const transport = cordovaTransport(window)!;
    const seen: unknown[] = [];
    transport.listen((raw) => seen.push(raw));
    const pending = roundTrip(transport);
    await Promise.resolve();
    expect(calls).toEqual([]);
    window.document.dispatchEvent(new Event('deviceready'));
    await expect(pending).resolves.toBe('exec reply');
    for (const callback of kept) callback('native event'); // the closed client's callback stays quiet
    // One kept `listen` callback per listener (the test's and the client's), then the request.
    expect(calls).toEqual(['ConsentBridge.listen', 'ConsentBridge.listen', 'ConsentBridge.postMessage']);
    expect(seen).toEqual(['native event']);
  });

  it('fails the request when exec calls its error callback', async () => {
    const window = fakeWindow({ cordova: { exec: (_ok: unknown, fail: (error: unknown) => void) => fail('Class not found') } });
    const pending = roundTrip(cordovaTransport(window)!);
    window.document.dispatchEvent(new Event('deviceready'));
    await expect(pending).rejects.toMatchObject({ code: 'bridge-failed', message: expect.stringContaining('Class not found') });
  });
});

describe('detectTransport', () => {
  it('finds nothing in a plain browser', () => {
    expect(detectTransport(fakeWindow())).toBeUndefined();
  });

  it('probes React Native, WKWebView, Android, Capacitor, Cordova in that order', () => {
    const all = fakeWindow({
      ReactNativeWebView: { postMessage: () => undefined },
      webkit: { messageHandlers: { inappConsent: { postMessage: () => undefined } } },
      inappConsent: { postMessage: () => undefined },
      cordova: { exec: () => undefined },
    });
    expect(detectTransport(all)?.name).toBe('react-native');
    delete all.ReactNativeWebView;
    expect(detectTransport(all)?.name).toBe('webkit');
    delete all.webkit;
    expect(detectTransport(all)?.name).toBe('android');
    delete all.inappConsent;
    expect(detectTransport(all)?.name).toBe('cordova');
  });

  it('takes the host at its word when it injected a bootstrap object, with a custom handler name', () => {
    const window = fakeWindow({
      ReactNativeWebView: { postMessage: () => undefined },
      consentBridge: { postMessage: () => undefined },
      [BOOTSTRAP_GLOBAL]: { ns: 'consent', v: 1, transport: 'android', name: 'consentBridge' },
    });
    expect(detectTransport(window)?.name).toBe('android');
  });
});
