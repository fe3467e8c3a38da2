import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import type { StaticServer } from '../helpers/static-server.js';
import { poll, type HardeningWindow } from '../hardening/e2e-support.js';
import { startPages } from './receipts-support.js';

/**
 * Issue 8 item 10 in Chromium: a cross-origin iframe (an ad, a third-party widget) posting bridge
 * envelopes to the page — a forged answer to the open `hello` with its exact id, `app.resume`
 * events, malformed and oversized envelopes — is ignored, because a real frame's messages carry
 * its window as `source`. The host's own messages (react-native-webview dispatches them with no
 * source) are taken. The native side is played by the test through `window.ReactNativeWebView`.
 */
type BridgeWindow = HardeningWindow & { sent: string[]; resumed: number; frameDone: boolean; fromFrame: number };
declare const window: BridgeWindow;

let browser: Browser;
let pages: StaticServer;
beforeAll(async () => {
  [browser, pages] = await Promise.all([launchChromium(), startPages()]);
});
afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

/** Polls `check` until it holds; fails naming `what` after 15 s instead of hanging the file. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await poll();
  }
}

const envelope = (body: object) => JSON.stringify({ ns: 'consent', v: 1, ...body });

describe('bridge messages from another frame, in Chromium', () => {
  it('a cross-origin iframe can neither answer the open hello nor raise app.resume; the host can, and nothing is reported', async () => {
    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      await page.addInitScript(() => {
        const scope = window as unknown as BridgeWindow;
        scope.sent = [];
        scope.fromFrame = 0;
        scope.frameDone = false;
        (window as unknown as { ReactNativeWebView: object }).ReactNativeWebView = { postMessage: (text: string) => void scope.sent.push(text) };
        const page = globalThis as unknown as Window;
        page.addEventListener('message', (event: MessageEvent) => {
          if (event.source === page || !event.source) return;
          if (event.data === 'frame-done') scope.frameDone = true;
          else scope.fromFrame += 1;
        });
      });
      // hello gets a minute, so the forged answer below races nothing but the host's.
      void page.goto(`${pages.url}/hardening/receipts.html?helloMs=60000`);
      await until(() => page.evaluate(() => window.sent?.length > 0), 'the hello request');
      const hello = JSON.parse(await page.evaluate(() => window.sent[0]!)) as { id: string; method: string };
      expect(hello.method).toBe('hello');

      const forged = [
        envelope({ type: 'res', id: hello.id, result: { protocols: [1], platform: 'forged', capabilities: [] } }),
        envelope({ type: 'evt', event: 'app.resume' }),
        { ns: 'consent', v: 1, type: 'evt', event: 'app.resume' },
        '{"ns":"consent","v":1,"type":"res"',
        envelope({ type: 'evt', event: 'app.resume', data: 'x'.repeat(70_000) }),
      ];
      // Another origin: localhost instead of 127.0.0.1.
      const frameUrl = `${pages.url.replace('127.0.0.1', 'localhost')}/hardening/frame.html#${encodeURIComponent(JSON.stringify(forged))}`;
      await page.evaluate((src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
      }, frameUrl);
      await until(() => page.evaluate(() => window.frameDone), 'the frame\'s messages');
      expect(await page.evaluate(() => window.fromFrame)).toBe(forged.length); // all of them reached the page

      // The host answers hello. Had the forgery settled it, this answer would be reported as a
      // response to a request already settled.
      await page.evaluate((data) => document.dispatchEvent(new MessageEvent('message', { data })), envelope({ type: 'res', id: hello.id, result: { protocols: [1], platform: 'android', capabilities: [] } }));
      await until(() => page.evaluate(() => window.started.then(() => true)), 'ready');
      expect(await page.evaluate(() => window.resumed)).toBe(0);
      await page.evaluate((data) => document.dispatchEvent(new MessageEvent('message', { data })), envelope({ type: 'evt', event: 'app.resume' }));
      await until(async () => (await page.evaluate(() => window.resumed)) > 0, 'the host\'s app.resume');
      expect(await page.evaluate(() => window.resumed)).toBe(1);
      expect(await page.evaluate(() => window.errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
