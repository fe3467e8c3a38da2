import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../src/verify/index.js';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import type { StaticServer } from '../helpers/static-server.js';
import { eventually, listing, receiverFixture } from './receipts-support.js';
import { iifeBuilt, startScriptTagPages } from './script-tag-support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The shipped script-tag build (minified, internal `_fields` mangled) makes and delivers
 * receipts exactly as the source does: the guard against a mangled wire field.
 */
describe.skipIf(!iifeBuilt)('receipts from the built script-tag bundle', () => {
  let browser: Browser;
  let pages: StaticServer;
  beforeAll(async () => {
    browser = await launchChromium();
    pages = await startScriptTagPages({ '/iife.html': '<!doctype html><meta charset="utf-8"><title>iife</title><script src="/inapp-consent.iife.js"></script>' });
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
  });

  it('InAppConsent.create: a decision\'s receipt arrives, verifies and is acknowledged', async () => {
    const fixture = await receiverFixture();
    const receiver = await fixture.start();
    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${pages.url}/iife.html`);
      const policy = JSON.parse(readFileSync(`${root}test/fixtures/fixture-policy.json`, 'utf8'));
      const left = await page.evaluate(async ({ policy, endpoint }) => {
        const api = (window as unknown as { InAppConsent: { create(options: object): { ready: Promise<void>; agree(): Promise<void>; flush(): Promise<void>; pendingReceipts(): Promise<unknown[]> } } }).InAppConsent;
        const consent = api.create({ policy, endpoint, iss: 'com.example.iife' });
        await consent.ready;
        await consent.agree();
        await consent.flush();
        return (await consent.pendingReceipts()).length;
      }, { policy, endpoint: `${receiver.url}/receipts` });
      expect(left).toBe(0);
      const found = await eventually(() => listing(receiver), (list) => list.devices[0]?.count === 1);
      expect(found.devices[0]).toMatchObject({ count: 1, chain: { valid: true } });
      const record = readFileSync(`${fixture.dataDir}/receipts.jsonl`, 'utf8').trim();
      const { payload } = verifyReceipt(JSON.parse(record).jws);
      expect(payload).toMatchObject({ iss: 'com.example.iife', x: { signer: 'device', chain: { seq: 1, prev: null }, event: { kind: 'agree' } } });
    } finally {
      await context.close();
      await fixture.dispose();
    }
  });
});
