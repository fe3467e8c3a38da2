import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import { decisionOf, IIFE, isGranted, nextDecision, policyOf, ROOT, SEEDS, startWidgetServer, type WidgetServer } from './widget-support.js';

/** Records CSP violations, uncaught errors and console errors from the first script on. */
async function watch(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  await page.addInitScript(() => {
    const scope = window as unknown as { violations: string[]; consentErrors: { code: string; problems: unknown[] }[] };
    scope.violations = [];
    scope.consentErrors = [];
    document.addEventListener('securitypolicyviolation', (event) => scope.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    window.addEventListener('inappconsent:error', (event) => {
      const { code, problems } = (event as CustomEvent<{ code: string; problems: unknown[] }>).detail;
      scope.consentErrors.push({ code, problems });
    });
  });
  return {
    problems,
    violations: () => page.evaluate(() => (window as unknown as { violations: string[] }).violations),
  };
}

/** axe injected through DevTools evaluation (a <script> would itself break the page's CSP). */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, 'utf8'));
  await page.evaluate(() => Promise.all(document.querySelector('inapp-consent')?.shadowRoot?.getAnimations().map((animation) => animation.finished) ?? []));
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } };
    const result = await axe.run({ include: [['inapp-consent']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((violation) => `${violation.id} ${JSON.stringify(violation.nodes[0]?.target)}`);
  });
}

describe.skipIf(!existsSync(IIFE))('the widget under a strict CSP, declining, and on hostile pages (Chromium 360×640)', () => {
  let browser: Browser;
  let server: WidgetServer;
  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startWidgetServer()]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
  });

  for (const seed of SEEDS) {
    it(`${seed}: under default-src 'self', 不同意 gives the limited mode with one explanation and no loop, with zero CSP violations`, async () => {
      const context = await phoneContext(browser);
      try {
        const page = await context.newPage();
        const { problems, violations } = await watch(page);
        await page.goto(`${server.url}/csp/${seed}/`);
        const firstLaunch = page.getByRole('dialog', { name: '个人信息保护指引' });
        await firstLaunch.waitFor();
        // The adopted stylesheet applies under the CSP: the buttons have the widget's size.
        expect((await firstLaunch.getByRole('button', { name: '不同意' }).boundingBox())!.height).toBeGreaterThanOrEqual(44);

        await nextDecision(page, () => firstLaunch.getByRole('button', { name: '不同意' }).click());
        const followUp = page.getByRole('dialog', { name: '您未同意隐私政策' });
        await followUp.waitFor();
        expect(await followUp.getByRole('button').count()).toBe(1);
        expect(await decisionOf(page)).toBe('declined');
        expect(await violations()).toEqual([]);
        expect(await axeViolations(page)).toEqual([]);
        await followUp.getByRole('button', { name: '我知道了' }).click();
        await followUp.waitFor({ state: 'detached' });
        expect(await page.getByRole('dialog').count()).toBe(0);

        // No loop: nothing comes back after a reload; the privacy center still works.
        await page.reload();
        expect(await decisionOf(page)).toBe('declined');
        await page.waitForTimeout(100);
        expect(await page.getByRole('dialog').count()).toBe(0);
        await page.getByRole('button', { name: '隐私设置' }).click();
        const center = page.getByRole('dialog', { name: '隐私设置' });
        await center.getByRole('button', { name: '查看并同意隐私政策' }).waitFor();
        // Optional uses can still be switched on and off without agreeing to the policy.
        const policy = policyOf(seed);
        const optional = policy.purposes.find((purpose) => purpose.consentMode === 'optional_toggle' && !policy.separateConsents.some((entry) => entry.purposeId === purpose.id));
        if (optional) {
          const toggle = center.locator(`[id="p-${optional.id}"]`);
          // Each switch is visible the moment it is tapped, even while the previous decision's
          // local save and receipt are still running (WD-01).
          await toggle.click();
          expect(await isGranted(page, optional.id)).toBe(true);
          await toggle.click();
          expect(await isGranted(page, optional.id)).toBe(false);
        }
        expect(await violations()).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('shows no UI for an invalid policy: a console error and an error event name the problems', async () => {
    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      const { problems } = await watch(page);
      await page.goto(`${server.url}/bad/`);
      await expect.poll(() => page.evaluate(() => (window as unknown as { consentErrors: unknown[] }).consentErrors.length)).toBe(1);
      const [error] = await page.evaluate(() => (window as unknown as { consentErrors: { code: string; problems: { path: string }[] }[] }).consentErrors);
      expect(error!.code).toBe('invalid-policy');
      expect(error!.problems.map((problem) => problem.path)).toContain('controller');
      expect(problems.join('\n')).toMatch(/the policy has \d+ problem\(s\)[\s\S]*controller/);
      expect(await page.locator('inapp-consent').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { InAppConsent: { ready: Promise<unknown> } }).InAppConsent.ready.then((value) => value === undefined))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('keeps its look on a page whose CSS attacks every button, dialog and paragraph', async () => {
    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/hostile/${SEEDS[0]}/`);
      const dialog = page.getByRole('dialog', { name: '个人信息保护指引' });
      await dialog.waitFor();
      const agree = dialog.getByRole('button', { name: '同意', exact: true });
      expect(await agree.isVisible()).toBe(true);
      const style = await agree.evaluate((button) => {
        const computed = getComputedStyle(button);
        return { fontSize: computed.fontSize, height: button.getBoundingClientRect().height, background: computed.backgroundColor };
      });
      expect(style).toEqual({ fontSize: '15px', height: expect.any(Number), background: 'rgb(20, 86, 240)' });
      expect(style.height).toBeGreaterThanOrEqual(44);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
