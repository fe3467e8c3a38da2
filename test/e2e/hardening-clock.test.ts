import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, verifyReceipt } from '../../src/verify/index.js';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import type { StaticServer } from '../helpers/static-server.js';
import { ledgerOf, openHardening, type HardeningWindow } from '../hardening/e2e-support.js';
import { receiverFixture, startPages } from './receipts-support.js';

declare const window: HardeningWindow;

/**
 * Issue 8 item 9 in Chromium: the page's own clock (Date, timers) set years off with
 * Playwright's clock, as on a phone whose clock was never set. Receipts must be accepted, with
 * the device time as `iat` and the receiver's own time as `receivedAt`.
 */
let browser: Browser;
let pages: StaticServer;
beforeAll(async () => {
  [browser, pages] = await Promise.all([launchChromium(), startPages()]);
});
afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

describe('a device clock years off, in Chromium', () => {
  it.each([['2003-03-01T08:00:00Z'], ['2049-12-31T23:00:00Z']])('clock at %s: receipts accepted and chained; the receiver records its own time', async (deviceTime) => {
    const fixture = await receiverFixture();
    const receiver = await fixture.start();
    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      await page.clock.install({ time: new Date(deviceTime) });
      await openHardening(page, pages.url, `${receiver.url}/receipts`);
      expect(await page.evaluate(() => new Date().getUTCFullYear())).toBe(new Date(deviceTime).getUTCFullYear());
      await page.evaluate(async () => {
        await window.consent.agree();
        await window.consent.grant('face_consent');
        await window.consent.flush();
      });
      expect(await page.evaluate(async () => [(await window.consent.pendingReceipts()).length, (await window.consent.deadReceipts()).length])).toEqual([0, 0]);
      const ledger = await ledgerOf(fixture.dataDir);
      expect(ledger).toHaveLength(2);
      expect(verifyChain(ledger.map((line) => line.jws)).valid).toBe(true);
      const device = Date.parse(deviceTime) / 1000;
      for (const line of ledger) {
        expect(Math.abs(line.receivedAt - Date.now() / 1000)).toBeLessThan(120);
        expect(Math.abs(verifyReceipt(line.jws).payload.iat - device)).toBeLessThan(120);
      }
    } finally {
      await context.close();
      await fixture.dispose();
    }
  });
});
