import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, startBridgeSuite, startFeature, type App } from './pages/bridge/harness.js';

/**
 * State the host can read (issue 5 §4), for e约车 (e-yueche: location, two cameras, contacts)
 * over the WKWebView and Android transports: every change is mirrored to native storage, a
 * host reads it with no webview, and a webview whose storage was wiped restores it from there.
 */
type Snapshot = { decision: string; granted: Record<string, boolean>; permissions: Record<string, string>; subject: string };
type PageApp = { app: { consent: { state: { value: Snapshot } }; log: { decisions: unknown[] } } };
const snapshot = (app: App) => app.page.evaluate(() => structuredClone((window as unknown as PageApp).app.consent.state.value));
const decisionsMade = (app: App) => app.page.evaluate(() => (window as unknown as PageApp).app.log.decisions.length);
const storedRecord = (app: App) =>
  app.page.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('inapp-consent');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('state').objectStore('state').get('inapp-consent/v1/decisions/e-yueche');
          request.onsuccess = () => resolve(request.result);
        };
      }),
  );

let suite: Awaited<ReturnType<typeof startBridgeSuite>>;
beforeAll(async () => {
  suite = await startBridgeSuite();
});
afterAll(async () => {
  await suite?.close();
});

describe('consent state mirrored to the native side (e约车)', () => {
  it('a host reads the state with no webview; a webview with cleared storage restores it, cooldown included', async () => {
    const first = await openApp(suite, { policy: 'e-yueche', transport: 'webkit' });
    expect(await startFeature(first, 'proxy_booking', 'contacts', { answer: '继续' })).toMatchObject({ status: 'granted' });
    expect(await startFeature(first, 'vehicle_use', 'location', { answer: '暂不' })).toMatchObject({ status: 'denied', reason: 'not_now' });
    const before = await snapshot(first);
    await expect.poll(() => (first.phone.native.store?.['e-yueche'] as { state?: Snapshot } | undefined)?.state?.permissions).toEqual({ contacts: 'granted', location: 'denied' });
    await first.close();

    // What the native host has, with the webview gone: enough to answer "may I?" on its own.
    const native = first.phone.native;
    const mirrored = native.store?.['e-yueche'] as { state: Snapshot; record: { v: number } };
    expect(mirrored.state).toMatchObject({ decision: 'agreed', permissions: { contacts: 'granted', location: 'denied' }, granted: before.granted, subject: before.subject });
    expect(mirrored.record.v).toBe(1);

    // A new webview profile: IndexedDB empty, the phone's native storage intact.
    const second = await openApp(suite, { policy: 'e-yueche', transport: 'webkit' }, native);
    const restored = await snapshot(second);
    expect(restored).toMatchObject({ decision: 'agreed', needsConsent: false, permissions: before.permissions, granted: before.granted, subject: before.subject });
    expect(await decisionsMade(second)).toBe(0); // nothing asked again
    expect(await storedRecord(second)).toMatchObject({ v: 1, policyId: 'e-yueche' });
    // The refusal came back with its time: still inside the cooldown, so no prompt.
    expect(await startFeature(second, 'vehicle_use', 'location')).toMatchObject({ status: 'denied', reason: 'cooldown' });
    expect(await second.dialog.count()).toBe(0);
    expect([...first.pageErrors, ...second.pageErrors]).toEqual([]);
    await second.close();
  });

  it('runs the same flow over an Android addWebMessageListener object', async () => {
    const app = await openApp(suite, { policy: 'e-yueche', transport: 'android' });
    expect(await startFeature(app, 'document_verification', 'camera_capture', { answer: '继续' })).toMatchObject({ status: 'granted' });
    // Both policy permissions are the one OS camera: the second is already held, so it is
    // recorded from the OS (PP-07) without a prompt.
    expect(await startFeature(app, 'recharge_card_binding', 'camera_scan')).toMatchObject({ status: 'granted', reason: 'current' });
    expect(await app.dialog.count()).toBe(0);
    await expect.poll(() => (app.phone.native.store?.['e-yueche'] as { state?: Snapshot } | undefined)?.state?.permissions).toEqual({ camera_capture: 'granted', camera_scan: 'granted' });
    expect(app.pageErrors).toEqual([]);
    await app.close();
  });
});
