import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * Debian's Chromium (no browser downloads work on CI machines), overridable with CHROMIUM_PATH
 * on a developer's machine. The background-networking flags stop Chromium from calling out to
 * hosts a closed network refuses.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run',
    ],
  });
}

/** A phone-sized context (360×640, the smallest common Android viewport) in Chinese. */
export function phoneContext(browser: Browser, options: { locale?: string } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: options.locale ?? 'zh-CN' });
}
