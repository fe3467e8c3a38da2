import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import { expectNoAxeViolations, IIFE, nextDecision, policyOf, ROOT, SEEDS, startWidgetServer, type WidgetServer } from './widget-support.js';

const SHOTS = `${ROOT}docs/screenshots`;
// Two seeds with the most to show: permissions asked by SDKs, every kind of separate consent.
const SHOWN = ['lakala-pay', 'e-yueche'].filter((seed) => SEEDS.includes(seed));

/** Waits for the dialog, lets its fade-in finish, checks it with axe and saves the screen. */
async function capture(page: Page, name: string, file: string) {
  await page.getByRole('dialog', { name }).waitFor();
  await page.evaluate(() => Promise.all(document.querySelector('inapp-consent')?.shadowRoot?.getAnimations().map((animation) => animation.finished) ?? []));
  await expectNoAxeViolations(page, file);
  await page.screenshot({ path: `${SHOTS}/${file}.png` });
}

/**
 * Screenshots of every surface for the README and docs/widget.md, taken at 360×640 from the
 * script-tag build; each surface also gets its axe run (the policy-change, age and guardian
 * dialogs are opened only here).
 */
describe.skipIf(!existsSync(IIFE))('widget screenshots (docs/screenshots)', () => {
  let browser: Browser;
  let server: WidgetServer;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [browser, server] = await Promise.all([launchChromium(), startWidgetServer()]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
  });

  for (const seed of SHOWN) {
    it(`${seed}: every surface`, async () => {
      const policy = policyOf(seed);
      const context = await phoneContext(browser);
      try {
        const page = await context.newPage();
        await page.goto(`${server.url}/seed/${seed}/`);
        await capture(page, '个人信息保护指引', `${seed}-first-launch`);
        await page.getByRole('button', { name: '查看隐私政策摘要' }).click();
        await page.getByRole('dialog', { name: '隐私政策摘要' }).locator('details').first().evaluate((details) => ((details as HTMLDetailsElement).open = true));
        await capture(page, '隐私政策摘要', `${seed}-summary`);
        await page.getByRole('button', { name: '关闭' }).click();
        await nextDecision(page, () => page.getByRole('button', { name: '不同意' }).click());
        await capture(page, '您未同意隐私政策', `${seed}-declined`);
        await page.getByRole('button', { name: '我知道了' }).click();

        await page.getByRole('button', { name: '隐私设置' }).click();
        await capture(page, '隐私设置', `${seed}-privacy-center`);
        await page.getByRole('button', { name: '查看并同意隐私政策' }).click();
        await nextDecision(page, () => page.getByRole('button', { name: '同意', exact: true }).click());
        const separate = policy.separateConsents.find((entry) => entry.purposeId) ?? policy.separateConsents[0]!;
        await page.locator(`inapp-consent [id="s-${separate.id}"]`).click();
        await capture(page, separate.title, `${seed}-separate-consent`);
        await page.getByRole('button', { name: '不同意' }).click();
        await page.getByRole('dialog', { name: '隐私设置' }).getByRole('button', { name: '关闭' }).click();

        const permission = policy.permissions.find((entry) => entry.kind === 'camera') ?? policy.permissions[0]!;
        await page.evaluate(([id, feature]) => {
          const scope = window as unknown as { InAppConsent: { instance: { requestPermission(id: string, options: object): Promise<unknown> } } };
          void scope.InAppConsent.instance.requestPermission(id!, { feature });
        }, [permission.id, permission.features[0]!]);
        await capture(page, `申请使用${permission.label}`, `${seed}-permission-prompt`);
        await page.getByRole('button', { name: '暂不' }).click();

        // CH-01: a new version changing a basic purpose.
        await page.evaluate(async () => {
          const { instance } = (window as unknown as { InAppConsent: { instance: { policy: Record<string, unknown> & { policy: Record<string, string>; purposes: { consentMode: string; label: string }[] }; updatePolicy(p: unknown): Promise<void>; showFirstLaunch(): Promise<unknown> } } }).InAppConsent;
          const next = structuredClone(instance.policy);
          next.policy.version = `${next.policy.version}-2`;
          next.policy.changeSummary = '我们更新了账户注册所需的个人信息，并新增了**设备型号**的收集。';
          const basic = next.purposes.find((purpose) => purpose.consentMode === 'basic_bundle')!;
          basic.label = `${basic.label}（已更新）`;
          await instance.updatePolicy(next);
          void instance.showFirstLaunch();
        });
        await capture(page, '隐私政策已更新', `${seed}-policy-change`);
        await nextDecision(page, () => page.getByRole('dialog', { name: '隐私政策已更新' }).getByRole('button', { name: '同意', exact: true }).click());

        // CH-01: a new version that re-asks nothing is shown once as a notice.
        await page.evaluate(async () => {
          const { instance } = (window as unknown as { InAppConsent: { instance: { policy: Record<string, unknown> & { policy: Record<string, string> }; updatePolicy(p: unknown): Promise<void>; showFirstLaunch(): Promise<unknown> } } }).InAppConsent;
          const next = structuredClone(instance.policy);
          next.policy.version = `${next.policy.version}-3`;
          next.policy.changeSummary = '我们更新了个人信息保护负责人的**联系方式**。';
          await instance.updatePolicy(next);
          void instance.showFirstLaunch();
        });
        await capture(page, '隐私政策已更新', `${seed}-policy-notice`);
        await page.getByRole('button', { name: '我知道了' }).click();
      } finally {
        await context.close();
      }
    });
  }

  // Issue 6: every seed's first-launch dialog and privacy center (after 同意) are in the docs.
  for (const seed of SEEDS.filter((name) => !SHOWN.includes(name))) {
    it(`${seed}: the first-launch dialog and the privacy center`, async () => {
      const context = await phoneContext(browser);
      try {
        const page = await context.newPage();
        await page.goto(`${server.url}/seed/${seed}/`);
        await capture(page, '个人信息保护指引', `${seed}-first-launch`);
        await nextDecision(page, () => page.getByRole('button', { name: '同意', exact: true }).click());
        await page.getByRole('button', { name: '隐私设置' }).click();
        await capture(page, '隐私设置', `${seed}-privacy-center`);
      } finally {
        await context.close();
      }
    });
  }

  it('the age gate, the guardian dialog and the dark theme', async () => {
    const seed = SHOWN[0] ?? SEEDS[0]!;
    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/age/${seed}/`);
      await capture(page, '年龄确认', `${seed}-age-gate`);
      await page.getByRole('button', { name: '未满14周岁' }).click();
      await capture(page, '请监护人阅读并同意', `${seed}-guardian`);
      const dark = await context.newPage();
      await dark.goto(`${server.url}/dark/${seed}/`);
      await capture(dark, '个人信息保护指引', `${seed}-first-launch-dark`);
      expect(await dark.locator('inapp-consent').getAttribute('data-theme')).toBe('dark');
    } finally {
      await context.close();
    }
  });
});
