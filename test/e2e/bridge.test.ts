import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, startBridgeSuite, startFeature, type App } from './pages/bridge/harness.js';

/**
 * The permission flow end to end in Chromium, for 拉卡拉 (lakala-pay: camera, location,
 * Bluetooth, device ids) over the React Native WebView transport, with the simulator as the
 * native end (test/e2e/pages/bridge). Every scenario starts from a fresh webview and phone.
 */
type PageApp = {
  app: {
    consent: { state: { value: { permissions: Record<string, string>; granted: Record<string, boolean> } } };
    sim: { calls: { method: string }[]; settingsOpened: number; setStatus(kind: string, status: string): void; emit(event: string): void };
    log: { decisions: { surface: string; changes: { id: string; status?: string }[] }[]; errors: { code: string }[]; receipts: number };
  };
};
const HOUR = 3_600_000;
const read = <T>(app: App, pick: (page: PageApp['app']) => T) =>
  app.page.evaluate((source) => new Function('app', `return (${source})(app)`)((window as unknown as PageApp).app), pick.toString()) as Promise<T>;

let suite: Awaited<ReturnType<typeof startBridgeSuite>>;
beforeAll(async () => {
  suite = await startBridgeSuite();
});
afterAll(async () => {
  await suite?.close();
});

describe('requestPermission over the React Native bridge (拉卡拉)', () => {
  it('continue → granted: the OS is asked only after the rationale is on screen, and the state reaches the native side', async () => {
    const app = await openApp(suite, { policy: 'lakala-pay' });
    await app.row('card_acceptance', 'location').getByRole('button').first().click();
    await expect.poll(() => app.dialog.count()).toBe(1);
    expect(await app.dialog.textContent()).toContain('收款交易（刷卡收款）');
    expect(await app.dialog.textContent()).toContain('GPS 定位');
    // PP-02: on screen, and the OS not asked yet.
    expect(await read(app, (page) => page.sim.calls.map((call) => call.method))).not.toContain('permission.request');
    await app.dialog.getByRole('button', { name: '继续' }).click();
    await expect.poll(() => app.row('card_acceptance', 'location').locator('output').getAttribute('data-status')).toBe('granted');
    expect(await read(app, (page) => page.sim.calls.map((call) => call.method))).toContain('permission.request');
    await expect.poll(() => (app.phone.native.store?.['lakala-pay'] as { state?: { permissions?: object } } | undefined)?.state?.permissions).toEqual({ location: 'granted' });
    expect(app.pageErrors).toEqual([]);
    await app.close();
  });

  it('not now → denied; no prompt within the cooldown on a later launch with the clock advanced, while a tap still prompts', async () => {
    const app = await openApp(suite, { policy: 'lakala-pay' });
    expect(await startFeature(app, 'identity_cross_verification', 'camera', { answer: '暂不' })).toMatchObject({ status: 'denied', reason: 'not_now' });
    expect(await startFeature(app, 'card_acceptance', 'bluetooth', { answer: '暂不' })).toMatchObject({ status: 'denied', reason: 'not_now' });
    expect(await read(app, (page) => page.sim.calls.filter((call) => call.method === 'permission.request').length)).toBe(0);

    await app.relaunch({ offset: 47 * HOUR });
    expect(await startFeature(app, 'identity_cross_verification', 'camera')).toMatchObject({ status: 'denied', reason: 'cooldown' });
    expect(await startFeature(app, 'card_acceptance', 'bluetooth')).toMatchObject({ reason: 'cooldown' });
    expect(await app.dialog.count()).toBe(0);
    // The person taps 去开启: a user-initiated request prompts despite the cooldown (PP-05).
    expect(await startFeature(app, 'identity_cross_verification', 'camera', { tap: 'again', answer: '继续' })).toMatchObject({ status: 'granted', reason: 'os' });

    await app.relaunch({ offset: 49 * HOUR });
    expect(await startFeature(app, 'card_acceptance', 'bluetooth', { answer: '继续' })).toMatchObject({ status: 'granted', reason: 'os' });
    expect(app.pageErrors).toEqual([]);
    await app.close();
  });

  it('blocked → never sent to Settings by itself; 去设置 appears, and Settings open, only after taps; resume picks up the change', async () => {
    const app = await openApp(suite, { policy: 'lakala-pay', answers: { camera: 'block' } });
    expect(await startFeature(app, 'identity_cross_verification', 'camera', { answer: '继续' })).toMatchObject({ status: 'blocked', reason: 'os' });
    expect(await app.dialog.count()).toBe(0);
    expect(await read(app, (page) => page.sim.settingsOpened)).toBe(0);
    const again = app.row('identity_cross_verification', 'camera').locator('.again');
    expect(await again.textContent()).toBe('去设置');
    await again.click();
    expect(await app.dialog.getAttribute('data-action')).toBe('open_settings');
    expect(await read(app, (page) => page.sim.settingsOpened)).toBe(0); // still only a prompt
    await app.dialog.getByRole('button', { name: '去设置' }).click();
    await expect.poll(() => read(app, (page) => page.sim.settingsOpened)).toBe(1);
    // The person allows the camera in Settings and comes back (PP-07).
    await read(app, (page) => (page.sim.setStatus('camera', 'granted'), page.sim.emit('app.resume')));
    await expect.poll(() => read(app, (page) => page.consent.state.value.permissions.camera)).toBe('granted');
    await app.close();
  });

  it('a native side that never answers resolves with an error instead of hanging, and records nothing', async () => {
    const app = await openApp(suite, { policy: 'lakala-pay', answers: { bluetooth: 'timeout' }, requestTimeout: 1500 });
    const started = Date.now();
    expect(await startFeature(app, 'card_acceptance', 'bluetooth', { answer: '继续' })).toMatchObject({ status: 'unavailable', reason: 'error', error: 'bridge-timeout' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await read(app, (page) => page.log.errors.map((error) => error.code))).toContain('bridge-timeout');
    expect(await read(app, (page) => page.consent.state.value.permissions.bluetooth)).toBeUndefined();
    // The bridge is still usable.
    expect(await startFeature(app, 'card_acceptance', 'location', { answer: '继续' })).toMatchObject({ status: 'granted' });
    await app.close();
  });

  it('an OS-side revoke on resume changes the state and emits a decision and its receipt (PP-07)', async () => {
    const app = await openApp(suite, { policy: 'lakala-pay' });
    await startFeature(app, 'check_in', 'location', { answer: '继续' });
    await expect.poll(() => read(app, (page) => page.log.receipts)).toBeGreaterThan(1); // 同意 and the grant
    const receipts = await read(app, (page) => page.log.receipts);
    await read(app, (page) => (page.sim.setStatus('location', 'blocked'), page.sim.emit('app.resume')));
    await expect.poll(() => read(app, (page) => page.consent.state.value.permissions.location)).toBe('blocked');
    // The state moves before the decision event is emitted (it follows the save): wait for it.
    await expect.poll(() => read(app, (page) => page.log.decisions.at(-1))).toMatchObject({ surface: 'host', changes: [{ id: 'location', status: 'blocked' }] });
    await expect.poll(() => read(app, (page) => page.log.receipts)).toBe(receipts + 1);
    await expect.poll(() => (app.phone.native.store?.['lakala-pay'] as { state: { permissions: object } }).state.permissions).toEqual({ location: 'blocked' });
    await app.close();
  });

  it('unrelated features keep working after every refusal (PP-04)', async () => {
    const app = await openApp(suite, { policy: 'lakala-pay', answers: { bluetooth: 'deny', storage: 'block' } });
    const granted = await read(app, (page) => page.consent.state.value.granted);
    const refusals: [string, string, '继续' | '暂不'][] = [
      ['card_acceptance', 'location', '暂不'],
      ['card_acceptance', 'bluetooth', '继续'],
      ['merchant_onboarding', 'storage', '继续'],
    ];
    for (const [feature, permission, answer] of refusals) {
      expect((await startFeature(app, feature, permission, { answer })).status).toMatch(/denied|blocked/);
      await app.row('register').getByRole('button').click();
      expect(await app.row('register').locator('output').getAttribute('data-status')).toBe('usable');
      await app.row('transaction_query').getByRole('button').click();
      expect(await app.row('transaction_query').locator('output').getAttribute('data-status')).toBe('usable');
      expect(await read(app, (page) => page.consent.state.value.granted)).toEqual(granted);
    }
    // Features whose own permissions were not refused still get theirs.
    expect(await startFeature(app, 'identity_cross_verification', 'camera', { answer: '继续' })).toMatchObject({ status: 'granted' });
    expect(await startFeature(app, 'card_acceptance', 'phone_state', { answer: '继续' })).toMatchObject({ status: 'granted' });
    expect(app.pageErrors).toEqual([]);
    await app.close();
  });
});
