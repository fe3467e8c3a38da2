import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, startBridgeSuite, startFeature } from './pages/bridge/harness.js';

/**
 * No native host (a browser tab, or a webview whose app has no kit): the web fallback answers
 * from Chromium's real Permissions API and geolocation (reference §3.8).
 */
let suite: Awaited<ReturnType<typeof startBridgeSuite>>;
beforeAll(async () => {
  suite = await startBridgeSuite();
});
afterAll(async () => {
  await suite?.close();
});

describe('web fallback in Chromium (拉卡拉, no bridge)', () => {
  it('reads a location permission the browser already granted, without a prompt', async () => {
    const app = await openApp(suite, { policy: 'lakala-pay', transport: 'none' });
    await app.context.grantPermissions(['geolocation'], { origin: suite.server.url });
    expect(await startFeature(app, 'check_in', 'location')).toMatchObject({ status: 'granted', reason: 'current' });
    expect(await app.dialog.count()).toBe(0);
    await app.close();
  });

  it('prompts, then lets the browser answer; what cannot be asked on the web is unavailable', async () => {
    const app = await openApp(suite, { policy: 'lakala-pay', transport: 'none' });
    // Headless Chromium refuses geolocation for good: the Permissions API's `denied`, our `blocked`.
    expect(await startFeature(app, 'check_in', 'location', { answer: '继续' })).toMatchObject({ status: 'blocked', reason: 'os' });
    expect(await app.row('check_in', 'location').locator('.again').textContent()).toBe('去设置');
    // No Web Bluetooth adapter in a headless Linux browser, no web API for device ids at all.
    expect(await startFeature(app, 'card_acceptance', 'bluetooth')).toMatchObject({ status: 'unavailable', reason: 'current' });
    expect(await startFeature(app, 'card_acceptance', 'phone_state')).toMatchObject({ status: 'unavailable', reason: 'current' });
    expect(await app.dialog.count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
    await app.close();
  });
});
