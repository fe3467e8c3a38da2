/**
 * The native end of the inapp-consent bridge for React Native: a drop-in <WebView> that answers
 * the page's permission requests with react-native-permissions and mirrors the consent state
 * into AsyncStorage, so the app can read it before any webview exists (readConsentState).
 *
 * Source only (not built here). Dependencies: react-native-webview ≥ 13,
 * react-native-permissions ≥ 4, @react-native-async-storage/async-storage. Protocol:
 * docs/bridge.md. Status strings pass through unchanged: the SDK uses react-native-permissions'
 * own vocabulary on the wire.
 */
import AsyncStorage from '@react-native-async-storage/async-storage';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { AppState, Platform } from 'react-native';
import { check, openSettings, PERMISSIONS, request, RESULTS, type Permission, type PermissionStatus } from 'react-native-permissions';
import WebView, { type WebViewMessageEvent, type WebViewProps } from 'react-native-webview';

type Kind = 'location' | 'camera' | 'microphone' | 'bluetooth' | 'contacts' | 'photos' | 'storage';

// One SDK permission kind may need several OS permissions (Android 12 Bluetooth: scan + connect).
const OS_PERMISSIONS: Record<Kind, Permission[]> = Platform.OS === 'ios'
  ? {
      location: [PERMISSIONS.IOS.LOCATION_WHEN_IN_USE], camera: [PERMISSIONS.IOS.CAMERA], microphone: [PERMISSIONS.IOS.MICROPHONE],
      bluetooth: [PERMISSIONS.IOS.BLUETOOTH], contacts: [PERMISSIONS.IOS.CONTACTS], photos: [PERMISSIONS.IOS.PHOTO_LIBRARY], storage: [],
    }
  : {
      location: [PERMISSIONS.ANDROID.ACCESS_FINE_LOCATION], camera: [PERMISSIONS.ANDROID.CAMERA], microphone: [PERMISSIONS.ANDROID.RECORD_AUDIO],
      bluetooth: [PERMISSIONS.ANDROID.BLUETOOTH_SCAN, PERMISSIONS.ANDROID.BLUETOOTH_CONNECT], contacts: [PERMISSIONS.ANDROID.READ_CONTACTS],
      photos: [PERMISSIONS.ANDROID.READ_MEDIA_IMAGES], storage: [PERMISSIONS.ANDROID.READ_MEDIA_IMAGES],
    };

// Several OS answers make one: the least permissive wins.
const ORDER: PermissionStatus[] = [RESULTS.UNAVAILABLE, RESULTS.BLOCKED, RESULTS.DENIED, RESULTS.LIMITED, RESULTS.GRANTED];
const worst = (statuses: PermissionStatus[]) => statuses.reduce((a, b) => (ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b), RESULTS.GRANTED);

const storageKey = (policyId: string) => `inapp-consent/native/${policyId}`;

/** What the webview last mirrored (`consent.put`): read it at launch, before any webview. */
export async function readConsentState(policyId: string): Promise<{ state?: { granted: Record<string, boolean>; permissions: Record<string, string> } } | null> {
  const text = await AsyncStorage.getItem(storageKey(policyId));
  return text ? JSON.parse(text) : null;
}

type Params = { permission?: Kind; id?: string; policyId?: string };

async function permissionAnswer(kind: Kind | undefined, ask: boolean) {
  const list = kind ? OS_PERMISSIONS[kind] : undefined;
  if (!list) throw { code: 'E_UNKNOWN_PERMISSION', message: `unknown permission ${kind}` };
  if (list.length === 0) return { status: RESULTS.UNAVAILABLE, canAsk: false, raw: 'no-permission-on-this-platform', source: 'react-native-permissions' };
  const statuses: PermissionStatus[] = [];
  for (const permission of list) statuses.push(ask ? await request(permission) : await check(permission));
  const status = worst(statuses);
  return { status, canAsk: status === RESULTS.DENIED, raw: statuses, source: 'react-native-permissions' };
}

async function answer(method: string, params: Params): Promise<unknown> {
  switch (method) {
    case 'hello':
      return { protocols: [1], platform: Platform.OS, osVersion: String(Platform.Version), appVersion: '1.0.0' };
    case 'permission.check':
      return permissionAnswer(params.permission, false);
    case 'permission.request':
      return permissionAnswer(params.permission, true);
    case 'permission.openSettings':
      await openSettings(); // the answer comes back with app.resume and a re-check
      return { opened: true };
    case 'consent.put':
      await AsyncStorage.setItem(storageKey(String(params.policyId)), JSON.stringify(params));
      return { stored: true };
    case 'consent.get': {
      const text = await AsyncStorage.getItem(storageKey(String(params.policyId)));
      return text ? JSON.parse(text) : null;
    }
    default:
      throw { code: 'E_UNSUPPORTED', message: `${method} is not implemented` };
  }
}

export type ConsentWebViewHandle = { emit(event: string, data?: unknown): void };

/**
 * A WebView that speaks the consent bridge. `allowedOrigin` is checked on every message
 * (the onMessage channel also carries your own messages: they go to `onMessage` untouched).
 */
export const ConsentWebView = forwardRef<ConsentWebViewHandle, WebViewProps & { allowedOrigin: string }>(function ConsentWebView(
  { allowedOrigin, onMessage, ...props },
  ref,
) {
  const webview = useRef<WebView>(null);
  // JSON.stringify for the whole envelope; postMessage carries it as data, never as script.
  const post = (body: Record<string, unknown>) => webview.current?.postMessage(JSON.stringify({ ns: 'consent', v: 1, ...body }));
  const emit = (event: string, data: unknown = {}) => post({ type: 'evt', event, data });
  useImperativeHandle(ref, () => ({ emit }));

  useEffect(() => {
    // Re-check after Settings and after Android's one-time grants lapse (PP-07).
    const subscription = AppState.addEventListener('change', (state) => {
      if (state === 'active') emit('app.resume');
      if (state === 'background') emit('app.background');
    });
    return () => subscription.remove();
  }, []);

  const handle = async (event: WebViewMessageEvent) => {
    let message: { ns?: string; v?: number; type?: string; id?: string; method?: string; params?: Params };
    try {
      message = JSON.parse(event.nativeEvent.data);
    } catch {
      return onMessage?.(event);
    }
    if (message?.ns !== 'consent') return onMessage?.(event);
    // Same origin only: a bare startsWith would let https://app.example.evil.com through.
    const { url } = event.nativeEvent;
    const fromOrigin = url === allowedOrigin || url.startsWith(`${allowedOrigin}/`) || url.startsWith(`${allowedOrigin}?`) || url.startsWith(`${allowedOrigin}#`);
    if (!fromOrigin || message.v !== 1 || message.type !== 'req' || !message.id) return;
    try {
      post({ type: 'res', id: message.id, result: await answer(String(message.method), message.params ?? {}) });
    } catch (error) {
      const { code = 'E_INTERNAL', message: text = String(error) } = error as { code?: string; message?: string };
      post({ type: 'res', id: message.id, error: { code, message: text } });
    }
  };

  return (
    <WebView
      ref={webview}
      {...props}
      originWhitelist={[allowedOrigin]}
      // Names the transport before page scripts run, so detection needs no probing.
      injectedJavaScriptBeforeContentLoaded={'window.inappConsentBootstrap={ns:"consent",v:1,transport:"react-native"};true;'}
      onMessage={(event) => void handle(event)}
    />
  );
});
