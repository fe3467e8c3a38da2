import type { PermissionStatus } from '../core/decision-types.js';
import type { Permission } from '../core/policy-types.js';
import type { PermissionAnswer, PermissionDevice } from '../permissions/types.js';
import { bridgeError, wireCode, type BridgeClient } from './client.js';

const STATUSES: readonly PermissionStatus[] = ['granted', 'limited', 'denied', 'blocked', 'unavailable'];

/**
 * What the native end must send for `permission.check` / `permission.request`:
 * `{ status, canAsk, rationale?, serviceEnabled?, raw, source }`. Anything else is the native
 * end's bug, raised as `E_INTERNAL` rather than guessed at.
 */
export function readPermissionAnswer(result: unknown): PermissionAnswer {
  const value = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  const status = value.status as PermissionStatus;
  if (!STATUSES.includes(status)) throw bridgeError('E_INTERNAL', `the native side answered with status ${JSON.stringify(value.status)}`);
  const flag = (key: string) => (typeof value[key] === 'boolean' ? { [key]: value[key] as boolean } : {});
  return {
    status,
    canAsk: typeof value.canAsk === 'boolean' ? value.canAsk : status === 'denied',
    ...flag('rationale'),
    ...flag('serviceEnabled'),
    ...(value.raw === undefined ? {} : { raw: value.raw }),
    source: 'native',
  };
}

/**
 * The permission port over the bridge. The native end gets the permission's kind (its own
 * mapping to react-native-permissions / Capacitor / OS names), the policy id and the policy's
 * `nativeIds`.
 */
export function createNativeDevice(client: BridgeClient): PermissionDevice {
  const params = (permission: Permission) => ({
    permission: permission.kind,
    id: permission.id,
    ...(permission.nativeIds ? { nativeIds: permission.nativeIds } : {}),
  });
  const ask = async (method: 'permission.check' | 'permission.request', permission: Permission): Promise<PermissionAnswer> => {
    try {
      return readPermissionAnswer(await client.request(method, params(permission)));
    } catch (error) {
      // A permission the host app does not know at all is unavailable there, not a failure.
      if (wireCode(error) === 'E_UNKNOWN_PERMISSION') return { status: 'unavailable', canAsk: false, raw: 'E_UNKNOWN_PERMISSION', source: 'native' };
      // E_NOT_DECLARED (no manifest entry or Info.plist string) stays an error: it is the
      // app's configuration, and must never be recorded as the person's refusal (§3.2).
      throw error;
    }
  };
  return {
    source: 'native',
    check: (permission) => ask('permission.check', permission),
    request: (permission) => ask('permission.request', permission),
    async openSettings(permission) {
      const result = await client.request('permission.openSettings', params(permission));
      return typeof result === 'object' && result !== null && (result as { opened?: unknown }).opened === true;
    },
  };
}
