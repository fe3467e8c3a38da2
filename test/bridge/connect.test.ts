import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectBridge, type BridgeOption } from '../../src/bridge/connect.js';
import type { HostScope } from '../../src/bridge/transport.js';
import type { ConsentError } from '../../src/core/errors.js';

/** A webview `window` whose react-native-webview host records what the page posts. */
function reactNativeWindow() {
  const posted: string[] = [];
  const window = new EventTarget() as EventTarget & Record<string, unknown>;
  window.document = new EventTarget();
  window.ReactNativeWebView = { postMessage: (text: string) => posted.push(text) };
  return { scope: window as unknown as HostScope, posted };
}

describe('connectBridge: which transport', () => {
  afterEach(() => vi.useRealTimers());

  it.each<[string, BridgeOption | undefined]>([['undefined', undefined], ['"auto"', 'auto'], ['{ transport: "auto" }', { transport: 'auto' }], ['{ timeouts } alone', { timeouts: { hello: 9_000 } }]])(
    '%s finds the host\'s transport and says hello',
    (_name, option) => {
      const { scope, posted } = reactNativeWindow();
      const link = connectBridge(option, () => undefined, scope);
      expect(posted.map((text) => (JSON.parse(text) as { method: string }).method)).toEqual(['hello']);
      link.close();
    },
  );

  it('{ timeouts } alone keeps the transport and applies the timeouts (regression: it used to mean no bridge)', async () => {
    vi.useFakeTimers();
    const { scope, posted } = reactNativeWindow();
    const errors: ConsentError[] = [];
    const link = connectBridge({ timeouts: { hello: 9_000 } }, (error) => errors.push(error), scope);
    expect(posted).toHaveLength(1);
    vi.advanceTimersByTime(8_999);
    expect(errors).toEqual([]);
    vi.advanceTimersByTime(1);
    await expect(link.hello).resolves.toBeUndefined(); // web-only mode after the host stayed silent
    expect(errors.map((error) => error.code)).toEqual(['bridge-timeout']);
  });

  it.each<[string, BridgeOption]>([['"none"', 'none'], ['{ transport: "none" }', { transport: 'none', timeouts: { hello: 1 } }]])('%s never talks to the host', async (_name, option) => {
    const { scope, posted } = reactNativeWindow();
    const link = connectBridge(option, () => undefined, scope);
    await expect(link.hello).resolves.toBeUndefined();
    expect(posted).toEqual([]);
  });
});
