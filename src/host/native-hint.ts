import { readBridgeOption, type BridgeOption } from '../bridge/option.js';

/**
 * Whether a native host may be there at all: one of the globals a transport is detected by
 * (bridge/detect.ts: the bootstrap hint, react-native-webview, a WKWebView handler, an Android
 * interface, Capacitor, Cordova). Checked without loading the bridge, at the moment the bridge
 * would detect its transport. When none is there, a first launch does not wait for the bridge
 * to ask a native copy of the decisions that cannot exist (~40 ms at 4× CPU before the dialog,
 * bench/size-steps.md). A name here that matches no transport only costs that wait.
 */
const NATIVE_GLOBALS = ['inappConsentBootstrap', 'ReactNativeWebView', 'webkit', 'inappConsent', 'Capacitor', 'cordova'];

export const mayHaveNativeHost = (scope: object = globalThis): boolean =>
  NATIVE_GLOBALS.some((name) => (scope as Record<string, unknown>)[name] !== undefined);

/**
 * Whether the native side may hold this webview's decisions, by the `bridge` option: never with
 * `'none'`; always with a transport the host passed itself; otherwise where a native host's
 * globals are present.
 */
export function nativeMayHold(bridge: BridgeOption | undefined): boolean {
  const { transport } = readBridgeOption(bridge);
  return transport === 'none' ? false : transport !== 'auto' || mayHaveNativeHost();
}
