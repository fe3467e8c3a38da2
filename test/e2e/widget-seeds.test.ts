import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import { decisionOf, expectInViewport, expectNoAxeViolations, IIFE, isGranted, nextDecision, policyOf, SEEDS, startWidgetServer, type WidgetServer } from './widget-support.js';

/**
 * Each seed policy through the script-tag build, in Chromium at 360×640: the first-launch
 * dialog, the summary, 同意 surviving a reload, the privacy center withdrawing at once, a
 * separate-consent dialog and a permission prompt — axe-core on every surface opened.
 */
describe.skipIf(!existsSync(IIFE))('the widget on each seed policy (script tag, Chromium 360×640)', () => {
  let browser: Browser;
  let server: WidgetServer;
  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startWidgetServer()]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
  });

  for (const seed of SEEDS) {
    it(`${seed}: first launch, summary, 同意 across a reload, privacy center, separate consent, permission prompt`, async () => {
      const policy = policyOf(seed);
      const context = await phoneContext(browser);
      try {
        const page = await context.newPage();
        const sentBefore = server.receipts();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
        await page.goto(`${server.url}/seed/${seed}/`);

        // FL-01 … FL-03: the dialog appears, both choices on screen, nothing ticked, nothing sent.
        const firstLaunch = page.getByRole('dialog', { name: '个人信息保护指引' });
        await firstLaunch.waitFor();
        await expectInViewport(page, '同意');
        await expectInViewport(page, '不同意');
        expect(await page.locator('inapp-consent input:checked').count()).toBe(0);
        expect(await decisionOf(page)).toBe('undecided');
        expect(server.receipts()).toBe(sentBefore);
        await expectNoAxeViolations(page, `${seed} first-launch dialog`);

        // FL-02: the summary opens from the dialog, in zh-CN.
        await firstLaunch.getByRole('button', { name: '查看隐私政策摘要' }).click();
        const summary = page.getByRole('dialog', { name: '隐私政策摘要' });
        await summary.waitFor();
        expect(await summary.getAttribute('lang')).toBe('zh-CN');
        await expectNoAxeViolations(page, `${seed} policy summary`);
        await summary.getByRole('button', { name: '关闭' }).click();

        // FL-05 / CG-05: 同意 survives a reload; the dialog does not come back.
        await nextDecision(page, () => firstLaunch.getByRole('button', { name: '同意', exact: true }).click());
        await firstLaunch.waitFor({ state: 'detached' });
        expect(await decisionOf(page)).toBe('agreed');
        await page.reload();
        expect(await decisionOf(page)).toBe('agreed');
        await page.waitForTimeout(100);
        expect(await page.getByRole('dialog').count()).toBe(0);

        // WD-01: the host opens the privacy center; withdrawing takes effect at once.
        await page.getByRole('button', { name: '隐私设置' }).click();
        const center = page.getByRole('dialog', { name: '隐私设置' });
        await center.waitFor();
        await expectNoAxeViolations(page, `${seed} privacy center`);
        const granted = center.locator('[role=switch]:checked').first();
        const purposeId = (await granted.getAttribute('id'))!.slice(2);
        expect(await isGranted(page, purposeId)).toBe(true);
        await granted.click();
        expect(await isGranted(page, purposeId)).toBe(false);
        await expect.poll(() => center.locator(`[id="p-${purposeId}"]`).isChecked()).toBe(false);

        // SC-01 … SC-04: a separate consent from the center opens its own dialog.
        const separate = policy.separateConsents[0]!;
        await center.locator(`[id="s-${separate.id}"]`).click();
        const separateDialog = page.getByRole('dialog', { name: separate.title });
        await separateDialog.waitFor();
        await expectInViewport(page, '同意');
        await expectNoAxeViolations(page, `${seed} separate consent`);
        await separateDialog.getByRole('button', { name: '不同意' }).click();
        await center.waitFor();
        expect(await isGranted(page, separate.id)).toBe(false);
        await center.getByRole('button', { name: '关闭' }).click();
        await center.waitFor({ state: 'detached' });

        // PP-02: a permission asked by its feature shows the rationale first.
        const permission = policy.permissions[0]!;
        await page.evaluate(
          ([id, feature]) => {
            const scope = window as unknown as { InAppConsent: { instance: { requestPermission(id: string, options: object): Promise<{ reason: string }> } }; asked: Promise<{ reason: string }> };
            scope.asked = scope.InAppConsent.instance.requestPermission(id!, { feature });
          },
          [permission.id, permission.features[0]!],
        );
        const prompt = page.getByRole('dialog', { name: `申请使用${permission.label}` });
        await prompt.waitFor();
        await expectNoAxeViolations(page, `${seed} permission prompt`);
        await prompt.getByRole('button', { name: '暂不' }).click();
        expect(await page.evaluate(() => (window as unknown as { asked: Promise<{ reason: string }> }).asked.then((result) => result.reason))).toBe('not_now');

        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
