import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { FeatureStep } from './journeys-seeds.js';
import { isGranted, osRequests, snapshot, type PolicyDoc } from './journeys-support.js';

/**
 * What a person does in a seed app, by role and accessible name: the widget's surfaces live in
 * the `inapp-consent` element's open shadow root (role locators pierce it); the app's own
 * screens (its tiles, its sheet) are the host page's.
 */

/** The widget's dialogs only: the demo app's own sheet is a dialog too. */
export const widgetDialog = (page: Page, name: string): Locator => page.locator('inapp-consent').getByRole('dialog', { name, exact: true });
export const openWidgetDialogs = (page: Page) => page.locator('inapp-consent').getByRole('dialog').count();
const button = (scope: Locator, name: string) => scope.getByRole('button', { name, exact: true });

/** The first-launch dialog (FL-01 … FL-03): on screen, both choices, nothing pre-ticked. */
export async function firstLaunch(page: Page): Promise<Locator> {
  const dialog = widgetDialog(page, '个人信息保护指引');
  await dialog.waitFor();
  await button(dialog, '同意').waitFor();
  await button(dialog, '不同意').waitFor();
  expect(await dialog.locator('input:checked').count()).toBe(0);
  return dialog;
}

/** FL-02: the summary opens from the first-launch dialog, names the policy, and closes back to it. */
export async function readSummary(page: Page, policy: PolicyDoc): Promise<void> {
  await button(widgetDialog(page, '个人信息保护指引'), '查看隐私政策摘要').click();
  const summary = widgetDialog(page, '隐私政策摘要');
  await summary.waitFor();
  expect(await summary.textContent()).toContain(policy.policy.version);
  await button(summary, '关闭').click();
  await summary.waitFor({ state: 'detached' });
  await widgetDialog(page, '个人信息保护指引').waitFor();
}

export async function answerFirstLaunch(page: Page, answer: '同意' | '不同意'): Promise<void> {
  const dialog = widgetDialog(page, '个人信息保护指引');
  await button(dialog, answer).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The host's 隐私设置 button opens the privacy center (FL-06). */
export async function openPrivacyCenter(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: '隐私设置', exact: true }).first().click();
  const center = widgetDialog(page, '隐私设置');
  await center.waitFor();
  return center;
}

export async function closePrivacyCenter(page: Page): Promise<void> {
  const center = widgetDialog(page, '隐私设置');
  await button(center, '关闭').click();
  await center.waitFor({ state: 'detached' });
}

export const labelOf = (policy: PolicyDoc, id: string): string =>
  policy.purposes.find((purpose) => purpose.id === id)?.label ?? policy.separateConsents.find((entry) => entry.id === id)!.title;

/** Answers one separate-consent dialog (SC-01: its own 同意, never the general one). */
export async function answerSeparate(page: Page, policy: PolicyDoc, consentId: string, answer: '同意' | '不同意' = '同意'): Promise<void> {
  const dialog = widgetDialog(page, labelOf(policy, consentId));
  await button(dialog, answer).click();
  await dialog.waitFor({ state: 'detached' });
}

/**
 * Switches a purpose on in the open privacy center; a purpose resting on separate consents
 * asks each in its own dialog first (SC-01), and is on only once they are given.
 */
export async function switchOn(page: Page, policy: PolicyDoc, purposeId: string, separates: readonly string[]): Promise<void> {
  const center = widgetDialog(page, '隐私设置');
  const toggle = center.getByRole('switch', { name: labelOf(policy, purposeId), exact: true });
  expect(await toggle.isChecked()).toBe(false); // CG-01: optional purposes start off
  await toggle.click();
  for (const id of separates) await answerSeparate(page, policy, id);
  await expect.poll(() => toggle.isChecked()).toBe(true);
  expect(await isGranted(page, purposeId)).toBe(true);
}

/**
 * Withdraws in the open privacy center with one tap on the switch; the state is already off
 * when the tap returns (WD-01: withdrawal takes effect at once, and takes no more steps than
 * granting), and so is every purpose resting on a withdrawn separate consent.
 */
export async function withdraw(page: Page, policy: PolicyDoc, id: string): Promise<void> {
  const center = widgetDialog(page, '隐私设置');
  const toggle = center.getByRole('switch', { name: labelOf(policy, id), exact: true });
  expect(await isGranted(page, id)).toBe(true);
  // The host hears of it (DESIGN: `inappconsent:change` on window) with the new state.
  await page.evaluate((key) => {
    const scope = window as unknown as { heard?: Promise<boolean> };
    scope.heard = new Promise((resolve) => {
      window.addEventListener('inappconsent:change', (event) => resolve((event as CustomEvent<{ granted: Record<string, boolean> }>).detail.granted[key] === false), { once: true });
    });
  }, id);
  await toggle.click();
  expect(await isGranted(page, id)).toBe(false);
  expect(await page.evaluate(() => (window as unknown as { heard: Promise<boolean> }).heard)).toBe(true);
  const tied = policy.separateConsents.find((entry) => entry.id === id)?.purposeId;
  const purpose = policy.purposes.find((entry) => entry.id === tied);
  if (purpose && purpose.consentMode !== 'notice_only') expect(await isGranted(page, purpose.id)).toBe(false);
  await expect.poll(() => toggle.isChecked()).toBe(false);
}

/**
 * Taps a feature's tile in the demo app and answers what the widget asks, in order: separate
 * consents with 同意, each permission's rationale prompt with 继续 (the "OS" then answers
 * through the bridge). Checks PP-02 on every prompt: it names the permission and the feature,
 * and the OS is asked only after 继续. Ends on the feature's own screen, then closes it.
 */
export async function useFeature(page: Page, policy: PolicyDoc, step: FeatureStep): Promise<void> {
  const feature = policy.features.find((entry) => entry.id === step.feature)!;
  const asked = await osRequests(page);
  let prompted = 0;
  await page.locator(`[data-feature="${step.feature}"]`).click();
  for (const ask of step.asks) {
    if ('separate' in ask) {
      await answerSeparate(page, policy, ask.separate);
      continue;
    }
    const permission = policy.permissions.find((entry) => entry.id === ask.permission)!;
    if ('already' in ask) continue; // checked below, once the feature screen is up
    const prompt = widgetDialog(page, `申请使用${permission.label}`);
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain(feature.label);
    expect(await osRequests(page), `the OS is not asked before 继续 (${permission.id})`).toBe(asked + prompted);
    await button(prompt, '继续').click();
    await prompt.waitFor({ state: 'detached' });
    prompted++;
    await expect.poll(async () => (await snapshot(page)).permissions[permission.id]).toBe('granted');
  }
  // The feature's own screen (examples/apps/shared/app-kit.js step 5) means the flow let it start.
  const sheet = page.locator('#sheet');
  await sheet.locator('p.ok').waitFor();
  expect(await openWidgetDialogs(page)).toBe(0);
  expect(await osRequests(page), 'one OS dialog per prompted permission').toBe(asked + prompted);
  const { permissions } = await snapshot(page);
  for (const ask of step.asks) {
    if ('already' in ask) expect(permissions[ask.permission], ask.permission).toBe(ask.already === 'granted' ? 'granted' : undefined);
  }
  await sheet.getByRole('button', { name: '关闭' }).last().click();
  await sheet.waitFor({ state: 'hidden' });
}

/**
 * After a withdrawal, a feature resting on the withdrawn separate consent no longer starts on
 * its own: the consent is asked again (the person opened the feature: WD-02 allows it). Closing
 * that dialog (Esc) decides nothing and records nothing; the app explains the feature is off.
 */
export async function featureAsksAgain(page: Page, policy: PolicyDoc, featureId: string, consentId: string): Promise<void> {
  await page.locator(`[data-feature="${featureId}"]`).click();
  const dialog = widgetDialog(page, labelOf(policy, consentId));
  await dialog.waitFor();
  await dialog.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  const sheet = page.locator('#sheet');
  await sheet.getByRole('heading', { name: /未开启$/ }).waitFor();
  expect(await isGranted(page, consentId)).toBe(false);
  await sheet.getByRole('button', { name: '关闭' }).last().click();
  await sheet.waitFor({ state: 'hidden' });
}
