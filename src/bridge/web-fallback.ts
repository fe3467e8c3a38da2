import type { PermissionStatus } from '../core/decision-types.js';
import type { Permission } from '../core/policy-types.js';
import type { PermissionAnswer, PermissionDevice } from '../permissions/types.js';

/* The web APIs used, typed loosely: each may be missing in a given webview. */
interface WebNavigator {
  permissions?: { query(descriptor: { name: string }): Promise<{ state: string }> };
  geolocation?: { getCurrentPosition(ok: () => void, fail: (error: { code: number }) => void, options?: object): void };
  mediaDevices?: { getUserMedia(constraints: object): Promise<{ getTracks(): { stop(): void }[] }> };
  bluetooth?: { getAvailability?(): Promise<boolean>; requestDevice(options: object): Promise<unknown> };
  contacts?: { select?: unknown };
}
interface WebScope {
  navigator?: WebNavigator;
  Notification?: { permission: string; requestPermission(): Promise<string> };
}

type Probe = { check(): Promise<PermissionAnswer>; request(): Promise<PermissionAnswer> };

/** The Permissions API's `denied` is permanent (our `blocked`); its `prompt` is our `denied`. */
const STATE: Readonly<Record<string, PermissionStatus>> = { granted: 'granted', prompt: 'denied', default: 'denied', denied: 'blocked' };

const answer = (status: PermissionStatus, raw?: unknown, serviceEnabled?: boolean): PermissionAnswer => ({
  status,
  canAsk: status === 'denied',
  ...(raw === undefined ? {} : { raw }),
  ...(serviceEnabled === undefined ? {} : { serviceEnabled }),
  source: 'web',
});
const unavailable = (raw?: string): Probe => ({ check: async () => answer('unavailable', raw), request: async () => answer('unavailable', raw) });

/**
 * The permission port with no bridge (reference §3.8). Inside a webview most of this is
 * missing: Android WebView has no `navigator.permissions` (crbug 40418964) and WKWebView knows
 * no `camera`/`geolocation` names, so a missing API reads as "unknown until tried" where a
 * request API exists, and `unavailable` where none does. Settings cannot be opened from a page.
 */
export function createWebDevice(scope: WebScope = globalThis as WebScope): PermissionDevice {
  const nav = scope.navigator ?? {};
  // query() throws for names a browser does not know (WebKit: camera; Firefox < 132): unknown.
  const query = async (name: string): Promise<PermissionStatus | undefined> => {
    try {
      const result = await nav.permissions?.query({ name });
      return result ? STATE[result.state] : undefined;
    } catch {
      return undefined;
    }
  };
  const checked = (name: string, exists: boolean) => async () => answer((await query(name)) ?? (exists ? 'denied' : 'unavailable'));
  // After a refusal, the Permissions API tells a dismissed prompt (still `prompt`) from a block.
  const refused = async (name: string, raw: unknown) => answer((await query(name)) ?? 'denied', raw);

  const media = (name: 'camera' | 'microphone'): Probe => ({
    check: checked(name, typeof nav.mediaDevices?.getUserMedia === 'function'),
    async request() {
      if (!nav.mediaDevices?.getUserMedia) return answer('unavailable');
      try {
        const stream = await nav.mediaDevices.getUserMedia(name === 'camera' ? { video: true } : { audio: true });
        for (const track of stream.getTracks()) track.stop(); // PP-09: the device is used only during a capture
        return answer('granted');
      } catch (error) {
        const raw = (error as { name?: string }).name;
        return raw === 'NotFoundError' || raw === 'OverconstrainedError' ? answer('unavailable', raw) : refused(name, raw);
      }
    },
  });

  const probes: { readonly [kind in Permission['kind']]?: Probe | undefined } = {
    location: {
      check: checked('geolocation', nav.geolocation !== undefined),
      request: () =>
        new Promise((resolve) => {
          if (!nav.geolocation) return resolve(answer('unavailable'));
          nav.geolocation.getCurrentPosition(
            () => resolve(answer('granted')),
            // 1: refused; 2: no position (location services off); 3: timed out after a grant.
            (error) => resolve(error.code === 1 ? refused('geolocation', 'PERMISSION_DENIED') : answer('granted', `code ${error.code}`, error.code === 2 ? false : undefined)),
            { maximumAge: Infinity, timeout: 15_000 },
          );
        }),
    },
    camera: media('camera'),
    microphone: media('microphone'),
    notifications: scope.Notification
      ? {
          check: async () => answer(STATE[scope.Notification!.permission] ?? 'unavailable', scope.Notification!.permission),
          request: async () => {
            const state = await scope.Notification!.requestPermission();
            return answer(STATE[state] ?? 'unavailable', state);
          },
        }
      : undefined,
    bluetooth: nav.bluetooth
      ? {
          // Web Bluetooth grants per device through a chooser: unknown until tried.
          check: async () => answer((await nav.bluetooth!.getAvailability?.()) === false ? 'unavailable' : 'denied'),
          request: async () => {
            try {
              await nav.bluetooth!.requestDevice({ acceptAllDevices: true });
              return answer('granted');
            } catch (error) {
              return answer('denied', (error as { name?: string }).name);
            }
          },
        }
      : undefined,
    // The Contact Picker is a per-use picker with no permission to hold: never `granted`.
    contacts: unavailable(typeof nav.contacts?.select === 'function' ? 'contact-picker' : undefined),
  };

  const probe = (permission: Permission) => probes[permission.kind] ?? unavailable();
  return {
    source: 'web',
    check: (permission) => probe(permission).check(),
    request: (permission) => probe(permission).request(),
    openSettings: async () => false,
  };
}
