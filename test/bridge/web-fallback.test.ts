import { describe, expect, it, vi } from 'vitest';
import { createWebDevice } from '../../src/bridge/web-fallback.js';
import type { Permission } from '../../src/core/policy-types.js';

const permission = (kind: Permission['kind']) => ({ id: kind, kind }) as Permission;
const states = (map: Record<string, string>) => ({
  query: vi.fn(async ({ name }: { name: string }) => {
    if (!(name in map)) throw new TypeError(`'${name}' is not a valid value for enumeration PermissionName`);
    return { state: map[name]! };
  }),
});
const mediaError = (name: string) => Object.assign(new Error(name), { name });

describe('createWebDevice', () => {
  it('maps the Permissions API: prompt → denied (requestable), denied → blocked', async () => {
    const device = createWebDevice({ navigator: { permissions: states({ geolocation: 'prompt', camera: 'denied' }), geolocation: { getCurrentPosition: () => undefined } } });
    await expect(device.check(permission('location'))).resolves.toEqual({ status: 'denied', canAsk: true, source: 'web' });
    await expect(device.check(permission('camera'))).resolves.toMatchObject({ status: 'blocked', canAsk: false });
  });

  it('reads "unknown until tried" where a request API exists but the Permissions API does not (Android WebView)', async () => {
    const device = createWebDevice({ navigator: { geolocation: { getCurrentPosition: () => undefined }, mediaDevices: { getUserMedia: async () => ({ getTracks: () => [] }) } } });
    await expect(device.check(permission('location'))).resolves.toMatchObject({ status: 'denied' });
    await expect(device.check(permission('camera'))).resolves.toMatchObject({ status: 'denied' });
  });

  it('treats a name the Permissions API throws for as unknown (WKWebView: camera)', async () => {
    const device = createWebDevice({ navigator: { permissions: states({}), mediaDevices: { getUserMedia: async () => ({ getTracks: () => [] }) } } });
    await expect(device.check(permission('camera'))).resolves.toMatchObject({ status: 'denied' });
  });

  it('requests location with getCurrentPosition and tells a refusal, a block and location services off apart', async () => {
    let code = 0;
    const permissions = states({ geolocation: 'prompt' });
    const geolocation = { getCurrentPosition: (ok: () => void, fail: (error: { code: number }) => void) => (code ? fail({ code }) : ok()) };
    const device = createWebDevice({ navigator: { geolocation, permissions } });
    await expect(device.request(permission('location'))).resolves.toMatchObject({ status: 'granted' });
    code = 1;
    await expect(device.request(permission('location'))).resolves.toMatchObject({ status: 'denied', raw: 'PERMISSION_DENIED' }); // prompt dismissed
    permissions.query.mockResolvedValue({ state: 'denied' });
    await expect(device.request(permission('location'))).resolves.toMatchObject({ status: 'blocked' });
    code = 2;
    await expect(device.request(permission('location'))).resolves.toMatchObject({ status: 'granted', serviceEnabled: false });
  });

  it('requests the camera with getUserMedia, stops the tracks at once, and maps the errors', async () => {
    const stop = vi.fn();
    let failure: string | undefined;
    const getUserMedia = vi.fn(async () => {
      if (failure) throw mediaError(failure);
      return { getTracks: () => [{ stop }] };
    });
    const device = createWebDevice({ navigator: { mediaDevices: { getUserMedia } } });
    await expect(device.request(permission('camera'))).resolves.toMatchObject({ status: 'granted' });
    expect(getUserMedia).toHaveBeenCalledWith({ video: true });
    expect(stop).toHaveBeenCalledOnce();
    failure = 'NotAllowedError';
    await expect(device.request(permission('camera'))).resolves.toMatchObject({ status: 'denied', raw: 'NotAllowedError' });
    failure = 'NotFoundError';
    await expect(device.request(permission('camera'))).resolves.toMatchObject({ status: 'unavailable', raw: 'NotFoundError' });
  });

  it('Web Bluetooth: unavailable without the API or an adapter, a chooser otherwise', async () => {
    await expect(createWebDevice({ navigator: {} }).check(permission('bluetooth'))).resolves.toMatchObject({ status: 'unavailable' });
    const noAdapter = createWebDevice({ navigator: { bluetooth: { getAvailability: async () => false, requestDevice: async () => ({}) } } });
    await expect(noAdapter.check(permission('bluetooth'))).resolves.toMatchObject({ status: 'unavailable' });
    let cancel = false;
    const bluetooth = { getAvailability: async () => true, requestDevice: async () => { if (cancel) throw mediaError('NotFoundError'); return {}; } };
    const device = createWebDevice({ navigator: { bluetooth } });
    await expect(device.check(permission('bluetooth'))).resolves.toMatchObject({ status: 'denied' });
    await expect(device.request(permission('bluetooth'))).resolves.toMatchObject({ status: 'granted' });
    cancel = true;
    await expect(device.request(permission('bluetooth'))).resolves.toMatchObject({ status: 'denied', raw: 'NotFoundError' });
  });

  it('never reports contacts as granted: the Contact Picker is per use', async () => {
    const device = createWebDevice({ navigator: { contacts: { select: () => undefined } } });
    await expect(device.check(permission('contacts'))).resolves.toMatchObject({ status: 'unavailable', raw: 'contact-picker' });
    await expect(device.request(permission('contacts'))).resolves.toMatchObject({ status: 'unavailable' });
  });

  it('maps notifications, reports every other kind unavailable, and cannot open Settings', async () => {
    const Notification = { permission: 'default', requestPermission: async () => 'granted' };
    const device = createWebDevice({ navigator: {}, Notification });
    await expect(device.check(permission('notifications'))).resolves.toMatchObject({ status: 'denied' });
    await expect(device.request(permission('notifications'))).resolves.toMatchObject({ status: 'granted' });
    for (const kind of ['storage', 'photos', 'phone_state', 'idfa_tracking'] as const) {
      await expect(device.check(permission(kind))).resolves.toMatchObject({ status: 'unavailable' });
    }
    await expect(device.openSettings(permission('camera'))).resolves.toBe(false);
  });
});
