import { describe, expect, it } from 'vitest';
import { createBridgeClient } from '../../src/bridge/client.js';
import { createNativeDevice, readPermissionAnswer } from '../../src/bridge/native-device.js';
import type { Permission } from '../../src/core/policy-types.js';
import { fakeTransport, response } from './fake-transport.js';

const camera = { id: 'camera_scan', kind: 'camera', nativeIds: { android: ['android.permission.CAMERA'] } } as unknown as Permission;

describe('readPermissionAnswer', () => {
  it('keeps the five statuses and the orthogonal fields, defaulting canAsk from the status', () => {
    expect(readPermissionAnswer({ status: 'denied', raw: 'notDetermined' })).toEqual({ status: 'denied', canAsk: true, raw: 'notDetermined', source: 'native' });
    expect(readPermissionAnswer({ status: 'granted', canAsk: false, rationale: false, serviceEnabled: false, extra: 1 }))
      .toEqual({ status: 'granted', canAsk: false, rationale: false, serviceEnabled: false, source: 'native' });
  });

  it('refuses statuses outside the vocabulary (Capacitor\'s "prompt" must be mapped by the host)', () => {
    expect(() => readPermissionAnswer({ status: 'prompt' })).toThrow(expect.objectContaining({ code: 'bridge-failed' }));
    expect(() => readPermissionAnswer(null)).toThrow(/status undefined/);
  });
});

describe('createNativeDevice', () => {
  it('sends the kind, the policy id and the native ids; an unknown permission reads as unavailable', async () => {
    const transport = fakeTransport((message) =>
      message.method === 'permission.check'
        ? response(message.id, { error: { code: 'E_UNKNOWN_PERMISSION', message: 'no camera' } })
        : response(message.id, { error: { code: 'E_NOT_DECLARED', message: 'NSCameraUsageDescription missing' } }));
    const device = createNativeDevice(createBridgeClient(transport, { report: () => undefined }));
    await expect(device.check(camera)).resolves.toEqual({ status: 'unavailable', canAsk: false, raw: 'E_UNKNOWN_PERMISSION', source: 'native' });
    expect(transport.sent[0]?.params).toEqual({ permission: 'camera', id: 'camera_scan', nativeIds: { android: ['android.permission.CAMERA'] } });
    // A missing manifest entry is the app's configuration: an error, never a refusal.
    await expect(device.request(camera)).rejects.toMatchObject({ code: 'bridge-failed', cause: { code: 'E_NOT_DECLARED' } });
  });

  it('reads openSettings as opened only when the host says so', async () => {
    const transport = fakeTransport((message) => response(message.id, { result: { opened: true } }));
    await expect(createNativeDevice(createBridgeClient(transport, { report: () => undefined })).openSettings(camera)).resolves.toBe(true);
  });
});
