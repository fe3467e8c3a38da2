import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZH } from '../../src/ui/strings-zh.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { allPaths, getAt, HOSTILE_TEXT, isFreeText, setAt, shapeAt } from '../helpers/arbitraries.js';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';
import { IIFE, ROOT } from './widget-support.js';

/**
 * Issue 8 item 2 in Chromium: a policy whose every free-text field is a payload, and host
 * options (every widget string, the subject, the iss) that are payloads too, shown on every
 * surface of the shipped script-tag build. Each payload carries an `onerror` that would record
 * itself in `window.__pwned` if it ever became markup. The page has NO CSP on purpose: a CSP
 * would block the payloads and hide a rendering bug.
 */

/** The marker each payload carries, numbered so a hit names its field. */
const sting = (index: number) => `<img src=x onerror="window.__pwned=(window.__pwned||[]).concat(${index})">`;
const payload = (index: number) => `${HOSTILE_TEXT[index % HOSTILE_TEXT.length]}${sting(index)}`;

function hostilePolicy(ageGate = false) {
  const document = fixturePolicy() as unknown as Record<string, unknown>;
  const paths = allPaths(document).filter((path) => path.length > 0 && typeof getAt(document, path) === 'string' && isFreeText(shapeAt(path)));
  paths.forEach((path, index) => setAt(document, path, payload(index)));
  (document.minors as Record<string, unknown>).ageGate = ageGate;
  return { document, fields: paths.length };
}
const STRINGS = Object.fromEntries(Object.keys(ZH).map((key, index) => [key, payload(1000 + index)]));

/** The surfaces, each opened alone on a fresh page (only the top surface of the stack shows). */
const SURFACES: readonly { name: string; ageGate?: boolean; open: string }[] = [
  { name: 'first-launch dialog', open: 'c.showFirstLaunch()' },
  { name: 'age gate', ageGate: true, open: 'c.showFirstLaunch()' },
  { name: 'policy summary', open: 'c.agree().then(() => c.showPolicySummary())' },
  { name: 'privacy center', open: 'c.agree().then(() => c.openPrivacyCenter())' },
  { name: 'separate consent', open: "c.agree().then(() => c.requestSeparateConsent('face_consent'))" },
  { name: 'permission rationale', open: "c.agree().then(() => c.requestPermission('location', { feature: 'nearby' }))" },
  { name: 'policy change', open: "c.agree().then(() => { const next = structuredClone(policy); next.policy.version = next.policy.version + '.1'; next.purposes[0].description += ' (changed)'; return c.updatePolicy(next); }).then(() => c.showFirstLaunch())" },
];

const PAGE = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>hostile</title></head><body><main id="host"></main><script src="/dist/inapp-consent.iife.js"></script></body></html>';

/** What the widget's shadow root holds now. */
const inspect = (page: Page) => page.evaluate(() => {
  const root = document.querySelector('inapp-consent')?.shadowRoot;
  const all = [...(root?.querySelectorAll('*') ?? [])];
  return {
    // The dialog's accessible name: tells the surfaces apart (each shows a different payload).
    heading: root?.getElementById(root.querySelector('[role="dialog"]')?.getAttribute('aria-labelledby') ?? '')?.textContent ?? null,
    handlers: all.flatMap((element) => [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => `${element.tagName}[${attribute.name}]`)),
    injected: all.filter((element) => /^(SCRIPT|IMG|IFRAME|OBJECT|EMBED|BASE|META|MATH|FORM|BODY|TEXTAREA|TITLE)$/.test(element.tagName)).map((element) => element.tagName),
    links: all.filter((element): element is HTMLAnchorElement => element instanceof HTMLAnchorElement && element.hasAttribute('href')).map((link) => link.protocol),
    stings: (root?.textContent?.match(/onerror="window\.__pwned/g) ?? []).length,
    pwned: (window as unknown as { __pwned?: number[] }).__pwned ?? [],
  };
});

describe.skipIf(!existsSync(IIFE))('hostile text on every surface of the widget (Chromium, script-tag build, no CSP)', () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startStaticServer(ROOT, { routes: { '/hostile.html': (_request, response) => void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE) } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
  });

  it(`${SURFACES.length} surfaces, every policy text and host option a payload: all shown as text, no script runs, links only http(s)`, async () => {
    const context = await phoneContext(browser);
    const alerts: string[] = [];
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on('dialog', (dialog) => void (alerts.push(dialog.message()), dialog.dismiss()));
      page.on('pageerror', (error) => errors.push(error.message));

      // Control: the same payload as markup does run here, so a rendering bug could not hide.
      await page.goto(`${server.url}/hostile.html`);
      await page.evaluate((html) => void (document.getElementById('host')!.innerHTML = html), sting(-1));
      await expect.poll(() => page.evaluate(() => (window as unknown as { __pwned?: number[] }).__pwned)).toEqual([-1]);
      alerts.length = 0;

      const headings = new Set<string | null>();
      for (const surface of SURFACES) {
        const { document: policy, fields } = hostilePolicy(surface.ageGate);
        expect(fields).toBeGreaterThanOrEqual(30); // 41 in the fixture today
        await page.goto(`${server.url}/hostile.html`);
        await page.evaluate(() => indexedDB.databases().then((list) => Promise.all(list.map((db) => new Promise((resolve) => { const r = indexedDB.deleteDatabase(db.name!); r.onsuccess = r.onerror = r.onblocked = resolve; })))));
        await page.reload();
        await page.evaluate(({ policy, strings, open, subject }) => {
          const api = (window as unknown as { InAppConsent: { create(options: object): unknown } }).InAppConsent;
          const c = api.create({ policy, strings, subject, iss: subject, bridge: 'none' }) as { ready: Promise<void> };
          (window as unknown as { opened: Promise<unknown> }).opened = c.ready.then(() => new Function('c', 'policy', `return ${open}`)(c, policy));
        }, { policy, strings: STRINGS, open: surface.open, subject: payload(2000) });
        await page.waitForFunction(() => document.querySelector('inapp-consent')?.shadowRoot?.querySelector('[role="dialog"]'));
        // Let images (there must be none) fail and any handler run before looking.
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
        const seen = await inspect(page);
        expect(seen.pwned, surface.name).toEqual([]);
        expect(seen.handlers, surface.name).toEqual([]);
        expect(seen.injected, surface.name).toEqual([]);
        expect(seen.links.every((protocol) => protocol === 'http:' || protocol === 'https:'), `${surface.name}: ${seen.links.join(' ')}`).toBe(true);
        // The payloads are on screen, as text: the widget's own strings and the policy's.
        expect(seen.stings, surface.name).toBeGreaterThanOrEqual(2);
        expect(seen.heading, surface.name).toMatch(/onerror="window\.__pwned/);
        headings.add(seen.heading);
      }
      expect(headings.size).toBe(SURFACES.length);
      expect(alerts).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('hostile host options the widget cannot show as text are refused with a ConsentError, not applied', async () => {
    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/hostile.html`);
      const codes = await page.evaluate((policy) => {
        const api = (window as unknown as { InAppConsent: { create(options: object): unknown } }).InAppConsent;
        const tryCreate = (options: object) => { try { api.create({ policy, ...options }); return 'created'; } catch (error) { return (error as { code?: string }).code; } };
        return [
          tryCreate({ endpoint: 'javascript:alert(1)' }),
          tryCreate({ theme: '"><img src=x onerror=alert(1)>' }),
          tryCreate({ locale: '<script>alert(1)</script>' }),
          tryCreate({ endpoint: 'data:text/html,<script>alert(1)</script>' }),
        ];
      }, fixturePolicy());
      expect(codes).toEqual(['invalid-options', 'invalid-options', 'invalid-options', 'invalid-options']);
      expect(await page.evaluate(() => document.querySelector('inapp-consent'))).toBeNull();
    } finally {
      await context.close();
    }
  });
});
