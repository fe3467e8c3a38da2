import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNativeHost } from '../../examples/simulator/native-host.js';
import type { DecisionEvent } from '../../src/core/decision-types.js';
import type { ConsentError } from '../../src/core/errors.js';
import { recordKey } from '../../src/core/stored-record.js';
import { createConsent } from '../../src/host/create-consent.js';
import { createIndexedDbStore } from '../../src/storage/indexeddb.js';
import type { RationalePrompt } from '../../src/permissions/types.js';
import { permissionPolicy } from './policy.js';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const agreeing: RationalePrompt = async () => 'continue';

function start(host: ReturnType<typeof createNativeHost>, extra: Partial<Parameters<typeof createConsent>[0]> = {}) {
  const consent = createConsent({ policy: permissionPolicy(), bridge: host.transport(), rationale: agreeing, ...extra });
  const errors: ConsentError[] = [];
  const decisions: DecisionEvent[] = [];
  consent.on('error', (error) => errors.push(error));
  consent.on('decision', (event) => decisions.push(event));
  return { consent, errors, decisions };
}

describe('createConsent with a native bridge', () => {
  it('requestPermission goes through the bridge, records the outcome and emits the decision a receipt is made of', async () => {
    const host = createNativeHost();
    const { consent, decisions } = start(host);
    await consent.ready;
    await expect(consent.requestPermission('location', { feature: 'nearby' })).resolves.toMatchObject({ status: 'granted', source: 'native' });
    expect(consent.state.value.permissions).toEqual({ location: 'granted' });
    expect(decisions).toEqual([expect.objectContaining({ kind: 'permission', surface: 'permission_prompt', changes: [{ scope: 'permission', id: 'location', status: 'granted', choice: 'continue' }] })]);
  });

  it('mirrors every change to native storage, where the host reads it without any webview', async () => {
    const host = createNativeHost();
    const { consent } = start(host);
    await consent.ready;
    await consent.agree();
    await consent.requestPermission('camera', { feature: 'verify_face' });
    await vi.waitFor(() => expect(host.store['fixture-app']).toMatchObject({ state: { permissions: { camera: 'granted' } } }));
    const mirrored = host.store['fixture-app'] as { state: { decision: string; granted: Record<string, boolean>; permissions: Record<string, string> }; record: unknown; subject: string };
    expect(mirrored.state).toMatchObject({ decision: 'agreed', granted: { account: true, marketing: false }, permissions: { camera: 'granted' } });
    expect(mirrored.record).toMatchObject({ v: 1, policyId: 'fixture-app', decisions: { basic: { decision: 'agreed' } } });
    expect(mirrored.subject).toBe(consent.state.value.subject);
  });

  it('restores from the native side when the webview storage was cleared, and keeps it locally again', async () => {
    const host = createNativeHost();
    const first = start(host).consent;
    await first.ready;
    await first.agree();
    await first.grant('marketing');
    await first.requestPermission('location', { feature: 'nearby' });
    await vi.waitFor(() => expect(host.store['fixture-app']).toMatchObject({ state: { permissions: { location: 'granted' } } }));
    const before = first.state.value;
    first.destroy();

    globalThis.indexedDB = new IDBFactory(); // the webview's storage is gone; native storage is not
    const second = start(host).consent;
    await second.ready;
    expect(second.needsConsent).toBe(false);
    expect(second.isGranted('marketing')).toBe(true);
    expect(second.state.value.permissions).toEqual(before.permissions);
    expect(second.state.value.subject).toBe(before.subject);
    expect(await createIndexedDbStore().get(recordKey('fixture-app'))).toMatchObject({ policyId: 'fixture-app' });
  });

  it('reads local storage first: the native copy is not asked for when it is there', async () => {
    const host = createNativeHost();
    const first = start(host).consent;
    await first.ready;
    await first.agree();
    first.destroy();
    const calls = host.calls.length;
    const second = start(host).consent;
    await second.ready;
    expect(host.calls.slice(calls).map((call) => call.method)).not.toContain('consent.get');
  });

  it('waits for stored decisions: a request made before ready still honours a stored cooldown', async () => {
    const host = createNativeHost();
    const first = start(host, { rationale: async () => 'not_now' }).consent;
    await first.requestPermission('location', { feature: 'nearby' });
    first.destroy();
    const prompts: string[] = [];
    const second = start(host, { rationale: async (permission) => (prompts.push(permission.id), 'continue') }).consent;
    await expect(second.requestPermission('location', { feature: 'nearby' })).resolves.toMatchObject({ reason: 'cooldown' });
    expect(prompts).toEqual([]);
  });

  it('re-checks on app.resume: an OS-side revoke changes the state and emits a decision (PP-07)', async () => {
    const host = createNativeHost();
    const { consent, decisions } = start(host);
    const resumes: number[] = [];
    consent.onResume(() => resumes.push(1));
    await consent.ready;
    await consent.requestPermission('location', { feature: 'nearby' });
    host.setStatus('location', 'blocked');
    host.emit('app.resume');
    await vi.waitFor(() => expect(consent.state.value.permissions.location).toBe('blocked'));
    expect(decisions.at(-1)).toMatchObject({ surface: 'host', changes: [{ id: 'location', status: 'blocked' }] });
    expect(resumes).toEqual([1]);
  });

  it('with no bridge, re-checks when the page becomes visible again (back from site settings)', async () => {
    let state = 'granted';
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('document', page);
    vi.stubGlobal('navigator', { permissions: { query: async () => ({ state }) }, geolocation: { getCurrentPosition: () => undefined } });
    const consent = createConsent({ policy: permissionPolicy(), bridge: 'none', rationale: agreeing, storage: 'memory' });
    await expect(consent.requestPermission('location', { feature: 'nearby' })).resolves.toMatchObject({ status: 'granted', source: 'web' });
    state = 'denied';
    page.dispatchEvent(new Event('visibilitychange'));
    await vi.waitFor(() => expect(consent.state.value.permissions.location).toBe('blocked'));
    consent.destroy();
  });

  it('works in web-only mode when the host never answers hello, and says so', async () => {
    const silent = { name: 'silent', send: () => undefined, listen: () => () => undefined };
    const { consent, errors } = start(createNativeHost(), { bridge: { transport: silent, timeouts: { hello: 20 } } });
    await consent.ready;
    await expect(consent.requestPermission('bluetooth', { feature: 'nearby' })).resolves.toMatchObject({ status: 'unavailable', source: 'web' });
    expect(errors.map((error) => error.code)).toContain('bridge-timeout');
  });

  it('PP-04: a refusal changes only that permission; purposes and other features are untouched', async () => {
    const host = createNativeHost({ answers: { location: 'deny' } });
    const { consent } = start(host);
    await consent.ready;
    await consent.agree();
    const granted = consent.state.value.granted;
    await expect(consent.requestPermission('location', { feature: 'nearby' })).resolves.toMatchObject({ status: 'denied', affects: ['nearby'] });
    expect(consent.state.value.granted).toEqual(granted);
    await expect(consent.requestPermission('camera', { feature: 'verify_face' })).resolves.toMatchObject({ status: 'granted' });
  });

  it('rejects requestPermission without a rationale prompt (PP-02), and bad bridge options up front', async () => {
    const consent = createConsent({ policy: permissionPolicy(), bridge: 'none' });
    await expect(consent.requestPermission('location', { feature: 'nearby' })).rejects.toMatchObject({ code: 'invalid-options' });
    expect(() => createConsent({ policy: permissionPolicy(), bridge: 'native' as never })).toThrow(/options\.bridge/);
    expect(() => createConsent({ policy: permissionPolicy(), bridge: { send: () => undefined } as never })).toThrow(/options\.bridge/);
    expect(() => createConsent({ policy: permissionPolicy(), rationale: 'yes' as never })).toThrow(/options\.rationale/);
  });
});
