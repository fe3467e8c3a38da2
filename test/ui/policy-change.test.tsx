// @vitest-environment happy-dom
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { renderWidget } from './harness.js';

/** The next version: the basic `account` purpose and the optional `marketing` one changed. */
function nextVersion(): PolicyDocument {
  const policy = fixturePolicy();
  return {
    ...policy,
    policy: { ...policy.policy, version: '2.0', changeSummary: '注册时新增**设备型号**的收集' },
    purposes: policy.purposes.map((purpose) =>
      purpose.id === 'account' ? { ...purpose, label: '注册、登录与设备识别' } : purpose.id === 'marketing' ? { ...purpose, label: '个性化推送（含短信）' } : purpose,
    ),
  };
}

/** Agreed to version 1 with marketing on, then "reloaded" with version 2. */
async function afterUpdate() {
  const first = renderWidget();
  await first.consent.ready;
  await first.consent.agree();
  await first.consent.setPurpose('marketing', true);
  first.consent.destroy();
  const { consent } = renderWidget(nextVersion(), { store: first.store });
  const outcome = consent.showFirstLaunch();
  const dialog = await screen.findByRole('dialog', { name: '隐私政策已更新' });
  return { consent, outcome, dialog, store: first.store };
}

describe('policy-change dialog', () => {
  it('CH-01: a material change shows what changed and a link to the full text; a changed optional purpose stays off unless ticked', async () => {
    const { consent, outcome, dialog } = await afterUpdate();
    expect(consent.isGranted('account')).toBe(false);
    expect(within(dialog).getByText('设备型号').tagName).toBe('STRONG');
    expect(within(dialog).getByText('注册、登录与设备识别')).toBeTruthy();
    const optional = within(dialog).getByRole('checkbox', { name: '个性化推送（含短信）' }) as HTMLInputElement;
    expect(optional.checked).toBe(false);
    expect(within(dialog).getByRole('link', { name: '阅读《示例应用隐私政策》全文' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: '同意' }));
    expect(await outcome).toBe('agreed');
    expect(consent.isGranted('account')).toBe(true);
    expect(consent.isGranted('marketing')).toBe(false);
    expect(consent.needsConsent).toBe(false);
  });

  it('CH-01: a ticked optional purpose comes back on', async () => {
    const { consent, outcome, dialog } = await afterUpdate();
    fireEvent.click(within(dialog).getByRole('checkbox', { name: '个性化推送（含短信）' }));
    fireEvent.click(within(dialog).getByRole('button', { name: '同意' }));
    await outcome;
    expect(consent.isGranted('marketing')).toBe(true);
  });

  it('CH-01: 不同意 refuses only what changed, Esc decides nothing, and the dialog does not come back', async () => {
    const { consent, outcome, dialog, store } = await afterUpdate();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.getByRole('dialog', { name: '隐私政策已更新' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: '不同意' }));
    await outcome;
    expect(consent.isGranted('account')).toBe(false);
    expect(consent.isGranted('real_name')).toBe(true);
    consent.destroy();
    const reloaded = renderWidget(nextVersion(), { store }).consent;
    await reloaded.showFirstLaunch();
    expect(screen.queryAllByRole('dialog')).toEqual([]);
  });
});
