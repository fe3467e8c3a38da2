import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import type { StaticServer } from '../helpers/static-server.js';
import { iifeBuilt, startScriptTagPages } from './script-tag-support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// `<` escaped, as a page must: the policy's text may hold "</script>".
const POLICY = readFileSync(`${root}examples/policies/e-yueche.json`, 'utf8').replace(/</g, '\\u003c');

interface DropIn {
  InAppConsent: { ready: Promise<{ needsConsent: boolean; policy: { policy: { id: string } } } | undefined> };
}
declare const window: DropIn & Window;

/** The drop-in with its policy inline in the page (`data-policy="#id"`), in the shipped build. */
describe.skipIf(!iifeBuilt)('a policy inline in the page, in Chromium', () => {
  let browser: Browser;
  let pages: StaticServer;
  const page = (body: string) => `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>inline</title>${body}`;
  beforeAll(async () => {
    browser = await launchChromium();
    pages = await startScriptTagPages({
      '/inline.html': page(`<script src="/inapp-consent.iife.js" data-policy="#policy" defer></script><script type="application/json" id="policy">${POLICY}</script>`),
      '/missing.html': page('<script src="/inapp-consent.iife.js" data-policy="#policy"></script><script type="application/json" id="policy">{}</script>'),
      '/broken.html': page('<script type="application/json" id="policy">{"policy": </script><script src="/inapp-consent.iife.js" data-policy="#policy"></script>'),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
  });

  it('shows the first-launch dialog from the policy in the page, with no request for it', async () => {
    const context = await phoneContext(browser);
    try {
      const tab = await context.newPage();
      const fetched: string[] = [];
      tab.on('request', (request) => fetched.push(new URL(request.url()).pathname));
      await tab.goto(`${pages.url}/inline.html`);
      expect(await tab.evaluate(async () => (await window.InAppConsent.ready)?.needsConsent)).toBe(true);
      await expect.poll(() => tab.getByRole('dialog').count()).toBe(1);
      expect(fetched).toEqual(['/inline.html', '/inapp-consent.iife.js']);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['/missing.html', 'names no <script type="application/json"> element'],
    ['/broken.html', '#policy is not JSON'],
  ])('%s: shows nothing and says why in an error event', async (path, message) => {
    const context = await phoneContext(browser);
    try {
      const tab = await context.newPage();
      await tab.addInitScript(() => addEventListener('inappconsent:error', (event) => ((window as unknown as { lastError: string }).lastError = (event as CustomEvent<Error>).detail.message)));
      await tab.goto(`${pages.url}${path}`);
      expect(await tab.evaluate(async () => window.InAppConsent.ready)).toBeUndefined();
      expect(await tab.evaluate(() => (window as unknown as { lastError: string }).lastError)).toContain(message);
      expect(await tab.getByRole('dialog').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
